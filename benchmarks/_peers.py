"""Adapters: each library asked one work item, in its own terms, on prepared inputs.

An adapter turns the shared calendar description and the shared inputs into a
:class:`Case`: a function of two arguments plus the two argument lists, already converted
to the library's native types (pandas ``Timestamp``, naive local wall times, …) so that
the timing loop measures the library's call and nothing else. ``convert`` maps a result
back to an aware ``datetime`` (for ``add``) or a ``timedelta`` (for ``elapsed``) so that
answers can be compared exactly.

An adapter returns a string instead of a :class:`Case` when the library cannot express
the work; the string says why.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Any, Literal

from _inputs import WORKDAYS, ZONE_NAME, Inputs, Variant, Work, as_naive_local

__all__ = ["PEERS", "Case", "Peer", "version_of"]

Boundary = Literal["exact", "next_open"]


@dataclass
class Case:
    """One library doing one work item on a list of inputs."""

    fn: Callable[[Any, Any], Any]
    xs: list[Any]
    ys: list[Any]
    convert: Callable[[Any], Any]
    #: Where an ``add`` that ends exactly on a closing instant lands.
    boundary: Boundary = "exact"


Builder = Callable[[Variant, Work, Inputs, frozenset[date]], "Case | str"]


@dataclass(frozen=True)
class Peer:
    """A library under comparison and what it can express."""

    name: str
    dist: str
    naive: bool
    build: Builder
    capabilities: tuple[str, ...] = field(default=())

    @property
    def version(self) -> str:
        """Installed version, or ``"not installed"``."""
        return version_of(self.dist)


def version_of(dist: str) -> str:
    """The installed version of a distribution, or ``"not installed"``."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _hours(work: Work) -> int | None:
    """Whole hours of an ``add`` work item, or None if it is not a whole number of hours."""
    seconds = work.duration.total_seconds()
    return int(seconds // 3600) if seconds % 3600 == 0 else None


def _identity(value: Any) -> Any:
    return value


# --- businesstimedelta --------------------------------------------------------------------


def _build_businesstimedelta(
    variant: Variant, work: Work, inputs: Inputs, closed: frozenset[date]
) -> Case | str:
    btd = importlib.import_module("businesstimedelta")
    pytz = importlib.import_module("pytz")
    tz = pytz.timezone(ZONE_NAME)
    first, last = variant.intervals[0][0], variant.intervals[-1][1]
    rules: list[Any] = [
        btd.WorkDayRule(start_time=first, end_time=last, working_days=list(WORKDAYS), tz=tz)
    ]
    # Gaps between a day's intervals are its documented "time off" rules (LunchTimeRule).
    for (_, gap_start), (gap_end, _) in zip(variant.intervals, variant.intervals[1:], strict=False):
        rules.append(
            btd.LunchTimeRule(
                start_time=gap_start, end_time=gap_end, working_days=list(WORKDAYS), tz=tz
            )
        )
    rules.append(btd.HolidayRule(closed, tz=tz))
    rule = btd.Rules(rules)
    if work.kind == "add":
        delta = btd.BusinessTimeDelta(rule, timedelta=work.duration)
        return Case(operator.add, list(inputs.starts), [delta] * len(inputs), _identity)
    return Case(
        rule.difference,
        list(inputs.starts),
        list(inputs.ends[work.key]),
        operator.attrgetter("timedelta"),
    )


# --- pandas CustomBusinessHour ------------------------------------------------------------


def _build_pandas(
    variant: Variant, work: Work, inputs: Inputs, closed: frozenset[date]
) -> Case | str:
    if work.kind != "add":
        return "no elapsed-business-time API (offsets only move timestamps)"
    hours = _hours(work)
    if hours is None:
        return "CustomBusinessHour(n=...) counts whole hours only"
    pd = importlib.import_module("pandas")
    offset = pd.offsets.CustomBusinessHour(
        n=hours,
        start=[a.strftime("%H:%M") for a, _ in variant.intervals],
        end=[b.strftime("%H:%M") for _, b in variant.intervals],
        weekmask=" ".join(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[d] for d in WORKDAYS),
        holidays=sorted(closed),
    )
    stamps = [pd.Timestamp(t) for t in inputs.starts]
    return Case(
        operator.add,
        stamps,
        [offset] * len(stamps),
        operator.methodcaller("to_pydatetime"),
        boundary="next_open",
    )


# --- django-bizcal ------------------------------------------------------------------------


def _build_django_bizcal(
    variant: Variant, work: Work, inputs: Inputs, closed: frozenset[date]
) -> Case | str:
    bizcal = importlib.import_module("django_bizcal")
    providers = importlib.import_module("django_bizcal.providers")
    calendar = bizcal.WorkingCalendar(
        tz=ZONE_NAME,
        weekly_schedule={
            day: [(f"{a:%H:%M}", f"{b:%H:%M}") for a, b in variant.intervals] for day in WORKDAYS
        },
        holiday_provider=providers.SetHolidayProvider(days=closed),
    )
    if work.kind == "add":
        return Case(
            calendar.add_business_time,
            list(inputs.starts),
            [work.duration] * len(inputs),
            _identity,
        )
    return Case(
        calendar.business_time_between,
        list(inputs.starts),
        list(inputs.ends[work.key]),
        _identity,
    )


# --- business-duration --------------------------------------------------------------------


def _build_business_duration(
    variant: Variant, work: Work, inputs: Inputs, closed: frozenset[date]
) -> Case | str:
    if work.kind != "elapsed":
        return "elapsed only (no deadline API)"
    if len(variant.intervals) != 1:
        return "one interval a day only"
    module = importlib.import_module("business_duration")
    ((opening, closing),) = variant.intervals
    fn = partial(
        module.businessDuration,
        starttime=opening,
        endtime=closing,
        weekendlist=[d for d in range(7) if d not in WORKDAYS],
        holidaylist=closed,
        unit="sec",
    )
    return Case(
        fn,
        as_naive_local(inputs.starts),
        as_naive_local(inputs.ends[work.key]),
        _seconds_to_timedelta,
    )


def _seconds_to_timedelta(value: Any) -> timedelta:
    return timedelta(seconds=value)


# --- businesstime -------------------------------------------------------------------------


def _build_businesstime(
    variant: Variant, work: Work, inputs: Inputs, closed: frozenset[date]
) -> Case | str:
    if work.kind != "elapsed":
        return "elapsed only (no deadline API)"
    if len(variant.intervals) != 1:
        return "one interval a day only"
    module = importlib.import_module("businesstime")
    ((opening, closing),) = variant.intervals
    calendar = module.BusinessTime(
        business_hours=(opening, closing),
        weekends=tuple(d for d in range(7) if d not in WORKDAYS),
        holidays=closed,
    )
    return Case(
        calendar.businesstimedelta,
        as_naive_local(inputs.starts),
        as_naive_local(inputs.ends[work.key]),
        partial(_businesstime_to_timedelta, variant.daily_open),
    )


def _businesstime_to_timedelta(daily: timedelta, value: timedelta) -> timedelta:
    """businesstime counts whole business days in ``.days``: turn them into open hours."""
    return value.days * daily + (value - timedelta(days=value.days))


PEERS: tuple[Peer, ...] = (
    Peer(
        "businesstimedelta",
        "businesstimedelta",
        naive=False,
        build=_build_businesstimedelta,
        capabilities=(
            "aware (pytz zone; naive input is read as UTC)",
            "add, subtract, elapsed (`difference`, whole seconds only)",
            "several intervals a day via time-off rules (LunchTimeRule)",
            "holidays: list/set or `holidays` object, scanned day by day "
            "(fails when no holiday lies within 5 years ahead)",
            "walks open periods one by one: cost grows with the duration",
        ),
    ),
    Peer(
        "pandas CustomBusinessHour",
        "pandas",
        naive=False,
        build=_build_pandas,
        capabilities=(
            "add only, whole hours only (`n` is an int)",
            "several intervals a day (`start`/`end` lists), weekmask, holiday list",
            "aware Timestamps, but hours are read in the timestamp's own zone",
            "a result on a closing instant moves to the next opening",
        ),
    ),
    Peer(
        "django-bizcal",
        "django-bizcal",
        naive=False,
        build=_build_django_bizcal,
        capabilities=(
            "pure core usable without Django settings (WorkingCalendar)",
            "aware only (zoneinfo), exact real-time arithmetic through UTC",
            "add, subtract, elapsed; several intervals a day; overnight blocks",
            "holidays: set provider, or `holidays` for explicitly listed years only",
            "walks day by day (512-day LRU of day windows)",
        ),
    ),
    Peer(
        "business-duration",
        "business-duration",
        naive=True,
        build=_build_business_duration,
        capabilities=(
            "elapsed only; naive datetimes only; one interval a day",
            "holiday list, weekend list; whole-second resolution, result as a number",
            "builds a pandas date range of every day in the span on each call",
        ),
    ),
    Peer(
        "businesstime",
        "businesstime",
        naive=True,
        build=_build_businesstime,
        capabilities=(
            "elapsed only; naive datetimes only; one interval a day",
            "holiday list or generator; result counts business *days* in `.days`",
            "iterates day by day",
        ),
    ),
)
