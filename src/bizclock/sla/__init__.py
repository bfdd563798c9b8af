"""SLA clocks on business calendars: policies, ticket timelines, breach and warning (SPEC §5).

>>> from bizclock import sla
>>> sla.parse_duration("1h30m")
datetime.timedelta(seconds=5400)

Build a :class:`Policy` (``Policy.from_dict``), describe a ticket as a list of :class:`Event`,
and :func:`evaluate` it at an instant ``now`` to get one :class:`Clock` per metric.
Everything here is a pure function of its inputs. See ``docs/sla.md`` for the rules.
"""

from bizclock._errors import SlaError
from bizclock.sla._duration import BusinessDays, Duration, format_duration, parse_duration
from bizclock.sla._evaluate import Report, business_days_target, evaluate, evaluate_many
from bizclock.sla._events import EVENT_KINDS, Clock, ClockState, Event
from bizclock.sla._policy import METRICS, Policy, Target

__all__ = [
    "EVENT_KINDS",
    "METRICS",
    "BusinessDays",
    "Clock",
    "ClockState",
    "Duration",
    "Event",
    "Policy",
    "Report",
    "SlaError",
    "Target",
    "business_days_target",
    "evaluate",
    "evaluate_many",
    "format_duration",
    "parse_duration",
]
