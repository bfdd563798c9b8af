"""Shared hypothesis strategies for bizclock's property tests.

* :func:`zones` — IANA names from a zoo of awkward zones; :func:`tzinfos` — tzinfo objects for
  the datetimes passed in (zoo zones, fixed ``datetime.timezone`` offsets, UTC);
* :func:`calendar_configs` — valid SPEC §3 config dicts (hours in every day-spec form, overnight
  and ``24:00`` intervals, ``24/7``, holidays of all three kinds, overrides incl. ``closed``);
  :func:`calendars` builds them into ``bizclock.Calendar`` objects;
* :func:`instants`, :func:`durations`, :func:`anchor_dates`.

Calendars and instants take an optional ``near`` date: holidays, overrides and instants then
cluster around it, so that the pinned-date rules and DST transitions are actually met by the
queries instead of being scattered over five years. :func:`anchor_dates` leans towards the zoo's
DST transition dates for that purpose.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

if TYPE_CHECKING:
    import bizclock

__all__ = [
    "ZONE_NAMES",
    "anchor_dates",
    "calendar_configs",
    "calendars",
    "day_hours",
    "durations",
    "instants",
    "transition_dates",
    "tzinfos",
    "weekly_hours",
    "zones",
]

#: The zoo. Southern-hemisphere DST (Sydney), 30-minute DST (Lord_Howe), a +05:45 offset
#: (Kathmandu), "negative" DST (Dublin), Ramadan DST (Casablanca), a skipped day (Kiritimati),
#: a zone that dropped DST (Sao_Paulo).
ZONE_NAMES = (
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Europe/Dublin",
    "Africa/Casablanca",
    "Pacific/Kiritimati",
    "America/Sao_Paulo",
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2028, 12, 31)


def zones() -> st.SearchStrategy[str]:
    """IANA names from the zoo."""
    return st.sampled_from(ZONE_NAMES)


def tzinfos() -> st.SearchStrategy[tzinfo]:
    """The tzinfo of a datetime argument: a zoo zone, a fixed offset, or UTC in either form."""
    fixed_minutes = st.one_of(
        st.sampled_from([-600, -300, -240, 0, 60, 120, 330, 345, 570, 840]),
        st.integers(-14 * 60, 14 * 60),
    )
    return st.one_of(
        zones().map(ZoneInfo),
        fixed_minutes.map(lambda m: timezone(timedelta(minutes=m))),
        st.sampled_from([UTC, ZoneInfo("UTC")]),
    )


@cache
def transition_dates() -> tuple[date, ...]:
    """Local dates (2024–2028) on which some zoo zone changes its UTC offset."""
    found: set[date] = set()
    for name in ZONE_NAMES:
        zone = ZoneInfo(name)
        day = FIRST_DAY
        before = datetime.combine(day, time(), tzinfo=zone).utcoffset()
        while day <= LAST_DAY:
            day += timedelta(days=1)
            after = datetime.combine(day, time(), tzinfo=zone).utcoffset()
            if after != before:
                found.add(day - timedelta(days=1))
            before = after
    return tuple(sorted(found))


def anchor_dates() -> st.SearchStrategy[date]:
    """A date to cluster a test's calendar and instants around; often a DST transition date."""
    return st.one_of(
        st.dates(FIRST_DAY, LAST_DAY),
        st.sampled_from(transition_dates()),
    )


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minute_of_day() -> st.SearchStrategy[int]:
    """A minute of the day, mostly on round hours and half hours like real opening hours."""
    return st.one_of(
        st.integers(0, 23).map(lambda h: h * 60),
        st.integers(0, 47).map(lambda h: h * 30),
        st.integers(0, 95).map(lambda q: q * 15),
        st.integers(0, 24 * 60 - 1),
    )


@st.composite
def day_hours(draw: st.DrawFn) -> list[str]:
    """One to three non-overlapping ``HH:MM-HH:MM`` intervals for one day.

    Non-overlapping on the 24-hour circle, so an overnight interval never overlaps another of
    the same day even counting its spill. Touching intervals (``09:00-12:00``, ``12:00-17:00``),
    ``24:00`` ends, ``00:00-24:00`` and one overnight interval per day all occur.
    """
    if draw(st.integers(0, 11)) == 0:
        return ["00:00-24:00"]
    count = draw(st.integers(1, 3))
    points = sorted(
        draw(st.lists(_minute_of_day(), min_size=2 * count, max_size=2 * count, unique=True))
    )
    overnight = draw(st.booleans())
    if overnight:
        # Pair (p1, p2), (p3, p4), ..., (p_last, p0): the last one wraps past midnight.
        pairs = [[points[i], points[(i + 1) % len(points)]] for i in range(1, len(points), 2)]
    else:
        pairs = [[points[i], points[i + 1]] for i in range(0, len(points), 2)]
        if draw(st.booleans()):
            pairs[-1][1] = 24 * 60
    # Make some neighbours touch: an interval's end moves up to the next one's start.
    for i in range(len(pairs) - 1):
        if draw(st.integers(0, 3)) == 0:
            pairs[i][1] = pairs[i + 1][0]
    if overnight and len(pairs) > 1 and draw(st.integers(0, 3)) == 0:
        pairs[-1][1] = pairs[0][0]
    texts = [f"{_hhmm(start)}-{_hhmm(end)}" for start, end in pairs]
    return draw(st.permutations(texts))


def _hours_value(intervals: list[str]) -> str | list[str]:
    return intervals[0] if len(intervals) == 1 else intervals


@st.composite
def _hours_values(draw: st.DrawFn) -> str | list[str]:
    """A day's hours as written in a config: a bare string for one interval, or a list."""
    intervals = draw(day_hours())
    if len(intervals) == 1 and draw(st.booleans()):
        return intervals
    return _hours_value(intervals)


def _cyclic_start(days: list[int]) -> int | None:
    """The first day of ``days`` if they form one run of the week (wrapping), else None."""
    chosen = set(days)
    if len(chosen) == 7:
        return days[0]
    for start in chosen:
        if {(start + i) % 7 for i in range(len(chosen))} == chosen:
            return start
    return None


@st.composite
def _day_specs(draw: st.DrawFn, days: list[int]) -> list[str]:
    """Keys naming exactly ``days`` once: "mon", "mon-fri", wrapping "fri-mon", "mon,wed"."""
    order = draw(st.permutations(days))
    cuts: list[int] = []
    if len(order) > 1:
        cuts = sorted(draw(st.sets(st.integers(1, len(order) - 1), max_size=len(order) - 1)))
    chunks = [list(order[a:b]) for a, b in zip([0, *cuts], [*cuts, len(order)], strict=True)]
    keys = []
    for chunk in chunks:
        start = _cyclic_start(chunk) if len(chunk) > 1 else None
        if len(chunk) == 1:
            keys.append(WEEKDAYS[chunk[0]])
        elif start is not None and draw(st.integers(0, 3)) > 0:
            last = (start + len(chunk) - 1) % 7
            keys.append(f"{WEEKDAYS[start]}-{WEEKDAYS[last]}")
        else:
            keys.append(",".join(WEEKDAYS[d] for d in chunk))
    return keys


@st.composite
def weekly_hours(draw: st.DrawFn) -> str | dict[str, str | list[str]]:
    """The ``hours`` of a config: "24/7" sometimes, else a dict naming each day at most once.

    At least one day always has hours, so every calendar is open again and again for ever.
    """
    if draw(st.integers(0, 9)) == 0:
        return "24/7"
    # Day groups sharing the same hours; group 0 is usually a run such as "mon-fri".
    labels: list[int | None] = draw(
        st.lists(st.sampled_from([None, None, 1, 2, 3]), min_size=7, max_size=7)
    )
    if draw(st.integers(0, 3)) > 0:
        start, length = draw(st.integers(0, 6)), draw(st.integers(1, 7))
        for i in range(length):
            labels[(start + i) % 7] = 0
    if all(label is None for label in labels):
        labels[draw(st.integers(0, 6))] = 0
    hours: dict[str, str | list[str]] = {}
    for label in sorted({label for label in labels if label is not None}):
        value = draw(_hours_values())
        days = [d for d in range(7) if labels[d] == label]
        for key in draw(_day_specs(days)):
            hours[key] = value
    return hours


def _dates_near(near: date | None) -> st.SearchStrategy[date]:
    """Dates for holidays and overrides: around ``near`` if given, mostly within 2024–2028."""
    anywhere = st.dates(FIRST_DAY, LAST_DAY)
    rare = st.dates(date(1990, 1, 1), date(2100, 12, 31))
    if near is None:
        return st.one_of(anywhere, anywhere, anywhere, rare)
    close = st.integers(-20, 20).map(lambda k: near + timedelta(days=k))
    return st.one_of(close, close, close, anywhere, rare)


def _month_day(day: date) -> str:
    return f"*-{day.month:02d}-{day.day:02d}"


# "*-02-29" is rarer than the others: it is one special case, not a family.
_HOLIDAY_KINDS = ["date", "date", "yearly", "yearly", "range", "range", "feb29"]


@st.composite
def _holidays(draw: st.DrawFn, near: date | None) -> list[str]:
    entries: list[str] = []
    for _ in range(draw(st.integers(0, 5))):
        day = draw(_dates_near(near))
        kind = draw(st.sampled_from(_HOLIDAY_KINDS))
        if kind == "date":
            entries.append(day.isoformat())
        elif kind == "yearly":
            entries.append(_month_day(day))
        elif kind == "feb29":
            entries.append("*-02-29")
        else:
            last = day + timedelta(days=draw(st.integers(0, 14)))
            entries.append(f"{day.isoformat()}..{last.isoformat()}")
    return entries


@st.composite
def _overrides(draw: st.DrawFn, near: date | None) -> dict[str, str | list[str]]:
    overrides: dict[str, str | list[str]] = {}
    for _ in range(draw(st.integers(0, 4))):
        day = draw(_dates_near(near))
        value: str | list[str] = "closed" if draw(st.integers(0, 2)) == 0 else draw(_hours_values())
        form = draw(st.sampled_from(["date", "yearly", "both"]))
        if form in ("date", "both"):
            overrides[day.isoformat()] = value
        if form in ("yearly", "both"):
            # With "both", the exact date and its every-year pattern disagree on purpose.
            other = "closed" if value != "closed" else draw(_hours_values())
            overrides[_month_day(day)] = other if form == "both" else value
    return overrides


@st.composite
def calendar_configs(draw: st.DrawFn, near: date | None = None) -> dict[str, Any]:
    """A valid calendar config dict (SPEC §3: timezone, hours, holidays, overrides)."""
    config: dict[str, Any] = {"timezone": draw(zones()), "hours": draw(weekly_hours())}
    holidays = draw(_holidays(near))
    if holidays:
        config["holidays"] = holidays
    overrides = draw(_overrides(near))
    if overrides:
        config["overrides"] = overrides
    return config


def _build(config: dict[str, Any]) -> bizclock.Calendar:
    # Imported late so that the strategies (and the reference's tests) load without the engine.
    import bizclock

    return bizclock.Calendar.from_dict(config)


def calendars(near: date | None = None) -> st.SearchStrategy[bizclock.Calendar]:
    """Random ``bizclock.Calendar`` objects built from :func:`calendar_configs`."""
    return calendar_configs(near).map(_build)


def _times_of_day() -> st.SearchStrategy[time]:
    """A wall time: mostly round (hours, quarter hours, minutes), sometimes any microsecond."""
    return st.one_of(
        st.integers(0, 23).map(lambda h: time(h)),
        st.integers(0, 95).map(lambda q: time(q // 4, q % 4 * 15)),
        st.integers(0, 24 * 60 - 1).map(lambda m: time(m // 60, m % 60)),
        st.times(),
    )


@st.composite
def instants(draw: st.DrawFn, near: date | None = None) -> datetime:
    """An aware datetime, 2024–2028 (within days of ``near`` if given), in a random tzinfo.

    Wall times in a zone's gap ("imaginary" times) and both folds of repeated times occur; they
    are still instants, read by their tzinfo's ``utcoffset``.
    """
    if near is None:
        day = draw(st.dates(FIRST_DAY, LAST_DAY))
    else:
        day = near + timedelta(days=draw(st.integers(-10, 10)))
    return datetime.combine(day, draw(_times_of_day()), tzinfo=draw(tzinfos())).replace(
        fold=draw(st.integers(0, 1))
    )


_ROUND_DURATIONS = [
    timedelta(0),
    timedelta(microseconds=1),
    timedelta(seconds=1),
    timedelta(minutes=1),
    timedelta(minutes=15),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=4),
    timedelta(hours=8),
    timedelta(hours=9),
    timedelta(hours=24),
    timedelta(hours=40),
    timedelta(hours=100),
]


def durations(max_hours: int = 300) -> st.SearchStrategy[timedelta]:
    """A non-negative timedelta up to ``max_hours``, microsecond-exact, biased to round/small."""
    hour_us = 3_600_000_000
    return st.one_of(
        st.sampled_from([d for d in _ROUND_DURATIONS if d <= timedelta(hours=max_hours)]),
        st.integers(0, 10 * 60).map(lambda m: timedelta(minutes=m)),
        st.integers(0, max_hours * 60).map(lambda m: timedelta(minutes=m)),
        st.integers(0, 10 * hour_us).map(lambda u: timedelta(microseconds=u)),
        st.integers(0, max_hours * hour_us).map(lambda u: timedelta(microseconds=u)),
    )
