"""The shared ground of the benchmark: calendars, work items, inputs and a reference.

Every library is asked the same questions about the same calendar, so the calendar is
described once here, as plain data (weekdays, local intervals, holiday dates, a zone),
and each adapter turns that data into its own library's configuration.

The :class:`Reference` is the slow, obviously-right computation that settles who is right
when a peer and bizclock disagree: it looks at one local day at a time and never
optimises anything.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "HOLIDAY_SOURCE",
    "HOLIDAY_YEARS",
    "VARIANTS",
    "WORKDAYS",
    "WORKS",
    "ZONE",
    "ZONE_NAME",
    "Inputs",
    "Reference",
    "Variant",
    "Work",
    "as_naive_local",
    "holiday_dates",
    "make_inputs",
]

ZONE_NAME = "Europe/Berlin"
ZONE = ZoneInfo(ZONE_NAME)
#: Monday = 0 … Friday = 4, the working week of every calendar here.
WORKDAYS: tuple[int, ...] = (0, 1, 2, 3, 4)
#: German public holidays as observed in Bavaria, from the `holidays` package, as a fixed list
#: of dates handed to every library (so all of them close on exactly the same days).
HOLIDAY_SOURCE = ("DE", "BY")
HOLIDAY_YEARS = range(2026, 2031)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
# Random starts fall in [2026-01-01, 2029-01-01): far enough from 2031 that an added
# 2,000 hours or an elapsed year still ends inside the holiday list.
_FIRST_DAY = date(2026, 1, 1)
_DAYS = (date(2029, 1, 1) - _FIRST_DAY).days


def holiday_dates() -> frozenset[date]:
    """The holiday dates every library gets (DE-BY, 2026–2030)."""
    country, subdiv = HOLIDAY_SOURCE
    table = holidays.country_holidays(country, subdiv=subdiv, years=list(HOLIDAY_YEARS))
    return frozenset(table.keys())


@dataclass(frozen=True)
class Variant:
    """One calendar: the working week with these local intervals each working day."""

    key: str
    title: str
    intervals: tuple[tuple[time, time], ...]

    @property
    def hours_text(self) -> list[str]:
        """The intervals as ``"HH:MM-HH:MM"`` strings."""
        return [f"{a:%H:%M}-{b:%H:%M}" for a, b in self.intervals]

    @property
    def daily_open(self) -> timedelta:
        """Open time of one ordinary working day."""
        day = date(2001, 1, 1)
        return sum(
            (datetime.combine(day, b) - datetime.combine(day, a) for a, b in self.intervals),
            timedelta(0),
        )


VARIANTS: tuple[Variant, ...] = (
    Variant("basic", "Mon–Fri 09:00–17:00", ((time(9), time(17)),)),
    Variant(
        "lunch",
        "Mon–Fri 09:00–12:00, 13:00–17:00 (lunch break)",
        ((time(9), time(12)), (time(13), time(17))),
    ),
)


@dataclass(frozen=True)
class Work:
    """One work item: an ``add`` of a business duration, or an ``elapsed`` over a span."""

    key: str
    title: str
    kind: Literal["add", "elapsed"]
    #: Business duration for ``add``.
    duration: timedelta = timedelta(0)
    #: Real-time span for ``elapsed``: the end is ``start + uniform(low, high)``.
    span: tuple[timedelta, timedelta] = (timedelta(0), timedelta(0))


WORKS: tuple[Work, ...] = (
    Work("add_4h", "add 4 h", "add", duration=timedelta(hours=4)),
    Work("add_2000h", "add 2,000 h", "add", duration=timedelta(hours=2000)),
    Work(
        "elapsed_days",
        "elapsed over 1–3 days",
        "elapsed",
        span=(timedelta(days=1), timedelta(days=3)),
    ),
    Work(
        "elapsed_year",
        "elapsed over a year",
        "elapsed",
        span=(timedelta(days=365), timedelta(days=366)),
    ),
)


@dataclass(frozen=True)
class Inputs:
    """Starts (aware, in the calendar zone) and, per ``elapsed`` work item, their ends."""

    starts: list[datetime]
    #: How each start was drawn: ``"open"``, ``"closed"`` or ``"on the hour"``.
    kinds: list[str]
    ends: dict[str, list[datetime]]

    def __len__(self) -> int:
        return len(self.starts)

    def subset(self, n: int) -> Inputs:
        """The first ``n`` inputs (the order is random, so this is a random sample)."""
        return Inputs(self.starts[:n], self.kinds[:n], {k: v[:n] for k, v in self.ends.items()})

    def in_zone(self, zone: tzinfo) -> Inputs:
        """The same instants expressed in another zone."""
        return Inputs(
            [t.astimezone(zone) for t in self.starts],
            list(self.kinds),
            {k: [t.astimezone(zone) for t in v] for k, v in self.ends.items()},
        )


def _is_open_local(local: datetime, variant: Variant, closed_days: frozenset[date]) -> bool:
    if local.weekday() not in WORKDAYS or local.date() in closed_days:
        return False
    wall = local.time()
    return any(a <= wall < b for a, b in variant.intervals)


def make_inputs(
    n: int, seed: int, closed_days: frozenset[date], *, subsecond: bool = False
) -> Inputs:
    """``n`` random starts: 45 % inside open hours, 45 % outside, 10 % on a whole hour.

    Starts are whole seconds (like most ticket timestamps) unless ``subsecond``, which adds
    random microseconds. "Inside" and "outside" are judged on the basic 09:00–17:00 calendar.
    Each start gets one end per ``elapsed`` work item, drawn uniformly from the item's span.
    """
    rng = random.Random(seed)
    basic = VARIANTS[0]
    opening = basic.intervals[0][0]
    open_seconds = int(basic.daily_open / timedelta(seconds=1))
    starts: list[datetime] = []
    kinds: list[str] = []
    while len(starts) < n:
        roll = rng.random()
        if roll < 0.10:
            day = _FIRST_DAY + timedelta(days=rng.randrange(_DAYS))
            local = datetime.combine(day, time(rng.randrange(24)), tzinfo=ZONE)
            kind = "on the hour"
        elif roll < 0.55:
            day = _FIRST_DAY + timedelta(days=rng.randrange(_DAYS))
            while day.weekday() not in WORKDAYS or day in closed_days:
                day += timedelta(days=1)
            local = datetime.combine(day, opening, tzinfo=ZONE) + timedelta(
                seconds=rng.randrange(open_seconds)
            )
            kind = "open"
        else:
            kind = "closed"
            while True:
                day = _FIRST_DAY + timedelta(days=rng.randrange(_DAYS))
                local = datetime.combine(day, time(0), tzinfo=ZONE) + timedelta(
                    seconds=rng.randrange(86_400)
                )
                # A wall time in a spring-forward gap does not exist: use the real instant.
                local = local.astimezone(UTC).astimezone(ZONE)
                if not _is_open_local(local, basic, closed_days):
                    break
        if subsecond:
            local = local.replace(microsecond=rng.randrange(1, 1_000_000))
        starts.append(local)
        kinds.append(kind)
    ends: dict[str, list[datetime]] = {}
    for work in WORKS:
        if work.kind != "elapsed":
            continue
        low, high = work.span
        width = int((high - low) / timedelta(seconds=1))
        ends[work.key] = [
            (t.astimezone(UTC) + low + timedelta(seconds=rng.randrange(width + 1))).astimezone(ZONE)
            for t in starts
        ]
    return Inputs(starts, kinds, ends)


def _to_us(t: datetime) -> int:
    return (t - _EPOCH) // _US


def _from_us(us: int, zone: tzinfo | None) -> datetime:
    return (_EPOCH + timedelta(microseconds=us)).astimezone(zone)


class Reference:
    """Business time computed the slow, obvious way: one local day at a time."""

    def __init__(self, variant: Variant, closed_days: frozenset[date]) -> None:
        self.variant = variant
        self.closed_days = closed_days

    def runs_on(self, day: date) -> list[tuple[int, int]]:
        """The open runs of one local date, as UTC microseconds."""
        if day.weekday() not in WORKDAYS or day in self.closed_days:
            return []
        return [
            (
                _to_us(datetime.combine(day, a, tzinfo=ZONE)),
                _to_us(datetime.combine(day, b, tzinfo=ZONE)),
            )
            for a, b in self.variant.intervals
        ]

    def _runs_from(self, day: date, step: int) -> Iterator[tuple[int, int]]:
        # Search at most 20 years: every calendar here opens every week.
        for _ in range(366 * 20):
            runs = self.runs_on(day)
            yield from runs if step > 0 else reversed(runs)
            day += timedelta(days=step)
        raise RuntimeError("reference: no open time within 20 years")

    def elapsed(self, a: datetime, b: datetime) -> timedelta:
        """Business time in ``[a, b)``; negative when ``b < a``."""
        if b < a:
            return -self.elapsed(b, a)
        lo, hi = _to_us(a), _to_us(b)
        day = a.astimezone(ZONE).date() - timedelta(days=1)
        last = b.astimezone(ZONE).date() + timedelta(days=1)
        total = 0
        while day <= last:
            for s, e in self.runs_on(day):
                total += max(0, min(e, hi) - max(s, lo))
            day += timedelta(days=1)
        return timedelta(microseconds=total)

    def add(self, t: datetime, d: timedelta, *, next_open: bool = False) -> datetime:
        """Earliest instant ``s >= t`` with ``elapsed(t, s) == d`` (``d >= 0``).

        With ``next_open``, a result on a closing instant moves to the next opening.
        """
        cursor = _to_us(t)
        remaining = d // _US
        if remaining == 0:
            return t
        pending = False
        for s, e in self._runs_from(t.astimezone(ZONE).date() - timedelta(days=1), 1):
            if pending:
                return _from_us(s, t.tzinfo)
            if e <= cursor:
                continue
            begin = max(s, cursor)
            available = e - begin
            if remaining < available or (remaining == available and not next_open):
                return _from_us(begin + remaining, t.tzinfo)
            if remaining == available:
                pending = True
                continue
            remaining -= available
        raise AssertionError("unreachable")

    def position(self, t: datetime) -> str:
        """Where ``t`` lies: ``"open"``, ``"closed"``, ``"at opening"`` or ``"at closing"``."""
        us = _to_us(t)
        day = t.astimezone(ZONE).date()
        for s, e in self.runs_on(day):
            if us == s:
                return "at opening"
            if us == e:
                return "at closing"
            if s < us < e:
                return "open"
        return "closed"


def as_naive_local(values: Sequence[datetime]) -> list[datetime]:
    """Calendar-local wall times without tzinfo, what the naive-only peers expect."""
    return [t.astimezone(ZONE).replace(tzinfo=None) for t in values]
