"""Local wall time ↔ instants: the SPEC §2 gap/fold policy, in one place.

Instants are integer microseconds since 1970-01-01T00:00Z.  A wall time that does not
exist (spring-forward gap) is shifted forward by the length of the gap; a wall time that
occurs twice (fall-back) means the earlier instant.  That is RFC 5545's "compatible"
disambiguation, and exactly what ``zoneinfo`` does for ``fold=0``: it reads a gap time
with the offset from before the transition, which lands the gap's length later.
"""

from __future__ import annotations

import difflib
import functools
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bizclock._errors import ArgumentTypeError, ConfigError, NaiveDatetimeError, OutOfRangeError

__all__ = [
    "DAY_US",
    "EPOCH",
    "EPOCH_ORDINAL",
    "MAX_US",
    "MIN_US",
    "SECOND_US",
    "US",
    "UTC",
    "ZONE_EPOCHS",
    "bad_instant",
    "from_us",
    "load_zone",
    "to_us",
    "wall_to_us",
]

UTC = timezone.utc
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
SECOND_US = 1_000_000
DAY_US = 86_400 * SECOND_US
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
MIN_ORDINAL = 1
MAX_ORDINAL = date.max.toordinal()
MIN_US = (datetime.min.replace(tzinfo=UTC) - EPOCH) // US
MAX_US = (datetime.max.replace(tzinfo=UTC) - EPOCH) // US


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def load_zone(name: object, where: str = "timezone") -> ZoneInfo:
    """The ``ZoneInfo`` for an IANA name, or a :class:`ConfigError` that suggests close names."""
    if not isinstance(name, str):
        raise ConfigError(f"{where}: expected an IANA time zone name (a string), got {name!r}")
    if not name.strip():
        raise ConfigError(f"{where}: the time zone name is empty")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    close = difflib.get_close_matches(name, sorted(_zone_names()), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise ConfigError(f"{where}: unknown time zone {name!r}{hint}")


def wall_to_us(zone: tzinfo, ordinal: int, second: int, micro: int = 0) -> int:
    """The instant of local wall time ``second`` (may exceed a day) on date ``ordinal``.

    Gap times move forward by the gap, fold times take the earlier instant (``fold=0``).
    Dates beyond ``datetime``'s range borrow the offset of the nearest representable time,
    so year windows at the very edges stay well defined.
    """
    days, second = divmod(second, 86_400)
    ordinal += days
    wall = (ordinal - EPOCH_ORDINAL) * DAY_US + second * SECOND_US + micro
    if ordinal < MIN_ORDINAL:
        probe = datetime.min.replace(tzinfo=zone)
    elif ordinal > MAX_ORDINAL:
        probe = datetime.max.replace(tzinfo=zone)
    else:
        day = date.fromordinal(ordinal)
        hour, rest = divmod(second, 3600)
        probe = datetime(
            day.year, day.month, day.day, hour, rest // 60, rest % 60, micro, tzinfo=zone
        )
    offset = zone.utcoffset(probe)
    return wall - (offset // US if offset is not None else 0)


def to_us(t: object, name: str = "t") -> int:
    """An aware datetime as integer microseconds since the epoch (the API's input edge)."""
    try:
        us: int = (t - EPOCH) // US  # type: ignore[operator]
    except TypeError:
        raise bad_instant(t, name) from None
    return us


def bad_instant(t: object, name: str) -> Exception:
    if isinstance(t, datetime):
        return NaiveDatetimeError(
            f"{name}: {t!r} is naive (it has no tzinfo); attach one, e.g. "
            "t.replace(tzinfo=ZoneInfo('Europe/Berlin')), or read it as calendar-local "
            "wall time with cal.localize(t)"
        )
    return ArgumentTypeError(f"{name}: expected an aware datetime, got {type(t).__name__} {t!r}")


# For each ZoneInfo result zone, 1970-01-01 00:00 carrying that tzinfo.  Adding the µs to it
# gives the UTC wall fields without a utcoffset() call, and tz.fromutc() turns them into the
# zone's local time (with the right fold): about 40 % cheaper than astimezone().
ZONE_EPOCHS: dict[ZoneInfo, datetime] = {}


def from_us(us: int, tz: tzinfo | None) -> datetime:
    """Integer microseconds as an aware datetime in ``tz`` (the API's output edge)."""
    try:
        if tz is UTC:
            return EPOCH + US * us
        if type(tz) is ZoneInfo:
            base = ZONE_EPOCHS.get(tz)
            if base is None:
                if len(ZONE_EPOCHS) > 512:  # ZoneInfo.no_cache() zones: stay bounded
                    ZONE_EPOCHS.clear()
                base = ZONE_EPOCHS[tz] = datetime(1970, 1, 1, tzinfo=tz)
            return tz.fromutc(base + US * us)
        return (EPOCH + US * us).astimezone(tz)
    except OverflowError:
        raise OutOfRangeError(
            f"the result ({us} µs from 1970-01-01 UTC) is outside the datetime range"
        ) from None
