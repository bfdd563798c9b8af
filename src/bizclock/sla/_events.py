"""The values of the SLA layer: ticket events in, clocks out."""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from datetime import datetime, timedelta
from typing import Literal

__all__ = ["EVENT_KINDS", "Clock", "ClockState", "Event"]

#: The kinds of ticket event :func:`~bizclock.sla.evaluate` understands.
EVENT_KINDS: tuple[str, ...] = (
    "created",
    "status",
    "agent_reply",
    "customer_reply",
    "solved",
    "reopened",
    "priority",
)

ClockState = Literal["running", "paused", "met", "breached"]
"""The state of an SLA clock."""


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of a ticket's timeline.

    ``kind`` is one of :data:`EVENT_KINDS`. A ``"status"`` event needs ``status=``, a
    ``"priority"`` event needs ``priority=``; any event may also carry either, which then
    takes effect at the same instant, after the event itself (an agent reply that also sets the
    ticket to ``pending``: ``Event(t, "agent_reply", status="pending")``). A ``"created"``
    event normally carries the ticket's first priority.

    Events are checked by :func:`~bizclock.sla.evaluate`, which can name the bad one's index.
    """

    at: datetime
    kind: str
    _: KW_ONLY
    status: str | None = None
    priority: str | None = None


@dataclass(frozen=True, slots=True)
class Clock:
    """The state of one SLA metric of one ticket at the evaluation instant ``now``.

    Attributes:
        metric: ``"first_response"``, ``"next_response"`` or ``"resolution"``.
        priority: the priority whose target the clock is measured against.
        state: ``"running"``, ``"paused"`` (waiting on the customer, or a next-response cycle
            opened while the ticket is solved), ``"met"`` (stopped within the target) or
            ``"breached"`` (target exceeded, whether still running or stopped late).
        target: the target as business time (a ``"3bd"`` target turned into business time).
        elapsed: business time used, in the target's calendar, while the clock ran.
        remaining: ``target - elapsed``; negative exactly when the target is exceeded.
        deadline: while the clock runs, the instant the target runs out if nothing pauses it
            (for a breached clock: when it ran out); ``None`` while paused or stopped.
        breached_at: when the target ran out, for a breached clock (it may lie in the past).
        met_at: when the clock stopped within its target.
        started_at: when the clock started (``created``, or the customer reply that opened
            a next-response cycle).
        stopped_at: when the clock stopped (the reply or the solve), ``None`` while it runs or
            is paused.
        warning: whether the clock is not stopped and has used at least ``warn_at`` of its
            target.

    Every datetime is expressed in the tzinfo of the ``now`` given to ``evaluate``.
    """

    metric: str
    priority: str
    state: ClockState
    target: timedelta
    elapsed: timedelta
    remaining: timedelta
    deadline: datetime | None
    breached_at: datetime | None
    met_at: datetime | None
    started_at: datetime
    stopped_at: datetime | None
    warning: bool
