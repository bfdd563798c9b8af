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
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bizclock._calendar import Calendar
from bizclock._errors import (
    ArgumentTypeError,
    BizclockError,
    NaiveDatetimeError,
    OutOfRangeError,
    SlaError,
)
from bizclock.sla._duration import BusinessDays
from bizclock.sla._events import EVENT_KINDS, Clock, ClockState, Event
from bizclock.sla._policy import Policy, Target

__all__ = ["Report", "evaluate", "evaluate_many"]

Report = dict[str, Clock]
"""What :func:`evaluate` returns: metric name -> :class:`Clock`, in :data:`METRICS` order."""

_ZERO = timedelta(0)
_ONE_US = timedelta(microseconds=1)
_KINDS = frozenset(EVENT_KINDS)
_STARTS = frozenset({"created", "customer_reply", "reopened"})
# The close of "n business days after date d" in a calendar: (id(cal), ordinal, n) -> close.
_Closes = dict[tuple[int, int, int], datetime]
_CLOSES_LIMIT = 1 << 16


class _Run:
    """One clock of one ticket while the timeline is replayed (internal and mutable)."""

    __slots__ = (
        "active",
        "breached_at",
        "calendar",
        "closed",
        "decision",
        "metric",
        "priority",
        "resolved",
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
        # Caches, keyed by id() of calendars the policy holds for the whole evaluation:
        # business time of the first n closed spans, and "3bd" targets resolved at the start.
        self.closed: dict[int, tuple[int, timedelta]] = {}
        self.resolved: dict[tuple[int, int], timedelta] = {}

    def sync(self, t: datetime, *, ticket_runs: bool) -> None:
        """Open or close the running span at ``t`` to match the ticket's state."""
        if self.active and ticket_runs:
            if self.run_from is None:
                self.run_from = t
        elif self.run_from is not None:
            if t > self.run_from:
                self.spans.append((self.run_from, t))
            self.run_from = None

    def used_closed(self, cal: Calendar) -> timedelta:
        """Business time in ``cal`` over the closed spans."""
        count, total = self.closed.get(id(cal), (0, _ZERO))
        spans = self.spans
        if count < len(spans):
            for start, end in spans[count:]:
                total += cal.elapsed(start, end)
            self.closed[id(cal)] = (len(spans), total)
        return total

    def used(self, cal: Calendar, upto: datetime) -> timedelta:
        """Business time on the clock in ``cal`` up to ``upto``."""
        total = self.used_closed(cal)
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

    def resolve(self, target: Target, cal: Calendar, closes: _Closes) -> timedelta:
        """A target as business time; ``"3bd"`` is turned into it at the clock's start."""
        within = target.within
        if not isinstance(within, BusinessDays):
            return within
        key = (within.days, id(cal))
        found = self.resolved.get(key)
        if found is None:
            start_date = self.started_at.astimezone(cal.zone).date()
            close_key = (id(cal), start_date.toordinal(), within.days)
            close = closes.get(close_key)
            if close is None:
                if len(closes) >= _CLOSES_LIMIT:
                    closes.clear()
                close = closes[close_key] = _business_day_close(cal, start_date, within.days)
            found = self.resolved[key] = cal.elapsed(self.started_at, close)
        return found


class _Replay:
    """The state of one ticket while its timeline is replayed."""

    __slots__ = (
        "cycle",
        "first",
        "paused",
        "policy",
        "priority",
        "resolution",
        "responded",
        "runs",
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
        self.runs: list[_Run] = []

    def sync(self, t: datetime) -> None:
        ticket_runs = not (self.paused or self.solved)
        for run in self.runs:
            run.sync(t, ticket_runs=ticket_runs)

    def settle(self, run: _Run, priority: str, upto: datetime) -> None:
        """Decide ``run`` against ``priority``'s target if it breached or has stopped."""
        if run.decision is not None:
            return
        entry = self.policy._resolved[priority].get(run.metric)
        if entry is None:
            return
        cal = entry[1]
        target = run.resolve(entry[0], cal, self.policy._closes)
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
        resolved = self.policy._resolved
        self.sync(t)  # make the spans current before measuring anything
        for run in self.runs:
            if run.decision is not None:
                continue  # decided clocks keep their target
            before = resolved[old].get(run.metric) if old is not None else None
            after = resolved[priority].get(run.metric)
            if before is not None:
                self.settle(run, old or "", t)  # a breach under the old target stands
                if after is not None and after[0] == before[0] and after[1] is before[1]:
                    continue  # same target, same calendar: nothing more to decide
            self.settle(run, priority, t)
        self.priority = priority

    def apply(self, kind: str, t: datetime) -> None:
        """What an event of ``kind`` does to the clocks, before its status and priority."""
        if kind == "created":
            self.first = _Run("first_response", t)
            self.resolution = _Run("resolution", t)
            self.runs = [self.first, self.resolution]
        elif kind == "agent_reply":
            self.stop(self.first, t)
            self.stop(self.cycle, t)
            self.responded = True
        elif kind == "customer_reply":
            if self.responded and (self.cycle is None or not self.cycle.active):
                self.cycle = _Run("next_response", t)
                self.runs = [run for run in (self.first, self.cycle, self.resolution) if run]
        elif kind == "solved":
            self.solved = True
            self.stop(self.first, t)
            self.stop(self.cycle, t)
            self.stop(self.resolution, t)
            self.responded = True
        elif kind == "reopened":
            self.solved = False
            resolution = self.resolution
            if resolution is not None:
                resolution.active = True
                resolution.stopped_at = None
                if resolution.decision == "met":
                    resolution.decision = None  # running again, on the current target


def business_days_target(cal: Calendar, start: datetime, days: int) -> timedelta:
    """Business time from ``start`` to the close of the ``days``-th business day after it.

    The business day is counted from ``start``'s local date in ``cal``; its close is the end
    of the last open run that begins on it. A day open round the clock closes at the following
    midnight; a run that begins on the day and goes on past midnight (an overnight shift)
    closes where it ends, but no later than the end of the next day.
    """
    return cal.elapsed(start, _business_day_close(cal, start.astimezone(cal.zone).date(), days))


def _business_day_close(cal: Calendar, start_date: date, days: int) -> datetime:
    day = cal.add_business_days(start_date, days)
    day_start = cal.localize(datetime.combine(day, time()))
    day_end = cal.localize(datetime.combine(day + timedelta(days=1), time()))
    runs = cal.open_intervals(day_start, day_end)
    if not runs:
        raise SlaError(f"business day {day.isoformat()} has no open time")  # pragma: no cover
    run_start, close = runs[-1]
    if close == day_end and run_start > day_start:
        after = cal.localize(datetime.combine(day + timedelta(days=2), time()))
        close = cal.open_intervals(run_start, after)[0][1]
    return close


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
    try:
        return _utc(now)
    except OverflowError:
        raise OutOfRangeError(f"now: {now.isoformat()} lies outside the supported range") from None


def _check_event(policy: Policy, index: int, event: object) -> datetime:
    """Check one event on its own; return its instant in UTC."""
    where = f"timeline[{index}]"
    if not isinstance(event, Event):
        raise ArgumentTypeError(f"{where}: expected an Event, got {event!r}")
    at, kind = event.at, event.kind
    if not isinstance(at, datetime):
        raise ArgumentTypeError(f"{where}: 'at' must be an aware datetime, got {at!r}")
    if at.tzinfo is not UTC and (at.tzinfo is None or at.utcoffset() is None):
        raise NaiveDatetimeError(
            f"{where}: naive datetime {at.isoformat()!r}; attach a tzinfo or use cal.localize()"
        )
    if not isinstance(kind, str) or kind not in _KINDS:
        raise SlaError(
            f"{where}: unknown event kind {kind!r} (expected one of "
            f"{', '.join(map(repr, EVENT_KINDS))})"
        )
    status, priority = event.status, event.priority
    if status is not None and not isinstance(status, str):
        raise ArgumentTypeError(f"{where}: status must be a string, got {status!r}")
    if priority is not None and not isinstance(priority, str):
        raise ArgumentTypeError(f"{where}: priority must be a string, got {priority!r}")
    if kind == "status" and status is None:
        raise SlaError(f"{where}: a 'status' event needs status=")
    if kind == "priority" and priority is None:
        raise SlaError(f"{where}: a 'priority' event needs priority=")
    if priority is not None and priority not in policy._resolved:
        known = ", ".join(map(repr, policy.targets)) or "none"
        raise SlaError(f"{where}: unknown priority {priority!r} (the policy knows {known})")
    if (index == 0) != (kind == "created"):
        if index == 0:
            raise SlaError(
                f"{where}: {kind!r} event before 'created' "
                "(a timeline starts with its 'created' event)"
            )
        raise SlaError(f"{where}: a second 'created' event")
    return _utc(at)


def _report(state: _Replay, now: datetime, out_tz: tzinfo) -> Report:
    def out(value: datetime | None) -> datetime | None:
        if value is None or value.tzinfo is out_tz:
            return value
        return value.astimezone(out_tz)

    policy = state.policy
    report: Report = {}
    for run in state.runs:
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
            target = run.resolve(entry[0], cal, policy._closes)
            clock_state = "running" if run.run_from is not None else "paused"
        closed = run.used_closed(cal)
        used = closed
        deadline: datetime | None = None
        if run.run_from is not None:
            used += cal.elapsed(run.run_from, now)
            if run.breached_at is not None:
                deadline = run.breached_at
            else:
                deadline = cal.add(run.run_from, target - closed)
        warning = False
        ratio = policy._warn_ratio
        if ratio is not None and run.active:
            warning = used // _ONE_US * ratio.denominator >= (target // _ONE_US * ratio.numerator)
        started_at = out(run.started_at)
        assert started_at is not None
        report[run.metric] = Clock(
            metric=run.metric,
            priority=priority,
            state=clock_state,
            target=target,
            elapsed=used,
            remaining=target - used,
            deadline=out(deadline),
            breached_at=out(run.breached_at),
            met_at=out(run.stopped_at) if clock_state == "met" else None,
            started_at=started_at,
            stopped_at=out(run.stopped_at),
            warning=warning,
        )
    return report


def _evaluate(policy: Policy, timeline: object, now: datetime, out_tz: tzinfo) -> Report:
    try:
        return _replay(policy, timeline, now, out_tz)
    except OverflowError as exc:
        if isinstance(exc, BizclockError):
            raise
        # A conversion between time zones at the very ends of the datetime range.
        raise OutOfRangeError(f"a datetime lies outside the supported range ({exc})") from exc


def _replay(policy: Policy, timeline: object, now: datetime, out_tz: tzinfo) -> Report:
    if isinstance(timeline, Event | str | bytes) or not isinstance(timeline, Iterable):
        raise ArgumentTypeError(f"timeline: expected a sequence of Event, got {timeline!r}")
    state = _Replay(policy)
    pause_on = policy.pause_on
    previous: datetime | None = None
    previous_event: Event | None = None
    solved = False
    # One pass: every event is checked, whatever `now` is, so that errors do not depend on it;
    # the events up to `now` are replayed (later ones have not happened yet).
    for index, event in enumerate(timeline):
        t = _check_event(policy, index, event)
        kind = event.kind
        if previous is not None and t < previous:
            assert previous_event is not None
            raise SlaError(
                f"timeline[{index}]: out of order: {event.at.isoformat()} is before the "
                f"previous event ({previous_event.at.isoformat()})"
            )
        if kind == "solved":
            if solved:
                raise SlaError(f"timeline[{index}]: 'solved' but the ticket is already solved")
            solved = True
        elif kind == "reopened":
            if not solved:
                raise SlaError(f"timeline[{index}]: 'reopened' but the ticket is not solved")
            solved = False
        elif index == 0 and now < t:
            raise SlaError(
                f"timeline[0]: now ({now.astimezone(out_tz).isoformat()}) is before 'created' "
                f"({event.at.isoformat()})"
            )
        previous, previous_event = t, event
        if t > now:
            continue
        state.apply(kind, t)
        if event.priority is not None and event.priority != state.priority:
            state.set_priority(event.priority, t)
        if event.status is not None:
            state.paused = event.status in pause_on
            state.sync(t)
        elif kind in _STARTS:
            state.sync(t)  # replies and solves close their own spans; these may open some
    if previous is None:
        raise SlaError("timeline: empty; a timeline starts with its 'created' event")
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
