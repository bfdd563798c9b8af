"""Replay a ticket's timeline against a policy and report every SLA clock at ``now``.

How it works: one pass over the events keeps, for each clock, the *running spans* (the real
intervals during which the clock was started, not stopped, the ticket not paused and not
solved) as UTC instants. Business time is only measured when it matters -- when a clock stops,
when the priority (so the target and maybe the calendar) changes, and at ``now`` -- as the sum
of ``calendar.elapsed`` over the spans, so a change of calendar re-measures the ticket's whole
history in the new one.

The rules the SPEC leaves open are written down in ``docs/sla.md``; the main ones:

* a decision is final: a clock that was met or breached keeps that result and its target,
  whatever later priority changes say; only ``reopened`` turns a *met* resolution clock
  back into a running one (a breached one stays breached and keeps counting);
* solving stops every clock: the first response and an open next-response cycle are met (or
  breached) at the solve, like the resolution clock;
* the report's ``next_response`` is the latest cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, time, timedelta, tzinfo

from bizclock._calendar import Calendar
from bizclock._errors import ArgumentTypeError, BizclockError, NaiveDatetimeError, SlaError
from bizclock.sla._duration import BusinessDays
from bizclock.sla._events import EVENT_KINDS, Clock, ClockState, Event
from bizclock.sla._policy import Policy, Target

__all__ = ["Report", "evaluate", "evaluate_many"]

Report = dict[str, Clock]
"""What :func:`evaluate` returns: metric name -> :class:`Clock`, in :data:`METRICS` order."""

_ZERO = timedelta(0)
_ONE_US = timedelta(microseconds=1)
_KINDS = frozenset(EVENT_KINDS)


class _Run:
    """One clock of one ticket while the timeline is replayed (internal and mutable)."""

    __slots__ = (
        "active",
        "breached_at",
        "calendar",
        "decision",
        "metric",
        "priority",
        "run_from",
        "spans",
        "started_at",
        "stopped_at",
        "target",
    )

    def __init__(self, metric: str, started_at: datetime) -> None:
        self.metric = metric
        self.started_at = started_at
        self.spans: list[tuple[datetime, datetime]] = []
        self.run_from: datetime | None = None  # start of the span running now, if any
        self.active = True  # started and not stopped (it may still be paused)
        self.stopped_at: datetime | None = None
        # Set once decided ("met" / "breached"): the result, and what it was measured against.
        self.decision: ClockState | None = None
        self.priority = ""
        self.target = _ZERO
        self.calendar: Calendar | None = None
        self.breached_at: datetime | None = None

    def sync(self, t: datetime, *, ticket_runs: bool) -> None:
        """Open or close the running span at ``t`` to match the ticket's state."""
        if self.active and ticket_runs:
            if self.run_from is None:
                self.run_from = t
        elif self.run_from is not None:
            if t > self.run_from:
                self.spans.append((self.run_from, t))
            self.run_from = None

    def used(self, cal: Calendar, upto: datetime) -> timedelta:
        """Business time on the clock in ``cal`` up to ``upto``."""
        total = _ZERO
        for start, end in self.spans:
            total += cal.elapsed(start, end)
        if self.run_from is not None:
            total += cal.elapsed(self.run_from, upto)
        return total

    def ran_out(self, cal: Calendar, target: timedelta, upto: datetime) -> datetime:
        """The instant the clock ran out of ``target`` (it is known to have exceeded it)."""
        spans = self.spans
        if self.run_from is not None:
            spans = [*spans, (self.run_from, upto)]
        used = _ZERO
        for start, end in spans:
            span = cal.elapsed(start, end)
            if used + span > target:
                return cal.add(start, target - used)
            used += span
        raise AssertionError("ran_out() called on a clock within its target")  # pragma: no cover


class _Replay:
    """The state of one ticket while its timeline is replayed."""

    __slots__ = (
        "bd_cache",
        "cycle",
        "first",
        "paused",
        "policy",
        "priority",
        "resolution",
        "responded",
        "solved",
    )

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.priority: str | None = None
        self.paused = False
        self.solved = False
        # Whether an agent has answered (or the ticket was solved): from then on a customer
        # reply opens a next-response cycle.
        self.responded = False
        self.first: _Run | None = None
        self.cycle: _Run | None = None
        self.resolution: _Run | None = None
        self.bd_cache: dict[tuple[int, Calendar, datetime], timedelta] = {}

    def runs(self) -> list[_Run]:
        return [run for run in (self.first, self.cycle, self.resolution) if run is not None]

    def sync(self, t: datetime) -> None:
        ticket_runs = not (self.paused or self.solved)
        for run in self.runs():
            run.sync(t, ticket_runs=ticket_runs)

    def resolve(self, target: Target, cal: Calendar, started_at: datetime) -> timedelta:
        """A target as business time; ``"3bd"`` is turned into it at the clock's start."""
        within = target.within
        if not isinstance(within, BusinessDays):
            return within
        key = (within.days, cal, started_at)
        if key not in self.bd_cache:
            self.bd_cache[key] = business_days_target(cal, started_at, within.days)
        return self.bd_cache[key]

    def settle(self, run: _Run, priority: str, upto: datetime) -> None:
        """Decide ``run`` against ``priority``'s target if it breached or has stopped."""
        entry = self.policy._resolved[priority].get(run.metric)
        if entry is None or run.decision is not None:
            return
        target = self.resolve(entry[0], entry[1], run.started_at)
        cal = entry[1]
        used = run.used(cal, upto)
        if used > target:
            run.decision = "breached"
            run.breached_at = run.ran_out(cal, target, upto)
        elif not run.active:
            run.decision = "met"
        else:
            return
        run.priority, run.target, run.calendar = priority, target, cal

    def stop(self, run: _Run | None, t: datetime) -> None:
        if run is None or not run.active:
            return
        run.active = False
        run.stopped_at = t
        run.sync(t, ticket_runs=False)
        if self.priority is not None:
            self.settle(run, self.priority, t)

    def set_priority(self, priority: str, t: datetime) -> None:
        old = self.priority
        self.sync(t)  # make the spans current before measuring anything
        for run in self.runs():
            if old is not None:
                self.settle(run, old, t)  # a breach under the old target stands
            self.settle(run, priority, t)
        self.priority = priority


def business_days_target(cal: Calendar, start: datetime, days: int) -> timedelta:
    """Business time from ``start`` to the close of the ``days``-th business day after it.

    The business day is counted from ``start``'s local date in ``cal``; its close is the end
    of the last open run that begins on it (an overnight shift ends the next morning; a day
    open round the clock closes at the following midnight).
    """
    day = cal.add_business_days(start.astimezone(cal.zone).date(), days)
    day_start = cal.localize(datetime.combine(day, time()))
    day_end = cal.localize(datetime.combine(day + timedelta(days=1), time()))
    runs = cal.open_intervals(day_start, day_end)
    if not runs:
        raise SlaError(f"business day {day.isoformat()} has no open time")  # pragma: no cover
    run_start, close = runs[-1]
    if close == day_end and run_start > day_start:
        # A shift that begins on `day` and runs past midnight: it closes the next day.
        after = cal.localize(datetime.combine(day + timedelta(days=2), time()))
        close = cal.open_intervals(run_start, after)[0][1]
    return cal.elapsed(start, close)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is UTC else value.astimezone(UTC)


def _check_now(now: object) -> datetime:
    if not isinstance(now, datetime):
        raise ArgumentTypeError(f"now: expected an aware datetime, got {now!r}")
    if now.tzinfo is None or now.utcoffset() is None:
        raise NaiveDatetimeError(
            f"now: naive datetime {now.isoformat()!r}; attach a tzinfo "
            "(e.g. now.replace(tzinfo=ZoneInfo(...))) or use cal.localize(now)"
        )
    return _utc(now)


def _check_timeline(policy: Policy, timeline: object) -> list[tuple[datetime, Event]]:
    """Validate every event (whatever ``now`` is) and return them with UTC instants."""
    if isinstance(timeline, Event | str | bytes) or not isinstance(timeline, Iterable):
        raise ArgumentTypeError(f"timeline: expected a sequence of Event, got {timeline!r}")
    events: list[tuple[datetime, Event]] = []
    previous: datetime | None = None
    solved = False
    for index, event in enumerate(timeline):
        where = f"timeline[{index}]"
        if not isinstance(event, Event):
            raise ArgumentTypeError(f"{where}: expected an Event, got {event!r}")
        at, kind = event.at, event.kind
        if not isinstance(at, datetime):
            raise ArgumentTypeError(f"{where}: 'at' must be an aware datetime, got {at!r}")
        if at.tzinfo is None or at.utcoffset() is None:
            raise NaiveDatetimeError(
                f"{where}: naive datetime {at.isoformat()!r}; attach a tzinfo or use cal.localize()"
            )
        if kind not in _KINDS:
            raise SlaError(
                f"{where}: unknown event kind {kind!r} (expected one of "
                f"{', '.join(map(repr, EVENT_KINDS))})"
            )
        if event.status is not None and not isinstance(event.status, str):
            raise ArgumentTypeError(f"{where}: status must be a string, got {event.status!r}")
        if kind == "status" and event.status is None:
            raise SlaError(f"{where}: a 'status' event needs status=")
        if kind == "priority" and event.priority is None:
            raise SlaError(f"{where}: a 'priority' event needs priority=")
        if event.priority is not None and event.priority not in policy._resolved:
            known = ", ".join(map(repr, policy.targets)) or "none"
            raise SlaError(
                f"{where}: unknown priority {event.priority!r} (the policy knows {known})"
            )
        if index == 0 and kind != "created":
            raise SlaError(
                f"{where}: {kind!r} event before 'created' (a timeline starts "
                "with its 'created' event)"
            )
        if index > 0 and kind == "created":
            raise SlaError(f"{where}: a second 'created' event")
        utc = _utc(at)
        if previous is not None and utc < previous:
            raise SlaError(
                f"{where}: out of order: {at.isoformat()} is before the previous event "
                f"({events[-1][1].at.isoformat()})"
            )
        if kind == "solved":
            if solved:
                raise SlaError(f"{where}: 'solved' but the ticket is already solved")
            solved = True
        elif kind == "reopened":
            if not solved:
                raise SlaError(f"{where}: 'reopened' but the ticket is not solved")
            solved = False
        previous = utc
        events.append((utc, event))
    if not events:
        raise SlaError("timeline: empty; a timeline starts with its 'created' event")
    return events


def _report(state: _Replay, now: datetime, out_tz: tzinfo) -> Report:
    policy = state.policy
    report: Report = {}
    for run in (state.first, state.cycle, state.resolution):
        if run is None:
            continue
        if run.decision is None and state.priority is not None:
            state.settle(run, state.priority, now)
        if run.decision is not None:
            assert run.calendar is not None
            priority, target, cal = run.priority, run.target, run.calendar
            clock_state: ClockState = run.decision
        else:
            entry = policy._resolved[state.priority].get(run.metric) if state.priority else None
            if entry is None:
                continue  # no target for this metric at this priority: no clock
            priority, cal = state.priority or "", entry[1]
            target = state.resolve(entry[0], cal, run.started_at)
            clock_state = "running" if run.run_from is not None else "paused"
        closed = _ZERO
        for start, end in run.spans:
            closed += cal.elapsed(start, end)
        used = closed
        if run.run_from is not None:
            used += cal.elapsed(run.run_from, now)
        deadline: datetime | None = None
        if run.run_from is not None:
            if run.breached_at is not None:
                deadline = run.breached_at
            else:
                deadline = cal.add(run.run_from, target - closed)
        warning = False
        ratio = policy._warn_ratio
        if ratio is not None and run.active:
            warning = used // _ONE_US * ratio.denominator >= (target // _ONE_US * ratio.numerator)
        report[run.metric] = Clock(
            metric=run.metric,
            priority=priority,
            state=clock_state,
            target=target,
            elapsed=used,
            remaining=target - used,
            deadline=None if deadline is None else deadline.astimezone(out_tz),
            breached_at=None if run.breached_at is None else run.breached_at.astimezone(out_tz),
            met_at=(
                None
                if clock_state != "met" or run.stopped_at is None
                else run.stopped_at.astimezone(out_tz)
            ),
            started_at=run.started_at.astimezone(out_tz),
            stopped_at=None if run.stopped_at is None else run.stopped_at.astimezone(out_tz),
            warning=warning,
        )
    return report


def _evaluate(policy: Policy, timeline: object, now: datetime, out_tz: tzinfo) -> Report:
    events = _check_timeline(policy, timeline)
    created = events[0][0]
    if now < created:
        raise SlaError(
            f"timeline[0]: now ({now.astimezone(out_tz).isoformat()}) is before 'created' "
            f"({events[0][1].at.isoformat()})"
        )
    state = _Replay(policy)
    for t, event in events:
        if t > now:
            break  # the report is the state at `now`; later events have not happened yet
        kind = event.kind
        if kind == "created":
            state.first = _Run("first_response", t)
            state.resolution = _Run("resolution", t)
        elif kind == "agent_reply":
            state.stop(state.first, t)
            state.stop(state.cycle, t)
            state.responded = True
        elif kind == "customer_reply":
            if state.responded and (state.cycle is None or not state.cycle.active):
                state.cycle = _Run("next_response", t)
        elif kind == "solved":
            state.solved = True
            state.stop(state.first, t)
            state.stop(state.cycle, t)
            state.stop(state.resolution, t)
            state.responded = True
        elif kind == "reopened":
            state.solved = False
            resolution = state.resolution
            if resolution is not None:
                resolution.active = True
                resolution.stopped_at = None
                if resolution.decision == "met":
                    resolution.decision = None  # running again, on the current target
        if event.priority is not None and event.priority != state.priority:
            state.set_priority(event.priority, t)
        if event.status is not None:
            state.paused = event.status in policy.pause_on
        state.sync(t)
    return _report(state, now, out_tz)


def evaluate(policy: Policy, timeline: Iterable[Event], now: datetime) -> Report:
    """Every SLA clock of one ticket at ``now``: metric name -> :class:`Clock`.

    ``timeline`` is the ticket's events in order, starting with ``created``; events after
    ``now`` are checked but have not happened yet. Metrics with no target at the ticket's
    priority, and a next-response clock before the first cycle, are absent from the report.
    A pure function: it reads no clock and does no I/O.

    Raises :class:`~bizclock.SlaError` naming the event's index for out-of-order events,
    events before ``created``, unknown event kinds or priorities, and ``now`` before
    ``created``.
    """
    if not isinstance(policy, Policy):
        raise ArgumentTypeError(f"policy: expected a Policy, got {policy!r}")
    now_utc = _check_now(now)
    assert now.tzinfo is not None
    return _evaluate(policy, timeline, now_utc, now.tzinfo)


def evaluate_many(
    policy: Policy, tickets: Iterable[Iterable[Event]], now: datetime
) -> list[Report]:
    """:func:`evaluate` for many tickets: one report per timeline, in order.

    ``tickets`` is an iterable of timelines (not a mapping: for ``{id: timeline}`` use
    ``dict(zip(d, evaluate_many(policy, d.values(), now)))``). An error names the ticket's
    position: ``tickets[17]: timeline[3]: ...``.
    """
    if not isinstance(policy, Policy):
        raise ArgumentTypeError(f"policy: expected a Policy, got {policy!r}")
    if isinstance(tickets, Mapping):
        raise ArgumentTypeError(
            "tickets: expected an iterable of timelines, got a mapping; "
            "pass tickets.values() and zip the reports with the keys"
        )
    now_utc = _check_now(now)
    assert now.tzinfo is not None
    out_tz = now.tzinfo
    reports: list[Report] = []
    for index, timeline in enumerate(tickets):
        try:
            reports.append(_evaluate(policy, timeline, now_utc, out_tz))
        except BizclockError as exc:
            raise type(exc)(f"tickets[{index}]: {exc}") from exc
    return reports
