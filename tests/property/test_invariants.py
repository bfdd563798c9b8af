"""SPEC §4's invariants, one test each, on random calendars, instants and durations.

These run against the engine alone. Known DST transitions of the zoo are pinned with
``@example`` so that every run meets them, whatever hypothesis happens to draw.

One invariant is stated in SPEC §4 as ``subtract(add(t, d), d) <= t``; the definitions in the
same table imply the opposite direction (``add(t, d)`` is the earliest ``s`` with
``elapsed(t, s) == d``, so ``t`` itself is a candidate for the *latest* ``u`` with
``elapsed(u, s) == d``, hence ``subtract(add(t, d), d) >= t``). The SPEC's own worked example
shows it: ``add(Sat 12:00, 1h) == Mon 10:00`` and ``subtract(Mon 10:00, 1h) == Mon 09:00``,
which is after Saturday. The test checks the direction the definitions give.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from hypothesis import example, given
from hypothesis import strategies as st

import bizclock
from reference import from_us, to_us
from strategies import anchors, calendar_configs, durations, instants

F = TypeVar("F", bound=Callable[..., None])
US = timedelta(microseconds=1)
ZERO = timedelta(0)

# One (zone, date) per example, shared by the calendar and the instants drawn for it.
ANCHOR = st.shared(anchors(), key="anchor")
CONFIGS = ANCHOR.flatmap(lambda anchor: calendar_configs(near=anchor[1], zone=anchor[0]))
INSTANTS = ANCHOR.flatmap(lambda anchor: instants(near=anchor[1], zone=anchor[0]))


def _at(zone: str, hours: object, utc: str) -> tuple[dict[str, Any], datetime]:
    return {"timezone": zone, "hours": hours}, datetime.fromisoformat(utc)


# (calendar, instant) pairs on DST transitions of the zoo, in 2026.
TRANSITIONS = [
    _at("Europe/Berlin", "24/7", "2026-03-29T01:00:00+00:00"),  # 02:00 CET -> 03:00 CEST
    _at("Europe/Berlin", {"mon-sun": "00:00-04:00"}, "2026-03-28T23:00:00+00:00"),
    _at("Europe/Berlin", {"sat-sun": "22:00-06:00"}, "2026-10-25T00:30:00+00:00"),  # fall back
    _at("Europe/Berlin", {"mon-fri": "09:00-17:00"}, "2026-10-23T15:00:00+00:00"),
    _at("Australia/Sydney", "24/7", "2026-04-04T15:30:00+00:00"),  # 03:00 AEDT -> 02:00 AEST
    _at("Australia/Sydney", {"sun": "01:00-03:30"}, "2026-10-03T14:00:00+00:00"),  # spring
    _at("Australia/Lord_Howe", "24/7", "2026-04-04T14:30:00+00:00"),  # 02:00 -> 01:30
    _at("Australia/Lord_Howe", {"sun": ["01:45-02:15", "02:30-03:00"]}, "2026-10-03T14:00:00Z"),
    _at("America/New_York", {"sun": "01:30-02:30"}, "2026-03-08T06:00:00+00:00"),  # spring
    _at("America/New_York", {"sat-sun": "23:00-01:30"}, "2026-11-01T05:30:00+00:00"),  # fall
    _at("Europe/Dublin", "24/7", "2026-10-25T00:59:59.999999+00:00"),
    _at("Asia/Kathmandu", {"mon-fri": "09:00-17:00"}, "2026-11-20T11:15:00+00:00"),
]


def at_transitions(**extra: Any) -> Callable[[F], F]:
    """Pin every (config, t) in TRANSITIONS as an ``@example``, with ``extra`` arguments."""

    def decorate(test: F) -> F:
        for config, t in TRANSITIONS:
            test = example(config=config, t=t, **extra)(test)
        return test

    return decorate


def cal_of(config: dict[str, Any]) -> bizclock.Calendar:
    """The engine's calendar for a config."""
    return bizclock.Calendar.from_dict(config)


def us(t: datetime) -> int:
    """Instant in µs; datetime comparison with one shared tzinfo would ignore the offset."""
    return to_us(t)


@given(config=CONFIGS, t=INSTANTS, d=durations())
@at_transitions(d=timedelta(hours=1))
def test_elapsed_undoes_add(config: dict[str, Any], t: datetime, d: timedelta) -> None:
    """elapsed(t, add(t, d)) == d."""
    cal = cal_of(config)
    assert cal.elapsed(t, cal.add(t, d)) == d


@given(config=CONFIGS, t=INSTANTS, d=durations())
@at_transitions(d=timedelta(hours=2, minutes=30))
def test_elapsed_undoes_subtract(config: dict[str, Any], t: datetime, d: timedelta) -> None:
    """elapsed(subtract(t, d), t) == d."""
    cal = cal_of(config)
    assert cal.elapsed(cal.subtract(t, d), t) == d


@given(config=CONFIGS, t=INSTANTS, d=durations())
@at_transitions(d=timedelta(minutes=45))
def test_add_is_earliest_and_subtract_is_latest(
    config: dict[str, Any], t: datetime, d: timedelta
) -> None:
    """One µs before add(t, d) less than d has elapsed; likewise one µs after subtract(t, d)."""
    cal = cal_of(config)
    if d > ZERO:
        end = cal.add(t, d)
        assert cal.elapsed(t, from_us(us(end) - 1)) < d
        start = cal.subtract(t, d)
        assert cal.elapsed(from_us(us(start) + 1), t) < d


@given(config=CONFIGS, t=INSTANTS, a=durations(), b=durations())
@at_transitions(a=timedelta(hours=1), b=timedelta(hours=3))
def test_add_is_additive(config: dict[str, Any], t: datetime, a: timedelta, b: timedelta) -> None:
    """add(t, a + b) == add(add(t, a), b)."""
    cal = cal_of(config)
    assert us(cal.add(t, a + b)) == us(cal.add(cal.add(t, a), b))


@given(config=CONFIGS, t=INSTANTS, a=durations(), b=durations())
@at_transitions(a=timedelta(hours=1), b=timedelta(hours=3))
def test_subtract_is_additive(
    config: dict[str, Any], t: datetime, a: timedelta, b: timedelta
) -> None:
    """subtract(t, a + b) == subtract(subtract(t, a), b)."""
    cal = cal_of(config)
    assert us(cal.subtract(t, a + b)) == us(cal.subtract(cal.subtract(t, a), b))


@given(config=CONFIGS, a=INSTANTS, b=INSTANTS, c=INSTANTS)
def test_elapsed_is_additive(config: dict[str, Any], a: datetime, b: datetime, c: datetime) -> None:
    """elapsed(a, b) + elapsed(b, c) == elapsed(a, c), in any order of a, b, c."""
    cal = cal_of(config)
    assert cal.elapsed(a, b) + cal.elapsed(b, c) == cal.elapsed(a, c)


@given(config=CONFIGS, t=INSTANTS, b=INSTANTS)
@at_transitions(b=datetime.fromisoformat("2026-11-01T12:00:00+00:00"))
def test_elapsed_is_bounded_by_real_time(config: dict[str, Any], t: datetime, b: datetime) -> None:
    """0 <= elapsed(a, b) <= b - a for a <= b, and elapsed(b, a) == -elapsed(a, b)."""
    cal = cal_of(config)
    a, b = (t, b) if us(t) <= us(b) else (b, t)
    got = cal.elapsed(a, b)
    assert ZERO <= got <= timedelta(microseconds=us(b) - us(a))
    assert cal.elapsed(b, a) == -got


@given(config=CONFIGS, t=INSTANTS, later=durations(), d=durations())
@at_transitions(later=timedelta(minutes=30), d=timedelta(hours=2))
def test_add_is_monotonic_in_t(
    config: dict[str, Any], t: datetime, later: timedelta, d: timedelta
) -> None:
    """t1 <= t2 implies add(t1, d) <= add(t2, d) (and the same for subtract)."""
    cal = cal_of(config)
    t2 = from_us(us(t) + later // US).astimezone(t.tzinfo)
    assert us(cal.add(t, d)) <= us(cal.add(t2, d))
    assert us(cal.subtract(t, d)) <= us(cal.subtract(t2, d))


@given(config=CONFIGS, t=INSTANTS, d=durations(), more=durations())
@at_transitions(d=timedelta(hours=1), more=timedelta(microseconds=1))
def test_add_is_monotonic_in_d(
    config: dict[str, Any], t: datetime, d: timedelta, more: timedelta
) -> None:
    """d1 <= d2 implies add(t, d1) <= add(t, d2) and subtract(t, d1) >= subtract(t, d2)."""
    cal = cal_of(config)
    assert us(cal.add(t, d)) <= us(cal.add(t, d + more))
    assert us(cal.subtract(t, d)) >= us(cal.subtract(t, d + more))


@given(config=CONFIGS, t=INSTANTS, d=durations())
@at_transitions(d=timedelta(hours=1))
def test_subtract_after_add(config: dict[str, Any], t: datetime, d: timedelta) -> None:
    """subtract(add(t, d), d) >= t, equal when t is open (see the module docstring)."""
    cal = cal_of(config)
    back = us(cal.subtract(cal.add(t, d), d))
    assert back >= us(t)
    if cal.is_open(t):
        assert back == us(t)


@given(config=CONFIGS, t=INSTANTS, d=durations())
@at_transitions(d=timedelta(hours=1))
def test_add_after_subtract(config: dict[str, Any], t: datetime, d: timedelta) -> None:
    """add(subtract(t, d), d) <= t, equal when the µs just before t is open."""
    cal = cal_of(config)
    forth = us(cal.add(cal.subtract(t, d), d))
    assert forth <= us(t)
    if cal.is_open(from_us(us(t) - 1)):
        assert forth == us(t)


@given(config=CONFIGS, t=INSTANTS, b=INSTANTS)
@at_transitions(b=datetime.fromisoformat("2026-11-01T12:00:00+00:00"))
def test_elapsed_is_the_sum_of_open_intervals(
    config: dict[str, Any], t: datetime, b: datetime
) -> None:
    """elapsed(a, b) == total length of open_intervals(a, b); the runs are ordered, disjoint,
    not touching, non-empty, inside [a, b) and in a's tzinfo."""
    cal = cal_of(config)
    a, b = (t, b) if us(t) <= us(b) else (b, t)
    runs = [(us(s), us(e)) for s, e in cal.open_intervals(a, b)]
    assert cal.elapsed(a, b) == timedelta(microseconds=sum(e - s for s, e in runs))
    edges = [edge for run in runs for edge in run]
    assert all(x < y for x, y in itertools.pairwise(edges))
    assert not runs or (us(a) <= runs[0][0] and runs[-1][1] <= us(b))
    assert all(s.tzinfo is a.tzinfo and e.tzinfo is a.tzinfo for s, e in cal.open_intervals(a, b))


@given(t=INSTANTS, d=durations())
@example(t=datetime.fromisoformat("2026-03-29T01:00:00+00:00"), d=timedelta(hours=1))
def test_24_7_utc_add_is_plain_addition(t: datetime, d: timedelta) -> None:
    """On a 24/7 UTC calendar, add/subtract are instant arithmetic and elapsed is b - a."""
    cal = cal_of({"timezone": "UTC", "hours": "24/7"})
    assert us(cal.add(t, d)) == us(t) + d // US
    assert us(cal.subtract(t, d)) == us(t) - d // US
    assert cal.elapsed(t, from_us(us(t) + d // US)) == d


@given(config=CONFIGS, t=INSTANTS, d=durations())
@at_transitions(d=timedelta(hours=5))
def test_zero_and_negative_durations(config: dict[str, Any], t: datetime, d: timedelta) -> None:
    """add(t, 0) == t == subtract(t, 0); add(t, -d) == subtract(t, d) and vice versa."""
    cal = cal_of(config)
    assert us(cal.add(t, ZERO)) == us(t) == us(cal.subtract(t, ZERO))
    assert us(cal.add(t, -d)) == us(cal.subtract(t, d))
    assert us(cal.subtract(t, -d)) == us(cal.add(t, d))


@given(config=CONFIGS, t=INSTANTS, d=durations())
@at_transitions(d=timedelta(hours=5))
def test_results_keep_the_argument_tzinfo(
    config: dict[str, Any], t: datetime, d: timedelta
) -> None:
    """Every datetime returned is expressed in the tzinfo of the datetime argument."""
    cal = cal_of(config)
    assert cal.add(t, d).tzinfo is t.tzinfo
    assert cal.subtract(t, d).tzinfo is t.tzinfo
    assert cal.next_open(t).tzinfo is t.tzinfo


@given(config=CONFIGS, t=INSTANTS)
@at_transitions()
def test_next_open_is_consistent(config: dict[str, Any], t: datetime) -> None:
    """next_open(t) == t iff t is open; else it is open, after t, with nothing open between."""
    cal = cal_of(config)
    opening = us(cal.next_open(t))
    assert cal.is_open(from_us(opening))
    assert (opening == us(t)) is cal.is_open(t)
    assert opening >= us(t)
    assert cal.elapsed(t, from_us(opening)) == ZERO
    if opening > us(t):
        assert not cal.is_open(from_us(opening - 1))


@given(config=CONFIGS, t=INSTANTS)
@at_transitions()
def test_next_close_is_consistent(config: dict[str, Any], t: datetime) -> None:
    """next_close(t) is after t, closed, and open just before; all open from next_open to it."""
    cal = cal_of(config)
    try:
        close = cal.next_close(t)
    except bizclock.NeverClosesError:
        return
    assert close.tzinfo is t.tzinfo
    closing = us(close)
    opening = us(cal.next_open(t))
    assert closing > opening >= us(t)
    assert not cal.is_open(close)
    assert cal.is_open(from_us(closing - 1))
    assert cal.elapsed(from_us(opening), close) == timedelta(microseconds=closing - opening)
