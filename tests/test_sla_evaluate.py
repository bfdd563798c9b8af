"""SLA clocks, hand-computed (SPEC §5).

Calendar ``OFFICE``: Mon–Fri 09:00–17:00 Europe/Berlin, closed 2026-12-24, 25 and 26.
2026-11-20 and 2026-12-25 are Fridays. Every expected value below was worked out by hand; the
comment on each row shows the arithmetic. Instants are Berlin wall times unless they say UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import bizclock
from bizclock import sla

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = {
    "timezone": "Europe/Berlin",
    "hours": {"mon-fri": "09:00-17:00"},
    "holidays": ["2026-12-24", "*-12-25", "*-12-26"],
}
POLICY = sla.Policy.from_dict(
    {
        "calendar": OFFICE,
        "calendars": {"always": {"timezone": "UTC", "hours": "24/7"}},
        "pause_on": ["pending", "on_hold"],
        "warn_at": 0.75,
        "targets": {
            "urgent": {
                "first_response": "30m",
                "next_response": "1h",
                "resolution": {"within": "4h", "calendar": "always"},
            },
            "normal": {"first_response": "4h", "next_response": "8h", "resolution": "3bd"},
            "low": {"resolution": "16h"},
        },
    }
)


def at(text: str) -> datetime:
    """A Berlin wall time, ``"2026-11-20 16:00"``."""
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def h(hours: float) -> timedelta:
    return timedelta(hours=hours)


def ev(when: str, kind: str, **fields: str) -> sla.Event:
    return sla.Event(at(when), kind, **fields)


def check(clock: sla.Clock, expected: Mapping[str, Any]) -> None:
    """Compare the named attributes; strings stand for Berlin wall times."""
    actual = {name: getattr(clock, name) for name in expected}
    wanted = {
        name: at(value) if isinstance(value, str) and name not in ("state", "priority") else value
        for name, value in expected.items()
    }
    assert actual == wanted


def report(timeline: list[sla.Event], now: str, policy: sla.Policy = POLICY) -> sla.Report:
    return sla.evaluate(policy, timeline, at(now))


# -- first response ----------------------------------------------------------------------------

FRIDAY_NORMAL = [ev("2026-11-20 16:00", "created", priority="normal")]


class TestFirstResponse:
    @pytest.mark.parametrize(
        ("timeline", "now", "expected"),
        [
            pytest.param(
                [*FRIDAY_NORMAL, ev("2026-11-23 11:00", "agent_reply")],
                "2026-11-23 12:00",
                # Fri 16-17 (1h) + Mon 9-11 (2h) = 3h of 4h
                {
                    "state": "met",
                    "elapsed": h(3),
                    "remaining": h(1),
                    "deadline": None,
                    "met_at": "2026-11-23 11:00",
                    "stopped_at": "2026-11-23 11:00",
                    "breached_at": None,
                    "warning": False,
                },
                id="met",
            ),
            pytest.param(
                [*FRIDAY_NORMAL, ev("2026-11-23 13:30", "agent_reply")],
                "2026-11-24 09:00",
                # 1h + Mon 9-13:30 (4.5h) = 5.5h; 4h ran out at Mon 12:00
                {
                    "state": "breached",
                    "elapsed": h(5.5),
                    "remaining": h(-1.5),
                    "breached_at": "2026-11-23 12:00",
                    "met_at": None,
                    "stopped_at": "2026-11-23 13:30",
                    "deadline": None,
                    "warning": False,
                },
                id="breached-stopped-late",
            ),
            pytest.param(
                FRIDAY_NORMAL,
                "2026-11-23 10:59",
                # 1h + 1h59m = 2h59m < 75 % of 4h
                {
                    "state": "running",
                    "elapsed": h(3) - timedelta(minutes=1),
                    "deadline": "2026-11-23 12:00",
                    "warning": False,
                },
                id="running-below-warning",
            ),
            pytest.param(
                FRIDAY_NORMAL,
                "2026-11-23 11:00",
                # 3h = exactly 75 % of 4h
                {
                    "state": "running",
                    "elapsed": h(3),
                    "remaining": h(1),
                    "deadline": "2026-11-23 12:00",
                    "warning": True,
                },
                id="warning-at-threshold",
            ),
            pytest.param(
                FRIDAY_NORMAL,
                "2026-11-23 12:00",
                {
                    "state": "running",
                    "remaining": h(0),
                    "deadline": "2026-11-23 12:00",
                    "breached_at": None,
                },
                id="at-deadline-not-yet-breached",
            ),
            pytest.param(
                FRIDAY_NORMAL,
                "2026-11-23 12:30",
                {
                    "state": "breached",
                    "remaining": h(-0.5),
                    "deadline": "2026-11-23 12:00",
                    "breached_at": "2026-11-23 12:00",
                    "stopped_at": None,
                    "warning": True,
                },
                id="breached-running",
            ),
            pytest.param(
                [*FRIDAY_NORMAL, ev("2026-11-20 16:00", "agent_reply")],
                "2026-11-20 16:00",
                {"state": "met", "elapsed": h(0), "met_at": "2026-11-20 16:00"},
                id="reply-at-creation",
            ),
            pytest.param(
                [*FRIDAY_NORMAL, ev("2026-11-23 10:00", "solved")],
                "2026-11-23 11:00",
                # solving without a reply fulfils the first response
                {"state": "met", "elapsed": h(2), "met_at": "2026-11-23 10:00"},
                id="solved-without-reply",
            ),
            pytest.param(
                [
                    ev("2026-11-23 10:00", "created", priority="urgent"),
                    ev("2026-11-23 10:31", "agent_reply"),
                ],
                "2026-11-23 11:00",
                {
                    "state": "breached",
                    "target": h(0.5),
                    "elapsed": timedelta(minutes=31),
                    "breached_at": "2026-11-23 10:30",
                    "priority": "urgent",
                },
                id="urgent-breached-by-a-minute",
            ),
        ],
    )
    def test_scenarios(self, timeline: list[sla.Event], now: str, expected: dict[str, Any]) -> None:
        check(report(timeline, now)["first_response"], expected)

    @pytest.mark.parametrize(
        ("timeline", "now", "expected"),
        [
            pytest.param(
                [ev("2026-11-20 13:00", "created", priority="normal")],
                "2026-11-21 10:00",
                # the 4h ran out at Friday's close; no business time has passed since
                {"state": "running", "remaining": h(0), "deadline": "2026-11-20 17:00"},
                id="saturday-still-running",
            ),
            pytest.param(
                [
                    ev("2026-11-20 13:00", "created", priority="normal"),
                    ev("2026-11-23 09:00", "agent_reply"),
                ],
                "2026-11-23 10:00",
                {"state": "met", "elapsed": h(4), "met_at": "2026-11-23 09:00"},
                id="reply-at-monday-opening-is-in-time",
            ),
            pytest.param(
                [ev("2026-11-20 13:00", "created", priority="normal")],
                "2026-11-23 09:00:00.000001",
                {
                    "state": "breached",
                    "remaining": -timedelta(microseconds=1),
                    "breached_at": "2026-11-20 17:00",
                },
                id="breached-one-microsecond-into-monday",
            ),
        ],
    )
    def test_deadline_at_a_closing_time(
        self, timeline: list[sla.Event], now: str, expected: dict[str, Any]
    ) -> None:
        check(report(timeline, now)["first_response"], expected)


# -- pauses ------------------------------------------------------------------------------------

# Wed 2026-12-23 10:00; pending at 11:00; back to open on Mon 28 at 10:00. The pause spans the
# holidays (Thu 24, Fri 25, Sat 26), the weekend and Mon 9-10: 6h + 1h = 7h of business time.
CHRISTMAS = [
    ev("2026-12-23 10:00", "created", priority="normal"),
    ev("2026-12-23 11:00", "status", status="pending"),
    ev("2026-12-28 10:00", "status", status="open"),
]


class TestPause:
    @pytest.mark.parametrize(
        ("now", "metric", "expected"),
        [
            pytest.param(
                "2026-12-24 12:00",
                "first_response",
                {
                    "state": "paused",
                    "elapsed": h(1),
                    "remaining": h(3),
                    "deadline": None,
                    "stopped_at": None,
                    "warning": False,
                },
                id="first-response-paused-over-holiday",
            ),
            pytest.param(
                "2026-12-28 12:00",
                "first_response",
                # 1h + Mon 10-12 (2h); the deadline is 4h - 1h = 3h after Mon 10:00
                {
                    "state": "running",
                    "elapsed": h(3),
                    "deadline": "2026-12-28 13:00",
                    "warning": True,
                },
                id="first-response-resumed",
            ),
            pytest.param(
                "2026-12-27 12:00",
                "resolution",
                # 3bd from Wed 23: Mon 28, Tue 29, Wed 30 -> close Wed 30 17:00;
                # target = Wed 23 10-17 (7h) + 3 × 8h = 31h
                {"state": "paused", "target": h(31), "elapsed": h(1), "deadline": None},
                id="resolution-paused-on-sunday",
            ),
            pytest.param(
                "2026-12-28 12:00",
                "resolution",
                # the deadline moves from Wed 30 17:00 by the pause's 7h: Thu 31 16:00
                {
                    "state": "running",
                    "target": h(31),
                    "elapsed": h(3),
                    "remaining": h(28),
                    "deadline": "2026-12-31 16:00",
                    "warning": False,
                },
                id="resolution-deadline-moved-by-the-pause",
            ),
        ],
    )
    def test_pause_over_weekend_and_holiday(
        self, now: str, metric: str, expected: dict[str, Any]
    ) -> None:
        check(report(CHRISTMAS, now)[metric], expected)

    def test_unpaused_reference(self) -> None:
        clock = report(CHRISTMAS[:1], "2026-12-23 12:00")["resolution"]
        check(clock, {"deadline": "2026-12-30 17:00", "target": h(31)})

    def test_pause_while_breached_keeps_breach(self) -> None:
        timeline = [
            *FRIDAY_NORMAL,
            ev("2026-11-23 13:00", "status", status="on_hold"),
        ]
        check(
            report(timeline, "2026-11-24 12:00")["first_response"],
            # 1h + Mon 9-13 = 5h; paused since, still breached
            {
                "state": "breached",
                "elapsed": h(5),
                "breached_at": "2026-11-23 12:00",
                "deadline": None,
                "stopped_at": None,
                "warning": True,
            },
        )

    def test_status_not_in_pause_on_does_not_pause(self) -> None:
        timeline = [*FRIDAY_NORMAL, ev("2026-11-20 16:30", "status", status="waiting-on-3rd")]
        check(
            report(timeline, "2026-11-23 10:00")["first_response"],
            {"state": "running", "elapsed": h(2)},
        )

    def test_created_paused(self) -> None:
        timeline = [ev("2026-11-23 09:00", "created", priority="normal", status="pending")]
        check(
            report(timeline, "2026-11-23 12:00")["resolution"],
            {"state": "paused", "elapsed": h(0), "deadline": None},
        )

    def test_agent_reply_that_sets_pending(self) -> None:
        timeline = [
            ev("2026-11-23 09:00", "created", priority="normal"),
            ev("2026-11-23 10:00", "agent_reply", status="pending"),
        ]
        result = report(timeline, "2026-11-23 12:00")
        check(result["first_response"], {"state": "met", "elapsed": h(1)})
        check(result["resolution"], {"state": "paused", "elapsed": h(1)})


# -- resolution and reopen ---------------------------------------------------------------------

# low: resolution 16h on the office calendar. Mon 23 09:00 -> solved 15:00 (6h), reopened
# Wed 25 09:00 with 10h left: deadline Wed 9-17 (8h) + Thu 9-11 (2h) = Thu 26 11:00.
REOPENED = [
    ev("2026-11-23 09:00", "created", priority="low"),
    ev("2026-11-23 15:00", "solved"),
    ev("2026-11-25 09:00", "reopened"),
]


class TestResolution:
    @pytest.mark.parametrize(
        ("timeline", "now", "expected"),
        [
            pytest.param(
                REOPENED[:2],
                "2026-11-24 12:00",
                {
                    "state": "met",
                    "elapsed": h(6),
                    "remaining": h(10),
                    "met_at": "2026-11-23 15:00",
                    "deadline": None,
                },
                id="solved-in-time",
            ),
            pytest.param(
                REOPENED,
                "2026-11-25 12:00",
                # 6h + Wed 9-12 (3h) = 9h, the time before the solve counts
                {
                    "state": "running",
                    "elapsed": h(9),
                    "remaining": h(7),
                    "deadline": "2026-11-26 11:00",
                    "met_at": None,
                    "stopped_at": None,
                },
                id="reopened-accumulates",
            ),
            pytest.param(
                [*REOPENED, ev("2026-11-26 10:00", "solved")],
                "2026-11-27 12:00",
                # 6h + 8h + Thu 9-10 (1h) = 15h
                {"state": "met", "elapsed": h(15), "met_at": "2026-11-26 10:00"},
                id="solved-again-in-time",
            ),
            pytest.param(
                [*REOPENED, ev("2026-11-26 12:00", "solved")],
                "2026-11-27 12:00",
                # 6h + 8h + 3h = 17h; it ran out at Thu 11:00
                {
                    "state": "breached",
                    "elapsed": h(17),
                    "breached_at": "2026-11-26 11:00",
                    "stopped_at": "2026-11-26 12:00",
                    "met_at": None,
                },
                id="solved-again-late",
            ),
            pytest.param(
                [*REOPENED, ev("2026-11-26 12:00", "solved"), ev("2026-11-30 09:00", "reopened")],
                "2026-11-30 10:00",
                # still breached after a second reopen, and counting: 17h + 1h
                {
                    "state": "breached",
                    "elapsed": h(18),
                    "remaining": h(-2),
                    "breached_at": "2026-11-26 11:00",
                    "deadline": "2026-11-26 11:00",
                    "stopped_at": None,
                },
                id="breached-stays-breached-after-reopen",
            ),
        ],
    )
    def test_reopen(self, timeline: list[sla.Event], now: str, expected: dict[str, Any]) -> None:
        check(report(timeline, now)["resolution"], expected)

    def test_no_target_no_clock(self) -> None:
        # "low" has no first or next response target.
        assert list(report(REOPENED, "2026-11-25 12:00")) == ["resolution"]

    def test_clocks_while_solved(self) -> None:
        timeline = [
            ev("2026-11-23 09:00", "created", priority="normal"),
            ev("2026-11-23 10:00", "agent_reply"),
            ev("2026-11-23 11:00", "customer_reply"),
            ev("2026-11-23 12:00", "solved"),
        ]
        result = report(timeline, "2026-11-24 12:00")
        # solving stops every clock, the open next-response cycle included
        check(result["first_response"], {"state": "met", "met_at": "2026-11-23 10:00"})
        check(
            result["next_response"], {"state": "met", "elapsed": h(1), "met_at": "2026-11-23 12:00"}
        )
        check(result["resolution"], {"state": "met", "elapsed": h(3)})


# -- 3bd ---------------------------------------------------------------------------------------


class TestBusinessDays:
    @pytest.mark.parametrize(
        ("created", "target", "deadline"),
        [
            # Fri 20 16:00: Mon 23, Tue 24, Wed 25 -> close Wed 25 17:00; 1h + 3 × 8h
            pytest.param("2026-11-20 16:00", h(25), "2026-11-25 17:00", id="friday-afternoon"),
            # Sat 21: the third business day after Saturday is Wed 25; 3 × 8h
            pytest.param("2026-11-21 10:00", h(24), "2026-11-25 17:00", id="saturday"),
            # Mon 23 before opening: Tue, Wed, Thu 26; all of Monday counts too
            pytest.param("2026-11-23 08:00", h(32), "2026-11-26 17:00", id="monday-early"),
            # Mon 23 after closing: nothing more on Monday
            pytest.param("2026-11-23 18:00", h(24), "2026-11-26 17:00", id="monday-late"),
            # Tue 22 Dec 15:00: Wed 23, Mon 28, Tue 29 (24th-26th are holidays)
            pytest.param("2026-12-22 15:00", h(26), "2026-12-29 17:00", id="over-christmas"),
        ],
    )
    def test_3bd(self, created: str, target: timedelta, deadline: str) -> None:
        clock = report([ev(created, "created", priority="normal")], created)["resolution"]
        check(clock, {"target": target, "deadline": deadline, "state": "running"})

    @pytest.mark.parametrize(
        ("config", "created", "target"),
        [
            # an overnight shift beginning on the third day closes the next morning:
            # Mon 23 20:00 -> Tue, Wed, Thu; Thursday's shift 22:00 -> Fri 06:00.
            pytest.param(
                {"timezone": "Europe/Berlin", "hours": {"mon-fri": "22:00-06:00"}},
                "2026-11-23 20:00",
                # Mon 22-24 (2h) + Tue 0-6, 22-24 + Wed, Thu alike + Fri 0-6 = 2 + 3 × 8 + 6
                h(32),
                id="overnight-shift",
            ),
            # round the clock: the third day closes at the following midnight
            pytest.param(
                {"timezone": "Europe/Berlin", "hours": "24/7"},
                "2026-11-23 20:00",
                h(4 + 3 * 24),
                id="24/7",
            ),
        ],
    )
    def test_close_of_business_day(
        self, config: dict[str, Any], created: str, target: timedelta
    ) -> None:
        cal = bizclock.Calendar.from_dict(config)
        assert sla.business_days_target(cal, at(created), 3) == target

    def test_3bd_is_fixed_at_the_start(self) -> None:
        # A pause does not change the 3bd target, it only moves the deadline.
        clock = report(CHRISTMAS, "2026-12-29 12:00")["resolution"]
        assert clock.target == h(31)


# -- next response -----------------------------------------------------------------------------

# normal: next response 8h. Mon 23 09:00 created; the customer writes again before any answer
# (no cycle); the agent answers at 10:00; cycle 1 Mon 11:00-14:00 (3h, met; the second customer
# reply at 12:00 does not restart it); cycle 2 Mon 16:00 -> Wed 10:00 (1h + 8h + 1h = 10h,
# ran out Tue 16:00); cycle 3 from Wed 11:00, running.
CONVERSATION = [
    ev("2026-11-23 09:00", "created", priority="normal"),
    ev("2026-11-23 09:30", "customer_reply"),
    ev("2026-11-23 10:00", "agent_reply"),
    ev("2026-11-23 11:00", "customer_reply"),
    ev("2026-11-23 12:00", "customer_reply"),
    ev("2026-11-23 14:00", "agent_reply"),
    ev("2026-11-23 16:00", "customer_reply"),
    ev("2026-11-25 10:00", "agent_reply"),
    ev("2026-11-25 11:00", "customer_reply"),
]


class TestNextResponse:
    def test_no_cycle_before_first_agent_reply(self) -> None:
        assert "next_response" not in report(CONVERSATION, "2026-11-23 09:45")
        assert "next_response" not in report(CONVERSATION, "2026-11-23 10:30")

    @pytest.mark.parametrize(
        ("now", "expected"),
        [
            pytest.param(
                "2026-11-23 13:00",
                # Mon 11-17 (6h) + Tue 9-11 (2h)
                {
                    "state": "running",
                    "started_at": "2026-11-23 11:00",
                    "elapsed": h(2),
                    "deadline": "2026-11-24 11:00",
                },
                id="cycle-1-running",
            ),
            pytest.param(
                "2026-11-23 15:00",
                {
                    "state": "met",
                    "started_at": "2026-11-23 11:00",
                    "elapsed": h(3),
                    "met_at": "2026-11-23 14:00",
                    "deadline": None,
                },
                id="between-cycles-the-latest",
            ),
            pytest.param(
                "2026-11-24 16:00",
                {
                    "state": "running",
                    "started_at": "2026-11-23 16:00",
                    "remaining": h(0),
                    "deadline": "2026-11-24 16:00",
                    "warning": True,
                },
                id="cycle-2-at-deadline",
            ),
            pytest.param(
                "2026-11-24 16:30",
                {"state": "breached", "remaining": h(-0.5), "breached_at": "2026-11-24 16:00"},
                id="cycle-2-breached",
            ),
            pytest.param(
                "2026-11-25 10:30",
                {
                    "state": "breached",
                    "elapsed": h(10),
                    "breached_at": "2026-11-24 16:00",
                    "stopped_at": "2026-11-25 10:00",
                    "warning": False,
                },
                id="cycle-2-answered-late",
            ),
            pytest.param(
                "2026-11-25 13:00",
                # a new cycle after a breached one starts afresh: Wed 11-17 + Thu 9-11
                {
                    "state": "running",
                    "started_at": "2026-11-25 11:00",
                    "elapsed": h(2),
                    "deadline": "2026-11-26 11:00",
                    "breached_at": None,
                },
                id="cycle-3-fresh",
            ),
        ],
    )
    def test_cycles(self, now: str, expected: dict[str, Any]) -> None:
        check(report(CONVERSATION, now)["next_response"], expected)

    def test_customer_reply_while_solved_counts_from_reopen(self) -> None:
        timeline = [
            ev("2026-11-23 09:00", "created", priority="normal"),
            ev("2026-11-23 10:00", "solved"),
            ev("2026-11-23 11:00", "customer_reply"),
            ev("2026-11-23 13:00", "reopened"),
        ]
        check(
            report(timeline, "2026-11-23 12:00")["next_response"],
            {"state": "paused", "elapsed": h(0), "started_at": "2026-11-23 11:00"},
        )
        check(
            report(timeline, "2026-11-23 14:00")["next_response"],
            {"state": "running", "elapsed": h(1), "deadline": "2026-11-24 13:00"},
        )


# -- priority changes --------------------------------------------------------------------------


class TestPriority:
    def test_upgrade_to_urgent_moves_resolution_to_24_7(self) -> None:
        timeline = [
            ev("2026-11-23 16:00", "created", priority="normal"),
            ev("2026-11-23 16:30", "priority", priority="urgent"),
        ]
        result = report(timeline, "2026-11-23 19:00")
        # resolution: 4h round the clock from the start, 16:00 -> 20:00
        check(
            result["resolution"],
            {
                "state": "running",
                "priority": "urgent",
                "target": h(4),
                "elapsed": h(3),
                "deadline": "2026-11-23 20:00",
                "warning": True,
            },
        )
        # first response: 30m on the office calendar from the start: ran out at 16:30
        check(
            result["first_response"],
            {"state": "breached", "elapsed": h(1), "breached_at": "2026-11-23 16:30"},
        )

    def test_upgrade_breaches_in_the_past(self) -> None:
        timeline = [
            *FRIDAY_NORMAL,
            ev("2026-11-20 16:10", "agent_reply"),
            ev("2026-11-23 09:30", "priority", priority="urgent"),
        ]
        result = report(timeline, "2026-11-23 10:00")
        # Fri 16:00 + 4h round the clock = Fri 20:00, long before the upgrade
        check(
            result["resolution"],
            {
                "state": "breached",
                "priority": "urgent",
                "breached_at": "2026-11-20 20:00",
                "elapsed": h(66),
                "deadline": "2026-11-20 20:00",
            },
        )
        # the first response was met under "normal" and stays met
        check(
            result["first_response"],
            {
                "state": "met",
                "priority": "normal",
                "target": h(4),
                "elapsed": timedelta(minutes=10),
            },
        )

    def test_upgrade_within_target(self) -> None:
        timeline = [
            ev("2026-11-23 09:00", "created", priority="normal"),
            ev("2026-11-23 09:10", "priority", priority="urgent"),
        ]
        check(
            report(timeline, "2026-11-23 09:20")["first_response"],
            {"state": "running", "priority": "urgent", "deadline": "2026-11-23 09:30"},
        )

    def test_downgrade_does_not_undo_a_breach(self) -> None:
        timeline = [
            ev("2026-11-23 10:00", "created", priority="urgent"),
            ev("2026-11-23 10:45", "priority", priority="normal"),
        ]
        check(
            report(timeline, "2026-11-23 11:00")["first_response"],
            {
                "state": "breached",
                "priority": "urgent",
                "target": h(0.5),
                "remaining": h(-0.5),
                "breached_at": "2026-11-23 10:30",
            },
        )

    def test_downgrade_before_breach_retargets(self) -> None:
        timeline = [
            ev("2026-11-23 10:00", "created", priority="urgent"),
            ev("2026-11-23 10:15", "priority", priority="normal"),
        ]
        check(
            report(timeline, "2026-11-23 11:00")["first_response"],
            {
                "state": "running",
                "priority": "normal",
                "target": h(4),
                "deadline": "2026-11-23 14:00",
            },
        )

    def test_priority_without_target_then_with(self) -> None:
        timeline = [
            ev("2026-11-23 09:00", "created", priority="low"),
            ev("2026-11-23 11:00", "priority", priority="normal"),
        ]
        assert "first_response" not in report(timeline, "2026-11-23 10:00")
        # measured from the ticket's start: 3h of 4h
        check(
            report(timeline, "2026-11-23 12:00")["first_response"],
            {"state": "running", "elapsed": h(3), "deadline": "2026-11-23 13:00"},
        )

    def test_stopped_without_target_is_decided_when_targeted(self) -> None:
        timeline = [
            ev("2026-11-23 09:00", "created", priority="low"),
            ev("2026-11-23 14:00", "agent_reply"),
            ev("2026-11-23 15:00", "priority", priority="normal"),
        ]
        check(
            report(timeline, "2026-11-23 16:00")["first_response"],
            {
                "state": "breached",
                "elapsed": h(5),
                "breached_at": "2026-11-23 13:00",
                "stopped_at": "2026-11-23 14:00",
            },
        )

    def test_created_without_priority_has_no_clocks(self) -> None:
        assert report([ev("2026-11-23 09:00", "created")], "2026-11-23 12:00") == {}


# -- the report itself -------------------------------------------------------------------------


class TestReport:
    def test_metric_order_and_keys(self) -> None:
        assert list(report(CONVERSATION, "2026-11-25 13:00")) == list(sla.METRICS)

    def test_datetimes_in_the_tzinfo_of_now(self) -> None:
        clock = sla.evaluate(POLICY, FRIDAY_NORMAL, at("2026-11-23 10:00").astimezone(UTC))[
            "first_response"
        ]
        assert clock.deadline == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
        assert clock.deadline is not None
        assert clock.deadline.tzinfo is UTC
        assert clock.started_at.tzinfo is UTC

    def test_events_after_now_have_not_happened(self) -> None:
        timeline = [*FRIDAY_NORMAL, ev("2026-11-23 11:00", "agent_reply")]
        check(report(timeline, "2026-11-23 10:00")["first_response"], {"state": "running"})

    def test_event_at_now_has_happened(self) -> None:
        timeline = [*FRIDAY_NORMAL, ev("2026-11-23 11:00", "agent_reply")]
        check(report(timeline, "2026-11-23 11:00")["first_response"], {"state": "met"})

    def test_no_warning_without_warn_at(self) -> None:
        policy = sla.Policy.from_dict(
            {"calendar": OFFICE, "targets": {"normal": {"first_response": "4h"}}}
        )
        clock = report(FRIDAY_NORMAL, "2026-11-23 12:30", policy)["first_response"]
        check(clock, {"state": "breached", "warning": False})

    def test_warn_at_is_exact_for_decimal_fractions(self) -> None:
        # 0.8 × 10h is 8h exactly, not a microsecond more.
        policy = sla.Policy.from_dict(
            {
                "calendar": {"timezone": "UTC", "hours": "24/7"},
                "warn_at": 0.8,
                "targets": {"p": {"resolution": "10h"}},
            }
        )
        start = datetime(2026, 1, 1, tzinfo=UTC)
        timeline = [sla.Event(start, "created", priority="p")]
        eight = start + h(8)
        assert sla.evaluate(policy, timeline, eight)["resolution"].warning
        before = eight - timedelta(microseconds=1)
        assert not sla.evaluate(policy, timeline, before)["resolution"].warning

    def test_clock_repr_reads_back(self) -> None:
        clock = report(FRIDAY_NORMAL, "2026-11-23 10:00")["first_response"]
        namespace = {
            "datetime": __import__("datetime"),
            "zoneinfo": __import__("zoneinfo"),
            "Clock": sla.Clock,
        }
        assert eval(repr(clock), namespace) == clock

    def test_event_is_frozen(self) -> None:
        event = FRIDAY_NORMAL[0]
        with pytest.raises(AttributeError):
            event.kind = "solved"  # type: ignore[misc]
        assert hash(event) == hash(sla.Event(at("2026-11-20 16:00"), "created", priority="normal"))


class TestEvaluateMany:
    def test_reports_in_order(self) -> None:
        now = at("2026-11-25 12:00")
        tickets = [FRIDAY_NORMAL, REOPENED, CONVERSATION]
        assert sla.evaluate_many(POLICY, tickets, now) == [
            sla.evaluate(POLICY, timeline, now) for timeline in tickets
        ]

    def test_generator_of_tickets(self) -> None:
        now = at("2026-11-25 12:00")
        reports = sla.evaluate_many(POLICY, (t for t in [REOPENED, REOPENED]), now)
        assert len(reports) == 2

    def test_error_names_the_ticket(self) -> None:
        bad = [
            ev("2026-11-23 09:00", "created", priority="normal"),
            ev("2026-11-23 08:00", "agent_reply"),
        ]
        with pytest.raises(sla.SlaError, match=r"^tickets\[1\]: timeline\[1\]: out of order"):
            sla.evaluate_many(POLICY, [REOPENED, bad], at("2026-11-25 12:00"))

    def test_mapping_refused(self) -> None:
        with pytest.raises(bizclock.ArgumentTypeError, match="values"):
            sla.evaluate_many(POLICY, {"a": REOPENED}, at("2026-11-25 12:00"))  # type: ignore[dict-item]


# -- errors ------------------------------------------------------------------------------------

CREATED = ev("2026-11-23 09:00", "created", priority="normal")


class TestTimelineErrors:
    @pytest.mark.parametrize(
        ("timeline", "message"),
        [
            pytest.param(
                [
                    CREATED,
                    ev("2026-11-23 10:00", "agent_reply"),
                    ev("2026-11-23 09:30", "customer_reply"),
                ],
                r"^timeline\[2\]: out of order: 2026-11-23T09:30:00\+01:00 is before the "
                r"previous event \(2026-11-23T10:00:00\+01:00\)",
                id="out-of-order",
            ),
            pytest.param(
                [ev("2026-11-23 08:00", "status", status="open"), CREATED],
                r"^timeline\[0\]: 'status' event before 'created'",
                id="event-before-created",
            ),
            pytest.param(
                [ev("2026-11-23 10:00", "agent_reply")],
                r"^timeline\[0\]: 'agent_reply' event before 'created'",
                id="no-created",
            ),
            pytest.param(
                [CREATED, ev("2026-11-23 10:00", "escalated")],
                r"^timeline\[1\]: unknown event kind 'escalated' \(expected one of 'created'",
                id="unknown-kind",
            ),
            pytest.param(
                [ev("2026-11-23 09:00", "created", priority="p1")],
                r"^timeline\[0\]: unknown priority 'p1' \(the policy knows 'urgent', 'normal', "
                r"'low'\)",
                id="unknown-priority-at-creation",
            ),
            pytest.param(
                [CREATED, ev("2026-11-23 10:00", "priority", priority="high")],
                r"^timeline\[1\]: unknown priority 'high'",
                id="unknown-priority-later",
            ),
            pytest.param(
                [CREATED, ev("2026-11-23 10:00", "created", priority="normal")],
                r"^timeline\[1\]: a second 'created' event",
                id="second-created",
            ),
            pytest.param(
                [CREATED, ev("2026-11-23 10:00", "status")],
                r"^timeline\[1\]: a 'status' event needs status=",
                id="status-without-status",
            ),
            pytest.param(
                [CREATED, ev("2026-11-23 10:00", "priority")],
                r"^timeline\[1\]: a 'priority' event needs priority=",
                id="priority-without-priority",
            ),
            pytest.param(
                [CREATED, ev("2026-11-23 10:00", "solved"), ev("2026-11-23 11:00", "solved")],
                r"^timeline\[2\]: 'solved' but the ticket is already solved",
                id="solved-twice",
            ),
            pytest.param(
                [CREATED, ev("2026-11-23 10:00", "reopened")],
                r"^timeline\[1\]: 'reopened' but the ticket is not solved",
                id="reopened-open-ticket",
            ),
            pytest.param([], r"^timeline: empty", id="empty"),
        ],
    )
    def test_sla_errors(self, timeline: list[sla.Event], message: str) -> None:
        with pytest.raises(sla.SlaError, match=message) as info:
            sla.evaluate(POLICY, timeline, at("2026-11-30 12:00"))
        assert isinstance(info.value, bizclock.BizclockError)
        assert isinstance(info.value, ValueError)

    def test_errors_do_not_depend_on_now(self) -> None:
        # an invalid event after `now` is still an error
        timeline = [CREATED, ev("2026-11-24 10:00", "escalated")]
        with pytest.raises(sla.SlaError, match=r"timeline\[1\]"):
            sla.evaluate(POLICY, timeline, at("2026-11-23 10:00"))

    def test_now_before_created(self) -> None:
        with pytest.raises(
            sla.SlaError,
            match=r"^timeline\[0\]: now \(2026-11-23T08:00:00"
            r"\+01:00\) is before 'created'",
        ):
            sla.evaluate(POLICY, [CREATED], at("2026-11-23 08:00"))

    def test_naive_event(self) -> None:
        naive = sla.Event(datetime(2026, 11, 23, 10), "agent_reply")
        with pytest.raises(bizclock.NaiveDatetimeError, match=r"^timeline\[1\]: naive"):
            sla.evaluate(POLICY, [CREATED, naive], at("2026-11-30 12:00"))

    def test_naive_now(self) -> None:
        with pytest.raises(bizclock.NaiveDatetimeError, match=r"^now: naive .*localize"):
            sla.evaluate(POLICY, [CREATED], datetime(2026, 11, 30, 12))

    @pytest.mark.parametrize(
        ("timeline", "now", "message"),
        [
            pytest.param(
                [CREATED, "agent_reply"],
                at("2026-11-30 12:00"),
                r"^timeline\[1\]: expected an Event",
                id="not-an-event",
            ),
            pytest.param(
                [sla.Event("2026-11-23", "created")],  # type: ignore[arg-type]
                at("2026-11-30 12:00"),
                r"^timeline\[0\]: 'at' must be an aware datetime",
                id="at-a-string",
            ),
            pytest.param(
                CREATED,
                at("2026-11-30 12:00"),
                r"^timeline: expected a sequence",
                id="a-single-event",
            ),
            pytest.param(
                [CREATED], "2026-11-30", r"^now: expected an aware datetime", id="now-a-string"
            ),
        ],
    )
    def test_type_errors(self, timeline: Any, now: Any, message: str) -> None:
        with pytest.raises(bizclock.ArgumentTypeError, match=message):
            sla.evaluate(POLICY, timeline, now)

    def test_policy_type(self) -> None:
        with pytest.raises(bizclock.ArgumentTypeError, match=r"^policy: expected a Policy"):
            sla.evaluate({"targets": {}}, [CREATED], at("2026-11-30 12:00"))  # type: ignore[arg-type]


class TestEdges:
    def test_kind_not_a_string(self) -> None:
        event = sla.Event(at("2026-11-23 10:00"), ["x"])  # type: ignore[arg-type]
        with pytest.raises(sla.SlaError, match=r"^timeline\[1\]: unknown event kind \['x'\]"):
            sla.evaluate(POLICY, [CREATED, event], at("2026-11-30 12:00"))

    def test_priority_not_a_string(self) -> None:
        event = sla.Event(at("2026-11-23 10:00"), "priority", priority=["urgent"])  # type: ignore[arg-type]
        with pytest.raises(bizclock.ArgumentTypeError, match=r"^timeline\[1\]: priority must"):
            sla.evaluate(POLICY, [CREATED, event], at("2026-11-30 12:00"))

    def test_instant_at_the_end_of_time(self) -> None:
        far = datetime.max.replace(tzinfo=timezone(-timedelta(hours=14)))
        with pytest.raises(bizclock.OutOfRangeError, match="outside the supported range"):
            sla.evaluate(POLICY, [CREATED, sla.Event(far, "solved")], at("2026-11-30 12:00"))
        with pytest.raises(bizclock.OutOfRangeError, match=r"^now: "):
            sla.evaluate(POLICY, [CREATED], far)

    def test_business_days_beyond_the_year_9999(self) -> None:
        start = datetime(9999, 12, 30, 12, tzinfo=UTC)
        with pytest.raises(bizclock.OutOfRangeError):
            sla.evaluate(POLICY, [sla.Event(start, "created", priority="normal")], start)
