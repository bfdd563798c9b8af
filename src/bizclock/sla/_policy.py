"""SLA policies: per-priority targets for each metric, pausing statuses, the warning threshold."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from bizclock._calendar import Calendar
from bizclock._errors import BizclockError, SlaError
from bizclock.sla._duration import Duration, coerce_duration, format_duration

__all__ = ["METRICS", "Policy", "Target"]

#: The metrics an SLA policy can set targets for, in report order.
METRICS: tuple[str, ...] = ("first_response", "next_response", "resolution")

_POLICY_KEYS = ("calendar", "calendars", "pause_on", "warn_at", "targets")
_TARGET_KEYS = ("within", "calendar")


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(repr(name) for name in names) or "none"


@dataclass(frozen=True, slots=True)
class Target:
    """One SLA target: a duration, measured in the policy calendar or a named extra one.

    ``Target(timedelta(hours=4))`` runs on the policy's main calendar;
    ``Target(timedelta(hours=4), calendar="always")`` on the extra calendar named ``always``.
    """

    within: Duration
    calendar: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "within", coerce_duration(self.within, "within"))
        if self.calendar is not None and not isinstance(self.calendar, str):
            raise SlaError(f"calendar: expected a calendar name, got {self.calendar!r}")

    def to_dict(self) -> str | dict[str, str]:
        """The policy-dict form: ``"4h"``, or ``{"within": "4h", "calendar": name}``."""
        if self.calendar is None:
            return format_duration(self.within)
        return {"within": format_duration(self.within), "calendar": self.calendar}


def _parse_calendar(value: object, where: str) -> Calendar:
    if isinstance(value, Calendar):
        return value
    if isinstance(value, Mapping):
        try:
            return Calendar.from_dict(value)
        except BizclockError as exc:
            raise SlaError(f"{where}: {exc}") from exc
    raise SlaError(f"{where}: expected a calendar dict or a Calendar, got {value!r}")


def _check_keys(data: Mapping[Any, Any], known: tuple[str, ...], where: str) -> None:
    for key in data:
        if key not in known:
            prefix = f"{where}: " if where else ""
            raise SlaError(f"{prefix}unknown key {key!r} (expected one of {_quoted(known)})")


def _parse_target(value: object, where: str) -> Target:
    if isinstance(value, Target):
        return value
    if isinstance(value, Mapping):
        _check_keys(value, _TARGET_KEYS, where)
        if "within" not in value:
            raise SlaError(f"{where}: missing 'within'")
        calendar = value.get("calendar")
        if calendar is not None and not isinstance(calendar, str):
            raise SlaError(f"{where}.calendar: expected a calendar name, got {calendar!r}")
        return Target(coerce_duration(value["within"], f"{where}.within"), calendar)
    return Target(coerce_duration(value, where))


@dataclass(frozen=True, slots=True)
class Policy:
    """An SLA policy: targets per priority and metric, on business calendars.

    Build one from the SPEC §5 dict with :meth:`from_dict`, or directly::

        Policy(calendar=cal, targets={"urgent": {"first_response": Target(timedelta(minutes=30))}},
               pause_on=frozenset({"pending"}), warn_at=0.75)

    ``warn_at`` is the fraction of a target, in ``(0, 1]``, from which a clock warns; ``None``
    (the default) turns warnings off. A policy is immutable, hashable and picklable.
    """

    calendar: Calendar
    targets: Mapping[str, Mapping[str, Target]]
    pause_on: frozenset[str] = frozenset()
    warn_at: float | None = None
    calendars: Mapping[str, Calendar] = field(default_factory=dict)
    # Derived, for evaluate(): priority -> metric -> (target, calendar), and warn_at exactly.
    _resolved: Mapping[str, Mapping[str, tuple[Target, Calendar]]] = field(
        init=False, repr=False, compare=False
    )
    _warn_ratio: Fraction | None = field(init=False, repr=False, compare=False)
    # evaluate()'s cache of business-day closes, keyed by id() of this policy's calendars
    # (they live as long as the policy): (id(calendar), date ordinal, n) -> close instant.
    _closes: dict[tuple[int, int, int], datetime] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        if not isinstance(self.calendar, Calendar):
            raise SlaError(f"calendar: expected a Calendar, got {self.calendar!r}")
        if not isinstance(self.calendars, Mapping):
            raise SlaError(
                f"calendars: expected a mapping of names to calendars, got {self.calendars!r}"
            )
        calendars: dict[str, Calendar] = {}
        for name, cal in self.calendars.items():
            if not isinstance(name, str) or not name:
                raise SlaError(
                    f"calendars: a calendar name must be a non-empty string, got {name!r}"
                )
            if not isinstance(cal, Calendar):
                raise SlaError(f"calendars.{name}: expected a Calendar, got {cal!r}")
            calendars[name] = cal
        object.__setattr__(self, "calendars", MappingProxyType(calendars))

        if isinstance(self.pause_on, str) or not isinstance(self.pause_on, Iterable):
            raise SlaError(f"pause_on: expected a set of statuses, got {self.pause_on!r}")
        pause_on = frozenset(self.pause_on)
        for status in pause_on:
            if not isinstance(status, str):
                raise SlaError(f"pause_on: a status must be a string, got {status!r}")
        object.__setattr__(self, "pause_on", pause_on)

        warn = self.warn_at
        ratio: Fraction | None = None
        if warn is not None:
            if isinstance(warn, bool) or not isinstance(warn, int | float):
                raise SlaError(f"warn_at: expected a number in (0, 1], got {warn!r}")
            if not (math.isfinite(warn) and 0 < warn <= 1):
                raise SlaError(f"warn_at: must be in (0, 1], got {warn!r}")
            warn = float(warn)
            # The shortest decimal that reads back as this float is what the user wrote:
            # 0.8 means 4/5, not the binary fraction just above it.
            ratio = Fraction(repr(warn))
        object.__setattr__(self, "warn_at", warn)
        object.__setattr__(self, "_warn_ratio", ratio)

        if not isinstance(self.targets, Mapping):
            raise SlaError(f"targets: expected a mapping of priorities, got {self.targets!r}")
        targets: dict[str, Mapping[str, Target]] = {}
        resolved: dict[str, Mapping[str, tuple[Target, Calendar]]] = {}
        for priority, per_metric in self.targets.items():
            where = f"targets.{priority}"
            if not isinstance(priority, str) or not priority:
                raise SlaError(f"targets: a priority must be a non-empty string, got {priority!r}")
            if not isinstance(per_metric, Mapping):
                raise SlaError(
                    f"{where}: expected a mapping of metrics to targets, got {per_metric!r}"
                )
            metric_targets: dict[str, Target] = {}
            metric_resolved: dict[str, tuple[Target, Calendar]] = {}
            for metric in METRICS:  # canonical order, whatever order they came in
                if metric not in per_metric:
                    continue
                target = per_metric[metric]
                if not isinstance(target, Target):
                    raise SlaError(f"{where}.{metric}: expected a Target, got {target!r}")
                if target.calendar is None:
                    cal = self.calendar
                elif target.calendar in calendars:
                    cal = calendars[target.calendar]
                else:
                    raise SlaError(
                        f"{where}.{metric}.calendar: unknown calendar {target.calendar!r} "
                        f"(known: {_quoted(calendars)})"
                    )
                metric_targets[metric] = target
                metric_resolved[metric] = (target, cal)
            for metric in per_metric:
                if metric not in METRICS:
                    raise SlaError(
                        f"{where}: unknown metric {metric!r} (expected one of {_quoted(METRICS)})"
                    )
            targets[priority] = MappingProxyType(metric_targets)
            resolved[priority] = MappingProxyType(metric_resolved)
        object.__setattr__(self, "targets", MappingProxyType(targets))
        object.__setattr__(self, "_resolved", MappingProxyType(resolved))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        """Build a policy from the SPEC §5 dict.

        Keys: ``calendar`` (required; a calendar config dict or a :class:`~bizclock.Calendar`),
        ``calendars`` (named extra calendars), ``pause_on`` (statuses that stop the clocks),
        ``warn_at`` (fraction in ``(0, 1]``), ``targets`` (required; priority -> metric ->
        ``"4h"`` or ``{"within": "4h", "calendar": name}``). Unknown keys are errors, and every
        error names the key at fault: ``targets.urgent.first_response: bad duration '4x'``.
        """
        if not isinstance(data, Mapping):
            raise SlaError(f"a policy must be a dict, got {data!r}")
        _check_keys(data, _POLICY_KEYS, "")
        for required in ("calendar", "targets"):
            if required not in data:
                raise SlaError(f"{required}: required")
        calendar = _parse_calendar(data["calendar"], "calendar")

        raw_calendars = data.get("calendars", {})
        if not isinstance(raw_calendars, Mapping):
            raise SlaError(
                f"calendars: expected a mapping of names to calendars, got {raw_calendars!r}"
            )
        calendars = {
            name: _parse_calendar(value, f"calendars.{name}")
            for name, value in raw_calendars.items()
        }

        pause_on = data.get("pause_on", ())
        if isinstance(pause_on, str) or not isinstance(pause_on, Iterable):
            raise SlaError(f"pause_on: expected a list of statuses, got {pause_on!r}")
        statuses = list(pause_on)
        for index, status in enumerate(statuses):
            if not isinstance(status, str):
                raise SlaError(f"pause_on[{index}]: expected a status string, got {status!r}")

        raw_targets = data["targets"]
        if not isinstance(raw_targets, Mapping):
            raise SlaError(f"targets: expected a mapping of priorities, got {raw_targets!r}")
        targets: dict[str, dict[str, Target]] = {}
        for priority, per_metric in raw_targets.items():
            where = f"targets.{priority}"
            if not isinstance(per_metric, Mapping):
                raise SlaError(
                    f"{where}: expected a mapping of metrics to targets, got {per_metric!r}"
                )
            parsed: dict[str, Target] = {}
            for metric, value in per_metric.items():
                if metric not in METRICS:
                    raise SlaError(
                        f"{where}: unknown metric {metric!r} (expected one of {_quoted(METRICS)})"
                    )
                parsed[metric] = _parse_target(value, f"{where}.{metric}")
            targets[priority] = parsed

        return cls(
            calendar=calendar,
            targets=targets,
            pause_on=frozenset(statuses),
            warn_at=data.get("warn_at"),
            calendars=calendars,
        )

    def to_dict(self) -> dict[str, Any]:
        """The policy as a dict that :meth:`from_dict` reads back to an equal policy."""
        data: dict[str, Any] = {"calendar": self.calendar.to_dict()}
        if self.calendars:
            data["calendars"] = {name: cal.to_dict() for name, cal in self.calendars.items()}
        if self.pause_on:
            data["pause_on"] = sorted(self.pause_on)
        if self.warn_at is not None:
            data["warn_at"] = self.warn_at
        data["targets"] = {
            priority: {metric: target.to_dict() for metric, target in per_metric.items()}
            for priority, per_metric in self.targets.items()
        }
        return data

    @property
    def priorities(self) -> tuple[str, ...]:
        """The priorities this policy knows, in the order they were given."""
        return tuple(self.targets)

    def target(self, priority: str, metric: str) -> Target | None:
        """The target for ``metric`` at ``priority``, or ``None`` if it has none."""
        return self.targets.get(priority, {}).get(metric)

    def calendar_of(self, target: Target) -> Calendar:
        """The calendar a target is measured in."""
        if target.calendar is None:
            return self.calendar
        return self.calendars[target.calendar]

    def __hash__(self) -> int:
        return hash(
            (
                self.calendar,
                tuple((p, tuple(m.items())) for p, m in self.targets.items()),
                self.pause_on,
                self.warn_at,
                tuple(self.calendars.items()),
            )
        )

    def __repr__(self) -> str:
        targets = {p: dict(m) for p, m in self.targets.items()}
        return (
            f"Policy(calendar={self.calendar!r}, targets={targets!r}, "
            f"pause_on={self.pause_on!r}, warn_at={self.warn_at!r}, "
            f"calendars={dict(self.calendars)!r})"
        )

    def __reduce__(self) -> tuple[type[Policy], tuple[Any, ...]]:
        # Mapping proxies do not pickle; rebuild from plain dicts (and validate again).
        return (
            Policy,
            (
                self.calendar,
                {p: dict(m) for p, m in self.targets.items()},
                self.pause_on,
                self.warn_at,
                dict(self.calendars),
            ),
        )
