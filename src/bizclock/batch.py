"""Vectorised business time over NumPy arrays: millions of deadlines at once (SPEC §10).

Needs the ``numpy`` extra (``pip install 'bizclock[numpy]'``).  The four functions mirror the
scalar API element by element and give **identical** results::

    >>> import numpy as np
    >>> from bizclock import Calendar
    >>> from bizclock.batch import add_many, elapsed_many
    >>> cal = Calendar(timezone="Europe/Berlin", hours={"mon-fri": "09:00-17:00"})
    >>> # Friday 16:00 and Saturday 12:00 in Berlin, written in UTC as datetime64 always is:
    >>> starts = np.array(["2026-11-20T15:00", "2026-11-21T11:00", "NaT"], "datetime64[us]")
    >>> add_many(cal, starts, np.timedelta64(2, "h")).astype(str).tolist()
    ['2026-11-23T09:00:00.000000', '2026-11-23T10:00:00.000000', 'NaT']
    >>> monday_9am = np.datetime64("2026-11-23T08:00", "us")
    >>> elapsed_many(cal, starts, monday_9am).tolist()
    [datetime.timedelta(seconds=3600), datetime.timedelta(0), None]

Inputs:

* instants: ``datetime64`` arrays or scalars, read as **UTC** (any unit that converts to
  microseconds exactly), aware ``datetime`` objects (alone or in lists / object arrays), and,
  when pandas is installed, tz-aware pandas ``Series`` / ``DatetimeIndex``;
* durations: ``timedelta64`` arrays or scalars (any fixed unit that converts exactly),
  ``timedelta`` objects, and pandas ``timedelta64`` Series.

Arguments broadcast against each other like NumPy operands.  ``NaT`` (or ``None`` in a list)
in any argument gives ``NaT`` out (``False`` from :func:`is_open_many`).  Results are
``datetime64[us]`` (UTC) / ``timedelta64[us]`` / ``bool`` arrays of the broadcast shape; when an
instant argument is a pandas Series (or DatetimeIndex) the result is one too, with its index,
name and time zone.

Errors are the scalar API's: an element whose scalar call would raise (``NeverOpenError``,
``OutOfRangeError``, ...) raises the same error class, its message prefixed with the element's
position.  With ``errors="coerce"`` such elements give ``NaT`` (``False``) instead.

How it works: for the local years an array touches, the calendar's compiled yearly runs are
laid out as flat arrays of run starts, run ends and a cumulative sum of open time, and every
question becomes one or two ``numpy.searchsorted`` calls.  Durations that run past those years
extend them; the rare element the arrays cannot settle (a closing instant at the edge of the
compiled years, a result outside the datetime range, a duration longer than the calendar's
whole range) is handed to the scalar API, so the answer is never approximate.
"""

from __future__ import annotations

import functools
import itertools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, overload

import numpy as np
import numpy.typing as npt

from bizclock._calendar import Calendar
from bizclock._errors import (
    ArgumentError,
    ArgumentTypeError,
    BizclockError,
    NaiveDatetimeError,
    OutOfRangeError,
)
from bizclock._timeline import CLOSED_YEARS_LIMIT, Chunk, Timeline
from bizclock._zone import MAX_US, MIN_US, US, UTC, bad_instant, from_us, to_us

__all__ = ["add_many", "elapsed_many", "is_open_many", "subtract_many"]

I64 = npt.NDArray[np.int64]
Errors = Literal["raise", "coerce"]

_NAT = int(np.iinfo(np.int64).min)
# Past every instant and run end, yet far from overflowing when subtracted from an instant.
_FAR = 2**62
_YEAR_US = 31_556_952_000_000
# Instants spread over more local years than this are split into clusters, each compiled on
# its own, so a stray year-1900 sentinel does not compile the years in between.
_MAX_SPAN = 128
# How many years a cluster may grow by to reach the end of long durations before the
# remaining elements are handed to the scalar API (which then finds the answer or the error).
_MAX_EXTEND = 512
# A duration longer than the datetime range can never be met: the scalar API says why.
_DURATION_LIMIT = MAX_US - MIN_US
_EMPTY = np.zeros(0, np.int64)
# Bucketed ranks (see _rank): from how many queries, the table size, the steps allowed.
_BUCKETED_FROM = 4096
_TABLE_BITS = 16
_MAX_STEPS = 4


# -- the compiled years as flat arrays -------------------------------------------------


class _Segment:
    """The open runs of consecutive local years ``y_lo .. y_hi`` as flat NumPy arrays.

    Runs touching across a year boundary are merged, so every run but possibly the first and
    the last is a whole open run of the calendar.  ``cum[i]`` is the open time of the segment
    before run ``i``; ``measure_to(t)`` is the open time in ``[lo, t)``.  ``shift[i]`` is
    ``starts[i] - cum[i]``: inside run ``i``, an instant is its open time plus ``shift[i]``.
    """

    def __init__(self, timeline: Timeline, y_lo: int, y_hi: int) -> None:
        self.timeline = timeline
        self.y_lo = y_lo
        self.y_hi = y_hi
        self._chunks = [timeline.chunk(year) for year in range(y_lo, y_hi + 1)]
        self._flatten()

    def _flatten(self) -> None:
        chunks = self._chunks
        count = sum(len(chunk.starts) for chunk in chunks)
        starts = np.fromiter(
            itertools.chain.from_iterable(chunk.starts for chunk in chunks), np.int64, count
        )
        ends = np.fromiter(
            itertools.chain.from_iterable(chunk.ends for chunk in chunks), np.int64, count
        )
        if count > 1:
            apart = ends[:-1] != starts[1:]
            if not apart.all():
                starts = starts[np.concatenate(([True], apart))]
                ends = ends[np.concatenate((apart, [True]))]
        cum = np.zeros(starts.size + 1, np.int64)
        np.cumsum(ends - starts, out=cum[1:])
        self.starts = starts
        self.ends = ends
        self.starts_pad = np.append(starts, np.int64(_FAR))
        # Past the last run, "instant minus shift" is hugely negative, so max() picks cum.
        self.shift_pad = self.starts_pad - cum
        self.cum = cum
        self.total = int(cum[-1])
        # Stretches of CLOSED_YEARS_LIMIT or more whole closed years: the scalar API may give
        # up (NeverOpenError) when it searches across one, so results that cross one are
        # left to it.
        self.closures: list[tuple[int, int]] = []
        run: list[Chunk] = []
        for chunk in [*chunks, None]:
            if chunk is not None and chunk.total == 0:
                run.append(chunk)
                continue
            if len(run) >= CLOSED_YEARS_LIMIT:
                self.closures.append((run[0].lo, run[-1].hi))
            run = []

    def crossing(self, t: I64, r: I64, ok: Settled) -> Settled:
        """``ok`` less the results whose way from ``t`` to ``r`` crosses a long closure."""
        for lo, hi in self.closures:
            across = (np.minimum(t, r) < hi) & (np.maximum(t, r) > lo)
            if across.any():
                ok = ~across if ok is None else ok & ~across
        return ok

    def extend_forward(self, need: int) -> None:
        """Append years until the segment holds ``need`` open time (within the limits)."""
        timeline = self.timeline
        total = self.total
        added = closed = 0
        while total < need and self.y_hi < timeline.max_year and added < _MAX_EXTEND:
            chunk = timeline.chunk(self.y_hi + 1)
            self.y_hi += 1
            self._chunks.append(chunk)
            added += 1
            total += chunk.total
            closed = closed + 1 if chunk.total == 0 else 0
            if closed > CLOSED_YEARS_LIMIT + 1:
                break
        if added:
            self._flatten()

    def extend_backward(self, need: int) -> int:
        """Prepend years until ``need`` more open time lies in the segment; the time added."""
        timeline = self.timeline
        gained = added = closed = 0
        head = []
        while gained < need and self.y_lo > timeline.min_year and added < _MAX_EXTEND:
            chunk = timeline.chunk(self.y_lo - 1)
            self.y_lo -= 1
            head.append(chunk)
            added += 1
            gained += chunk.total
            closed = closed + 1 if chunk.total == 0 else 0
            if closed > CLOSED_YEARS_LIMIT + 1:
                break
        if added:
            head.reverse()
            self._chunks[:0] = head
            self._flatten()
        return gained

    def measure_to(
        self,
        t: I64,
        bounds: tuple[int, int] | None = None,
        *,
        out: I64 | None = None,
        scratch: I64 | None = None,
        index: npt.NDArray[np.intp] | None = None,
    ) -> I64:
        """Open time in ``[lo, t)`` for instants inside the segment.

        In run ``i`` (or in the gap before it) that is ``max(t - shift[i], cum[i])``.  ``out``,
        ``scratch`` and ``index`` are optional work arrays shaped like ``t`` (see
        :func:`_rank`); ``out`` receives the result and must not be ``t``.
        """
        i = _rank(self.ends, t, inclusive=True, bounds=bounds, out=index, scratch=scratch)
        g = np.take(self.shift_pad, i, out=out, mode="clip")
        np.subtract(t, g, out=g)
        np.maximum(g, np.take(self.cum, i, out=scratch, mode="clip"), out=g)
        return g

    def measure_at(self, t: int) -> int:
        """Open time in ``[lo, t)`` for one instant inside the segment."""
        return int(self.measure_to(np.array([t], np.int64))[0])

    def is_open(self, t: I64, bounds: tuple[int, int] | None = None) -> npt.NDArray[np.bool_]:
        """Whether each instant lies in an open run."""
        i = _rank(self.ends, t, inclusive=True, bounds=bounds)
        is_open: npt.NDArray[np.bool_] = np.take(self.starts_pad, i, mode="clip") <= t
        return is_open

    def earliest_at(
        self,
        x: I64,
        bounds: tuple[int, int] | None = None,
        *,
        out: I64 | None = None,
        index: npt.NDArray[np.intp] | None = None,
    ) -> I64:
        """The earliest instant with ``measure_to == x``, for ``0 < x <= total``.

        ``out`` (not ``x``) and ``index`` are optional work arrays shaped like ``x``.
        """
        k = _rank(self.cum[1:], x, inclusive=False, bounds=bounds, out=index, scratch=out)
        r = np.take(self.shift_pad, k, out=out, mode="clip")
        r += x
        return r

    def latest_at(
        self,
        x: I64,
        bounds: tuple[int, int] | None = None,
        *,
        out: I64 | None = None,
        index: npt.NDArray[np.intp] | None = None,
    ) -> I64:
        """The latest instant with ``measure_to == x``, for ``0 <= x < total``."""
        k = _rank(self.cum[:-1], x, inclusive=True, bounds=bounds, out=index, scratch=out)
        k -= 1
        r = np.take(self.shift_pad, k, out=out, mode="clip")
        r += x
        return r


def _rank(
    keys: I64,
    q: I64,
    *,
    inclusive: bool,
    bounds: tuple[int, int] | None = None,
    out: npt.NDArray[np.intp] | None = None,
    scratch: I64 | None = None,
) -> npt.NDArray[np.intp]:
    """``numpy.searchsorted(keys, q, side="right" if inclusive else "left")``, faster.

    ``keys`` must be strictly increasing; ``bounds`` are ``q``'s minimum and maximum if known.
    For many queries, a table over equal buckets of the queries' range (a power of two wide,
    so a shift finds the bucket) gives the rank at each bucket's start, and a step per query
    finishes the job: several times faster than a binary search, whose branches a CPU cannot
    predict for random queries.  ``out`` (for the result) and ``scratch`` (overwritten) are
    optional work arrays shaped like ``q``: reusing memory rather than asking for fresh pages
    is a good part of the speed at a million elements.
    """
    side: Literal["left", "right"] = "right" if inclusive else "left"
    if q.size < _BUCKETED_FROM or keys.size < 2:
        return np.searchsorted(keys, q, side=side)
    qmin, qmax = bounds if bounds is not None else (int(q.min()), int(q.max()))
    span = qmax - qmin
    if span < 0:  # not bounds at all: be safe rather than fast
        return np.searchsorted(keys, q, side=side)
    gap = int(np.diff(keys).min())
    # Buckets no wider than the closest keys hold at most one key each, unless the table
    # would grow too big; then a few keys may share a bucket.
    shift = max(gap.bit_length() - 1, span.bit_length() - _TABLE_BITS, 0)
    edges = np.arange((span >> shift) + 2, dtype=np.int64)
    edges <<= shift
    edges += qmin
    first = np.searchsorted(keys, edges, side="left")
    steps = int(np.diff(first).max())
    if steps > _MAX_STEPS:
        return np.searchsorted(keys, q, side=side)
    buckets = np.subtract(q, qmin, out=scratch)
    buckets >>= shift
    # Indices are in range by construction: "clip" skips the checks (and "raise" would
    # buffer the output).
    i: npt.NDArray[np.intp] = np.take(first, buckets, out=out, mode="clip")
    if steps:
        padded = np.append(keys, np.int64(_FAR))
        below = np.empty(q.shape, np.bool_)
        compare = np.less_equal if inclusive else np.less
        for _ in range(steps):
            found = np.take(padded, i, out=buckets, mode="clip")
            compare(found, q, out=below)
            np.add(i, below, out=i)
    return i


def _clusters(
    timeline: Timeline, bounds: tuple[int, int], spans: Callable[[], tuple[I64, I64]]
) -> tuple[list[tuple[I64 | None, int, int]], I64]:
    """Split elements into groups of nearby years.

    ``bounds`` are the earliest and the latest instant of all elements; ``spans()`` gives
    each element's earliest and latest instant (only called when the elements must be split).
    Returns ``[(selection or None for all, first year, last year)]`` and the elements whose
    own span covers too many years for any group (left to the scalar API).
    """
    y0 = timeline.year_of(bounds[0])
    y1 = timeline.year_of(bounds[1])
    if y1 - y0 <= _MAX_SPAN:
        return [(None, y0, y1)], _EMPTY
    lo, hi = spans()
    half = _MAX_SPAN // 2
    approx = lo // _YEAR_US
    far = (hi - lo) // _YEAR_US > half
    keep = np.flatnonzero(~far)
    rejects = np.flatnonzero(far)
    if keep.size == 0:
        return [], rejects
    years = np.unique(approx[keep])
    labels = np.empty(years.size, np.int64)
    label = 0
    first = prev = int(years[0])
    for j, year in enumerate(years.tolist()):
        if year - prev > 2 or year - first > half:
            label += 1
            first = year
        labels[j] = label
        prev = year
    ids = labels[np.searchsorted(years, approx[keep])]
    order = np.argsort(ids, kind="stable")
    cuts = np.searchsorted(ids[order], np.arange(label + 2))
    groups: list[tuple[I64 | None, int, int]] = []
    for g in range(label + 1):
        sel = keep[order[cuts[g] : cuts[g + 1]]]
        groups.append(
            (sel, timeline.year_of(int(lo[sel].min())), timeline.year_of(int(hi[sel].max())))
        )
    return groups, rejects


def _pair(values: I64) -> tuple[I64, I64]:
    return values, values


def _take(values: I64, sel: I64 | None) -> I64:
    """``values[sel]``; all of them for ``None``, and a 0-d array (a broadcast scalar) as is."""
    return values if sel is None or values.ndim == 0 else values[sel]


Settled = npt.NDArray[np.bool_] | None  # which results are final; None: all of them


def _advance(
    seg: _Segment, t: I64, d: I64, bounds: tuple[int, int, int, int], *, snap: bool
) -> tuple[I64, Settled]:
    """Vectorised ``Timeline.advance`` (``d > 0``), optionally moved to the next opening.

    ``bounds`` are the least and greatest ``t`` and ``d``.  Returns the results and which of
    them are settled (the rest go to the scalar API).
    """
    t_lo, t_hi, d_lo, d_hi = bounds
    work = np.empty(t.shape, np.int64)
    index = np.empty(t.shape, np.intp)
    target = seg.measure_to(t, (t_lo, t_hi), scratch=work, index=index)
    target += d
    # Open time only grows with t, so the targets' range follows from the ends of t's.
    low = seg.measure_at(t_lo) + d_lo
    high = seg.measure_at(t_hi) + d_hi
    ok: Settled = None
    if high > seg.total:
        high = int(target.max())
        if high > seg.total:
            seg.extend_forward(high)
        if high > seg.total:
            if seg.total == 0:
                return target, np.zeros(target.shape, np.bool_)
            ok = target <= seg.total
            np.minimum(target, seg.total, out=target)
            high = seg.total
            low = min(low, high)
    r = seg.earliest_at(target, (low, high), out=work, index=index)
    if snap:
        i = _rank(seg.ends, r, inclusive=True)
        nxt = seg.starts_pad[i]
        closed = nxt > r
        if closed.any():
            r = np.where(closed, nxt, r)
            # No opening left in the segment: the scalar API searches on.
            stuck = closed & (i >= seg.starts.size)
            if stuck.any():
                ok = ~stuck if ok is None else ok & ~stuck
    return r, seg.crossing(t, r, ok)


def _retreat(
    seg: _Segment, t: I64, d: I64, bounds: tuple[int, int, int, int], *, snap: bool
) -> tuple[I64, Settled]:
    """Vectorised ``Timeline.retreat`` (``d > 0``), optionally moved to the previous close."""
    t_lo, t_hi, d_lo, d_hi = bounds
    work = np.empty(t.shape, np.int64)
    index = np.empty(t.shape, np.intp)
    target = seg.measure_to(t, (t_lo, t_hi), scratch=work, index=index)
    target -= d
    low = seg.measure_at(t_lo) - d_hi
    high = seg.measure_at(t_hi) - d_lo
    if low < 0:
        low = int(target.min())
        if low < 0:
            gained = seg.extend_backward(-low)
            target += gained
            low += gained
            high += gained
    ok: Settled = None
    if low < 0:
        if seg.total == 0:
            return target, np.zeros(target.shape, np.bool_)
        ok = target >= 0
        np.maximum(target, 0, out=target)
        low = 0
        high = max(high, 0)
    r = seg.latest_at(target, (low, high), out=work, index=index)
    if snap:
        j = _rank(seg.starts, r, inclusive=False)
        at_start = seg.starts_pad[j] == r
        if at_start.any():
            r = np.where(at_start, seg.ends[np.maximum(j - 1, 0)], r)
            # A run starting the segment may have begun earlier: the scalar API decides.
            stuck = at_start & (j == 0)
            if stuck.any():
                ok = ~stuck if ok is None else ok & ~stuck
    return r, seg.crossing(t, r, ok)


# -- converting arguments ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Pandas:
    """Where a pandas argument came from, to shape the result like it."""

    index: Any
    name: Any
    tz: Any
    is_index: bool


@dataclass(frozen=True, slots=True)
class _Arg:
    values: I64  # microseconds; _NAT for missing
    pandas: _Pandas | None
    scalar: bool


def _pandas() -> Any:
    """The pandas module if it has been imported (a pandas argument implies it has)."""
    return sys.modules.get("pandas")


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    if isinstance(value, float):
        return value != value
    pd = _pandas()
    return pd is not None and value is pd.NaT


def _exact_us(values: npt.NDArray[Any], kind: str, name: str) -> I64:
    """``datetime64`` / ``timedelta64`` values of any fixed unit as exact int64 microseconds."""
    unit, _ = np.datetime_data(values.dtype)
    if unit == "generic":
        raise ArgumentTypeError(
            f"{name}: {values.dtype} has no unit; use {kind}64[us] (e.g. .astype('{kind}64[us]'))"
        )
    if kind == "timedelta" and unit in ("Y", "M"):
        raise ArgumentError(
            f"{name}: {values.dtype} durations have no fixed length (months and years vary); "
            "give them in days, hours, ... or microseconds"
        )
    target = np.dtype(f"{'M' if kind == 'datetime' else 'm'}8[us]")
    if values.dtype == target:
        return values.view(np.int64)
    converted = values.astype(target)
    back = converted.astype(values.dtype)
    same = back.view(np.int64) == values.view(np.int64)
    if not same.all():
        where = np.unravel_index(int(np.flatnonzero(~same.ravel())[0]), values.shape)
        position = where if len(where) != 1 else where[0]
        raise ArgumentError(
            f"{name}[{position}]: {values[where]} is not a whole number of microseconds "
            f"within {kind}64[us]'s range; round or clip it first"
        )
    return converted.view(np.int64)


def _instant_us(value: object, name: str) -> int:
    if _is_missing(value):
        return _NAT
    if isinstance(value, np.datetime64):
        return int(_exact_us(np.asarray(value), "datetime", name))
    if isinstance(value, datetime):
        return to_us(value, name)
    raise bad_instant(value, name)


def _duration_us(value: object, name: str) -> int:
    if _is_missing(value):
        return _NAT
    if isinstance(value, np.timedelta64):
        return int(_exact_us(np.asarray(value), "timedelta", name))
    if isinstance(value, timedelta):
        pd = _pandas()
        if pd is not None and isinstance(value, pd.Timedelta):
            return int(_exact_us(np.asarray(value.to_timedelta64()), "timedelta", name))
        return value // US
    raise ArgumentTypeError(f"{name}: expected a timedelta, got {type(value).__name__} {value!r}")


def _objects(values: npt.NDArray[Any], convert: Callable[[object, str], int], name: str) -> I64:
    out = np.empty(values.shape, np.int64)
    for where, item in np.ndenumerate(values):
        position = where if len(where) != 1 else where[0]
        out[where] = convert(item, f"{name}[{position}]")
    return out


def _instants(value: object, name: str) -> _Arg:
    """An instants argument as microseconds since 1970 UTC."""
    pd = _pandas()
    if pd is not None and isinstance(value, pd.Series | pd.Index):
        series: Any = value
        dtype = series.dtype
        is_index = isinstance(value, pd.Index)
        arrow = getattr(dtype, "pyarrow_dtype", None)
        if arrow is not None and dtype.kind == "M" and getattr(arrow, "tz", None) is not None:
            # Arrow-backed timestamps: the same instants as a NumPy-backed column.
            dtype = pd.DatetimeTZDtype(unit=arrow.unit, tz=arrow.tz)
            series = series.astype(dtype)
        if isinstance(dtype, pd.DatetimeTZDtype):
            naive = series.tz_convert(None) if is_index else series.dt.tz_convert(None)
            values = _exact_us(naive.to_numpy(), "datetime", name)
            return _Arg(
                values,
                _Pandas(series if is_index else series.index, series.name, dtype.tz, is_index),
                scalar=False,
            )
        if dtype.kind == "M":
            raise NaiveDatetimeError(
                f"{name}: the pandas timestamps are naive (no time zone); attach one, e.g. "
                f"{'s.dt' if not is_index else 'idx'}.tz_localize('UTC') or the calendar's zone"
            )
        if dtype == np.dtype(object):
            values = _objects(series.to_numpy(), _instant_us, name)
            origin = _Pandas(series if is_index else series.index, series.name, None, is_index)
            return _Arg(values, origin, scalar=False)
        raise ArgumentTypeError(
            f"{name}: expected tz-aware timestamps, got a {dtype} {type(value).__name__}"
        )
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "M":
            return _Arg(_exact_us(value, "datetime", name), None, scalar=False)
        if value.dtype == object:
            return _Arg(_objects(value, _instant_us, name), None, scalar=False)
        raise ArgumentTypeError(
            f"{name}: expected datetime64 values, got an array of {value.dtype}"
        )
    if isinstance(value, list | tuple):
        array = np.empty(len(value), object)
        array[:] = value
        return _Arg(_objects(array, _instant_us, name), None, scalar=False)
    return _Arg(np.asarray(_instant_us(value, name), np.int64), None, scalar=True)


def _durations(value: object, name: str) -> _Arg:
    """A durations argument as microseconds."""
    pd = _pandas()
    if pd is not None and isinstance(value, pd.Series | pd.Index):
        dtype = value.dtype
        is_index = isinstance(value, pd.Index)
        if dtype.kind == "m":
            values = _exact_us(value.to_numpy(), "timedelta", name)
            index = value if is_index else value.index
            return _Arg(values, _Pandas(index, value.name, None, is_index), scalar=False)
        if dtype == np.dtype(object):
            values = _objects(value.to_numpy(), _duration_us, name)
            index = value if is_index else value.index
            return _Arg(values, _Pandas(index, value.name, None, is_index), scalar=False)
        raise ArgumentTypeError(
            f"{name}: expected timedeltas, got a {dtype} {type(value).__name__}"
        )
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "m":
            return _Arg(_exact_us(value, "timedelta", name), None, scalar=False)
        if value.dtype == object:
            return _Arg(_objects(value, _duration_us, name), None, scalar=False)
        raise ArgumentTypeError(
            f"{name}: expected timedelta64 values, got an array of {value.dtype}"
            + (
                "; if they are microseconds, use .astype('timedelta64[us]')"
                if value.dtype.kind in "iu"
                else ""
            )
        )
    if isinstance(value, list | tuple):
        array = np.empty(len(value), object)
        array[:] = value
        return _Arg(_objects(array, _duration_us, name), None, scalar=False)
    return _Arg(np.asarray(_duration_us(value, name), np.int64), None, scalar=True)


def _broadcast(
    first: _Arg, second: _Arg, names: tuple[str, str]
) -> tuple[I64, I64, tuple[int, ...]]:
    if (
        first.pandas is not None
        and second.pandas is not None
        and not first.pandas.index.equals(second.pandas.index)
    ):
        raise ArgumentError(
            f"{names[0]} and {names[1]}: the pandas indexes differ; align them first "
            "(the arrays are combined by position)"
        )
    try:
        shape = np.broadcast_shapes(first.values.shape, second.values.shape)
    except ValueError:
        raise ArgumentError(
            f"{names[0]} and {names[1]}: shapes {first.values.shape} and "
            f"{second.values.shape} do not broadcast"
        ) from None
    a = np.broadcast_to(first.values, shape).ravel()
    # A scalar second argument (one duration for all, one "now") stays 0-d: no copy.
    b = second.values
    if b.ndim:
        b = np.broadcast_to(b, shape).ravel()
    return a, b, shape


def _check_calendar(cal: object) -> Timeline:
    if not isinstance(cal, Calendar):
        raise ArgumentTypeError(f"cal: expected a bizclock.Calendar, got {type(cal).__name__}")
    return cal._timeline


def _check_errors(errors: object) -> bool:
    if errors != "raise" and errors != "coerce":
        raise ArgumentError(f"errors: expected 'raise' or 'coerce', got {errors!r}")
    return errors == "coerce"


def _position(flat: int, shape: tuple[int, ...]) -> str:
    where = np.unravel_index(flat, shape) if shape else ()
    return str(tuple(int(w) for w in where)) if len(where) != 1 else str(int(where[0]))


def _settle(
    out: npt.NDArray[Any],
    pending: list[I64],
    shape: tuple[int, ...],
    compute: Callable[[int], Any],
    *,
    coerce: bool,
    missing: Any,
) -> None:
    """Fill the elements the arrays could not settle with the scalar API, in element order."""
    if not pending:
        return
    todo = np.unique(np.concatenate(pending))
    for flat in todo.tolist():
        try:
            out[flat] = compute(flat)
        except BizclockError as exc:
            if not coerce:
                raise type(exc)(f"element {_position(flat, shape)}: {exc}") from exc
            out[flat] = missing


def _in_range(values: I64) -> bool:
    """Whether every value is an instant in the datetime range (none is NaT)."""
    return values.size == 0 or (int(values.min()) >= MIN_US and int(values.max()) <= MAX_US)


def _outside() -> OutOfRangeError:
    return OutOfRangeError("the instant is outside the datetime range (years 1-9999)")


# -- shaping results ---------------------------------------------------------------------


def _result(
    values: npt.NDArray[Any], shape: tuple[int, ...], args: Sequence[_Arg], *, tz_from: int | None
) -> Any:
    """The flat results shaped like the arguments: NumPy array or scalar, or pandas."""
    values = values.reshape(shape)
    like = next((arg.pandas for arg in args if arg.pandas is not None), None)
    if like is not None:
        pd = _pandas()
        assert pd is not None
        source = args[tz_from].pandas if tz_from is not None else None
        tz = source.tz if source is not None else None
        if values.dtype.kind == "M":
            index = pd.DatetimeIndex(values).tz_localize("UTC")
            if tz is not None:
                index = index.tz_convert(tz)
            values = index.array
        if like.is_index:
            return pd.Index(values, name=like.name)
        return pd.Series(values, index=like.index, name=like.name)
    if all(arg.scalar for arg in args):
        return values[()]
    return values


# -- the public functions ------------------------------------------------------------------


def _place(out: I64, where: I64 | None, r: I64, ok: Settled, pending: list[I64]) -> None:
    """Write a group's results into ``out``; queue the unsettled ones for the scalar API."""
    if where is None:
        out[:] = r
    else:
        out[where] = r
    if ok is not None:
        unsettled = np.flatnonzero(~ok)
        pending.append(unsettled if where is None else where[unsettled])


def _shift_many(
    cal: Calendar,
    starts: object,
    durations: object,
    *,
    sign: int,
    boundary: str,
    errors: str,
) -> Any:
    timeline = _check_calendar(cal)
    coerce = _check_errors(errors)
    if sign > 0:
        if boundary != "exact" and boundary != "next_open":
            raise ArgumentError(f"boundary: expected 'exact' or 'next_open', got {boundary!r}")
    elif boundary != "exact" and boundary != "prev_close":
        raise ArgumentError(f"boundary: expected 'exact' or 'prev_close', got {boundary!r}")
    snap = boundary != "exact"
    t_arg = _instants(starts, "starts")
    d_arg = _durations(durations, "durations")
    t, d, shape = _broadcast(t_arg, d_arg, ("starts", "durations"))
    pending: list[I64] = []
    bad: I64 = _EMPTY

    # The common case first: every start in range, every duration the same way, and no
    # result that must leave the datetime range (business time never exceeds real time).
    t_lo, t_hi = (int(t.min()), int(t.max())) if t.size else (0, 0)
    d_lo, d_hi = (int(d.min()), int(d.max())) if d.size else (0, 0)
    forward = (d_lo > 0) == (sign > 0)
    uniform = (
        t.size > 0
        and t_lo >= MIN_US
        and t_hi <= MAX_US
        and (d_lo > 0 or d_hi < 0)
        and max(-d_lo, d_hi) <= _DURATION_LIMIT
        and (t_hi + max(-d_lo, d_hi) <= MAX_US if forward else t_lo - max(-d_lo, d_hi) >= MIN_US)
    )
    if uniform:
        out = np.empty(t.size, np.int64)
        jobs: list[tuple[I64 | None, Any]] = [(None, _advance if forward else _retreat)]
    else:
        out = np.full(t.size, _NAT, np.int64)
        t_ok = (t >= MIN_US) & (t <= MAX_US)
        missing = (t == _NAT) | (d == _NAT)
        bad = np.flatnonzero(~missing & ~t_ok)
        pending.append(bad)
        active = t_ok & ~missing
        zero = active & (d == 0)
        if zero.any():
            out[zero] = t[zero]
        # Beyond the datetime range for sure: the scalar API raises OutOfRangeError at once.
        reach = np.minimum(np.abs(d), _DURATION_LIMIT + 1)
        ahead = active & (d > 0 if sign > 0 else d < 0)
        behind = active & ~ahead & ~zero
        leaves = (ahead & (t + reach > MAX_US)) | (behind & (t - reach < MIN_US))
        pending.append(np.flatnonzero(leaves))
        jobs = [
            (np.flatnonzero(ahead & ~leaves), _advance),
            (np.flatnonzero(behind & ~leaves), _retreat),
        ]

    for sel_all, step in jobs:
        if sel_all is not None and sel_all.size == 0:
            continue
        ts = _take(t, sel_all)
        ds = np.abs(_take(d, sel_all))
        if sel_all is None:
            t_bounds = (t_lo, t_hi)
            d_bounds = (d_lo, d_hi) if d_lo > 0 else (-d_hi, -d_lo)
        else:
            t_bounds = (int(ts.min()), int(ts.max()))
            d_bounds = (int(ds.min()), int(ds.max()))
        groups, _ = _clusters(timeline, t_bounds, functools.partial(_pair, ts))
        for sel, y0, y1 in groups:
            seg = _Segment(timeline, y0, y1)
            if sel is None:
                bounds = (*t_bounds, *d_bounds)
                r, ok = step(seg, ts, ds, bounds, snap=snap)
            else:
                tg, dg = ts[sel], _take(ds, sel)
                bounds = (int(tg.min()), int(tg.max()), int(dg.min()), int(dg.max()))
                r, ok = step(seg, tg, dg, bounds, snap=snap)
            # A result outside the datetime range: the scalar API raises OutOfRangeError.
            # (Moving forward, results are never before their start, and back never after.)
            if (int(r.max()) > MAX_US) if step is _advance else (int(r.min()) < MIN_US):
                outside = (r < MIN_US) | (r > MAX_US)
                ok = ~outside if ok is None else ok & ~outside
            where = _take(sel_all, sel) if sel_all is not None else sel
            if where is None and ok is None:
                out = r  # every element settled in one go: no copy
            else:
                _place(out, where, r, ok, pending)

    bad_set = frozenset(bad.tolist())
    method = cal.add if sign > 0 else cal.subtract

    def compute(flat: int) -> int:
        if flat in bad_set:
            raise _outside()
        start = from_us(int(t[flat]), UTC)
        duration = timedelta(microseconds=int(d if d.ndim == 0 else d[flat]))
        return to_us(method(start, duration, boundary=boundary))  # type: ignore[arg-type]

    _settle(out, pending, shape, compute, coerce=coerce, missing=_NAT)
    return _result(out.view("M8[us]"), shape, (t_arg, d_arg), tz_from=0)


@overload
def add_many(
    cal: Calendar,
    starts: npt.NDArray[np.datetime64],
    durations: object,
    *,
    boundary: Literal["exact", "next_open"] = ...,
    errors: Errors = ...,
) -> npt.NDArray[np.datetime64]: ...
@overload
def add_many(
    cal: Calendar,
    starts: object,
    durations: object,
    *,
    boundary: Literal["exact", "next_open"] = ...,
    errors: Errors = ...,
) -> Any: ...
def add_many(
    cal: Calendar,
    starts: object,
    durations: object,
    *,
    boundary: Literal["exact", "next_open"] = "exact",
    errors: Errors = "raise",
) -> Any:
    """``cal.add(start, duration, boundary=...)`` for every element (SPEC §4, §10).

    ``starts`` are instants (``datetime64`` read as UTC, or a tz-aware pandas Series),
    ``durations`` business durations (``timedelta64``, ``timedelta``); they broadcast.
    The result is ``datetime64[us]`` UTC (a Series in the starts' zone for a Series).
    """
    return _shift_many(cal, starts, durations, sign=1, boundary=boundary, errors=errors)


@overload
def subtract_many(
    cal: Calendar,
    starts: npt.NDArray[np.datetime64],
    durations: object,
    *,
    boundary: Literal["exact", "prev_close"] = ...,
    errors: Errors = ...,
) -> npt.NDArray[np.datetime64]: ...
@overload
def subtract_many(
    cal: Calendar,
    starts: object,
    durations: object,
    *,
    boundary: Literal["exact", "prev_close"] = ...,
    errors: Errors = ...,
) -> Any: ...
def subtract_many(
    cal: Calendar,
    starts: object,
    durations: object,
    *,
    boundary: Literal["exact", "prev_close"] = "exact",
    errors: Errors = "raise",
) -> Any:
    """``cal.subtract(start, duration, boundary=...)`` for every element (SPEC §4, §10)."""
    return _shift_many(cal, starts, durations, sign=-1, boundary=boundary, errors=errors)


@overload
def elapsed_many(
    cal: Calendar,
    a: npt.NDArray[np.datetime64],
    b: object,
    *,
    errors: Errors = ...,
) -> npt.NDArray[np.timedelta64]: ...
@overload
def elapsed_many(cal: Calendar, a: object, b: object, *, errors: Errors = ...) -> Any: ...
def elapsed_many(cal: Calendar, a: object, b: object, *, errors: Errors = "raise") -> Any:
    """``cal.elapsed(a, b)`` for every element: business time in ``[a, b)``, negative if
    ``b < a``, as ``timedelta64[us]`` (a Series for a Series argument)."""
    timeline = _check_calendar(cal)
    coerce = _check_errors(errors)
    a_arg = _instants(a, "a")
    b_arg = _instants(b, "b")
    ua, ub, shape = _broadcast(a_arg, b_arg, ("a", "b"))
    pending: list[I64] = []
    bad: I64 = _EMPTY
    sel_all: I64 | None = None
    if _in_range(ua) and _in_range(ub):
        out = np.empty(ua.size, np.int64)
    else:
        out = np.full(ua.size, _NAT, np.int64)
        active = (ua >= MIN_US) & (ua <= MAX_US) & (ub >= MIN_US) & (ub <= MAX_US)
        missing = (ua == _NAT) | (ub == _NAT)
        bad = np.flatnonzero(~missing & ~active)
        pending.append(bad)
        sel_all = np.flatnonzero(active)
    if ua.size and (sel_all is None or sel_all.size):
        xa = _take(ua, sel_all)
        xb = _take(ub, sel_all)
        a_bounds = (int(xa.min()), int(xa.max()))
        b_bounds = (int(xb.min()), int(xb.max()))
        bounds = (min(a_bounds[0], b_bounds[0]), max(a_bounds[1], b_bounds[1]))
        groups, rejects = _clusters(
            timeline, bounds, lambda: (np.minimum(xa, xb), np.maximum(xa, xb))
        )
        if rejects.size:
            pending.append(_take(sel_all, rejects) if sel_all is not None else rejects)
        for sel, y0, y1 in groups:
            seg = _Segment(timeline, y0, y1)
            if sel is None:
                work = np.empty(xa.shape, np.int64)
                index = np.empty(xa.shape, np.intp)
                r = seg.measure_to(xa, a_bounds, scratch=work, index=index)
                if xb.ndim:
                    rb = seg.measure_to(xb, b_bounds, scratch=work, index=index)
                else:
                    rb = seg.measure_to(xb.reshape(-1), b_bounds)
                np.subtract(rb, r, out=r)
            else:
                r = seg.measure_to(_take(xb, sel).reshape(-1)) - seg.measure_to(xa[sel])
            _place(out, _take(sel_all, sel) if sel_all is not None else sel, r, None, pending)

    bad_set = frozenset(bad.tolist())

    def compute(flat: int) -> int:
        if flat in bad_set:
            raise _outside()
        start = from_us(int(ua[flat]), UTC)
        end = from_us(int(ub if ub.ndim == 0 else ub[flat]), UTC)
        return cal.elapsed(start, end) // US

    _settle(out, pending, shape, compute, coerce=coerce, missing=_NAT)
    return _result(out.view("m8[us]"), shape, (a_arg, b_arg), tz_from=None)


@overload
def is_open_many(
    cal: Calendar, t: npt.NDArray[np.datetime64], *, errors: Errors = ...
) -> npt.NDArray[np.bool_]: ...
@overload
def is_open_many(cal: Calendar, t: object, *, errors: Errors = ...) -> Any: ...
def is_open_many(cal: Calendar, t: object, *, errors: Errors = "raise") -> Any:
    """``cal.is_open(t)`` for every element, as a ``bool`` array; ``NaT`` gives ``False``."""
    timeline = _check_calendar(cal)
    coerce = _check_errors(errors)
    arg = _instants(t, "t")
    shape = arg.values.shape
    ut = arg.values.ravel()
    out = np.zeros(ut.size, np.bool_)
    sel_all: I64 | None = None
    if not _in_range(ut):
        active = (ut >= MIN_US) & (ut <= MAX_US)
        bad = np.flatnonzero(~active & (ut != _NAT))
        if bad.size and not coerce:
            raise OutOfRangeError(f"element {_position(int(bad[0]), shape)}: {_outside()}")
        sel_all = np.flatnonzero(active)
    if ut.size and (sel_all is None or sel_all.size):
        xt = _take(ut, sel_all)
        bounds = (int(xt.min()), int(xt.max()))
        groups, _ = _clusters(timeline, bounds, functools.partial(_pair, xt))
        for sel, y0, y1 in groups:
            seg = _Segment(timeline, y0, y1)
            r = seg.is_open(xt, bounds) if sel is None else seg.is_open(xt[sel])
            where = _take(sel_all, sel) if sel_all is not None else sel
            if where is None:
                out[:] = r
            else:
                out[where] = r
    return _result(out, shape, (arg,), tz_from=None)
