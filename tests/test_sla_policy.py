"""SLA policies: the SPEC §5 dict, validation that names the bad key, value semantics."""

from __future__ import annotations

import pickle
from datetime import timedelta
from typing import Any

import pytest

import bizclock
from bizclock import sla

OFFICE = {"timezone": "Europe/Berlin", "hours": {"mon-fri": "09:00-17:00"}}
ALWAYS = {"timezone": "UTC", "hours": "24/7"}
SPEC_EXAMPLE: dict[str, Any] = {
    "calendar": OFFICE,
    "calendars": {"always": ALWAYS},
    "pause_on": ["pending", "on_hold"],
    "warn_at": 0.75,
    "targets": {
        "urgent": {"first_response": "30m", "resolution": {"within": "4h", "calendar": "always"}},
        "normal": {"first_response": "4h", "next_response": "8h", "resolution": "3bd"},
    },
}


def with_changes(**changes: Any) -> dict[str, Any]:
    """The SPEC example with some top-level keys replaced (``None`` removes the key)."""
    data = {**SPEC_EXAMPLE, **changes}
    return {key: value for key, value in data.items() if value is not None}


class TestFromDict:
    def test_spec_example(self) -> None:
        policy = sla.Policy.from_dict(SPEC_EXAMPLE)
        assert policy.calendar == bizclock.Calendar.from_dict(OFFICE)
        assert policy.calendars == {"always": bizclock.Calendar.from_dict(ALWAYS)}
        assert policy.pause_on == frozenset({"pending", "on_hold"})
        assert policy.warn_at == 0.75
        assert policy.priorities == ("urgent", "normal")
        assert policy.target("urgent", "first_response") == sla.Target(timedelta(minutes=30))
        resolution = policy.target("urgent", "resolution")
        assert resolution == sla.Target(timedelta(hours=4), calendar="always")
        assert policy.calendar_of(resolution) == bizclock.Calendar.from_dict(ALWAYS)
        assert policy.target("normal", "resolution") == sla.Target(sla.BusinessDays(3))
        assert policy.target("urgent", "next_response") is None
        assert policy.target("nobody", "resolution") is None

    def test_minimal(self) -> None:
        policy = sla.Policy.from_dict({"calendar": OFFICE, "targets": {}})
        assert policy.pause_on == frozenset()
        assert policy.warn_at is None
        assert policy.calendars == {}

    def test_calendar_instance(self) -> None:
        cal = bizclock.Calendar.from_dict(OFFICE)
        policy = sla.Policy.from_dict(with_changes(calendar=cal, calendars={"always": cal}))
        assert policy.calendar is cal
        assert policy.calendars["always"] is cal

    def test_timedelta_values(self) -> None:
        policy = sla.Policy.from_dict(
            {"calendar": OFFICE, "targets": {"p": {"resolution": timedelta(hours=2)}}}
        )
        assert policy.target("p", "resolution") == sla.Target(timedelta(hours=2))

    def test_warn_at_one(self) -> None:
        assert sla.Policy.from_dict(with_changes(warn_at=1)).warn_at == 1.0

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            pytest.param(
                with_changes(targets={"urgent": {"first_response": "4x"}}),
                r"^targets\.urgent\.first_response: bad duration '4x'",
                id="bad-duration",
            ),
            pytest.param(
                with_changes(targets={"urgent": {"resolution": {"within": "P2D"}}}),
                r"^targets\.urgent\.resolution\.within: bad duration 'P2D'",
                id="bad-duration-in-table",
            ),
            pytest.param(
                with_changes(targets={"urgent": {"resolution": 4}}),
                r"^targets\.urgent\.resolution: expected a duration string",
                id="number-duration",
            ),
            pytest.param(
                with_changes(targets={"urgent": {"resolution": timedelta(0)}}),
                r"^targets\.urgent\.resolution: duration must be positive",
                id="zero-timedelta",
            ),
            pytest.param(
                with_changes(targets={"urgent": {"first_reply": "1h"}}),
                r"^targets\.urgent: unknown metric 'first_reply' \(expected one of "
                r"'first_response', 'next_response', 'resolution'\)",
                id="unknown-metric",
            ),
            pytest.param(
                with_changes(targets={"urgent": {"resolution": {"within": "1h", "cal": "x"}}}),
                r"^targets\.urgent\.resolution: unknown key 'cal' \(expected one of 'within', "
                r"'calendar'\)",
                id="unknown-target-key",
            ),
            pytest.param(
                with_changes(targets={"urgent": {"resolution": {"calendar": "always"}}}),
                r"^targets\.urgent\.resolution: missing 'within'",
                id="missing-within",
            ),
            pytest.param(
                with_changes(targets={"urgent": {"resolution": {"within": "1h", "calendar": "x"}}}),
                r"^targets\.urgent\.resolution\.calendar: unknown calendar 'x' \(known: 'always'\)",
                id="unknown-calendar",
            ),
            pytest.param(
                with_changes(
                    calendars=None,
                    targets={"urgent": {"resolution": {"within": "1h", "calendar": "x"}}},
                ),
                r"^targets\.urgent\.resolution\.calendar: unknown calendar 'x' \(known: none\)",
                id="unknown-calendar-none-known",
            ),
            pytest.param(
                with_changes(targets={"urgent": {"resolution": {"within": "1h", "calendar": 1}}}),
                r"^targets\.urgent\.resolution\.calendar: expected a calendar name, got 1",
                id="calendar-name-not-a-string",
            ),
            pytest.param(
                with_changes(targets={"urgent": "4h"}),
                r"^targets\.urgent: expected a mapping of metrics",
                id="priority-not-a-mapping",
            ),
            pytest.param(
                with_changes(targets=["urgent"]),
                r"^targets: expected a mapping of priorities",
                id="targets-not-a-mapping",
            ),
            pytest.param(
                with_changes(targets={"": {}}),
                r"^targets: a priority must be a non-empty string",
                id="empty-priority",
            ),
            pytest.param(
                with_changes(targets=None),
                r"^targets: required",
                id="missing-targets",
            ),
            pytest.param(
                with_changes(calendar=None),
                r"^calendar: required",
                id="missing-calendar",
            ),
            pytest.param(
                with_changes(calendar={"timezone": "Mars/Base", "hours": "24/7"}),
                r"^calendar: .*Mars/Base",
                id="bad-calendar",
            ),
            pytest.param(
                with_changes(calendar="office"),
                r"^calendar: expected a calendar dict or a Calendar, got 'office'",
                id="calendar-a-string",
            ),
            pytest.param(
                with_changes(calendars={"always": {"timezone": "UTC", "hours": "25/8"}}),
                r"^calendars\.always: ",
                id="bad-extra-calendar",
            ),
            pytest.param(
                with_changes(calendars=["always"]),
                r"^calendars: expected a mapping",
                id="calendars-not-a-mapping",
            ),
            pytest.param(
                with_changes(pause_on="pending"),
                r"^pause_on: expected a list of statuses, got 'pending'",
                id="pause-on-a-string",
            ),
            pytest.param(
                with_changes(pause_on=["pending", 3]),
                r"^pause_on\[1\]: expected a status string, got 3",
                id="pause-on-not-strings",
            ),
            pytest.param(
                with_changes(warn_at=0), r"^warn_at: must be in \(0, 1\], got 0", id="warn-at-zero"
            ),
            pytest.param(
                with_changes(warn_at=1.5),
                r"^warn_at: must be in \(0, 1\], got 1.5",
                id="warn-at-above-one",
            ),
            pytest.param(
                with_changes(warn_at=float("nan")), r"^warn_at: must be in", id="warn-at-nan"
            ),
            pytest.param(
                with_changes(warn_at="75%"), r"^warn_at: expected a number", id="warn-at-a-string"
            ),
            pytest.param(
                with_changes(warn_at=True), r"^warn_at: expected a number", id="warn-at-a-bool"
            ),
            pytest.param(
                with_changes(name="Support"),
                r"^unknown key 'name' \(expected one of 'calendar', 'calendars', 'pause_on', "
                r"'warn_at', 'targets'\)",
                id="unknown-top-level-key",
            ),
        ],
    )
    def test_errors(self, data: dict[str, Any], message: str) -> None:
        with pytest.raises(sla.SlaError, match=message):
            sla.Policy.from_dict(data)

    def test_not_a_dict(self) -> None:
        with pytest.raises(sla.SlaError, match=r"^a policy must be a dict"):
            sla.Policy.from_dict([])  # type: ignore[arg-type]

    def test_calendar_error_is_chained(self) -> None:
        with pytest.raises(sla.SlaError) as info:
            sla.Policy.from_dict(with_changes(calendar={"timezone": "UTC"}))
        assert isinstance(info.value.__cause__, bizclock.ConfigError)


class TestValue:
    def test_equal_and_hashable(self) -> None:
        a = sla.Policy.from_dict(SPEC_EXAMPLE)
        b = sla.Policy.from_dict(SPEC_EXAMPLE)
        assert a == b
        assert hash(a) == hash(b)
        assert a != sla.Policy.from_dict(with_changes(warn_at=0.5))

    def test_pickle(self) -> None:
        policy = sla.Policy.from_dict(SPEC_EXAMPLE)
        assert pickle.loads(pickle.dumps(policy)) == policy

    def test_to_dict_round_trip(self) -> None:
        policy = sla.Policy.from_dict(SPEC_EXAMPLE)
        data = policy.to_dict()
        assert data["targets"]["urgent"] == {
            "first_response": "30m",
            "resolution": {"within": "4h", "calendar": "always"},
        }
        assert data["pause_on"] == ["on_hold", "pending"]
        assert sla.Policy.from_dict(data) == policy

    def test_repr_reads_back(self) -> None:
        policy = sla.Policy.from_dict(SPEC_EXAMPLE)
        namespace = {
            "Policy": sla.Policy,
            "Target": sla.Target,
            "BusinessDays": sla.BusinessDays,
            "Calendar": bizclock.Calendar,
            "datetime": __import__("datetime"),
        }
        assert eval(repr(policy), namespace) == policy

    def test_immutable(self) -> None:
        policy = sla.Policy.from_dict(SPEC_EXAMPLE)
        with pytest.raises(AttributeError):
            policy.warn_at = 0.5  # type: ignore[misc]
        with pytest.raises(TypeError):
            policy.targets["low"] = {}  # type: ignore[index]
        with pytest.raises(TypeError):
            policy.targets["urgent"]["next_response"] = sla.Target(timedelta(hours=1))  # type: ignore[index]

    def test_from_dict_copies_its_input(self) -> None:
        data = with_changes(targets={"p": {"resolution": "1h"}})
        policy = sla.Policy.from_dict(data)
        data["targets"]["p"]["resolution"] = "2h"
        assert policy.target("p", "resolution") == sla.Target(timedelta(hours=1))


class TestDirect:
    def test_keyword_construction(self) -> None:
        cal = bizclock.Calendar.from_dict(OFFICE)
        policy = sla.Policy(
            calendar=cal,
            targets={"urgent": {"first_response": sla.Target(timedelta(minutes=30))}},
            pause_on=frozenset({"pending"}),
            warn_at=0.75,
        )
        assert policy == sla.Policy.from_dict(
            {
                "calendar": OFFICE,
                "pause_on": ["pending"],
                "warn_at": 0.75,
                "targets": {"urgent": {"first_response": "30m"}},
            }
        )

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            pytest.param({"calendar": OFFICE}, r"^calendar: expected a Calendar", id="dict-cal"),
            pytest.param(
                {"targets": {"p": {"resolution": "1h"}}},
                r"^targets\.p\.resolution: expected a Target, got '1h'",
                id="string-target",
            ),
            pytest.param(
                {"targets": {"p": {"resolution": sla.Target(timedelta(hours=1), "x")}}},
                r"^targets\.p\.resolution\.calendar: unknown calendar 'x'",
                id="unknown-calendar",
            ),
            pytest.param(
                {"calendars": {"x": OFFICE}}, r"^calendars\.x: expected a Calendar", id="extra"
            ),
            pytest.param({"pause_on": "pending"}, r"^pause_on: expected a set", id="pause-on"),
            pytest.param({"pause_on": [1]}, r"^pause_on: a status must be a string", id="status"),
        ],
    )
    def test_errors(self, changes: dict[str, Any], message: str) -> None:
        arguments: dict[str, Any] = {
            "calendar": bizclock.Calendar.from_dict(OFFICE),
            "targets": {},
            **changes,
        }
        with pytest.raises(sla.SlaError, match=message):
            sla.Policy(**arguments)

    def test_target_checks_its_duration(self) -> None:
        with pytest.raises(sla.SlaError, match=r"^within: bad duration '4x'"):
            sla.Target("4x")  # type: ignore[arg-type]
        assert sla.Target("4h") == sla.Target(timedelta(hours=4))  # type: ignore[arg-type]
