"""The window (the flattened fast path of add, subtract and elapsed) changes no answer.

Every test compares a calendar whose timeline uses the window with the same calendar whose
window is switched off (so every query takes the per-year chunk path), over sequences of
queries that make the window grow, move, and answer across its own edges. White-box checks
make sure the window really was in use, so that the comparison cannot pass vacuously.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from bizclock import BizclockError, Calendar, OutOfRangeError
from bizclock import _timeline as timeline_module
from strategies import calendar_configs, durations, zones

UTC = timezone.utc
H = timedelta(hours=1)


def without_window(config: dict[str, Any]) -> Calendar:
    """The calendar of ``config`` with the window switched off."""
    cal = Calendar.from_dict(config)
    cal._timeline._build_window = lambda first, last: None  # type: ignore[method-assign]
    return cal


def outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    """A call's answer (as UTC instants) or its error, comparable across calendars."""
    try:
        value = call()
    except BizclockError as exc:
        return ("error", f"{type(exc).__name__}: {exc}")
    if isinstance(value, datetime):
        return ("instant", value.astimezone(UTC), value.tzinfo)
    return ("value", value)


@contextmanager
def small_windows() -> Iterator[None]:
    """A window of at most 3 years that moves after 3 misses: every mechanism is reached."""
    with (
        mock.patch.object(timeline_module, "_WINDOW_YEARS", 3),
        mock.patch.object(timeline_module, "_WINDOW_PATIENCE", 3),
    ):
        yield


@pytest.fixture
def small_window() -> Iterator[None]:
    with small_windows():
        yield


OPS = st.sampled_from(["add", "subtract", "elapsed", "add_next_open", "subtract_prev_close"])
# Instants mostly within a year of the example's base year (so the window answers), and
# sometimes years away (so it must move). Years and magnitudes are drawn as small integers:
# hypothesis favours small values of a wide range.
DAY_US = 86_400_000_000
WHEN = st.tuples(
    st.one_of(st.integers(-1, 1), st.integers(-1, 1), st.integers(-1, 1), st.integers(-6, 6)),
    st.integers(0, 365 * DAY_US - 1),
)
LONG_SPANS = st.builds(
    lambda mantissa, exponent, us: timedelta(hours=mantissa * 10**exponent, microseconds=us),
    st.sampled_from(range(1, 100)),
    st.sampled_from(range(4)),
    st.integers(0, 3_600_000_000),
)
SPANS = st.one_of(durations(), LONG_SPANS, LONG_SPANS)
QUERIES = st.lists(st.tuples(OPS, WHEN, SPANS, st.booleans()), min_size=5, max_size=40)


def run(cal: Calendar, op: str, t: datetime, span: timedelta, negative: bool) -> Any:
    """One query; ``negative`` flips the duration (add and subtract) or the order (elapsed)."""
    d = -span if negative else span
    if op == "add":
        return outcome(lambda: cal.add(t, d))
    if op == "subtract":
        return outcome(lambda: cal.subtract(t, d))
    if op == "add_next_open":
        return outcome(lambda: cal.add(t, d, boundary="next_open"))
    if op == "subtract_prev_close":
        return outcome(lambda: cal.subtract(t, d, boundary="prev_close"))
    # Business hours stand for about five real ones: elapsed reaches as far as add does.
    d *= 5
    return outcome(lambda: cal.elapsed(t + d, t) if negative else cal.elapsed(t, t + d))


@given(
    config=zones().flatmap(lambda zone: calendar_configs(zone=zone)),
    base=st.integers(2023, 2030),
    queries=QUERIES,
)
def test_window_agrees_with_the_chunk_path(
    config: dict[str, Any], base: int, queries: list[tuple[str, tuple[int, int], timedelta, bool]]
) -> None:
    fast = Calendar.from_dict(config)
    slow = without_window(config)
    with small_windows():
        # Warm-up: the window covers base - 1 .. base + 1, where most queries start.
        first, last = datetime(base - 1, 1, 2, tzinfo=UTC), datetime(base + 1, 12, 30, tzinfo=UTC)
        warm = outcome(lambda: fast.elapsed(first, last))
        assert warm == outcome(lambda: slow.elapsed(first, last))
        for op, (years, us), span, negative in queries:
            t = datetime(base + years, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)
            note(f"{op} {t.isoformat()} {span!r} negative={negative}")
            assert run(fast, op, t, span, negative) == run(slow, op, t, span, negative)
    assert slow._timeline.window.runs == 0  # really switched off


def test_the_window_is_used_and_bounded(small_window: None) -> None:
    cal = Calendar(timezone="Europe/Berlin", hours={"mon-fri": "09:00-17:00"})
    timeline = cal._timeline
    t = datetime(2026, 3, 2, 10, tzinfo=UTC)
    cal.add(t, H)
    assert (timeline.window.first, timeline.window.last) == (2026, 2026)
    cal.add(t, 2000 * H)  # the answer lies in 2027: the window widens to it
    assert (timeline.window.first, timeline.window.last) == (2026, 2027)
    cal.elapsed(t, t + timedelta(days=800))  # 2028 is within reach, 3 years the cap
    assert timeline.window.last - timeline.window.first + 1 <= 3
    far = datetime(2040, 6, 1, 12, tzinfo=UTC)
    for _ in range(2):
        cal.add(far, H)
        assert timeline.window.first <= 2028  # a miss or two do not move it
    cal.add(far, H)
    assert (timeline.window.first, timeline.window.last) == (2040, 2040)  # the third does


@pytest.mark.parametrize("closed_years", [9, 10, 11, 12])
def test_the_give_up_rule_holds_from_inside_the_window(closed_years: int) -> None:
    """A closed stretch right after the window: the same answers and refusals as without it."""
    config = {
        "timezone": "UTC",
        "hours": {"mon-fri": "09:00-17:00"},
        "holidays": [f"2027-01-01..{2026 + closed_years}-12-31"],
    }
    fast = Calendar.from_dict(config)
    slow = without_window(config)
    fast.elapsed(datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
    assert (fast._timeline.window.first, fast._timeline.window.last) == (2025, 2026)
    after = datetime(2027 + closed_years, 1, 5, 10, tzinfo=UTC)
    calls: list[Callable[[Calendar], Any]] = [
        lambda cal: cal.add(datetime(2026, 12, 31, 16, tzinfo=UTC), 2 * H),  # some 2026 time left
        lambda cal: cal.add(datetime(2026, 12, 31, 18, tzinfo=UTC), H),  # none: 2026 counts
        lambda cal: cal.add(datetime(2025, 6, 2, 10, tzinfo=UTC), 3000 * H),
        lambda cal: cal.subtract(after, 3 * H),
        lambda cal: cal.elapsed(datetime(2026, 6, 1, tzinfo=UTC), after),
    ]
    for call in calls:
        assert outcome(partial(call, fast)) == outcome(partial(call, slow))
    assert fast._timeline.window.runs > 0


def test_no_window_over_a_closed_year() -> None:
    cal = Calendar(
        timezone="UTC", hours={"mon-fri": "09:00-17:00"}, holidays=["2027-01-01..2027-12-31"]
    )
    cal.elapsed(datetime(2026, 6, 1, tzinfo=UTC), datetime(2028, 6, 1, tzinfo=UTC))
    window = cal._timeline.window
    assert not window.first <= 2027 <= window.last
    assert cal.add(datetime(2026, 12, 31, 16, tzinfo=UTC), 2 * H) == datetime(
        2028, 1, 3, 10, tzinfo=UTC
    )


def test_runs_touching_at_new_year_are_one_run() -> None:
    cal = Calendar(timezone="UTC", hours={"mon-sun": "00:00-24:00"})
    t = datetime(2026, 12, 31, 12, tzinfo=UTC)
    assert cal.add(t, 24 * H) == datetime(2027, 1, 1, 12, tzinfo=UTC)
    assert cal.add(t, 36 * H) == datetime(2027, 1, 2, tzinfo=UTC)
    window = cal._timeline.window
    assert (window.first, window.last) == (2026, 2027)
    assert window.runs == 1
    assert cal.subtract(datetime(2027, 1, 1, 12, tzinfo=UTC), 24 * H) == t


GRID_CALENDARS = {
    "office-berlin": {
        "timezone": "Europe/Berlin",
        "hours": {"mon-fri": ["09:00-12:00", "13:00-17:00"]},
        "holidays": ["*-12-25", "*-12-26", "*-01-01", "2026-07-01..2026-07-31"],
    },
    "always-open": {"timezone": "UTC", "hours": {"mon-sun": "00:00-24:00"}},
    "nights-sydney": {
        "timezone": "Australia/Sydney",
        "hours": {"sun": "00:00-04:00", "mon-sat": "22:00-06:00"},
    },
    "lord-howe-weekends": {"timezone": "Australia/Lord_Howe", "hours": {"sat,sun": "01:30-02:30"}},
    "new-year-shift-kiritimati": {
        "timezone": "Pacific/Kiritimati",
        "hours": {"fri": "20:00-04:00"},
        "holidays": ["2026-06-01..2026-09-30"],
    },
}
GRID_SPANS = [timedelta(hours=h, microseconds=7) for h in (1, 100, 1000, 3000, 10_000, 100_000)]


@pytest.mark.parametrize("name", sorted(GRID_CALENDARS))
def test_window_agrees_on_a_grid_across_its_edges(name: str) -> None:
    """Starts all over a warm window, spans that stay inside, reach past or leave it."""
    config = GRID_CALENDARS[name]
    fast = Calendar.from_dict(config)
    slow = without_window(config)
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    ops = ["add", "subtract", "elapsed", "add_next_open", "subtract_prev_close"]
    hits = 0
    for step in range(0, 3 * 365, 11):
        # Re-warm, so that far answers that moved the window do not starve the grid.
        fast.elapsed(datetime(2025, 1, 2, tzinfo=UTC), datetime(2027, 12, 30, tzinfo=UTC))
        t = t0 + timedelta(days=step, hours=step % 24, minutes=step % 60)
        for span in GRID_SPANS:
            for op in ops:
                for negative in (False, True):
                    window = fast._timeline.window
                    hits += window.first <= t.year <= window.last
                    got = run(fast, op, t, span, negative)
                    assert got == run(slow, op, t, span, negative), (op, t, span, negative)
    assert hits > 1000


def test_a_window_answer_past_the_datetime_range_is_out_of_range() -> None:
    kiritimati = ZoneInfo("Pacific/Kiritimati")  # UTC+14: 10:00Z on 9999-12-31 is year 10000
    cal = Calendar(timezone="UTC", hours={"mon-sun": "00:00-24:00"})
    t = datetime(9999, 12, 31, 22, tzinfo=kiritimati)
    assert cal.add(t, H) == datetime(9999, 12, 31, 23, tzinfo=kiritimati)
    assert cal._timeline.window.first == 9999  # the next answers come from the window
    assert cal.subtract(t, H) == datetime(9999, 12, 31, 21, tzinfo=kiritimati)
    with pytest.raises(OutOfRangeError, match="outside the datetime range"):
        cal.add(t, 3 * H)


def test_subclasses_with_nanoseconds_take_the_integer_path() -> None:
    """The hot path works in exact timedeltas; pandas' subclasses are floored to µs instead."""
    pd = pytest.importorskip("pandas")
    cal = Calendar(timezone="Europe/Berlin", hours={"mon-fri": "09:00-17:00"})
    t = datetime(2026, 11, 18, 10, 30, tzinfo=UTC)
    four = cal.add(t, timedelta(hours=4))
    assert cal._timeline.window.runs > 0  # the window is in use
    assert cal.add(t, pd.Timedelta(hours=4, nanoseconds=999)) == four
    assert cal.add(t, pd.Timedelta(hours=4, microseconds=1)) == four + timedelta(microseconds=1)
    assert cal.subtract(four, pd.Timedelta(hours=4, nanoseconds=999)) == t
    stamp = pd.Timestamp(t) + pd.Timedelta(nanoseconds=999)
    assert cal.add(stamp, timedelta(hours=4)) == four
    assert type(cal.elapsed(stamp, four)) is timedelta
    assert cal.elapsed(stamp, four) == timedelta(hours=4)
