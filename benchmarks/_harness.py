"""Timing and answer checking, the same for every library.

Timing follows :mod:`timeit`: the garbage collector is off while a pass runs, a pass is a
C-level ``map`` over prepared argument lists (no Python loop around the call), and the
figure reported is the median over repeated passes of the time per call. A pass goes over
the shared random inputs in order; a fast function loops over them several times per pass,
a slow one uses the first ``n`` of them (still a random sample) to stay in its budget.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Cell", "Outcome", "Timing", "measure", "measure_group", "run_answers"]

_MIN_INPUTS = 5
_MIN_REPEATS = 3


@dataclass(frozen=True)
class Timing:
    """Per-call cost of one function: median over repeats, with the spread."""

    per_call: float
    fastest: float
    slowest: float
    inputs: int
    loops: int
    repeats: int

    @property
    def ops(self) -> float:
        """Calls per second at the median cost."""
        return 1.0 / self.per_call


Cell = tuple[Callable[[Any, Any], Any], Sequence[Any], Sequence[Any], float]


@dataclass
class _Prepared:
    fn: Callable[[Any, Any], Any]
    left: list[Any]
    right: list[Any]
    n: int
    loops: int
    repeats: int
    samples: list[float] = field(default_factory=list)


def _prepare(cell: Cell, per_pass: float, repeats: int, sink: deque[Any]) -> _Prepared:
    """Warm up, calibrate, and size the passes of one cell.

    A function so slow that even the minimum number of inputs overruns a pass gets fewer
    passes (at least three), so that it stays near its budget.
    """
    fn, xs, ys, estimate = cell

    def inputs_for(cost: float) -> int:
        return max(min(_MIN_INPUTS, len(xs)), min(len(xs), int(per_pass / max(cost, 1e-7))))

    first = inputs_for(estimate)
    # Warm-up: caches, lazy imports, branch paths.
    sink.extend(map(fn, xs[:first], ys[:first]))
    began = time.perf_counter()
    sink.extend(map(fn, xs[:first], ys[:first]))
    warm = max((time.perf_counter() - began) / first, 1e-9)
    n = inputs_for(warm)
    if n > first:
        sink.extend(map(fn, xs[first:n], ys[first:n]))
    loops = max(1, int(per_pass / (warm * n)))
    budget = per_pass * (repeats + 2)
    fits = int(budget / (warm * n * loops)) - 2
    own = max(_MIN_REPEATS, min(repeats, fits))
    return _Prepared(fn, list(xs[:n]) * loops, list(ys[:n]) * loops, n, loops, own)


def measure_group(cells: Sequence[Cell], *, budget: float, repeats: int) -> list[Timing]:
    """Time several functions with their passes interleaved, about ``budget`` s each.

    Interleaving (pass 1 of every cell, then pass 2 of every cell, …) spreads a change in
    the machine's load over all cells alike, so their ratios stay meaningful on a shared
    machine. Each cell is ``(fn, xs, ys, estimated seconds per call)``.
    """
    sink: deque[Any] = deque(maxlen=0)
    per_pass = budget / (repeats + 2)
    prepared = [_prepare(cell, per_pass, repeats, sink) for cell in cells]
    enabled = gc.isenabled()
    gc.disable()
    try:
        for r in range(repeats):
            for p in prepared:
                if r >= p.repeats:
                    continue
                began = time.perf_counter()
                sink.extend(map(p.fn, p.left, p.right))
                p.samples.append((time.perf_counter() - began) / (p.n * p.loops))
    finally:
        if enabled:
            gc.enable()
    return [
        Timing(statistics.median(p.samples), min(p.samples), max(p.samples), p.n, p.loops, repeats)
        for p in prepared
    ]


def measure(
    fn: Callable[[Any, Any], Any],
    xs: Sequence[Any],
    ys: Sequence[Any],
    *,
    estimate: float,
    budget: float,
    repeats: int,
) -> Timing:
    """Time ``fn(x, y)`` over the inputs within about ``budget`` seconds.

    ``estimate`` (seconds per call) sizes a first warm-up pass; a timed calibration pass
    right after it gives the warm cost that sizes the measured passes.
    """
    return measure_group([(fn, xs, ys, estimate)], budget=budget, repeats=repeats)[0]


@dataclass
class Outcome:
    """A library's answers on a prefix of the inputs, and what they cost."""

    answers: list[Any] = field(default_factory=list)
    #: ``index -> "ExceptionType: message"`` for inputs that raised.
    errors: dict[int, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def count(self) -> int:
        """How many inputs were tried."""
        return len(self.answers)

    @property
    def per_call(self) -> float:
        """Mean seconds per call while answering (a first estimate for :func:`measure`)."""
        return self.seconds / max(1, self.count)


def run_answers(
    fn: Callable[[Any, Any], Any],
    xs: Sequence[Any],
    ys: Sequence[Any],
    convert: Callable[[Any], Any],
    *,
    budget: float,
) -> Outcome:
    """Answer the inputs in order until all are done or ``budget`` seconds have passed.

    Results go through ``convert``; an exception becomes ``None`` plus an entry in
    ``errors`` (a peer that crashes on an input is reported, not fatal).
    """
    outcome = Outcome()
    began = time.perf_counter()
    for index, (x, y) in enumerate(zip(xs, ys, strict=True)):
        try:
            outcome.answers.append(convert(fn(x, y)))
        except Exception as exc:  # a peer's failure is a finding, not a crash of the run
            outcome.answers.append(None)
            outcome.errors[index] = f"{type(exc).__name__}: {exc}"
        if time.perf_counter() - began > budget:
            break
    outcome.seconds = time.perf_counter() - began
    return outcome
