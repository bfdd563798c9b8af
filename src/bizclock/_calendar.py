"""``Calendar``: weekly hours + zone + date rules, compiled lazily into a :class:`Timeline`.

Datetimes are turned into integer microseconds once on the way in and back once on the
way out; everything in between is the integer core.
"""

from __future__ import annotations

import json
import os
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from bizclock._config import Parsed, parse_calendar, unparse_calendar
from bizclock._errors import (
    ArgumentError,
    ArgumentTypeError,
    ConfigError,
    NeverOpenError,
    OutOfRangeError,
)
from bizclock._rules import DayRule
from bizclock._timeline import CLOSED_YEARS_LIMIT, NEAR, Chunk, Timeline
from bizclock._zone import (
    DAY_US,
    EPOCH,
    EPOCH_ORDINAL,
    MAX_ORDINAL,
    MAX_US,
    MIN_ORDINAL,
    MIN_US,
    SECOND_US,
    US,
    ZONE_EPOCHS,
    bad_instant,
    from_us,
    wall_to_us,
)

__all__ = ["Calendar"]

_AVERAGE_YEAR_US = 31_556_952 * 1_000_000  # 365.2425 days
_MIN_YEAR, _MAX_YEAR = 1, 9999
_UNSET: Any = object()


def _jan1(year: int) -> int:
    """Ordinal of 1 January of ``year`` (also for the year after 9999)."""
    return date(year, 1, 1).toordinal() if year <= _MAX_YEAR else MAX_ORDINAL + 1


class Calendar:
    """Business hours in a time zone, minus holidays, with special hours on some dates.

    Build one with keywords, or from the SPEC §3 schema with :meth:`from_dict`,
    :meth:`from_json` or :meth:`from_toml`::

        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> cal = Calendar(timezone="Europe/Berlin", hours={"mon-fri": "09:00-17:00"})
        >>> friday_4pm = datetime(2026, 11, 20, 16, tzinfo=ZoneInfo("Europe/Berlin"))
        >>> cal.add(friday_4pm, timedelta(hours=4))
        datetime.datetime(2026, 11, 23, 12, 0, tzinfo=zoneinfo.ZoneInfo(key='Europe/Berlin'))

    A calendar is immutable, hashable, equal to any calendar with the same canonical
    configuration, picklable (the configuration only), and safe to share between threads.
    """

    __slots__ = ("_hash", "_parsed", "_timeline", "_zone")

    _hash: int
    _parsed: Parsed
    _zone: ZoneInfo
    _timeline: Timeline

    def __init__(
        self,
        *,
        timezone: str,
        hours: Any,
        holidays: Any = _UNSET,
        country_holidays: Any = _UNSET,
        seasons: Any = _UNSET,
        overrides: Any = _UNSET,
    ) -> None:
        config: dict[str, Any] = {"timezone": timezone, "hours": hours}
        for key, value in (
            ("holidays", holidays),
            ("country_holidays", country_holidays),
            ("seasons", seasons),
            ("overrides", overrides),
        ):
            if value is not _UNSET:
                config[key] = value
        self._setup(parse_calendar(config))

    def _setup(self, parsed: Parsed) -> None:
        object.__setattr__(self, "_parsed", parsed)
        object.__setattr__(self, "_zone", parsed.zone)
        # Calendars key caches (SLA policies, users' dicts): hash the config once.
        object.__setattr__(self, "_hash", hash((parsed.timezone, parsed.rules)))
        timeline = Timeline(
            self._window_start,
            self._compile_year,
            min_year=_MIN_YEAR,
            max_year=_MAX_YEAR,
            year_length=_AVERAGE_YEAR_US,
        )
        object.__setattr__(self, "_timeline", timeline)

    # -- construction and identity -------------------------------------------------

    @classmethod
    def from_dict(cls, config: Mapping[str, Any]) -> Calendar:
        """A calendar from a mapping in the SPEC §3 schema; raises :class:`ConfigError`."""
        cal = cls.__new__(cls)
        cal._setup(parse_calendar(config))
        return cal

    @classmethod
    def from_json(cls, source: str | os.PathLike[str]) -> Calendar:
        """A calendar from JSON text or from the path of a JSON file."""
        text = _read_source(source, "json")
        try:
            data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"json: line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
        except RecursionError:
            raise ConfigError("json: nested too deeply") from None
        except ValueError as exc:  # e.g. an integer literal past Python's digit limit
            raise ConfigError(f"json: {str(exc)[:200]}") from None
        return cls.from_dict(data)

    @classmethod
    def from_toml(cls, source: str | os.PathLike[str]) -> Calendar:
        """A calendar from TOML text or from the path of a TOML file."""
        text = _read_source(source, "toml")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"toml: {exc}") from None
        except RecursionError:
            raise ConfigError("toml: nested too deeply") from None
        except ValueError as exc:  # e.g. an integer literal past Python's digit limit
            raise ConfigError(f"toml: {str(exc)[:200]}") from None
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """The canonical configuration; ``Calendar.from_dict(cal.to_dict()) == cal``."""
        return unparse_calendar(self._parsed)

    @classmethod
    def from_zendesk(cls, schedule: Any, holidays: Any = None) -> Calendar:
        """A calendar from a Zendesk business-hours schedule and its holidays (SPEC §9).

        See :func:`bizclock._zendesk.calendar_from_zendesk` and ``docs/interop.md``.
        """
        from bizclock._zendesk import calendar_from_zendesk

        return calendar_from_zendesk(schedule, holidays)

    def to_zendesk(
        self, *, name: str = "Business hours", years: Iterable[int] | None = None
    ) -> dict[str, Any]:
        """The calendar as a Zendesk schedule with holidays; :class:`ConfigError` if it won't fit.

        See :func:`bizclock._zendesk.calendar_to_zendesk` and ``docs/interop.md``.
        """
        from bizclock._zendesk import calendar_to_zendesk

        return calendar_to_zendesk(self, name=name, years=years)

    @property
    def timezone(self) -> str:
        """The calendar's IANA time zone name."""
        return self._parsed.timezone

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone."""
        return self._zone

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Calendar):
            return NotImplemented
        if self is other:
            return True
        if self._hash != other._hash:
            return False
        return (self._parsed.timezone, self._parsed.rules) == (
            other._parsed.timezone,
            other._parsed.rules,
        )

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"Calendar.from_dict({self.to_dict()!r})"

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        return (_from_dict, (self.to_dict(),))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Calendar is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Calendar is immutable")

    # -- compilation (called by the timeline) --------------------------------------

    def _window_start(self, year: int) -> int:
        return wall_to_us(self._zone, _jan1(year), 0)

    def _compile_year(self, year: int) -> list[tuple[int, int]]:
        """The open runs of the local dates that can reach into ``year``'s window.

        Wall time does not map to instants monotonically: a time in a spring-forward gap
        moves forward by the whole gap, up to a day (Kiritimati skipped 1994-12-31).  So
        besides its own dates a year compiles the two dates before it (an overnight spill
        that lands a day late) and the first date after it (times after a gap that holds
        the new year's midnight); the timeline clips every run to the window.
        """
        zone = self._zone
        day = self._parsed.rules.day
        first, stop = _jan1(year), _jan1(year + 1)
        lo = first - 2
        # days[k] is the rule of date lo + k, offsets[k] the UTC offset of its midnight
        # (fold=0).  One extra date at the end for the last date's pin, and one more
        # midnight for its spill.
        days = [day(o) if 1 <= o <= MAX_ORDINAL else ((), False) for o in range(lo, stop + 2)]
        offsets = [_midnight_offset(zone, o) for o in range(lo, stop + 3)]
        # A date whose two midnights share an offset has no transition inside it (tzdb
        # has no date with two transitions that cancel), so its wall times convert with
        # that offset; other dates probe each boundary.
        runs: list[tuple[int, int]] = []
        for k, ordinal in enumerate(range(lo, stop + 1)):
            hours, _ = days[k]
            if not hours:
                continue
            next_pinned = days[k + 1][1]
            midnight = (ordinal - EPOCH_ORDINAL) * DAY_US
            same_day = offsets[k] == offsets[k + 1]
            whole = same_day and offsets[k + 1] == offsets[k + 2]
            for start, end in hours:
                if end > 86_400 and next_pinned:
                    end = 86_400
                if whole or (same_day and end <= 86_400):
                    offset = offsets[k]
                    runs.append(
                        (midnight + start * SECOND_US - offset, midnight + end * SECOND_US - offset)
                    )
                else:
                    runs.append((wall_to_us(zone, ordinal, start), wall_to_us(zone, ordinal, end)))
        return runs

    # -- operations ----------------------------------------------------------------

    def add(
        self,
        t: datetime,
        d: timedelta,
        *,
        boundary: Literal["exact", "next_open"] = "exact",
    ) -> datetime:
        """The earliest instant ``s >= t`` with ``elapsed(t, s) == d`` (SPEC §4).

        A deadline may be the very end of an open interval (Friday 17:00).  With
        ``boundary="next_open"`` such a result moves on to the next opening instead.
        ``d == 0`` gives ``t``; a negative ``d`` subtracts.
        """
        try:
            ts = t - EPOCH
        except TypeError:
            raise _argument_error(t, d) from None
        # The hot path (SPEC §7): the window branch of Timeline.advance, inlined and worked
        # in timedeltas since the epoch, which spares converting to integer µs and back
        # (that costs more than the search).  Exact types only: subclasses (pandas) may
        # carry nanoseconds, which the integer path below floors.
        w = self._timeline.window
        if (
            type(ts) is timedelta
            and w.lo <= ts < w.hi
            and type(d) is timedelta
            and _ZERO < d <= _MAX_TD  # larger ones are out of range: the integer path says so
            and boundary == "exact"
        ):
            starts, cum = w.starts, w.cum
            i = bisect_right(w.ends, ts)
            x = cum[i] + d
            s = starts[i]
            if ts > s:
                x += ts - s
            if x <= w.total:
                k = i + NEAR  # the answer's run is after t's, most often near it
                j = bisect_left(cum, x, i, k if x <= cum[k] else len(cum)) - 1
                return _from_td(starts[j] + (x - cum[j]), t.tzinfo)
            if d <= _MAX_TD - ts:  # else the integer path says it is out of range
                far = self._timeline.advance_past_td(w, x, start_closed=x - d == w.total)
                return _from_td(far, t.tzinfo)
        try:
            us = ts // US
            dus = d // US
        except TypeError:
            raise _argument_error(t, d) from None
        if boundary != "exact" and boundary != "next_open":
            raise _boundary_error(boundary, "'exact' or 'next_open'")
        if dus > 0:
            if us + dus > MAX_US:  # business time never exceeds real time
                raise _beyond_range()
            r = self._timeline.advance(us, dus)
            if boundary != "exact" and not self._timeline.is_open(r):
                r = self._timeline.next_open(r)
        elif dus == 0:
            return t
        else:
            r = self._retreat(us, -dus, prev_close=boundary == "next_open")
        return from_us(r, t.tzinfo)

    def subtract(
        self,
        t: datetime,
        d: timedelta,
        *,
        boundary: Literal["exact", "prev_close"] = "exact",
    ) -> datetime:
        """The latest instant ``s <= t`` with ``elapsed(s, t) == d`` (SPEC §4).

        The result may be the very start of an open interval (Monday 09:00).  With
        ``boundary="prev_close"`` such a result moves back to the previous closing.
        ``d == 0`` gives ``t``; a negative ``d`` adds.
        """
        try:
            ts = t - EPOCH
        except TypeError:
            raise _argument_error(t, d) from None
        # The hot path: the window branch of Timeline.retreat, inlined (see add).
        w = self._timeline.window
        if (
            type(ts) is timedelta
            and w.lo <= ts < w.hi
            and type(d) is timedelta
            and _ZERO < d <= _MAX_TD  # larger ones are out of range: the integer path says so
            and boundary == "exact"
        ):
            starts, cum = w.starts, w.cum
            i = bisect_right(w.ends, ts)
            x = cum[i] - d
            s = starts[i]
            if ts > s:
                x += ts - s
            if x >= _ZERO:
                k = i - NEAR  # the answer's run is at or before t's, most often near it
                j = bisect_right(cum, x, k if k > 0 and cum[k] <= x else 0, i + 1) - 1
                return _from_td(starts[j] + (x - cum[j]), t.tzinfo)
            if d <= ts - _MIN_TD:  # else the integer path says it is out of range
                r = self._timeline.retreat_past(w, x // US, start_closed=x + d == _ZERO)
                return from_us(r, t.tzinfo)
        try:
            us = ts // US
            dus = d // US
        except TypeError:
            raise _argument_error(t, d) from None
        if boundary != "exact" and boundary != "prev_close":
            raise _boundary_error(boundary, "'exact' or 'prev_close'")
        if dus > 0:
            r = self._retreat(us, dus, prev_close=boundary == "prev_close")
        elif dus == 0:
            return t
        else:
            if us - dus > MAX_US:
                raise _beyond_range()
            r = self._timeline.advance(us, -dus)
            if boundary == "prev_close" and not self._timeline.is_open(r):
                r = self._timeline.next_open(r)
        return from_us(r, t.tzinfo)

    def _retreat(self, us: int, dus: int, *, prev_close: bool) -> int:
        if us - dus < MIN_US:  # business time never exceeds real time
            raise OutOfRangeError("the result lies before the start of the datetime range")
        r = self._timeline.retreat(us, dus)
        if prev_close and self._timeline.is_run_start(r):
            r = self._timeline.prev_close(r)
        return r

    def elapsed(self, a: datetime, b: datetime) -> timedelta:
        """Business time in ``[a, b)``; negative (``-elapsed(b, a)``) when ``b < a``."""
        try:
            ta = a - EPOCH
            tb = b - EPOCH
        except TypeError:
            raise _argument_error(a, b, names=("a", "b")) from None
        # The hot path: the window branch of Timeline.measure, inlined (see add).
        w = self._timeline.window
        if type(ta) is timedelta and type(tb) is timedelta and w.lo <= ta <= tb:
            starts, cum, ends = w.starts, w.cum, w.ends
            if ta < w.hi:
                i = bisect_right(ends, ta)
                s = starts[i]
                fa = cum[i] + (ta - s) if ta > s else cum[i]
                if tb < w.hi:
                    k = i + NEAR  # b's run is at or after a's, most often near it
                    i = bisect_right(ends, tb, i, k if tb < ends[k] else len(ends))
                    s = starts[i]
                    return (cum[i] + (tb - s) if tb > s else cum[i]) - fa
                return self._timeline.measure_past_td(w, tb) - fa
        try:
            ua = ta // US
            ub = tb // US
        except TypeError:
            raise _argument_error(a, b, names=("a", "b")) from None
        # US * n builds the timedelta about twice as fast as timedelta(0, 0, n).
        if ua <= ub:
            return US * self._timeline.measure(ua, ub)
        return US * -self._timeline.measure(ub, ua)

    def is_open(self, t: datetime) -> bool:
        """Whether ``t`` lies in an open interval (intervals are half-open)."""
        try:
            us = (t - EPOCH) // US
        except TypeError:
            raise _argument_error(t) from None
        return self._timeline.is_open(us)

    def next_open(self, t: datetime) -> datetime:
        """``t`` if the calendar is open at ``t``, else the start of the next open run."""
        try:
            us = (t - EPOCH) // US
        except TypeError:
            raise _argument_error(t) from None
        r = self._timeline.next_open(us)
        return t if r == us else from_us(r, t.tzinfo)

    def next_close(self, t: datetime) -> datetime:
        """The end of the open run holding ``t``, else of the next open run.

        Raises :class:`NeverClosesError` if the run does not end within 10 years (24/7).
        """
        try:
            us = (t - EPOCH) // US
        except TypeError:
            raise _argument_error(t) from None
        return from_us(self._timeline.next_close(us), t.tzinfo)

    def open_intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The open runs clipped to ``[start, end)``, in order, in ``start``'s tzinfo."""
        try:
            ua = (start - EPOCH) // US
            ub = (end - EPOCH) // US
        except TypeError:
            raise _argument_error(start, end, names=("start", "end")) from None
        tz = start.tzinfo
        return [(from_us(a, tz), from_us(b, tz)) for a, b in self._timeline.runs(ua, ub)]

    def localize(self, naive: datetime) -> datetime:
        """Calendar-local wall time as an aware datetime in the calendar's zone.

        A wall time in a spring-forward gap moves forward by the gap (02:30 → 03:30);
        one that occurs twice means the earlier instant (SPEC §2).  An aware datetime is
        simply expressed in the calendar's zone.
        """
        if not isinstance(naive, datetime):
            raise ArgumentTypeError(
                f"naive: expected a datetime, got {type(naive).__name__} {naive!r}"
            )
        if naive.tzinfo is not None and naive.utcoffset() is not None:
            return naive.astimezone(self._zone)
        second = naive.hour * 3600 + naive.minute * 60 + naive.second
        us = wall_to_us(self._zone, naive.toordinal(), second, naive.microsecond)
        return from_us(us, self._zone)

    # -- business days -------------------------------------------------------------

    def _local_ordinal(self, day: object, name: str = "day") -> int:
        if isinstance(day, datetime):
            if day.tzinfo is not None and day.utcoffset() is not None:
                return day.astimezone(self._zone).toordinal()
            return day.toordinal()
        if isinstance(day, date):
            return day.toordinal()
        raise ArgumentTypeError(f"{name}: expected a date, got {type(day).__name__} {day!r}")

    def _business_days(self, year: int) -> list[int]:
        """Sorted ordinals of the business days of a local year (cached on its chunk)."""
        chunk: Chunk = self._timeline.chunk(year)
        days = chunk.business_days
        if days is None:
            zone = self._zone
            first, stop = _jan1(year), _jan1(year + 1)
            mids = [wall_to_us(zone, o, 0) for o in range(first, stop + 1)]
            cum = [chunk.measure_to(min(max(m, chunk.lo), chunk.hi)) for m in mids]
            days = [first + k for k in range(stop - first) if cum[k + 1] > cum[k]]
            chunk.business_days = days
        return days

    def day_rule(self, day: date) -> DayRule:
        """Which SPEC §3 rule gives a local date its hours.

        ``"override"`` (special hours or ``closed`` for that date), ``"holiday"`` (any
        source), ``"workday"`` (a country's make-up working day), ``"season"`` or
        ``"weekly"``.  An aware datetime is read as the local date it falls on.

            >>> cal = Calendar(timezone="UTC", hours={"mon-fri": "09:00-17:00"},
            ...                holidays=["*-12-25"], overrides={"2026-12-24": "09:00-12:00"})
            >>> [cal.day_rule(date(2026, 12, d)) for d in (23, 24, 25)]
            ['weekly', 'override', 'holiday']
        """
        ordinal = self._local_ordinal(day)
        if not MIN_ORDINAL <= ordinal <= MAX_ORDINAL:
            raise OutOfRangeError(f"day: {day!r} is outside the range of dates")
        return self._parsed.rules.explain(ordinal)[0]

    def is_business_day(self, day: date) -> bool:
        """Whether the local date has any open time within its own 24 (or 23, 25) hours.

        An aware datetime is read as the local date it falls on in the calendar's zone.
        """
        ordinal = self._local_ordinal(day)
        lo = wall_to_us(self._zone, ordinal, 0)
        hi = wall_to_us(self._zone, ordinal + 1, 0)
        return hi > lo and self._timeline.measure(lo, hi) > 0

    def add_business_days(self, day: date, n: int) -> date:
        """The ``n``-th business day after ``day`` (``n < 0``: before); ``n == 0`` gives ``day``."""
        ordinal = self._local_ordinal(day)
        if isinstance(n, bool) or not isinstance(n, int):
            raise ArgumentTypeError(f"n: expected an int, got {type(n).__name__} {n!r}")
        if n == 0:
            return date.fromordinal(ordinal)
        if not MIN_ORDINAL <= ordinal + n <= MAX_ORDINAL:  # at most one business day a date
            raise OutOfRangeError(f"{n} business days from {day} leave the range of dates")
        year = date.fromordinal(ordinal).year
        days = self._business_days(year)
        if n > 0:
            i = bisect_right(days, ordinal)
            # Same give-up rule as the timeline: the start year counts when it has no
            # business day left after the date.
            closed = 1 if i == len(days) else 0
            while i + n > len(days):
                n -= len(days) - i
                year += 1
                if year > _MAX_YEAR:
                    raise OutOfRangeError("the business day lies beyond the year 9999")
                days, i = self._business_days(year), 0
                closed = 0 if days else closed + 1
                if closed > CLOSED_YEARS_LIMIT:
                    raise _never_open()
            return date.fromordinal(days[i + n - 1])
        i = bisect_left(days, ordinal)  # days[:i] are before the date
        closed = 1 if i == 0 else 0
        n = -n
        while n > i:
            n -= i
            year -= 1
            if year < _MIN_YEAR:
                raise OutOfRangeError("the business day lies before the year 1")
            days = self._business_days(year)
            i = len(days)
            closed = 0 if days else closed + 1
            if closed > CLOSED_YEARS_LIMIT:
                raise _never_open()
        return date.fromordinal(days[i - n])


def _midnight_offset(zone: ZoneInfo, ordinal: int) -> int:
    """UTC offset (µs) of local midnight of a date, as ``wall_to_us`` reads it."""
    return (ordinal - EPOCH_ORDINAL) * DAY_US - wall_to_us(zone, ordinal, 0)


def _from_dict(config: dict[str, Any]) -> Calendar:
    """Unpickling helper (module level so that pickles stay small and stable)."""
    return Calendar.from_dict(config)


def _never_open() -> NeverOpenError:
    return NeverOpenError(
        f"no business day found within {CLOSED_YEARS_LIMIT} years of searching "
        "(is the calendar closed for good?)"
    )


def _read_source(source: str | os.PathLike[str], kind: str) -> str:
    """Text of a config given as text or as a path."""
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and "\n" not in source and _looks_like_path(source, kind)
    ):
        path = Path(source)
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the file ({exc.strerror})") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(
                f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
            ) from None
    if not isinstance(source, str):
        raise ConfigError(f"{kind}: expected text or a path, got {type(source).__name__}")
    return source


def _looks_like_path(text: str, kind: str) -> bool:
    """A one-line string names a file if it ends in .json/.toml or is an existing file."""
    if text.strip().lower().endswith(f".{kind}"):
        return True
    try:
        return len(text) < 4096 and Path(text).is_file()
    except (OSError, ValueError):  # e.g. an embedded NUL byte, or a name too long
        return False


_ZERO = timedelta(0)
_MAX_TD = US * MAX_US
_MIN_TD = US * MIN_US


def _from_td(r: timedelta, tz: tzinfo | None) -> datetime:
    """``EPOCH + r`` in ``tz``: :func:`from_us` for a timedelta, the hot path's output edge."""
    if type(tz) is ZoneInfo:
        base = ZONE_EPOCHS.get(tz)
        if base is not None:
            try:
                return tz.fromutc(base + r)
            except OverflowError:
                pass  # from_us raises the error that says so
    return from_us(r // US, tz)


def _beyond_range() -> OutOfRangeError:
    return OutOfRangeError("the result lies beyond the end of the datetime range")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON objects as dicts, refusing a key given twice (JSON itself keeps the last)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ConfigError(f"json: the key {key!r} appears twice in one object")
        out[key] = value
    return out


def _argument_error(*args: object, names: tuple[str, ...] = ("t", "d")) -> Exception:
    for value, name in zip(args, names, strict=False):
        if name == "d":
            if not isinstance(value, timedelta):
                return ArgumentTypeError(
                    f"d: expected a timedelta, got {type(value).__name__} {value!r}"
                )
        elif not isinstance(value, datetime) or value.utcoffset() is None:
            return bad_instant(value, name)
    return ArgumentTypeError("unsupported arguments: " + ", ".join(repr(a) for a in args))


def _boundary_error(boundary: object, allowed: str) -> ArgumentError:
    return ArgumentError(f"boundary: expected {allowed}, got {boundary!r}")

