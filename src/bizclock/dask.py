"""Scale-out (SPEC §10): partition functions for Dask's ``map_partitions`` and friends.

Needs the ``dask`` extra (``pip install 'bizclock[dask]'``: Dask, pandas, NumPy).  Two
partition functions take a pandas DataFrame and return one; they need only pandas, so the very
same functions serve Spark's ``mapInPandas`` or a plain ``groupby().apply`` (see
``docs/scale-out.md``):

* :func:`add_deadlines` adds a deadline column: start column + business duration, computed by
  :func:`bizclock.batch.add_many`, so millions of rows cost what a few NumPy passes cost;
* :func:`evaluate_tickets` turns a partition of ticket *events* (one row per event) into SLA
  clocks (one row per ticket and metric) with :func:`bizclock.sla.evaluate_many`.

:func:`with_deadlines` and :func:`evaluate_sla` apply them to a Dask DataFrame, with the
metadata Dask needs (and, for the SLA, a shuffle that brings each ticket's events together).

A :class:`~bizclock.Calendar` or :class:`~bizclock.sla.Policy` travels to the workers as its
configuration only (a few hundred bytes); a worker keeps one warm copy of each calendar and
policy it has seen, so the compiled years are reused from one partition to the next.
"""

from __future__ import annotations

import importlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Literal, NoReturn, TypeVar, cast

import numpy as np

from bizclock._calendar import Calendar
from bizclock._errors import ArgumentError, ArgumentTypeError, BizclockError, SlaError
from bizclock._zone import EPOCH, US, UTC
from bizclock.batch import _instants, add_many

if TYPE_CHECKING:
    import dask.dataframe as dd

    from bizclock.sla import Clock, Policy

__all__ = [
    "CLOCK_COLUMNS",
    "add_deadlines",
    "evaluate_sla",
    "evaluate_tickets",
    "with_deadlines",
]

# pandas ships no type information (pandas-stubs is a separate package), so it is used
# through an untyped module object rather than a checked import.
pd: Any = importlib.import_module("pandas")

#: The columns of :func:`evaluate_tickets`' result, after the ticket column.
CLOCK_COLUMNS: tuple[str, ...] = (
    "metric",
    "priority",
    "state",
    "target",
    "elapsed",
    "remaining",
    "deadline",
    "breached_at",
    "met_at",
    "started_at",
    "stopped_at",
    "warning",
)
_DURATIONS = ("target", "elapsed", "remaining")
_INSTANTS = ("deadline", "breached_at", "met_at", "started_at", "stopped_at")
_NAT = int(np.iinfo(np.int64).min)

# One warm copy of each calendar (and SLA policy) per process: an unpickled copy is cold
# (configuration only), while the first one seen keeps its compiled years from task to task.
_WARM: OrderedDict[object, object] = OrderedDict()
_WARM_LOCK = threading.Lock()
_WARM_SIZE = 16
_Shared = TypeVar("_Shared")


def _warm(value: _Shared) -> _Shared:
    """The first object equal to ``value`` this process has seen (its caches are hot)."""
    with _WARM_LOCK:
        warm = _WARM.get(value)
        if warm is None:
            _WARM[value] = warm = value
            while len(_WARM) > _WARM_SIZE:
                _WARM.popitem(last=False)
        else:
            _WARM.move_to_end(value)
        # Keys map to equal values of the same type.
        return cast("_Shared", warm)


def _column(frame: Any, name: str, what: str) -> Any:
    if not isinstance(name, str):
        raise ArgumentTypeError(f"{what}: expected a column name, got {type(name).__name__}")
    if name not in frame.columns:
        raise ArgumentError(
            f"{what}: no column {name!r} in the partition (columns: {list(frame.columns)})"
        )
    return frame[name]


# -- deadlines ----------------------------------------------------------------------------


def add_deadlines(
    partition: Any,
    calendar: Calendar,
    *,
    start: str,
    duration: str | timedelta | np.timedelta64,
    out: str = "deadline",
    boundary: Literal["exact", "next_open"] = "exact",
    errors: Literal["raise", "coerce"] = "raise",
) -> Any:
    """A copy of the pandas DataFrame ``partition`` with a deadline column ``out``.

    ``start`` names a column of tz-aware timestamps; ``duration`` names a column of
    timedeltas or is one duration for every row.  Each deadline is exactly
    ``calendar.add(start, duration, boundary=boundary)``, in the start column's time zone;
    ``NaT`` in gives ``NaT`` out.  With ``errors="coerce"`` a row whose deadline cannot be
    computed (the scalar API would raise) gets ``NaT`` instead of failing the partition.

    Usable as is with ``dask.dataframe.DataFrame.map_partitions`` (give ``meta``, or use
    :func:`with_deadlines`, which does).
    """
    if not isinstance(calendar, Calendar):
        raise ArgumentTypeError(
            f"calendar: expected a bizclock.Calendar, got {type(calendar).__name__}"
        )
    if not isinstance(partition, pd.DataFrame):
        raise ArgumentTypeError(
            f"partition: expected a pandas DataFrame, got {type(partition).__name__}"
        )
    starts = _column(partition, start, "start")
    durations = _column(partition, duration, "duration") if isinstance(duration, str) else duration
    deadlines = add_many(_warm(calendar), starts, durations, boundary=boundary, errors=errors)
    return partition.assign(**{out: deadlines})


def with_deadlines(
    frame: dd.DataFrame,
    calendar: Calendar,
    *,
    start: str,
    duration: str | timedelta | np.timedelta64,
    out: str = "deadline",
    boundary: Literal["exact", "next_open"] = "exact",
    errors: Literal["raise", "coerce"] = "raise",
) -> dd.DataFrame:
    """``frame.map_partitions(add_deadlines, ...)`` for a Dask DataFrame, with its metadata."""
    options: dict[str, Any] = {
        "start": start,
        "duration": duration,
        "out": out,
        "boundary": boundary,
        "errors": errors,
    }
    meta = add_deadlines(frame._meta, calendar, **options)
    # dask leaves map_partitions unannotated.
    mapped: dd.DataFrame = frame.map_partitions(  # type: ignore[no-untyped-call]
        add_deadlines, calendar, meta=meta, **options
    )
    return mapped


# -- SLA clocks ---------------------------------------------------------------------------


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or value != value


def _refuse(
    value: object, column: str | None, row: int, ticket: str, ticket_id: object
) -> NoReturn:
    """The error for an event value that is missing or not a string."""
    what = "missing" if _missing(value) else f"not a string: {type(value).__name__} {value!r}"
    raise SlaError(f"{ticket} {ticket_id!r}: row {row}: {column}: the value is {what}")


def _optional(frame: Any, name: str | None, what: str) -> list[Any] | None:
    if name is None:
        return None
    if name not in frame.columns:
        raise ArgumentError(
            f"{what}: no column {name!r} in the partition (columns: {list(frame.columns)}); "
            f"pass {what}=None if there is none"
        )
    return frame[name].tolist()  # type: ignore[no-any-return]


def _clock_frame(
    tickets: Sequence[Any], clocks: Sequence[Clock], ticket_dtype: Any, ticket: str, tz: tzinfo
) -> Any:
    """The result rows as a DataFrame with fixed dtypes (so that empty partitions match)."""
    columns: dict[str, Any] = {ticket: pd.Series(list(tickets), dtype=ticket_dtype)}
    for name in ("metric", "priority", "state"):
        columns[name] = pd.Series([getattr(c, name) for c in clocks], dtype=str)
    for name in _DURATIONS:
        values = np.array([getattr(c, name) // US for c in clocks], np.int64)
        columns[name] = pd.Series(values.view("m8[us]"))
    for name in _INSTANTS:
        stamps = [getattr(c, name) for c in clocks]
        values = np.array([_NAT if s is None else (s - EPOCH) // US for s in stamps], np.int64)
        index = pd.DatetimeIndex(values.view("M8[us]")).tz_localize(UTC).tz_convert(tz)
        columns[name] = pd.Series(index.array)
    columns["warning"] = pd.Series([c.warning for c in clocks], dtype=bool)
    return pd.DataFrame(columns)


def evaluate_tickets(
    partition: Any,
    policy: Policy,
    *,
    now: datetime,
    ticket: str = "ticket",
    at: str = "at",
    kind: str = "kind",
    status: str | None = "status",
    priority: str | None = "priority",
    order: str | None = None,
) -> Any:
    """SLA clocks for the tickets whose events make up the pandas DataFrame ``partition``.

    One row per event: the ticket's id (column ``ticket``), the instant (``at``, tz-aware),
    the event kind (``kind``), and optionally the new ``status`` and ``priority`` (missing
    values mean none; pass ``None`` for a column that does not exist).  Every event of a
    ticket must be in the same partition (:func:`evaluate_sla` shuffles to make sure).

    A ticket's events are taken in the order of the ``order`` column if given (an event
    sequence number), else by time, ties kept in row order.  The result has one row per
    ticket and metric, tickets in first-appearance order, metrics in the order
    :func:`bizclock.sla.evaluate` reports them, with the columns ``ticket`` and
    :data:`CLOCK_COLUMNS`: durations as ``timedelta64[us]``, instants as tz-aware timestamps
    in ``now``'s time zone, ``NaT`` where a clock has none.

    Errors are :func:`bizclock.sla.evaluate_many`'s, the message naming the ticket id.
    """
    from bizclock import sla

    if not isinstance(policy, sla.Policy):
        raise ArgumentTypeError(
            f"policy: expected a bizclock.sla.Policy, got {type(policy).__name__}"
        )
    if not isinstance(partition, pd.DataFrame):
        raise ArgumentTypeError(
            f"partition: expected a pandas DataFrame, got {type(partition).__name__}"
        )
    if not isinstance(now, datetime) or now.utcoffset() is None:
        raise ArgumentTypeError(f"now: expected an aware datetime, got {now!r}")
    assert now.tzinfo is not None
    ids = _column(partition, ticket, "ticket")
    kinds = _column(partition, kind, "kind").tolist()
    statuses = _optional(partition, status, "status")
    priorities = _optional(partition, priority, "priority")
    sequence = _column(partition, order, "order") if order is not None else None

    # The batch layer's conversion: tz-aware, exact microseconds, NaT as the int64 minimum.
    us = _instants(_column(partition, at, "at"), at).values.ravel()
    codes, uniques = pd.factorize(ids, sort=False)
    if (codes < 0).any():
        first = int(np.flatnonzero(codes < 0)[0])
        raise SlaError(f"{ticket}: row {first} has no ticket id")
    if (us == _NAT).any():
        first = int(np.flatnonzero(us == _NAT)[0])
        raise SlaError(f"{at}: row {first} (ticket {ids.iloc[first]!r}) has no time")
    second = np.asarray(sequence.to_numpy()) if sequence is not None else us
    rows = np.lexsort((second, codes))  # stable: ties keep row order

    id_list = ids.tolist()
    code_list = codes.tolist()
    us_list = us.tolist()
    none = [None] * len(kinds)
    status_list = statuses if statuses is not None else none
    priority_list = priorities if priorities is not None else none
    timelines: list[list[Any]] = [[] for _ in range(len(uniques))]
    for row in rows.tolist():
        event_kind = kinds[row]
        if not isinstance(event_kind, str):
            _refuse(event_kind, kind, row, ticket, id_list[row])
        # Missing values come as None, NaN or NA depending on the column's dtype.
        new_status = status_list[row]
        if new_status is not None and not isinstance(new_status, str):
            if not _missing(new_status):
                _refuse(new_status, status, row, ticket, id_list[row])
            new_status = None
        new_priority = priority_list[row]
        if new_priority is not None and not isinstance(new_priority, str):
            if not _missing(new_priority):
                _refuse(new_priority, priority, row, ticket, id_list[row])
            new_priority = None
        timelines[code_list[row]].append(
            sla.Event(
                EPOCH + timedelta(microseconds=us_list[row]),
                event_kind,
                status=new_status,
                priority=new_priority,
            )
        )
    try:
        reports = sla.evaluate_many(_warm(policy), timelines, now)
    except BizclockError as exc:
        # Name the ticket by its id rather than by its position in this partition.
        for index, timeline in enumerate(timelines):
            try:
                sla.evaluate(policy, timeline, now)
            except BizclockError as inner:
                raise type(inner)(f"{ticket} {uniques[index]!r}: {inner}") from exc
        raise

    tickets: list[Any] = []
    clocks: list[Clock] = []
    unique_ids = uniques.tolist()
    for index, report in enumerate(reports):
        for clock in report.values():
            tickets.append(unique_ids[index])
            clocks.append(clock)
    return _clock_frame(tickets, clocks, ids.dtype, ticket, now.tzinfo)


def evaluate_sla(
    frame: dd.DataFrame,
    policy: Policy,
    *,
    now: datetime,
    ticket: str = "ticket",
    at: str = "at",
    kind: str = "kind",
    status: str | None = "status",
    priority: str | None = "priority",
    order: str | None = None,
    shuffle: bool = True,
) -> dd.DataFrame:
    """SLA clocks for every ticket of a Dask DataFrame of events (see :func:`evaluate_tickets`).

    With ``shuffle=True`` (the default) the events are first shuffled on the ticket column so
    that each ticket's events share a partition; pass ``False`` when they already do (for
    instance when the frame is indexed or partitioned by ticket).
    """
    options: dict[str, Any] = {
        "now": now,
        "ticket": ticket,
        "at": at,
        "kind": kind,
        "status": status,
        "priority": priority,
        "order": order,
    }
    meta = evaluate_tickets(frame._meta, policy, **options)
    if shuffle:
        frame = frame.shuffle(on=ticket)
    # dask leaves map_partitions unannotated.
    mapped: dd.DataFrame = frame.map_partitions(  # type: ignore[no-untyped-call]
        evaluate_tickets, policy, meta=meta, **options
    )
    return mapped
