"""A slow, obviously-correct reference implementation of bizclock's calendar arithmetic.

The fast engine in ``src/bizclock`` is checked against this module on random calendars, so it
is written to be *read*, not to be fast, and it shares no code with the engine:

* every local date is looked at on its own: SPEC §3's precedence rules give the date's wall-clock
  intervals, the pinned-date rule decides whether its overnight hours spill into the next date;
* each wall time becomes an instant with :mod:`zoneinfo` and ``fold=0`` (SPEC §2: a time in a
  spring-forward gap is shifted forward by the gap, an ambiguous time takes the earlier instant);
* all those intervals are put in one list, sorted, and merged into open runs (touching intervals
  form one run); instants are plain integers, microseconds since the Unix epoch (UTC);
* every query looks at a window of dates around its arguments and, when the answer may lie
  beyond it, doubles the window until a bound of a few years is reached, then gives up with
  :class:`ReferenceLimitError` instead of hanging.

Only the part of SPEC §3 the property tests generate is understood: ``timezone``, ``hours``,
``holidays`` and ``overrides``. Answers are aware datetimes in UTC; compare them as instants.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "DEFAULT_LIMIT_DAYS",
    "Reference",
    "ReferenceLimitError",
    "from_us",
    "to_us",
]

_EPOCH_NAIVE = datetime(1970, 1, 1)
_ONE_US = timedelta(microseconds=1)
_DAY_US = 86_400_000_000
_DAY = timedelta(days=1)
# Dates outside a query's own dates that are still looked at. A date's intervals lie within its
# own local day and the next one (overnight spill), plus at most a gap's shift; four days of
# margin on each side is far more than any real zone needs.
_MARGIN_DAYS = 4
#: How far (in days) a search for an answer goes before :class:`ReferenceLimitError`.
DEFAULT_LIMIT_DAYS = 1100

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME_RE = re.compile(r"^(\d\d):(\d\d)$")
_DATE_RE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")
_YEARLY_RE = re.compile(r"^\*-(\d\d)-(\d\d)$")

# A wall-clock interval of one date, in minutes after its local midnight: (start, end).
# end == 1440 is "24:00"; end < start is an overnight interval that spills into the next date.
Interval = tuple[int, int]
# A half-open stretch of the real timeline, in microseconds since the epoch: [start, end).
Span = tuple[int, int]


class ReferenceLimitError(Exception):
    """The reference gave up: the answer lies beyond its search bound (or does not exist)."""

    def __init__(self, what: str, searched_until: int) -> None:
        """Record what was searched for and the instant (µs) up to which nothing was found."""
        self.searched_until = searched_until
        super().__init__(f"{what}: nothing found up to {from_us(searched_until).isoformat()}")


def to_us(dt: datetime) -> int:
    """Return the instant of an aware datetime as integer microseconds since the epoch.

    Done by hand (wall time minus UTC offset) so that no same-tzinfo shortcut of datetime
    arithmetic, which ignores the offset, can creep in.
    """
    offset = dt.utcoffset()
    if offset is None:
        raise ValueError(f"naive datetime {dt!r}")
    return (dt.replace(tzinfo=None) - offset - _EPOCH_NAIVE) // _ONE_US


def from_us(us: int) -> datetime:
    """Return the aware UTC datetime of an instant given in microseconds since the epoch."""
    return (_EPOCH_NAIVE + timedelta(microseconds=us)).replace(tzinfo=UTC)


def _parse_minutes(text: str) -> int:
    match = _TIME_RE.match(text)
    if match is None:
        raise ValueError(f"bad time {text!r}")
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes != 0):
        raise ValueError(f"bad time {text!r}")
    return hours * 60 + minutes


def _parse_interval(text: str) -> Interval:
    start_text, sep, end_text = text.partition("-")
    if not sep:
        raise ValueError(f"bad interval {text!r}")
    start, end = _parse_minutes(start_text.strip()), _parse_minutes(end_text.strip())
    if start == 1440 or start == end:
        raise ValueError(f"bad interval {text!r}")
    return (start, end)


def _parse_intervals(value: object, *, closed_allowed: bool) -> tuple[Interval, ...]:
    if closed_allowed and value == "closed":
        return ()
    if isinstance(value, str):
        return (_parse_interval(value),)
    if isinstance(value, list | tuple):
        return tuple(_parse_interval(str(item)) for item in value)
    raise ValueError(f"bad hours {value!r}")


def _parse_days(spec: str) -> list[int]:
    days: list[int] = []
    for part in spec.split(","):
        first, sep, last = part.strip().partition("-")
        day = WEEKDAYS.index(first.strip())
        days.append(day)
        if sep:
            # A range walks forward through the week, wrapping after Sunday ("fri-mon").
            stop = WEEKDAYS.index(last.strip())
            while day != stop:
                day = (day + 1) % 7
                days.append(day)
    return days


def _parse_date(text: str) -> date:
    match = _DATE_RE.match(text)
    if match is None:
        raise ValueError(f"bad date {text!r}")
    return date(int(match[1]), int(match[2]), int(match[3]))


def _parse_month_day(text: str) -> tuple[int, int] | None:
    match = _YEARLY_RE.match(text)
    if match is None:
        return None
    month, day = int(match[1]), int(match[2])
    date(2000, month, day)  # 2000 is a leap year: validates "*-02-29" too
    return (month, day)


class Reference:
    """Brute-force business-time arithmetic for a calendar config dict (SPEC §3 subset)."""

    def __init__(self, config: Mapping[str, Any], *, limit_days: int = DEFAULT_LIMIT_DAYS) -> None:
        """Read ``timezone``, ``hours``, ``holidays`` and ``overrides`` from ``config``."""
        unknown = set(config) - {"timezone", "hours", "holidays", "overrides"}
        if unknown:
            raise ValueError(f"reference does not understand {sorted(unknown)}")
        self.zone = ZoneInfo(config["timezone"])
        self.limit_us = limit_days * _DAY_US

        self.weekly: list[tuple[Interval, ...]] = [() for _ in WEEKDAYS]
        hours = config["hours"]
        if hours == "24/7":
            self.weekly = [((0, 1440),) for _ in WEEKDAYS]
        else:
            for spec, value in hours.items():
                for day in _parse_days(spec):
                    self.weekly[day] = _parse_intervals(value, closed_allowed=False)

        self.holiday_dates: set[date] = set()
        self.holiday_month_days: set[tuple[int, int]] = set()
        self.holiday_ranges: list[tuple[date, date]] = []
        for entry in config.get("holidays", []):
            first, sep, last = entry.partition("..")
            month_day = _parse_month_day(entry)
            if sep:
                self.holiday_ranges.append((_parse_date(first), _parse_date(last)))
            elif month_day is not None:
                self.holiday_month_days.add(month_day)
            else:
                self.holiday_dates.add(_parse_date(entry))

        self.override_dates: dict[date, tuple[Interval, ...]] = {}
        self.override_month_days: dict[tuple[int, int], tuple[Interval, ...]] = {}
        for key, value in config.get("overrides", {}).items():
            intervals = _parse_intervals(value, closed_allowed=True)
            month_day = _parse_month_day(key)
            if month_day is not None:
                self.override_month_days[month_day] = intervals
            else:
                self.override_dates[_parse_date(key)] = intervals

        self._spans_of_date: dict[date, list[Span]] = {}

    # ------------------------------------------------------------------ one local date at a time

    def is_holiday(self, day: date) -> bool:
        """Whether ``day`` is one of the configured holidays (any of the three forms)."""
        return (
            day in self.holiday_dates
            or (day.month, day.day) in self.holiday_month_days
            or any(first <= day <= last for first, last in self.holiday_ranges)
        )

    def own_hours(self, day: date) -> tuple[tuple[Interval, ...], bool]:
        """Return ``day``'s wall-clock intervals by SPEC §3 precedence, and whether it is pinned."""
        if day in self.override_dates:
            return self.override_dates[day], True
        if (day.month, day.day) in self.override_month_days:
            return self.override_month_days[(day.month, day.day)], True
        if self.is_holiday(day):
            return (), True
        return self.weekly[day.weekday()], False

    def wall(self, day: date, minutes: int) -> int:
        """The instant (µs) of wall time ``minutes`` after ``day``'s local midnight (fold=0)."""
        naive = datetime.combine(day, time()) + timedelta(minutes=minutes)
        return to_us(naive.replace(tzinfo=self.zone))

    def spans_of_date(self, day: date) -> list[Span]:
        """The open stretches that ``day``'s own rule produces, overnight spill included.

        The spill of an overnight interval into ``day + 1`` is kept unless ``day + 1`` is pinned,
        which is both halves of the pinned-date rule (SPEC §3).
        """
        cached = self._spans_of_date.get(day)
        if cached is not None:
            return cached
        intervals, _ = self.own_hours(day)
        next_day = day + _DAY
        next_pinned = self.own_hours(next_day)[1]
        spans: list[Span] = []
        for start, end in intervals:
            if end > start:
                spans.append((self.wall(day, start), self.wall(day, end)))
            elif next_pinned:
                # The spill is dropped: the interval stops at the end of its own date.
                spans.append((self.wall(day, start), self.wall(day, 1440)))
            else:
                # One interval, from this date's wall time to the next date's, converted end by
                # end like any other. (Cutting it at midnight would differ only when a gap holds
                # both the start and midnight, as on a skipped day: the start then shifts past
                # the end and the whole interval is empty, not just its first part.)
                spans.append((self.wall(day, start), self.wall(next_day, end)))
        # A gap can turn an interval empty or even reversed (02:30-03:00 across 02:00->03:00).
        spans = [(start, end) for start, end in spans if start < end]
        self._spans_of_date[day] = spans
        return spans

    def local_date(self, us: int) -> date:
        """The calendar-local date of an instant."""
        return from_us(us).astimezone(self.zone).date()

    def runs(self, lo: int, hi: int) -> list[Span]:
        """The open runs clipped to ``[lo, hi)`` (µs), in order; exact within that window."""
        if hi <= lo:
            return []
        first = self.local_date(lo) - timedelta(days=_MARGIN_DAYS)
        last = self.local_date(hi) + timedelta(days=_MARGIN_DAYS)
        spans: list[Span] = []
        day = first
        while day <= last:
            spans.extend(self.spans_of_date(day))
            day += _DAY
        spans.sort()
        merged: list[Span] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:  # overlapping or touching: one run
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return [(max(start, lo), min(end, hi)) for start, end in merged if end > lo and start < hi]

    def _windows(self) -> Iterable[int]:
        """Window lengths (µs) to try, doubling from eight days up to the search bound."""
        length = 8 * _DAY_US
        while length < self.limit_us:
            yield length
            length *= 2
        yield self.limit_us

    # --------------------------------------------------------------------------- the public API

    def elapsed_us(self, a: int, b: int) -> int:
        """Business time in ``[a, b)`` in µs; ``-elapsed_us(b, a)`` when ``b < a``."""
        if b < a:
            return -self.elapsed_us(b, a)
        return sum(end - start for start, end in self.runs(a, b))

    def elapsed(self, a: datetime, b: datetime) -> timedelta:
        """Business time between two aware datetimes (SPEC §4)."""
        return timedelta(microseconds=self.elapsed_us(to_us(a), to_us(b)))

    def add_us(self, t: int, d: int) -> int:
        """The earliest ``s >= t`` with ``elapsed_us(t, s) == d`` (subtracts when ``d < 0``)."""
        if d == 0:
            return t
        if d < 0:
            return self.subtract_us(t, -d)
        for length in self._windows():
            remaining = d
            for start, end in self.runs(t, t + length):
                if end - start >= remaining:
                    return start + remaining
                remaining -= end - start
        raise ReferenceLimitError("add", t + self.limit_us)

    def subtract_us(self, t: int, d: int) -> int:
        """The latest ``s <= t`` with ``elapsed_us(s, t) == d`` (adds when ``d < 0``)."""
        if d == 0:
            return t
        if d < 0:
            return self.add_us(t, -d)
        for length in self._windows():
            remaining = d
            for start, end in reversed(self.runs(t - length, t)):
                if end - start >= remaining:
                    return end - remaining
                remaining -= end - start
        raise ReferenceLimitError("subtract", t - self.limit_us)

    def add(self, t: datetime, d: timedelta) -> datetime:
        """SPEC §4 ``add``, answered in UTC."""
        return from_us(self.add_us(to_us(t), d // _ONE_US))

    def subtract(self, t: datetime, d: timedelta) -> datetime:
        """SPEC §4 ``subtract``, answered in UTC."""
        return from_us(self.subtract_us(to_us(t), d // _ONE_US))

    def is_open_us(self, t: int) -> bool:
        """Whether instant ``t`` (µs) lies in an open interval (half-open)."""
        return bool(self.runs(t, t + 1))

    def is_open(self, t: datetime) -> bool:
        """Whether ``t`` lies in an open interval."""
        return self.is_open_us(to_us(t))

    def next_open_us(self, t: int) -> int:
        """``t`` if open, else the start of the next open run."""
        for length in self._windows():
            runs = self.runs(t, t + length)
            if runs:
                return runs[0][0]
        raise ReferenceLimitError("next_open", t + self.limit_us)

    def next_open(self, t: datetime) -> datetime:
        """``t`` if open, else the start of the next open run, in UTC."""
        return from_us(self.next_open_us(to_us(t)))

    def next_close_us(self, t: int) -> int:
        """The end of the open run containing ``t``, else of the next open run."""
        for length in self._windows():
            runs = self.runs(t, t + length)
            # A run reaching the window's edge may go on beyond it: look further.
            if runs and runs[0][1] < t + length:
                return runs[0][1]
        raise ReferenceLimitError("next_close", t + self.limit_us)

    def next_close(self, t: datetime) -> datetime:
        """The end of the open run containing ``t``, else of the next one, in UTC."""
        return from_us(self.next_close_us(to_us(t)))

    def open_intervals(self, a: datetime, b: datetime) -> list[tuple[datetime, datetime]]:
        """The open runs clipped to ``[a, b)``, in order, in UTC (empty when ``b <= a``)."""
        return [(from_us(start), from_us(end)) for start, end in self.runs(to_us(a), to_us(b))]

    def is_business_day(self, day: date) -> bool:
        """Whether the local date has any open time within its own 24 (23, 25) local hours."""
        return bool(self.runs(self.wall(day, 0), self.wall(day + _DAY, 0)))

    def add_business_days(self, day: date, n: int) -> date:
        """The ``n``-th business day after ``day`` (before it when ``n < 0``); ``day`` if 0."""
        step = _DAY if n > 0 else -_DAY
        found = 0
        current = day
        limit = self.limit_us // _DAY_US
        for _ in range(limit):
            if found == abs(n):
                return current
            current += step
            if self.is_business_day(current):
                found += 1
        if found == abs(n):
            return current
        raise ReferenceLimitError("add_business_days", self.wall(current, 0))
