"""Invariants of the SLA clocks (issue 4), on random calendars, policies and ticket timelines.

* without pauses, the resolution deadline is ``calendar.add(created, target)``;
* a pause of business length p moves a running deadline by exactly p of business time;
* ``elapsed`` never decreases as ``now`` grows;
* once ``breached``, a clock stays breached; a met response stays met;
* any timeline, valid or not, gets a report or a ``BizclockError`` (SPEC §8).

A clock is followed from one ``now`` to a later one by its metric and, for next-response
cycles, by its ``started_at``.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta
from typing import Any

from hypothesis import assume, given, note
from hypothesis import strategies as st

import bizclock
from bizclock import sla
from strategies import anchor_dates, calendar_configs, durations, instants

NEAR = st.shared(anchor_dates(), key="near")
CALENDARS = NEAR.flatmap(calendar_configs).map(bizclock.Calendar.from_dict)
STARTS = NEAR.flatmap(instants)
TARGETS = durations(max_hours=120).filter(lambda d: d > timedelta(0))
GAPS = st.one_of(
    st.integers(0, 4 * 24 * 60).map(lambda m: timedelta(minutes=m)),
    st.integers(0, 3 * 86_400_000_000).map(lambda us: timedelta(microseconds=us)),
)
STATUSES = ("open", "pending", "on_hold", "new")
PAUSE_ON = frozenset({"pending", "on_hold"})
PRIORITIES = ("a", "b")
MONOTONE_METRICS = ("first_response", "resolution")


def single_target(cal: bizclock.Calendar, within: sla.Duration) -> sla.Policy:
    return sla.Policy(
        calendar=cal,
        targets={"p": {"resolution": sla.Target(within)}},
        pause_on=PAUSE_ON,
    )


@st.composite
def policies(draw: st.DrawFn, *, one_calendar: bool) -> sla.Policy:
    """Two priorities with random targets; maybe on a second calendar (24/7 or random)."""
    cal = draw(CALENDARS)
    other = draw(
        st.sampled_from([bizclock.Calendar.from_dict({"timezone": "UTC", "hours": "24/7"})])
        | CALENDARS
    )
    within = TARGETS | st.integers(1, 4).map(sla.BusinessDays)
    targets: dict[str, dict[str, sla.Target]] = {}
    for priority in PRIORITIES:
        metrics = draw(st.sets(st.sampled_from(sla.METRICS)))
        targets[priority] = {
            metric: sla.Target(
                draw(within), None if one_calendar else draw(st.sampled_from([None, "other"]))
            )
            for metric in metrics
        }
    return sla.Policy(
        calendar=cal,
        calendars={"other": other},
        targets=targets,
        pause_on=PAUSE_ON,
        warn_at=draw(st.none() | st.floats(0.01, 1.0)),
    )


@st.composite
def timelines(draw: st.DrawFn) -> list[sla.Event]:
    """A valid timeline: ``created`` then up to 12 events of any kind, in order."""
    t = draw(STARTS).astimezone(UTC)
    events = [sla.Event(t, "created", priority=draw(st.sampled_from((*PRIORITIES, None))))]
    solved = False
    kinds = st.sampled_from(
        ["status", "agent_reply", "customer_reply", "customer_reply", "solve/reopen", "priority"]
    )
    for _ in range(draw(st.integers(0, 12))):
        t += draw(GAPS)
        kind = draw(kinds)
        if kind == "status":
            events.append(sla.Event(t, kind, status=draw(st.sampled_from(STATUSES))))
        elif kind == "priority":
            events.append(sla.Event(t, kind, priority=draw(st.sampled_from(PRIORITIES))))
        elif kind == "solve/reopen":
            events.append(sla.Event(t, "reopened" if solved else "solved"))
            solved = not solved
        else:
            events.append(sla.Event(t, kind))
    return events


def nows(timeline: list[sla.Event]) -> st.SearchStrategy[list[datetime]]:
    """Sorted instants from ``created`` to a few days after the last event, event times too."""
    start, last = timeline[0].at, timeline[-1].at
    span_us = (last - start) // timedelta(microseconds=1) + 5 * 86_400_000_000
    offsets = st.integers(0, span_us).map(lambda us: start + timedelta(microseconds=us))
    return st.lists(
        offsets | st.sampled_from([e.at for e in timeline]), min_size=2, max_size=8
    ).map(sorted)


def same_clock(a: sla.Clock, b: sla.Clock) -> bool:
    return a.metric != "next_response" or a.started_at == b.started_at


def reports(policy: sla.Policy, timeline: list[sla.Event], when: list[datetime]) -> list[Any]:
    result = [sla.evaluate(policy, timeline, now) for now in when]
    note(f"reports: {result}")
    return result


@given(cal=CALENDARS, created=STARTS, target=TARGETS, later=GAPS)
def test_resolution_deadline_without_pauses(
    cal: bizclock.Calendar, created: datetime, target: timedelta, later: timedelta
) -> None:
    policy = single_target(cal, target)
    # Exact elapsed arithmetic: `created + later` on a fold=1 wall time drops the fold.
    now = created.astimezone(UTC) + later
    clock = sla.evaluate(policy, [sla.Event(created, "created", priority="p")], now)
    # Compared in UTC: PEP 495 makes an ambiguous wall time unequal to other zones' datetimes.
    deadline = clock["resolution"].deadline
    assert deadline is not None
    assert deadline.astimezone(UTC) == cal.add(created, target).astimezone(UTC)


@given(cal=CALENDARS, created=STARTS, days=st.integers(1, 5), later=GAPS)
def test_business_days_deadline_without_pauses(
    cal: bizclock.Calendar, created: datetime, days: int, later: timedelta
) -> None:
    policy = single_target(cal, sla.BusinessDays(days))
    # Exact elapsed arithmetic: `created + later` on a fold=1 wall time drops the fold.
    now = created.astimezone(UTC) + later
    clock = sla.evaluate(policy, [sla.Event(created, "created", priority="p")], now)
    resolution = clock["resolution"]
    assert resolution.target == sla.business_days_target(cal, created, days)
    assert resolution.deadline is not None
    expected = cal.add(created, resolution.target)
    assert resolution.deadline.astimezone(UTC) == expected.astimezone(UTC)
    # the deadline closes the n-th business day after the start's local date: it is a closing
    # instant, or a midnight for a day open round the clock; an overnight shift beginning on that
    # day closes the next day, at the latest at its end
    deadline = resolution.deadline
    assert deadline is not None
    local = deadline.astimezone(cal.zone)
    assert not cal.is_open(deadline) or local.time() == time(0)
    day = cal.add_business_days(created.astimezone(cal.zone).date(), days)
    assert cal.localize(datetime.combine(day, time())) < deadline
    assert deadline <= cal.localize(datetime.combine(day + timedelta(days=2), time()))
    assert cal.elapsed(created, deadline) > timedelta(0)


@given(
    cal=CALENDARS,
    created=STARTS,
    target=TARGETS,
    gaps=st.tuples(GAPS, GAPS, GAPS),
    status=st.sampled_from(sorted(PAUSE_ON)),
)
def test_pause_moves_deadline_by_its_business_length(
    cal: bizclock.Calendar,
    created: datetime,
    target: timedelta,
    gaps: tuple[timedelta, timedelta, timedelta],
    status: str,
) -> None:
    policy = single_target(cal, target)
    created = created.astimezone(UTC)
    paused, resumed = created + gaps[0], created + gaps[0] + gaps[1]
    now = resumed + gaps[2]
    plain = [sla.Event(created, "created", priority="p")]
    with_pause = [
        *plain,
        sla.Event(paused, "status", status=status),
        sla.Event(resumed, "status", status="open"),
    ]
    moved = sla.evaluate(policy, with_pause, now)["resolution"]
    assume(moved.state == "running")
    before = sla.evaluate(policy, plain, now)["resolution"]
    assert before.deadline is not None
    assert moved.deadline is not None
    assert cal.elapsed(before.deadline, moved.deadline) == cal.elapsed(paused, resumed)
    assert moved.elapsed == before.elapsed - cal.elapsed(paused, resumed)


@given(data=st.data(), policy=policies(one_calendar=True), timeline=timelines())
def test_elapsed_never_decreases(
    data: st.DataObject, policy: sla.Policy, timeline: list[sla.Event]
) -> None:
    when = data.draw(nows(timeline))
    results = reports(policy, timeline, when)
    for earlier, later in itertools.pairwise(results):
        for metric, clock in earlier.items():
            if metric in later and same_clock(clock, later[metric]):
                assert later[metric].elapsed >= clock.elapsed


@given(data=st.data(), policy=policies(one_calendar=False), timeline=timelines())
def test_decisions_are_final(
    data: st.DataObject, policy: sla.Policy, timeline: list[sla.Event]
) -> None:
    when = data.draw(nows(timeline))
    results = reports(policy, timeline, when)
    for index, earlier in enumerate(results):
        for metric, clock in earlier.items():
            for later in results[index + 1 :]:
                # A decided clock stays in the report.  Not a met resolution clock: a
                # reopen revives it, and a later priority without a resolution target
                # then drops it like any running clock.
                if clock.state == "breached" or (clock.state == "met" and metric != "resolution"):
                    assert metric in later
                elif metric not in later:
                    break  # no target for it at the new priority
                if not same_clock(clock, later[metric]):
                    break  # a new cycle began: a different clock
                if clock.state == "breached":
                    # once breached, never running, paused or met again, nor gone
                    assert later[metric].state == "breached"
                    assert later[metric].breached_at == clock.breached_at
                if clock.state == "met" and metric != "resolution":
                    # only a reopen resumes a clock, and only the resolution clock
                    assert later[metric].state == "met"


@given(data=st.data(), policy=policies(one_calendar=False), timeline=timelines())
def test_report_is_consistent(
    data: st.DataObject, policy: sla.Policy, timeline: list[sla.Event]
) -> None:
    when = data.draw(nows(timeline))
    for now, report in zip(when, reports(policy, timeline, when), strict=True):
        for clock in report.values():
            assert clock.remaining == clock.target - clock.elapsed
            assert (clock.state == "breached") == (clock.breached_at is not None)
            assert (clock.state == "met") == (clock.met_at is not None)
            if clock.state == "breached":
                assert clock.remaining < timedelta(0)
                assert clock.breached_at is not None
                assert clock.breached_at <= now
            else:
                assert clock.remaining >= timedelta(0)
            if clock.state == "running":
                assert clock.deadline is not None
            if clock.state in ("paused", "met") or clock.stopped_at is not None:
                assert clock.deadline is None
            if clock.stopped_at is not None:
                assert not clock.warning
            if clock.state == "breached" and clock.deadline is not None:
                assert clock.deadline == clock.breached_at
            assert clock.started_at <= now
            if policy.warn_at is None:
                assert not clock.warning


JUNK_EVENTS = st.builds(
    sla.Event,
    STARTS,
    st.sampled_from([*sla.EVENT_KINDS, "escalated", ""]),
    status=st.none() | st.sampled_from(STATUSES),
    priority=st.none() | st.sampled_from([*PRIORITIES, "zzz"]),
)


@given(
    policy=policies(one_calendar=False),
    timeline=st.lists(JUNK_EVENTS, max_size=8),
    now=STARTS,
)
def test_any_timeline_answers_or_raises_a_bizclock_error(
    policy: sla.Policy, timeline: list[sla.Event], now: datetime
) -> None:
    try:
        report = sla.evaluate(policy, timeline, now)
    except bizclock.BizclockError as exc:
        message = str(exc)
        assert message  # every error says what is wrong
    else:
        assert set(report) <= set(sla.METRICS)
