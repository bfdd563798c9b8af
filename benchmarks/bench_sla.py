"""Time sla.evaluate_many on 100,000 tickets of ~10 events each.

Run: ``python benchmarks/bench_sla.py [N]`` (N tickets, default 100,000).
"""
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from bizclock import sla

policy = sla.Policy.from_dict({
    "calendar": {"timezone": "Europe/Berlin", "hours": {"mon-fri": "09:00-17:00"},
                 "holidays": ["*-12-25", "*-12-26", "*-01-01"], "country_holidays": ["DE-BY"]},
    "calendars": {"always": {"timezone": "UTC", "hours": "24/7"}},
    "pause_on": ["pending", "on_hold"],
    "warn_at": 0.75,
    "targets": {
        "urgent": {"first_response": "30m", "next_response": "1h",
                   "resolution": {"within": "4h", "calendar": "always"}},
        "high": {"first_response": "1h", "next_response": "4h", "resolution": "16h"},
        "normal": {"first_response": "4h", "next_response": "8h", "resolution": "3bd"},
        "low": {"first_response": "8h", "resolution": "5bd"},
    },
})
rng = random.Random(42)
base = datetime(2025, 1, 1, tzinfo=UTC)
prios = ["urgent", "high", "normal", "normal", "low"]


def ticket():
    t = base + timedelta(seconds=rng.randrange(365 * 86400))
    events = [sla.Event(t, "created", priority=rng.choice(prios))]
    solved = False
    while len(events) < 10:
        t += timedelta(seconds=rng.randrange(60, 2 * 86400))
        r = rng.random()
        if solved:
            events.append(sla.Event(t, "reopened"))
            solved = False
        elif r < 0.3:
            events.append(sla.Event(t, "agent_reply"))
        elif r < 0.6:
            events.append(sla.Event(t, "customer_reply"))
        elif r < 0.75:
            events.append(sla.Event(t, "status", status=rng.choice(["pending", "open", "on_hold"])))
        elif r < 0.82:
            events.append(sla.Event(t, "priority", priority=rng.choice(prios)))
        elif r < 0.9:
            events.append(sla.Event(t, "solved"))
            solved = True
        else:
            events.append(sla.Event(t, "agent_reply", status="pending"))
    return events


n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
tickets = [ticket() for _ in range(n)]
now = datetime(2026, 1, 15, tzinfo=UTC)
mid = base + timedelta(days=180)
# warm the calendars' compiled years (a long-running service has them warm)
sla.evaluate_many(policy, tickets[:2000], now)
for label, at in (("now after every event", now), ("now mid-year (many tickets open)", mid)):
    ts = [tk for tk in tickets if tk[0].at <= at]
    t0, w0 = time.process_time(), time.perf_counter()
    reports = sla.evaluate_many(policy, ts, at)
    dt, wall = time.process_time() - t0, time.perf_counter() - w0
    states: dict[str, int] = {}
    for rep in reports:
        for c in rep.values():
            states[c.state] = states.get(c.state, 0) + 1
    print(
        f"{label}: {len(ts)} tickets, {sum(len(t) for t in ts)} events: "
        f"{dt:.2f} s CPU ({wall:.2f} s wall) ({dt / len(ts) * 1e6:.1f} µs/ticket); "
        f"states {states}"
    )
