"""SLA target durations: ``"30m"``, ``"4h"``, ``"1h30m"``, ISO 8601 ``"PT4H"`` and ``"3bd"``.

A duration is either an exact amount of business time (a :class:`~datetime.timedelta`) or a
number of business days (:class:`BusinessDays`), which only becomes an amount of business time
once the clock's start and calendar are known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

from bizclock._errors import SlaError

__all__ = ["BusinessDays", "Duration", "format_duration", "parse_duration"]

_US_PER_UNIT = {"h": 3_600_000_000, "m": 60_000_000, "s": 1_000_000}
_MAX_US = (timedelta.max.days * 86_400 + timedelta.max.seconds) * 1_000_000 + 999_999

# Compact form: hours, minutes, seconds in that order, each at most once; only the last
# component present may carry a decimal fraction ("1.5h", "1h0.5m").
_NUMBER = r"\d+(?:\.\d+)?"
_COMPACT = re.compile(rf"(?:(?P<h>{_NUMBER})h)?(?:(?P<m>{_NUMBER})m)?(?:(?P<s>{_NUMBER})s)?")
# ISO 8601 time-only durations. Days, weeks, months and years are refused on purpose: a
# "day" of business time is ambiguous (24 business hours? one business day?).
_ISO = re.compile(rf"PT(?:(?P<h>{_NUMBER})H)?(?:(?P<m>{_NUMBER})M)?(?:(?P<s>{_NUMBER})S)?")
_ISO_DATE_PART = re.compile(r"P(?:\d+[YMWD])+(?:T.*)?")
_BUSINESS_DAYS = re.compile(r"(?P<n>\d+)bd")
_HINT = "expected e.g. '30m', '4h', '1h30m', 'PT4H' or '3bd'"


@dataclass(frozen=True, slots=True)
class BusinessDays:
    """A target of *n* business days: "by the close of the n-th business day after the start".

    ``BusinessDays(3)`` is what ``"3bd"`` parses to. It becomes an amount of business time when
    a clock starts: the business time from the start to the close of the third business day
    after the start's local date, in the target's calendar.
    """

    days: int

    def __post_init__(self) -> None:
        if isinstance(self.days, bool) or not isinstance(self.days, int):
            raise SlaError(f"business days must be an int, got {self.days!r}")
        if self.days < 1:
            raise SlaError(f"business days must be at least 1, got {self.days}")

    def __str__(self) -> str:
        return f"{self.days}bd"


Duration = timedelta | BusinessDays
"""A target duration: exact business time, or a number of business days."""


def _components_to_us(match: re.Match[str], text: str) -> int:
    parts = [(unit, match.group(unit)) for unit in ("h", "m", "s")]
    present = [(unit, value) for unit, value in parts if value is not None]
    if not present:
        raise SlaError(f"bad duration {text!r} ({_HINT})")
    if any("." in value for _, value in present[:-1]):
        raise SlaError(f"bad duration {text!r}: only the last component may have a fraction")
    total = Fraction(0)
    for unit, value in present:
        total += Fraction(value) * _US_PER_UNIT[unit]
    if total.denominator != 1:
        raise SlaError(f"bad duration {text!r}: finer than a microsecond")
    return int(total)


def parse_duration(text: str) -> Duration:
    """Parse an SLA target duration.

    Accepted forms: ``"30m"``, ``"4h"``, ``"90s"``, ``"1h30m"`` (hours, minutes, seconds in that
    order; the last one may have a decimal fraction, ``"1.5h"``), ISO 8601 time durations
    ``"PT4H"``, ``"PT1H30M"``, and business days ``"3bd"``. Durations must be positive.

    >>> parse_duration("1h30m")
    datetime.timedelta(seconds=5400)
    >>> parse_duration("PT4H")
    datetime.timedelta(seconds=14400)
    >>> parse_duration("3bd")
    BusinessDays(days=3)

    Raises :class:`~bizclock.SlaError` quoting the text for anything else.
    """
    if not isinstance(text, str):
        raise SlaError(f"bad duration {text!r}: expected a string such as '4h'")
    if match := _BUSINESS_DAYS.fullmatch(text):
        days = int(match.group("n"))
        if days < 1:
            raise SlaError(f"bad duration {text!r}: must be positive")
        return BusinessDays(days)
    match = _COMPACT.fullmatch(text) or _ISO.fullmatch(text)
    if match is None:
        if _ISO_DATE_PART.fullmatch(text):
            raise SlaError(
                f"bad duration {text!r}: days, weeks, months and years are ambiguous in "
                "business time; write hours ('PT24H') or business days ('3bd')"
            )
        if re.fullmatch(r"\d+d", text):
            raise SlaError(
                f"bad duration {text!r}: 'd' is ambiguous in business time; "
                f"write hours ('{int(text[:-1]) * 24}h') or business days ('{text[:-1]}bd')"
            )
        raise SlaError(f"bad duration {text!r} ({_HINT})")
    micros = _components_to_us(match, text)
    if micros <= 0:
        raise SlaError(f"bad duration {text!r}: must be positive")
    if micros > _MAX_US:
        raise SlaError(f"bad duration {text!r}: too long")
    return timedelta(microseconds=micros)


def format_duration(duration: Duration) -> str:
    """Write a duration in the compact form :func:`parse_duration` reads back.

    >>> format_duration(timedelta(hours=1, minutes=30))
    '1h30m'
    >>> format_duration(BusinessDays(3))
    '3bd'
    """
    if isinstance(duration, BusinessDays):
        return str(duration)
    micros = (duration.days * 86_400 + duration.seconds) * 1_000_000 + duration.microseconds
    hours, micros = divmod(micros, _US_PER_UNIT["h"])
    minutes, micros = divmod(micros, _US_PER_UNIT["m"])
    seconds, micros = divmod(micros, _US_PER_UNIT["s"])
    text = ""
    if hours:
        text += f"{hours}h"
    if minutes:
        text += f"{minutes}m"
    if seconds or micros:
        text += f"{seconds}.{micros:06d}".rstrip("0").rstrip(".") + "s"
    return text or "0s"


def coerce_duration(value: object, where: str) -> Duration:
    """Turn a policy value (a string, a timedelta or :class:`BusinessDays`) into a duration.

    ``where`` names the key for the error message, e.g. ``targets.urgent.first_response``.
    """
    if isinstance(value, BusinessDays):
        return value
    if isinstance(value, timedelta):
        if value <= timedelta(0):
            raise SlaError(f"{where}: duration must be positive, got {value!r}")
        return value
    if isinstance(value, str):
        try:
            return parse_duration(value)
        except SlaError as exc:
            raise SlaError(f"{where}: {exc}") from None
    raise SlaError(
        f"{where}: expected a duration string such as '4h' or a timedelta, got {value!r}"
    )
