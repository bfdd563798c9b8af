"""The integer core: open time as sorted disjoint ``[start, end)`` runs of microseconds.

Nothing here knows about dates, time zones or holidays.  A :class:`Timeline` asks a
*source* for the runs of one "year" (any contiguous slice of the integer line that the
source numbers consecutively) and answers every question with binary search:

* inside a year, cumulative open time ``cum`` turns "how much open time before ``t``" and
  "where does the open time reach ``x``" into one ``bisect`` each;
* across years, a prefix sum of yearly totals (the *span*) does the same, so a duration
  of 100,000 hours costs what 4 hours cost once the years involved have been compiled.

Compiled years live in a small LRU cache; only their totals (one int a year) are kept
for good.  Compilation happens under a lock, lookups never take it.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta

from bizclock._errors import NeverClosesError, NeverOpenError, OutOfRangeError

__all__ = ["CLOSED_YEARS_LIMIT", "NEAR", "Chunk", "Timeline", "Window", "merge_runs"]

#: Searching for open time gives up on meeting more than this many consecutive whole
#: years without any (every search: add, subtract, next_open, next_close, business days).
CLOSED_YEARS_LIMIT = 10
_GIVE_UP = CLOSED_YEARS_LIMIT + 1

# A new prefix span replaces the current one when a query lands further away than this
# (so scattered queries do not force compiling every year in between).
_SPAN_REACH = 64

# The window (the fast path of add, subtract and elapsed) holds at most this many
# consecutive years; a query within this many years of it widens it; after this many
# queries that it could not answer in a row, it moves to where the queries are.
_WINDOW_YEARS = 8
_WINDOW_REACH = 2
_WINDOW_PATIENCE = 64
# A window search for an answer near a known run first looks among the next NEAR runs
# (one short bisect), which the padding of _PAD runs past the last one keeps in bounds.
NEAR = 4
_PAD = NEAR + 1
_FAR = 2**63  # later than any instant (and still a timedelta in µs)
_US = timedelta(microseconds=1)


def merge_runs(runs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort ``runs``, drop empty ones and merge overlapping or touching ones."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(runs):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class Chunk:
    """The open runs of one year, clipped to the year's window ``[lo, hi)``.

    ``cum[i]`` is the open time before run ``i``; ``cum[-1]`` is the year's total.
    """

    __slots__ = ("_td", "business_days", "cum", "ends", "hi", "lo", "starts", "total", "year")

    def __init__(self, year: int, lo: int, hi: int, runs: Iterable[tuple[int, int]]) -> None:
        self.year = year
        self.lo = lo
        self.hi = hi
        starts: list[int] = []
        ends: list[int] = []
        cum = [0]
        acc = 0
        for start, end in merge_runs(runs):
            start = max(start, lo)
            end = min(end, hi)
            if end <= start:
                continue
            starts.append(start)
            ends.append(end)
            acc += end - start
            cum.append(acc)
        self.starts = starts
        self.ends = ends
        self.cum = cum
        self.total = acc
        # Filled lazily by the calendar: the sorted ordinals of the year's business days.
        self.business_days: list[int] | None = None
        self._td: tuple[list[timedelta], list[timedelta], list[timedelta]] | None = None

    def td(self) -> tuple[list[timedelta], list[timedelta], list[timedelta]]:
        """``starts``, ``ends`` and ``cum`` as timedeltas (made on first use, for far answers)."""
        td = self._td
        if td is None:
            td = self._td = (
                [_US * v for v in self.starts],
                [_US * v for v in self.ends],
                [_US * v for v in self.cum],
            )
        return td

    def measure_to(self, t: int) -> int:
        """Open time in ``[lo, t)`` for ``lo <= t <= hi``."""
        i = bisect_right(self.ends, t)
        if i < len(self.starts) and t > self.starts[i]:
            return self.cum[i] + t - self.starts[i]
        return self.cum[i]

    def earliest_at(self, x: int) -> int:
        """The earliest ``s`` with ``measure_to(s) == x``, for ``0 < x <= total``."""
        j = bisect_left(self.cum, x) - 1
        return self.starts[j] + x - self.cum[j]

    def latest_at(self, x: int) -> int:
        """The latest ``s`` with ``measure_to(s) == x``, for ``0 <= x < total``."""
        j = bisect_right(self.cum, x) - 1
        return self.starts[j] + x - self.cum[j]

    def is_open(self, t: int) -> bool:
        """Whether ``t`` lies in an open run."""
        i = bisect_right(self.ends, t)
        return i < len(self.starts) and self.starts[i] <= t

    def __repr__(self) -> str:
        return f"Chunk(year={self.year}, runs={len(self.starts)}, total={self.total})"


class Window:
    """Consecutive compiled years, every one with open time, flattened into one run list.

    The calendar's hot path: inside the window ``add``, ``subtract`` and ``elapsed`` are
    one or two bisects on plain lists, with no chunk lookup and no year arithmetic, even
    across a year boundary (runs cut at New Year are joined again).  Everything is held
    as timedeltas since the epoch: an aware datetime minus the epoch is one, and
    converting to integer µs and back costs more than the whole search (SPEC §7).
    ``cum`` counts open time from ``lo``; ``last_base`` is the open time before the start
    of the ``last`` year.  Padding runs past the end spare the hot path bounds checks and
    leave room for a search bounded to the ``NEAR`` runs after a given one.
    """

    __slots__ = ("cum", "ends", "first", "hi", "last", "last_base", "lo", "starts", "total")

    def __init__(self, chunks: list[Chunk]) -> None:
        starts: list[int] = []
        ends: list[int] = []
        cum = [0]
        last_base = 0
        for chunk in chunks:
            last_base = cum[-1]
            for start, end in zip(chunk.starts, chunk.ends, strict=True):
                if ends and ends[-1] == start:
                    ends[-1] = end
                    cum[-1] += end - start
                else:
                    starts.append(start)
                    ends.append(end)
                    cum.append(cum[-1] + end - start)
        total = cum[-1]
        self.starts = [_US * v for v in starts + [_FAR] * _PAD]
        self.ends = [_US * v for v in ends + [_FAR] * _PAD]
        self.cum = [_US * v for v in cum + [total] * _PAD]
        self.total = _US * total
        self.last_base = _US * last_base
        self.first = chunks[0].year if chunks else 0
        self.last = chunks[-1].year if chunks else -1  # empty: first > last
        self.lo = _US * chunks[0].lo if chunks else _US * 0
        self.hi = _US * chunks[-1].hi if chunks else _US * 0

    @property
    def runs(self) -> int:
        """How many open runs the window holds (without its padding)."""
        return len(self.starts) - _PAD

    def __repr__(self) -> str:
        return f"Window(years={self.first}..{self.last}, runs={self.runs})"


class Timeline:
    """Lazily compiled open time over consecutive years ``min_year .. max_year``.

    ``window_start(y)`` gives the first instant of year ``y`` (strictly increasing in
    ``y``); ``compile_year(y)`` gives the open runs that intersect that year (they are
    clipped here).  Years outside the range are closed; searching past them raises
    :class:`OutOfRangeError`.
    """

    def __init__(
        self,
        window_start: Callable[[int], int],
        compile_year: Callable[[int], Iterable[tuple[int, int]]],
        *,
        min_year: int,
        max_year: int,
        year_length: int,
        cache_size: int = 64,
    ) -> None:
        self._window_start_fn = window_start
        self._compile_fn = compile_year
        self.min_year = min_year
        self.max_year = max_year
        self._year_length = year_length
        self._cache_size = cache_size
        self._starts: dict[int, int] = {}
        self._chunks: dict[int, Chunk] = {}
        self._totals: dict[int, int] = {}
        self._lock = threading.RLock()
        self._origin = self.window_start(1970) if min_year <= 1970 <= max_year else 0
        # The prefix span: years base .. base + len(pre) - 2; pre[k] = open time of the
        # years base .. base + k - 1.  Replaced as a whole, never mutated in place.
        self._span: tuple[int, list[int]] = (0, [])
        # The same span as timedeltas, for far answers on the calendar's hot path.
        # With each year's first instant, so that a far instant finds its year by bisect.
        self._span_td: tuple[int, list[timedelta], list[timedelta]] = (0, [], [])
        # Maximal runs of at least CLOSED_YEARS_LIMIT closed years in the span: (first, last).
        self._stretches: tuple[tuple[int, int], ...] = ()
        # The chunk of the previous query: the fast path (never matches before the first).
        self.last: Chunk = Chunk(0, 0, 0, ())
        # The fast path of add, subtract and elapsed (empty until the first query).
        self.window = Window([])
        self._window_misses = 0
        self._window_blocked = False

    # -- years and chunks ------------------------------------------------------------

    def window_start(self, year: int) -> int:
        """First instant of ``year`` (memoised: one int a year)."""
        start = self._starts.get(year)
        if start is None:
            start = self._window_start_fn(year)
            self._starts[year] = start
        return start

    def year_of(self, t: int) -> int:
        """The year whose window holds ``t`` (``min_year - 1`` / ``max_year + 1`` outside)."""
        year = 1970 + (t - self._origin) // self._year_length
        year = min(max(year, self.min_year), self.max_year)
        starts = self._starts
        start = starts.get(year)
        if start is None:
            start = self.window_start(year)
        while year >= self.min_year and t < start:
            year -= 1
            start = self.window_start(year) if year >= self.min_year else start
        following = starts.get(year + 1)
        if following is None:
            following = self.window_start(year + 1)
        while year <= self.max_year and t >= following:
            year += 1
            following = self.window_start(year + 1) if year <= self.max_year else following
        return year

    def chunk(self, year: int) -> Chunk:
        """The compiled chunk of ``year`` (from the cache or compiled now)."""
        chunk = self._chunks.get(year)
        if chunk is not None:
            return chunk
        with self._lock:
            chunk = self._chunks.get(year)
            if chunk is None:
                chunk = self._compile(year)
                self._chunks[year] = chunk
                self._totals[year] = chunk.total
                # Oldest first: a bound on memory, not a policy worth a lookup per query.
                while len(self._chunks) > self._cache_size:
                    del self._chunks[next(iter(self._chunks))]
            return chunk

    def _year_lo(self, year: int) -> int:
        """The first instant of ``year``'s chunk, also for the closed years past the range."""
        if year < self.min_year:
            return -(2**62)
        return self.window_start(min(year, self.max_year + 1))

    def _compile(self, year: int) -> Chunk:
        if year < self.min_year:
            return Chunk(year, -(2**62), self.window_start(self.min_year), ())
        if year > self.max_year:
            return Chunk(year, self.window_start(self.max_year + 1), 2**62, ())
        lo = self.window_start(year)
        hi = self.window_start(year + 1)
        return Chunk(year, lo, hi, self._compile_fn(year))

    def chunk_at(self, t: int) -> Chunk:
        """The chunk whose window holds ``t``; remembered as the fast path for the next call."""
        chunk = self.last
        if chunk.lo <= t < chunk.hi:
            return chunk
        chunk = self.lookup(t)
        self.last = chunk
        return chunk

    def lookup(self, t: int) -> Chunk:
        """The chunk holding ``t``: a guessed year and one dict lookup when it is compiled."""
        year = 1970 + (t - self._origin) // self._year_length
        chunk = self._chunks.get(year)
        if chunk is not None:
            if t < chunk.lo:
                chunk = self._chunks.get(year - 1)
            elif t >= chunk.hi:
                chunk = self._chunks.get(year + 1)
            if chunk is not None and chunk.lo <= t < chunk.hi:
                return chunk
        return self.chunk(self.year_of(t))

    def total(self, year: int) -> int:
        """Open time of a whole year."""
        total = self._totals.get(year)
        if total is None:
            total = self.chunk(year).total
        return total

    # -- the prefix span -----------------------------------------------------------

    def _span_covering(self, lo_year: int, hi_year: int) -> tuple[int, list[int]]:
        """A span holding years ``lo_year .. hi_year`` (inclusive, clamped to the range)."""
        lo_year = max(lo_year, self.min_year - 1)
        hi_year = min(hi_year, self.max_year + 1)
        base, pre = self._span
        if pre and base <= lo_year and hi_year < base + len(pre) - 1:
            return base, pre
        with self._lock:
            base, pre = self._span
            top = base + len(pre) - 1
            if not pre or lo_year > top + _SPAN_REACH or hi_year < base - _SPAN_REACH:
                base, top, pre = lo_year, lo_year, [0]
            else:
                pre = list(pre)
            if lo_year < base:
                head = [0]
                for year in range(lo_year, base):
                    head.append(head[-1] + self.total(year))
                shift = head[-1]
                pre = head + [p + shift for p in pre[1:]]
                base = lo_year
            while top <= hi_year:
                pre.append(pre[-1] + self.total(top))
                top += 1
            self._span = (base, pre)
            self._span_td = (
                base,
                [_US * v for v in pre],
                [_US * self._year_lo(year) for year in range(base, base + len(pre))],
            )
            self._stretches = _closed_stretches(base, pre)
            return base, pre

    def _check_crossing(self, y0: int, y: int, *, start_closed: bool) -> None:
        """Refuse a result in year ``y`` reached from ``y0`` across a long closed stretch.

        The years strictly between count, and so does ``y0`` itself when the search found
        no open time in it (``start_closed``), as ``next_open`` counts them.
        """
        forward = y > y0
        lo, hi = (y0 + 1, y - 1) if forward else (y + 1, y0 - 1)
        near = lo if forward else hi
        for first, last in self._stretches:
            a, b = max(first, lo), min(last, hi)
            if b >= a and b - a + 1 + (start_closed and near in (a, b)) >= _GIVE_UP:
                raise _never_open()

    # -- measuring and moving --------------------------------------------------------

    def measure(self, a: int, b: int) -> int:
        """Open time in ``[a, b)`` for ``a <= b``."""
        ca = self.last
        if not ca.lo <= a < ca.hi:
            ca = self.chunk_at(a)
        starts, cum = ca.starts, ca.cum
        i = bisect_right(ca.ends, a)
        fa = cum[i] + a - starts[i] if i < len(starts) and a > starts[i] else cum[i]
        if b < ca.hi:
            self._note(ca.year, ca.year, ca.year)
            i = bisect_right(ca.ends, b)
            fb = cum[i] + b - starts[i] if i < len(starts) and b > starts[i] else cum[i]
            return fb - fa
        cb = self.lookup(b)
        base, pre = self._span
        if not (pre and base <= ca.year and cb.year < base + len(pre) - 1):
            base, pre = self._span_covering(ca.year, cb.year)
        self._note(ca.year, cb.year, ca.year)
        return pre[cb.year - base] - pre[ca.year - base] + cb.measure_to(b) - fa

    def advance(self, t: int, d: int) -> int:
        """The earliest ``s >= t`` with ``measure(t, s) == d``, for ``d > 0``."""
        chunk = self.last
        if not chunk.lo <= t < chunk.hi:
            chunk = self.chunk_at(t)
        starts, cum = chunk.starts, chunk.cum
        i = bisect_right(chunk.ends, t)
        x = cum[i] + d
        if i < len(starts) and t > starts[i]:
            x += t - starts[i]
        if x <= chunk.total:
            self._note(chunk.year, chunk.year, chunk.year)
            j = bisect_left(cum, x) - 1
            return starts[j] + x - cum[j]
        r, year = self._advance_years(chunk.year, x, start_closed=x - d == chunk.total)
        self._note(chunk.year, year, chunk.year)
        return r

    def _advance_years(self, y0: int, x: int, *, start_closed: bool) -> tuple[int, int]:
        """The earliest instant with open time ``x`` counted from the start of year ``y0``.

        ``x`` exceeds the open time of ``y0``; the span turns it into a year.  Returns the
        instant and its year.  ``start_closed``: the search found no open time in ``y0``.
        """
        base, pre = self._span
        hi = y0 + 1
        while True:
            if not (pre and base <= y0 and hi < base + len(pre) - 1):
                base, pre = self._span_covering(y0, hi)
            g = pre[y0 - base] + x
            if g <= pre[-1]:
                break
            top = base + len(pre) - 1
            self._check_search(y0, top, base, pre, forward=True)
            hi = top + 8
        k = bisect_left(pre, g)
        year = base + k - 1
        if self._stretches:
            self._check_crossing(y0, year, start_closed=start_closed)
        return self.chunk(year).earliest_at(g - pre[k - 1]), year

    def retreat(self, t: int, d: int) -> int:
        """The latest ``s <= t`` with ``measure(s, t) == d``, for ``d > 0``."""
        chunk = self.last
        if not chunk.lo <= t < chunk.hi:
            chunk = self.chunk_at(t)
        starts, cum = chunk.starts, chunk.cum
        i = bisect_right(chunk.ends, t)
        x = cum[i] - d
        if i < len(starts) and t > starts[i]:
            x += t - starts[i]
        if x >= 0:
            self._note(chunk.year, chunk.year, chunk.year)
            j = bisect_right(cum, x) - 1
            return starts[j] + x - cum[j]
        r, year = self._retreat_years(chunk.year, x, start_closed=x + d == 0)
        self._note(year, chunk.year, chunk.year)
        return r

    def _retreat_years(self, y0: int, x: int, *, start_closed: bool) -> tuple[int, int]:
        """The latest instant with open time ``x < 0`` counted from the start of year ``y0``."""
        base, pre = self._span
        lo = y0 - 1
        while True:
            if not (pre and lo >= base and y0 < base + len(pre) - 1):
                base, pre = self._span_covering(lo, y0)
            g = pre[y0 - base] + x
            if g >= 0:
                break
            self._check_search(y0, base, base, pre, forward=False)
            lo = base - 8
        k = bisect_right(pre, g)
        year = base + k - 1
        if self._stretches:
            self._check_crossing(y0, year, start_closed=start_closed)
        return self.chunk(year).latest_at(g - pre[k - 1]), year

    # -- the window ------------------------------------------------------------------

    def advance_past(self, w: Window, x: int, *, start_closed: bool) -> int:
        """An add's answer past window ``w``: open time ``x`` (µs, beyond ``w.total``)
        counted from ``w.lo``.

        Every window year has open time, so nothing open after the start in the window
        (``start_closed``) means the start lies in its last year: the give-up rule counts
        from there alike.
        """
        r, year = self._advance_years(
            w.last, x - w.last_base // _US, start_closed=start_closed
        )
        if year <= w.last + _WINDOW_REACH:  # a window further out would not hold the start
            self._note(w.last, year, w.last)
        return r

    def retreat_past(self, w: Window, x: int, *, start_closed: bool) -> int:
        """A subtract's answer before window ``w``: open time ``x < 0`` (µs) from ``w.lo``."""
        r, year = self._retreat_years(w.first, x, start_closed=start_closed)
        if year >= w.first - _WINDOW_REACH:
            self._note(year, w.first, w.first)
        return r

    def measure_past(self, w: Window, b: int) -> int:
        """Open time (µs) in ``[w.lo, b)`` for ``b >= w.hi``: whole years from the span."""
        cb = self.lookup(b)
        base, pre = self._span
        if not (pre and base <= w.first and cb.year < base + len(pre) - 1):
            base, pre = self._span_covering(w.first, cb.year)
        if cb.year <= w.last + _WINDOW_REACH:
            self._note(w.last, cb.year, w.last)
        starts, cum = cb.starts, cb.cum
        i = bisect_right(cb.ends, b)
        fb = cum[i] + b - starts[i] if i < len(starts) and b > starts[i] else cum[i]
        return pre[cb.year - base] - pre[w.first - base] + fb

    def advance_past_td(self, w: Window, x: timedelta, *, start_closed: bool) -> timedelta:
        """:meth:`advance_past` in timedeltas since the epoch (through the integer span
        when the timedelta one does not reach that far yet: that grows it)."""
        base, pre, _ = self._span_td
        g = pre[w.last - base] + (x - w.last_base) if pre and base <= w.last else None
        if g is None or g > pre[-1]:
            return _US * self.advance_past(w, x // _US, start_closed=start_closed)
        k = bisect_left(pre, g)
        year = base + k - 1
        if self._stretches:
            self._check_crossing(w.last, year, start_closed=start_closed)
        if year <= w.last + _WINDOW_REACH:
            self._note(w.last, year, w.last)
        starts, _, cum = (self._chunks.get(year) or self.chunk(year)).td()
        x = g - pre[k - 1]
        j = bisect_left(cum, x) - 1
        return starts[j] + (x - cum[j])

    def measure_past_td(self, w: Window, b: timedelta) -> timedelta:
        """:meth:`measure_past` in timedeltas since the epoch (as above)."""
        base, pre, year_starts = self._span_td
        k = bisect_right(year_starts, b) - 1  # b's year, base + k
        if not 0 <= k < len(pre) - 1 or base > w.first:
            return _US * self.measure_past(w, b // _US)
        if base + k <= w.last + _WINDOW_REACH:
            self._note(w.last, base + k, w.last)
        starts, ends, cum = (self._chunks.get(base + k) or self.chunk(base + k)).td()
        i = bisect_right(ends, b)
        s = starts[i] if i < len(starts) else b
        fb = cum[i] + (b - s) if b > s else cum[i]
        return pre[k] - pre[w.first - base] + fb

    def _note(self, ya: int, yb: int, start: int) -> None:
        """A query from year ``start`` outside the window touched ``ya .. yb``: adapt it.

        A query near the window widens it (up to ``_WINDOW_YEARS``); one far away counts
        as a miss, and after ``_WINDOW_PATIENCE`` misses the window moves to the query
        (to its start year alone if it spans too many).  Building copies the runs of the
        years involved, so moving is rare by design.
        """
        if yb - ya >= _WINDOW_YEARS:
            ya = yb = start
        w = self.window
        if (
            w.first <= w.last
            and not self._window_blocked
            and ya >= w.first - _WINDOW_REACH
            and yb <= w.last + _WINDOW_REACH
            and max(w.last, yb) - min(w.first, ya) < _WINDOW_YEARS
        ):
            if ya < w.first or yb > w.last:
                self._build_window(min(w.first, ya), max(w.last, yb))
            return
        if w.first <= w.last or self._window_blocked:
            self._window_misses += 1
            if self._window_misses < _WINDOW_PATIENCE:
                return
        self._window_misses = 0
        self._build_window(ya, yb)

    def _build_window(self, first: int, last: int) -> None:
        """Make years ``first .. last`` the window, unless one of them has no open time."""
        chunks = []
        if self.min_year <= first <= last <= self.max_year:
            chunks = [self.chunk(year) for year in range(first, last + 1)]
        # A closed year would let a window query skip the give-up rule: no window then.
        if not chunks or any(chunk.total == 0 for chunk in chunks):
            self._window_blocked = True
            return
        self._window_blocked = False
        self.window = Window(chunks)

    def _check_search(
        self, y0: int, edge: int, base: int, pre: list[int], *, forward: bool
    ) -> None:
        """Refuse to search past the range, or across more than the closed-years limit.

        ``edge`` is the first year the span does not hold (forward) or its first year
        (backward); the years strictly between it and ``y0`` have been searched whole.
        """
        limit = _GIVE_UP
        if forward:
            if edge > self.max_year + 1:
                raise OutOfRangeError("the result lies beyond the end of the datetime range")
            closed = edge - 1 - y0 >= limit and pre[-1] == pre[-1 - limit]
        else:
            if edge < self.min_year:
                raise OutOfRangeError("the result lies before the start of the datetime range")
            closed = y0 - edge >= limit and pre[0] == pre[limit]
        if closed:
            raise _never_open()

    # -- runs ------------------------------------------------------------------------

    def is_open(self, t: int) -> bool:
        """Whether ``t`` lies in an open run."""
        return self.chunk_at(t).is_open(t)

    def _next_run_index(self, t: int) -> tuple[Chunk, int]:
        """The chunk and index of the first run whose end is after ``t`` (searching forward)."""
        chunk = self.chunk_at(t)
        i = bisect_right(chunk.ends, t)
        empty_years = 0  # the year holding t counts when nothing opens after t in it
        while i >= len(chunk.starts):
            empty_years += 1
            if empty_years >= _GIVE_UP:
                raise _never_open()
            year = chunk.year + 1
            if year > self.max_year:
                raise OutOfRangeError("no opening before the end of the datetime range")
            chunk = self.chunk(year)
            i = 0
        return chunk, i

    def next_open(self, t: int) -> int:
        """``t`` if open, else the start of the next run."""
        chunk, i = self._next_run_index(t)
        return max(t, chunk.starts[i])

    def _run_end(self, chunk: Chunk, i: int) -> int:
        """The end of the run holding run ``i`` of ``chunk``, following it across years."""
        end = chunk.ends[i]
        years = 0
        while end == chunk.hi and i == len(chunk.starts) - 1:
            if chunk.year >= self.max_year:
                raise NeverClosesError("the calendar stays open to the end of the datetime range")
            years += 1
            if years > _GIVE_UP:
                raise NeverClosesError(
                    f"the calendar does not close in the {CLOSED_YEARS_LIMIT} years searched"
                )
            nxt = self.chunk(chunk.year + 1)
            if not nxt.starts or nxt.starts[0] != end:
                break
            chunk, i, end = nxt, 0, nxt.ends[0]
        return end

    def next_close(self, t: int) -> int:
        """The end of the run holding ``t``, else of the next run."""
        chunk, i = self._next_run_index(t)
        return self._run_end(chunk, i)

    def _run_start(self, chunk: Chunk, i: int) -> int:
        """The start of the run holding run ``i`` of ``chunk``, following it back across years."""
        start = chunk.starts[i]
        years = 0
        while start == chunk.lo and i == 0:
            if chunk.year <= self.min_year:
                break
            years += 1
            if years > CLOSED_YEARS_LIMIT + 1:
                break
            prev = self.chunk(chunk.year - 1)
            if not prev.ends or prev.ends[-1] != start:
                break
            chunk, i, start = prev, len(prev.starts) - 1, prev.starts[-1]
        return start

    def is_run_start(self, t: int) -> bool:
        """Whether an open run starts exactly at ``t``."""
        chunk = self.chunk_at(t)
        i = bisect_right(chunk.ends, t)
        return i < len(chunk.starts) and chunk.starts[i] == t and self._run_start(chunk, i) == t

    def prev_close(self, t: int) -> int:
        """The end of the last run that ends at or before ``t``."""
        chunk = self.chunk_at(t)
        i = bisect_right(chunk.ends, t) - 1
        empty_years = 0  # the year holding t counts when nothing closes before t in it
        while True:
            while i < 0:
                empty_years += 1
                if empty_years >= _GIVE_UP:
                    raise _never_open()
                year = chunk.year - 1
                if year < self.min_year:
                    raise OutOfRangeError("no closing before the start of the datetime range")
                chunk = self.chunk(year)
                i = len(chunk.ends) - 1
            end = chunk.ends[i]
            # A run cut at the year boundary goes on in the next year: not a close.
            if end == chunk.hi and self._run_end(chunk, i) != end:
                i -= 1
                continue
            return end

    def runs(self, a: int, b: int) -> Iterator[tuple[int, int]]:
        """The open runs clipped to ``[a, b)``, merged across year boundaries, in order."""
        if b <= a:
            return
        chunk = self.chunk_at(a)
        pending: tuple[int, int] | None = None
        while True:
            i = bisect_right(chunk.ends, a) if chunk.lo <= a else 0
            while i < len(chunk.starts) and chunk.starts[i] < b:
                start = max(chunk.starts[i], a)
                end = min(chunk.ends[i], b)
                if pending is not None and pending[1] == start:
                    pending = (pending[0], end)
                else:
                    if pending is not None:
                        yield pending
                    pending = (start, end)
                i += 1
            if chunk.hi >= b or chunk.year > self.max_year:
                break
            chunk = self.chunk(chunk.year + 1)
        if pending is not None:
            yield pending


def _never_open() -> NeverOpenError:
    return NeverOpenError(
        f"no open time found within {CLOSED_YEARS_LIMIT} years of searching "
        "(is the calendar closed for good?)"
    )


def _closed_stretches(base: int, pre: list[int]) -> tuple[tuple[int, int], ...]:
    """Maximal runs of at least ``CLOSED_YEARS_LIMIT`` consecutive years without open time.

    Runs one shorter than the give-up length are kept too: the year a search starts in
    may add the missing one.
    """
    stretches: list[tuple[int, int]] = []
    run_start = None
    for k in range(len(pre)):
        closed = k + 1 < len(pre) and pre[k + 1] == pre[k]
        if closed and run_start is None:
            run_start = k
        elif not closed and run_start is not None:
            if k - run_start >= CLOSED_YEARS_LIMIT:
                stretches.append((base + run_start, base + k - 1))
            run_start = None
    return tuple(stretches)
