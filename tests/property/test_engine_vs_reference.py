"""The engine agrees with the brute-force reference on random calendars (SPEC §8).

Each test draws an anchor date, then a calendar whose holidays and overrides cluster around it
and instants around it too, so pinned dates and DST transitions are met rather than missed.
Instants are sometimes snapped onto (or one microsecond beside) a nearby open-run boundary,
where off-by-one mistakes live. Results are compared as instants, and every datetime the engine
returns must carry the tzinfo of the argument it answers for.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from hypothesis import assume, example, given, note
from hypothesis import strategies as st

import bizclock
from reference import Reference, ReferenceLimitError, from_us, to_us
from strategies import anchors, calendar_configs, durations, instants, zones

T = TypeVar("T")
DAY_US = 86_400_000_000

# One (zone, date) per example, shared by the calendar and the instants drawn for it.
ANCHOR = st.shared(anchors(), key="anchor")
CONFIGS = ANCHOR.flatmap(lambda anchor: calendar_configs(near=anchor[1], zone=anchor[0]))
INSTANTS = ANCHOR.flatmap(lambda anchor: instants(near=anchor[1], zone=anchor[0]))
DATES = ANCHOR.flatmap(
    lambda anchor: st.integers(-12, 12).map(lambda k: anchor[1] + timedelta(days=k))
)
# (which boundary, offset in µs) or None: see snapped().
SNAPS = st.none() | st.tuples(st.integers(0, 40), st.sampled_from([-1, 0, 0, 1]))
SPANS = st.one_of(
    st.integers(0, 3 * DAY_US),
    st.integers(0, 40 * DAY_US),
    st.integers(0, 48).map(lambda h: h * 3_600_000_000),
    st.integers(0, 1000 * DAY_US),
).map(lambda us: timedelta(microseconds=us))
# Mostly up to 300 h; sometimes up to 3,000 h, which walks most of a year of a sparse calendar.
LONG_DURATIONS = st.one_of(durations(), durations(), durations(), durations(max_hours=3000))
BUSINESS_DAY_COUNTS = st.one_of(st.integers(-25, 25), st.integers(-400, 400))

BERLIN_OFFICE = {"timezone": "Europe/Berlin", "hours": {"mon-fri": "09:00-17:00"}}
# Pacific/Kiritimati skipped 1994-12-31 (a Saturday): Friday's night runs into a missing date.
KIRITIMATI_FRIDAY_NIGHTS = {"timezone": "Pacific/Kiritimati", "hours": {"fri": "20:00-04:00"}}
NIGHTS = {"timezone": "Europe/Berlin", "hours": {"sun": "00:00-04:00", "mon-sat": "22:00-06:00"}}


def snapped(ref: Reference, t: datetime, snap: tuple[int, int] | None) -> datetime:
    """``t`` moved onto a run boundary within three days of it (plus -1/0/+1 µs), if asked."""
    if snap is None:
        return t
    lo, hi = to_us(t) - 3 * DAY_US, to_us(t) + 3 * DAY_US
    # Boundaries at the window's own edges are clipping artefacts, not real ones.
    edges = sorted({e for run in ref.runs(lo, hi) for e in run} - {lo, hi})
    if not edges:
        return t
    index, offset = snap
    moved = from_us(edges[index % len(edges)] + offset).astimezone(t.tzinfo)
    note(f"snapped t = {moved!r}")
    return moved


def aimed(
    ref: Reference, t: datetime, d: timedelta, aim: tuple[int, int] | None, *, forward: bool
) -> timedelta:
    """``d``, or if asked the business time from ``t`` to a run boundary (plus -1/0/+1 µs).

    Random durations almost never end exactly on a closing instant, where ``add`` must stop
    (SPEC §4: "it can be an interval's end") and ``subtract`` on an opening one.
    """
    if aim is None:
        return d
    now = to_us(t)
    lo, hi = (now, now + 10 * DAY_US) if forward else (now - 10 * DAY_US, now)
    edges = sorted({e for run in ref.runs(lo, hi) for e in run} - {lo, hi})
    if not edges:
        return d
    index, offset = aim
    if forward:
        distance = ref.elapsed_us(now, edges[index % len(edges)])
    else:
        distance = ref.elapsed_us(edges[-1 - index % len(edges)], now)
    aimed_d = timedelta(microseconds=max(0, distance + offset))
    note(f"aimed d = {aimed_d!r}")
    return aimed_d


def expect(call: Callable[[], T]) -> T:
    """The reference's answer; examples whose answer lies beyond its search bound are dropped."""
    try:
        return call()
    except ReferenceLimitError:
        assume(False)
        raise  # unreachable: assume(False) raises


def build(config: dict[str, Any]) -> tuple[bizclock.Calendar, Reference]:
    """The engine's calendar and the reference for one config."""
    note(f"config = {config!r}")
    return bizclock.Calendar.from_dict(config), Reference(config)


def assert_same_instant(got: datetime, expected: datetime, argument: datetime) -> None:
    """Same instant as the reference, expressed in the argument's tzinfo."""
    assert to_us(got) == to_us(expected), f"engine {got!r} != reference {expected!r}"
    assert got.tzinfo is argument.tzinfo, f"{got!r} is not in the tzinfo of {argument!r}"


@given(config=CONFIGS, t=INSTANTS, snap=SNAPS, d=LONG_DURATIONS, aim=SNAPS, negative=st.booleans())
@example(
    config=BERLIN_OFFICE,
    t=datetime.fromisoformat("2026-11-20T16:00:00+01:00"),
    snap=None,
    d=timedelta(hours=1),
    aim=None,
    negative=False,
)
@example(
    config=BERLIN_OFFICE,
    t=datetime.fromisoformat("2026-11-20T16:00:00+01:00"),
    snap=None,
    d=timedelta(hours=1, microseconds=1),
    aim=None,
    negative=False,
)
@example(
    config=NIGHTS,
    t=datetime.fromisoformat("2026-03-28T23:30:00+00:00"),
    snap=None,
    d=timedelta(hours=3),
    aim=None,
    negative=False,
)
def test_add(
    config: dict[str, Any],
    t: datetime,
    snap: tuple[int, int] | None,
    d: timedelta,
    aim: tuple[int, int] | None,
    negative: bool,
) -> None:
    """``add`` (negative durations subtract) equals the reference."""
    cal, ref = build(config)
    t = snapped(ref, t, snap)
    d = aimed(ref, t, d, aim, forward=not negative)
    d = -d if negative else d
    expected = expect(lambda: ref.add(t, d))
    assert_same_instant(cal.add(t, d), expected, t)


@given(config=CONFIGS, t=INSTANTS, snap=SNAPS, d=LONG_DURATIONS, aim=SNAPS, negative=st.booleans())
@example(
    config=BERLIN_OFFICE,
    t=datetime.fromisoformat("2026-11-23T10:00:00+01:00"),
    snap=None,
    d=timedelta(hours=1),
    aim=None,
    negative=False,
)
@example(
    config=NIGHTS,
    t=datetime.fromisoformat("2026-10-25T03:30:00+00:00"),
    snap=None,
    d=timedelta(hours=4),
    aim=None,
    negative=False,
)
def test_subtract(
    config: dict[str, Any],
    t: datetime,
    snap: tuple[int, int] | None,
    d: timedelta,
    aim: tuple[int, int] | None,
    negative: bool,
) -> None:
    """``subtract`` (negative durations add) equals the reference."""
    cal, ref = build(config)
    t = snapped(ref, t, snap)
    d = aimed(ref, t, d, aim, forward=negative)
    d = -d if negative else d
    expected = expect(lambda: ref.subtract(t, d))
    assert_same_instant(cal.subtract(t, d), expected, t)


@given(config=CONFIGS, a=INSTANTS, snap=SNAPS, span=SPANS, backwards=st.booleans())
@example(
    config=BERLIN_OFFICE,
    a=datetime.fromisoformat("2026-11-20T16:00:00+01:00"),
    snap=None,
    span=timedelta(days=2, hours=17),
    backwards=False,
)
@example(
    config=KIRITIMATI_FRIDAY_NIGHTS,
    a=datetime.fromisoformat("1994-12-30T00:00:00+00:00"),
    snap=None,
    span=timedelta(days=3),
    backwards=False,
)
def test_elapsed(
    config: dict[str, Any],
    a: datetime,
    snap: tuple[int, int] | None,
    span: timedelta,
    backwards: bool,
) -> None:
    """``elapsed`` equals the reference, in both directions."""
    cal, ref = build(config)
    a = snapped(ref, a, snap)
    b = from_us(to_us(a) + span // timedelta(microseconds=1)).astimezone(a.tzinfo)
    if backwards:
        a, b = b, a
    got = cal.elapsed(a, b)
    assert isinstance(got, timedelta)
    assert got == ref.elapsed(a, b)


@given(config=CONFIGS, t=INSTANTS, snap=SNAPS)
def test_is_open(config: dict[str, Any], t: datetime, snap: tuple[int, int] | None) -> None:
    """``is_open`` equals the reference."""
    cal, ref = build(config)
    t = snapped(ref, t, snap)
    assert cal.is_open(t) is ref.is_open(t)


@given(config=CONFIGS, t=INSTANTS, snap=SNAPS)
def test_next_open(config: dict[str, Any], t: datetime, snap: tuple[int, int] | None) -> None:
    """``next_open`` equals the reference."""
    cal, ref = build(config)
    t = snapped(ref, t, snap)
    expected = expect(lambda: ref.next_open(t))
    assert_same_instant(cal.next_open(t), expected, t)


@given(config=CONFIGS, t=INSTANTS, snap=SNAPS)
@example(
    config={"timezone": "UTC", "hours": "24/7", "holidays": ["*-02-29"]},
    t=datetime.fromisoformat("2025-03-01T00:00:00+00:00"),
    snap=None,
)
@example(
    config=KIRITIMATI_FRIDAY_NIGHTS,
    t=datetime.fromisoformat("1994-12-31T07:00:00+00:00"),
    snap=None,
)
def test_next_close(config: dict[str, Any], t: datetime, snap: tuple[int, int] | None) -> None:
    """``next_close`` equals the reference; beyond its bound, the engine's answer is checked."""
    cal, ref = build(config)
    t = snapped(ref, t, snap)
    try:
        expected = ref.next_close(t)
    except ReferenceLimitError as limit:
        searched_until = limit.searched_until
    else:
        assert_same_instant(cal.next_close(t), expected, t)
        return
    # Open without a break for as far as the reference looked: the engine must say it never
    # closes, or name a close further away that the reference confirms there.
    try:
        got = cal.next_close(t)
    except bizclock.NeverClosesError:
        return
    assert got.tzinfo is t.tzinfo
    close = to_us(got)
    assert close > searched_until
    assert ref.is_open_us(close - 1)
    assert not ref.is_open_us(close)


@given(config=CONFIGS, a=INSTANTS, snap=SNAPS, span=SPANS)
def test_open_intervals(
    config: dict[str, Any], a: datetime, snap: tuple[int, int] | None, span: timedelta
) -> None:
    """``open_intervals`` equals the reference's runs clipped to ``[a, b)``, in a's tzinfo."""
    cal, ref = build(config)
    a = snapped(ref, a, snap)
    b = from_us(to_us(a) + span // timedelta(microseconds=1)).astimezone(a.tzinfo)
    got = cal.open_intervals(a, b)
    expected = ref.open_intervals(a, b)
    assert [(to_us(s), to_us(e)) for s, e in got] == [(to_us(s), to_us(e)) for s, e in expected]
    assert all(s.tzinfo is a.tzinfo and e.tzinfo is a.tzinfo for s, e in got)


@given(config=CONFIGS, day=DATES)
def test_is_business_day(config: dict[str, Any], day: date) -> None:
    """``is_business_day`` equals the reference."""
    cal, ref = build(config)
    assert cal.is_business_day(day) is ref.is_business_day(day)


@given(config=CONFIGS, day=DATES, n=BUSINESS_DAY_COUNTS)
@example(config=BERLIN_OFFICE, day=date(2026, 11, 21), n=0)
def test_add_business_days(config: dict[str, Any], day: date, n: int) -> None:
    """``add_business_days`` equals the reference."""
    cal, ref = build(config)
    expected = expect(lambda: ref.add_business_days(day, n))
    assert cal.add_business_days(day, n) == expected


@st.composite
def far_cases(draw: st.DrawFn) -> tuple[dict[str, Any], datetime]:
    """A calendar and an instant in some year from 1901 to 9000, not just 2024–2028."""
    year = draw(st.integers(1901, 9000))
    near = date(year, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    zone = draw(zones())
    return draw(calendar_configs(near=near, zone=zone)), draw(instants(near=near, zone=zone))


@given(case=far_cases(), d=durations(), span=SPANS)
@example(
    case=(BERLIN_OFFICE, datetime.fromisoformat("8999-11-17T16:00:00+01:00")),
    d=timedelta(hours=1, microseconds=1),
    span=timedelta(days=3),
)
def test_far_from_now(case: tuple[dict[str, Any], datetime], d: timedelta, span: timedelta) -> None:
    """Far from the present (historical offsets, zone rules extrapolated), all still agree."""
    config, t = case
    cal, ref = build(config)
    assert_same_instant(cal.add(t, d), expect(lambda: ref.add(t, d)), t)
    assert_same_instant(cal.subtract(t, d), expect(lambda: ref.subtract(t, d)), t)
    assert_same_instant(cal.next_open(t), expect(lambda: ref.next_open(t)), t)
    assert cal.is_open(t) is ref.is_open(t)
    b = from_us(to_us(t) + span // timedelta(microseconds=1)).astimezone(t.tzinfo)
    assert cal.elapsed(t, b) == ref.elapsed(t, b)
    day = t.astimezone(ref.zone).date()
    assert cal.is_business_day(day) is ref.is_business_day(day)
