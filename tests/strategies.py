"""Shared hypothesis strategies for bizclock's property tests.

* :func:`zones` — IANA names from a zoo of awkward zones; :func:`tzinfos` — tzinfo objects for
  the datetimes passed in (zoo zones, fixed ``datetime.timezone`` offsets, UTC);
* :func:`calendar_configs` — valid SPEC §3 config dicts (hours in every day-spec form, overnight
  and ``24:00`` intervals, ``24/7``, holidays of all three kinds, overrides incl. ``closed``);
  :func:`calendars` builds them into ``bizclock.Calendar`` objects;
* :func:`instants`, :func:`durations`, :func:`anchor_dates`, :func:`anchors`.

Calendars and instants take an optional ``near`` date: holidays, overrides and instants then
cluster around it, so that the pinned-date rules and DST transitions are actually met by the
queries instead of being scattered over five years. :func:`anchor_dates` leans towards the zoo's
DST transition dates for that purpose; :func:`anchors` gives the zone along with the date, and
calendars and instants given that ``zone`` use it, so a transition is met in its own zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

if TYPE_CHECKING:
    import bizclock

__all__ = [
    "ZONE_NAMES",
    "anchor_dates",
    "anchors",
    "calendar_configs",
    "calendars",
    "day_hours",
    "durations",
    "historic_transitions",
    "instants",
    "transition_dates",
    "transitions",
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
T = TypeVar("T")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2028, 12, 31)


def zones() -> st.SearchStrategy[str]:
    """IANA names from the zoo."""
    return st.sampled_from(ZONE_NAMES)


def tzinfos() -> st.SearchStrategy[tzinfo]:
    """The tzinfo of a datetime argument: a zoo zone, a fixed offset, or UTC in either form.

    Fixed offsets are mostly whole minutes, but Python allows seconds and microseconds too.
    """
    fixed_offsets = st.one_of(
        st.sampled_from([-600, -300, -240, 0, 60, 120, 330, 345, 570, 840]).map(
            lambda m: timedelta(minutes=m)
        ),
        st.integers(-14 * 60, 14 * 60).map(lambda m: timedelta(minutes=m)),
        st.integers(-14 * 3_600_000_000, 14 * 3_600_000_000).map(
            lambda us: timedelta(microseconds=us)
        ),
    )
    return st.one_of(
        zones().map(ZoneInfo),
        fixed_offsets.map(timezone),
        st.sampled_from([UTC, ZoneInfo("UTC")]),
    )


def _scan(name: str, first: date, last: date) -> list[tuple[str, date]]:
    """(name, local date) for each date in [first, last] on which the zone's offset changes."""
    zone = ZoneInfo(name)
    found: list[tuple[str, date]] = []
    day = first
    before = datetime.combine(day, time(), tzinfo=zone).utcoffset()
    while day <= last:
        day += timedelta(days=1)
        after = datetime.combine(day, time(), tzinfo=zone).utcoffset()
        if after != before:
            found.append((name, day - timedelta(days=1)))
        before = after
    return found


@cache
def transitions() -> tuple[tuple[str, date], ...]:
    """(zone, local date) pairs, 2024–2028, on which a zoo zone changes its UTC offset."""
    return tuple(pair for name in ZONE_NAMES for pair in _scan(name, FIRST_DAY, LAST_DAY))


@cache
def historic_transitions() -> tuple[tuple[str, date], ...]:
    """Older transitions of the zoo that no current rule repeats.

    Kiritimati skipped the whole of 1994-12-31; Sao Paulo changed its clocks at midnight until
    2019 (00:00 -> 01:00 in spring, 00:00 -> 23:00 in autumn).
    """
    return (
        *_scan("Pacific/Kiritimati", date(1994, 12, 1), date(1995, 1, 31)),
        *_scan("America/Sao_Paulo", date(2016, 1, 1), date(2019, 12, 31)),
    )


def transition_dates() -> tuple[date, ...]:
    """Local dates (2024–2028) on which some zoo zone changes its UTC offset."""
    return tuple(sorted({day for _, day in transitions()}))


def anchor_dates() -> st.SearchStrategy[date]:
    """A date to cluster a test's calendar and instants around; often a DST transition date."""
    return st.one_of(
        st.dates(FIRST_DAY, LAST_DAY),
        st.sampled_from(transition_dates()),
    )


def anchors() -> st.SearchStrategy[tuple[str, date]]:
    """A (zone, date) to build a test around; often a DST transition of that zone.

    Mostly 2024–2028, now and then one of the :func:`historic_transitions`.
    """
    return st.one_of(
        st.tuples(zones(), st.dates(FIRST_DAY, LAST_DAY)),
        st.sampled_from(transitions()),
        st.sampled_from(historic_transitions()),
    )


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# Strategies are built once, here, and only drawn from inside the composites below: building
# new strategy objects on every draw costs hypothesis far more time than drawing does.


@cache
def _ints(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


_BOOLS = st.booleans()

# A minute of the day, mostly on round hours and half hours like real opening hours. Wall times
# where zones of the zoo change their clocks (00:00 to 03:30) are favoured, so that interval
# ends fall into spring-forward gaps and fall-back folds.
_MINUTES_OF_DAY = st.one_of(
    st.sampled_from([0, 60, 90, 105, 120, 135, 150, 165, 180, 210]),
    st.integers(0, 23).map(lambda h: h * 60),
    st.integers(0, 47).map(lambda h: h * 30),
    st.integers(0, 95).map(lambda q: q * 15),
    st.integers(0, 24 * 60 - 1),
)
_BOUNDARIES = st.lists(_MINUTES_OF_DAY, min_size=2, max_size=6)


def _shuffled(draw: st.DrawFn, items: list[T]) -> list[T]:
    """``items`` in a drawn order (Fisher–Yates on drawn indices, so it shrinks to sorted)."""
    items = list(items)
    for i in range(len(items) - 1, 0, -1):
        j = i - draw(_ints(0, i))
        items[i], items[j] = items[j], items[i]
    return items


def _draw_day_hours(draw: st.DrawFn) -> list[str]:
    if draw(_ints(0, 11)) == 0:
        return ["00:00-24:00"]
    # Distinct sorted boundaries, an even number of them (two to six). Duplicates are dropped
    # rather than rejected, so no example is wasted.
    points = sorted(set(draw(_BOUNDARIES)))
    if len(points) == 1:
        points = sorted({points[0], (points[0] + 8 * 60) % (24 * 60)})
    if len(points) % 2:
        points.pop(draw(_ints(0, len(points) - 1)))
    overnight = draw(_BOOLS)
    if overnight:
        # Pair (p1, p2), (p3, p4), ..., (p_last, p0): the last one wraps past midnight.
        pairs = [[points[i], points[(i + 1) % len(points)]] for i in range(1, len(points), 2)]
    else:
        pairs = [[points[i], points[i + 1]] for i in range(0, len(points), 2)]
        if draw(_BOOLS):
            pairs[-1][1] = 24 * 60
    # Make some neighbours touch: an interval's end moves up to the next one's start.
    for i in range(len(pairs) - 1):
        if draw(_ints(0, 3)) == 0:
            pairs[i][1] = pairs[i + 1][0]
    if overnight and len(pairs) > 1 and draw(_ints(0, 3)) == 0:
        pairs[-1][1] = pairs[0][0]
    return _shuffled(draw, [f"{_hhmm(start)}-{_hhmm(end)}" for start, end in pairs])


@st.composite
def _day_hours(draw: st.DrawFn) -> list[str]:
    return _draw_day_hours(draw)


def day_hours() -> st.SearchStrategy[list[str]]:
    """One to three non-overlapping ``HH:MM-HH:MM`` intervals for one day.

    Non-overlapping on the 24-hour circle, so an overnight interval never overlaps another of
    the same day even counting its spill. Touching intervals (``09:00-12:00``, ``12:00-17:00``),
    ``24:00`` ends, ``00:00-24:00`` and one overnight interval per day all occur.
    """
    return _day_hours()


def _draw_hours_value(draw: st.DrawFn) -> str | list[str]:
    """A day's hours as written in a config: a bare string for one interval, or a list."""
    intervals = _draw_day_hours(draw)
    if len(intervals) == 1 and draw(_BOOLS):
        return intervals[0]
    return intervals


def _cyclic_start(days: list[int]) -> int | None:
    """The first day of ``days`` if they form one run of the week (wrapping), else None."""
    chosen = set(days)
    if len(chosen) == 7:
        return days[0]
    for start in chosen:
        if {(start + i) % 7 for i in range(len(chosen))} == chosen:
            return start
    return None


def _draw_day_specs(draw: st.DrawFn, days: list[int]) -> list[str]:
    """Keys naming exactly ``days`` once: "mon", "mon-fri", wrapping "fri-mon", "mon,wed"."""
    order = _shuffled(draw, days)
    cuts = [i for i in range(1, len(order)) if draw(_BOOLS)]
    chunks = [order[a:b] for a, b in zip([0, *cuts], [*cuts, len(order)], strict=True)]
    keys = []
    for chunk in chunks:
        start = _cyclic_start(chunk) if len(chunk) > 1 else None
        if len(chunk) == 1:
            keys.append(WEEKDAYS[chunk[0]])
        elif start is not None and draw(_ints(0, 3)) > 0:
            last = (start + len(chunk) - 1) % 7
            keys.append(f"{WEEKDAYS[start]}-{WEEKDAYS[last]}")
        else:
            keys.append(",".join(WEEKDAYS[d] for d in chunk))
    return keys


_DAY_LABELS = st.lists(st.sampled_from([None, None, 1, 2, 3]), min_size=7, max_size=7)


def _draw_weekly_hours(draw: st.DrawFn) -> str | dict[str, str | list[str]]:
    if draw(_ints(0, 9)) == 0:
        return "24/7"
    # Day groups sharing the same hours; group 0 is usually a run such as "mon-fri".
    labels: list[int | None] = draw(_DAY_LABELS)
    if draw(_ints(0, 3)) > 0:
        start, length = draw(_ints(0, 6)), draw(_ints(1, 7))
        for i in range(length):
            labels[(start + i) % 7] = 0
    if all(label is None for label in labels):
        labels[draw(_ints(0, 6))] = 0
    hours: dict[str, str | list[str]] = {}
    for label in sorted({label for label in labels if label is not None}):
        value = _draw_hours_value(draw)
        days = [d for d in range(7) if labels[d] == label]
        for key in _draw_day_specs(draw, days):
            hours[key] = value
    return hours


@st.composite
def _weekly_hours(draw: st.DrawFn) -> str | dict[str, str | list[str]]:
    return _draw_weekly_hours(draw)


def weekly_hours() -> st.SearchStrategy[str | dict[str, str | list[str]]]:
    """The ``hours`` of a config: "24/7" sometimes, else a dict naming each day at most once.

    At least one day always has hours, so every calendar is open again and again for ever.
    """
    return _weekly_hours()


_ANY_DATE = st.dates(FIRST_DAY, LAST_DAY)
_RARE_DATE = st.dates(date(1990, 1, 1), date(2100, 12, 31))


def _draw_date_near(draw: st.DrawFn, near: date | None) -> date:
    """A date for a holiday or override: around ``near`` if given, mostly within 2024–2028."""
    kind = draw(_ints(0, 4))
    if kind == 4:
        return draw(_RARE_DATE)
    if near is None or kind == 3:
        return draw(_ANY_DATE)
    return near + timedelta(days=draw(_ints(-20, 20)))


def _month_day(day: date) -> str:
    return f"*-{day.month:02d}-{day.day:02d}"


# "*-02-29" is rarer than the others: it is one special case, not a family.
_HOLIDAY_KINDS = st.sampled_from(["date", "date", "yearly", "yearly", "range", "range", "feb29"])


def _draw_holidays(draw: st.DrawFn, near: date | None) -> list[str]:
    entries: list[str] = []
    for _ in range(draw(_ints(0, 5))):
        day = _draw_date_near(draw, near)
        kind = draw(_HOLIDAY_KINDS)
        if kind == "date":
            entries.append(day.isoformat())
        elif kind == "yearly":
            entries.append(_month_day(day))
        elif kind == "feb29":
            entries.append("*-02-29")
        else:
            last = day + timedelta(days=draw(_ints(0, 14)))
            entries.append(f"{day.isoformat()}..{last.isoformat()}")
    return entries


_OVERRIDE_FORMS = st.sampled_from(["date", "yearly", "both"])


def _draw_overrides(draw: st.DrawFn, near: date | None) -> dict[str, str | list[str]]:
    overrides: dict[str, str | list[str]] = {}
    for _ in range(draw(_ints(0, 4))):
        day = _draw_date_near(draw, near)
        value = "closed" if draw(_ints(0, 2)) == 0 else _draw_hours_value(draw)
        form = draw(_OVERRIDE_FORMS)
        if form in ("date", "both"):
            overrides[day.isoformat()] = value
        if form in ("yearly", "both"):
            # With "both", the exact date and its every-year pattern disagree on purpose.
            other = "closed" if value != "closed" else _draw_hours_value(draw)
            overrides[_month_day(day)] = other if form == "both" else value
    return overrides


_ZONES = st.sampled_from(ZONE_NAMES)


@st.composite
def calendar_configs(
    draw: st.DrawFn, near: date | None = None, zone: str | None = None
) -> dict[str, Any]:
    """A valid calendar config dict (SPEC §3: timezone, hours, holidays, overrides).

    ``zone`` fixes the time zone (else one from the zoo); ``near`` clusters dates around it.
    """
    config: dict[str, Any] = {
        "timezone": draw(_ZONES) if zone is None else zone,
        "hours": _draw_weekly_hours(draw),
    }
    holidays = _draw_holidays(draw, near)
    if holidays:
        config["holidays"] = holidays
    overrides = _draw_overrides(draw, near)
    if overrides:
        config["overrides"] = overrides
    return config


def _build(config: dict[str, Any]) -> bizclock.Calendar:
    # Imported late so that the strategies (and the reference's tests) load without the engine.
    import bizclock

    return bizclock.Calendar.from_dict(config)


def calendars(
    near: date | None = None, zone: str | None = None
) -> st.SearchStrategy[bizclock.Calendar]:
    """Random ``bizclock.Calendar`` objects built from :func:`calendar_configs`."""
    return calendar_configs(near, zone).map(_build)


# A wall time: mostly round (hours, quarter hours, minutes), sometimes any microsecond.
_TIMES_OF_DAY = st.one_of(
    st.integers(0, 14).map(lambda q: time(q // 4, q % 4 * 15)),  # where clocks change
    st.integers(0, 23).map(lambda h: time(h)),
    st.integers(0, 95).map(lambda q: time(q // 4, q % 4 * 15)),
    st.integers(0, 24 * 60 - 1).map(lambda m: time(m // 60, m % 60)),
    st.times(),
)
_TZINFOS = tzinfos()
_DAY_OFFSETS = st.one_of(st.integers(-1, 1), st.integers(-10, 10))


@st.composite
def instants(draw: st.DrawFn, near: date | None = None, zone: str | None = None) -> datetime:
    """An aware datetime, 2024–2028 (within days of ``near`` if given), in a random tzinfo.

    Given a ``zone``, half the datetimes are wall times in it. Wall times in a zone's gap
    ("imaginary" times) and both folds of repeated times occur; they are still instants, read
    by their tzinfo's ``utcoffset``.
    """
    day = draw(_ANY_DATE) if near is None else near + timedelta(days=draw(_DAY_OFFSETS))
    tz = ZoneInfo(zone) if zone is not None and draw(_BOOLS) else draw(_TZINFOS)
    wall = datetime.combine(day, draw(_TIMES_OF_DAY), tzinfo=tz)
    return wall.replace(fold=draw(_ints(0, 1)))


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
