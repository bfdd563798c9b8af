"""bizclock's side of the benchmark, through its public API only.

bizclock is imported from this checkout's ``src/`` (ahead of anything installed), so the
numbers always describe the code next to this file.
"""

from __future__ import annotations

import gc
import importlib
import json
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

from _inputs import ZONE, ZONE_NAME, Inputs, Variant, Work
from _peers import Case

__all__ = [
    "COLD_COUNTRIES",
    "Batch",
    "ColdStart",
    "Memory",
    "batch",
    "bizclock_case",
    "calendar_config",
    "cold_start",
    "floor",
    "import_bizclock",
    "make_calendar",
    "memory",
]

SRC = Path(__file__).resolve().parents[1] / "src"
COLD_COUNTRIES = ["US-CA", "DE-BY"]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


_ZONE_EPOCHS: dict[Any, datetime] = {}


def floor(t: datetime, d: timedelta) -> datetime:
    """What every call pays (SPEC §7's floor): aware datetime -> integer µs -> aware datetime.

    No business logic: ``t + d`` computed through integer microseconds by the cheapest
    conversions CPython offers (a ``ZoneInfo`` result through ``fromutc`` from a per-zone
    1970-01-01, about 40 % cheaper than ``astimezone``). bizclock's per-call cost minus this
    is its own work.
    """
    us = (t - _EPOCH) // _US + d // _US
    tz = t.tzinfo
    if type(tz) is ZoneInfo:
        base = _ZONE_EPOCHS.get(tz)
        if base is None:
            base = _ZONE_EPOCHS[tz] = datetime(1970, 1, 1, tzinfo=tz)
        return tz.fromutc(base + _US * us)
    return (_EPOCH + _US * us).astimezone(tz)


def import_bizclock() -> tuple[ModuleType | None, str]:
    """Import bizclock from this checkout; return ``(module, "")`` or ``(None, reason)``."""
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    try:
        module = importlib.import_module("bizclock")
        module.Calendar  # noqa: B018 (the engine is usable only once Calendar exists)
    except Exception as exc:  # any failure means "not usable yet", never a crash here
        return None, f"{type(exc).__name__}: {exc}"
    return module, ""


def calendar_config(variant: Variant, closed: frozenset[date]) -> dict[str, Any]:
    """The bizclock configuration of one benchmark calendar."""
    return {
        "timezone": ZONE_NAME,
        "hours": {"mon-fri": variant.hours_text},
        "holidays": sorted(d.isoformat() for d in closed),
    }


def make_calendar(bizclock: ModuleType, variant: Variant, closed: frozenset[date]) -> Any:
    """A bizclock ``Calendar`` for one benchmark calendar."""
    return bizclock.Calendar.from_dict(calendar_config(variant, closed))


def bizclock_case(calendar: Any, work: Work, inputs: Inputs, *, next_open: bool = False) -> Case:
    """bizclock doing one work item; ``next_open`` asks for pandas' boundary rule."""
    if work.kind == "add":
        fn: Callable[[Any, Any], Any] = (
            partial(calendar.add, boundary="next_open") if next_open else calendar.add
        )
        return Case(
            fn,
            list(inputs.starts),
            [work.duration] * len(inputs),
            lambda r: r,
            boundary="next_open" if next_open else "exact",
        )
    return Case(calendar.elapsed, list(inputs.starts), list(inputs.ends[work.key]), lambda r: r)


# --- cold start ---------------------------------------------------------------------------

_COLD_PROBE = """
import json, sys, time
sys.path.insert(0, {src!r})
t0 = time.perf_counter()
import bizclock
t1 = time.perf_counter()
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
start = datetime(2026, 11, 20, 10, tzinfo=ZoneInfo({zone!r}))
config = {config!r}
t2 = time.perf_counter()
try:
    calendar = bizclock.Calendar.from_dict(config)
    answer = calendar.add(start, timedelta(hours=4))
except bizclock.ConfigError as exc:
    print(json.dumps({{"unsupported": str(exc)}}))
    raise SystemExit(0)
t3 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "first": t3 - t2, "answer": answer.isoformat()}}))
"""

_HOLIDAYS_PROBE = """
import json, time
import holidays
t0 = time.perf_counter()
for code in {countries!r}:
    country, _, subdiv = code.partition("-")
    table = holidays.country_holidays(country, subdiv=subdiv or None, years=2026)
t1 = time.perf_counter()
print(json.dumps({{"holidays_first_load": t1 - t0}}))
"""


@dataclass
class ColdStart:
    """Time to the first answer of a fresh calendar with country holidays."""

    available: bool
    reason: str = ""
    #: Fresh calendar in a warm process (modules loaded), construction + first ``add``.
    warm_process: float = 0.0
    #: Fresh interpreter: ``import bizclock``, then construction + first ``add``.
    fresh_import: float = 0.0
    fresh_first: float = 0.0
    #: Fresh interpreter: the ``holidays`` package building these countries the first time.
    holidays_first_load: float = 0.0
    runs: int = 0
    samples: dict[str, list[float]] = field(default_factory=dict)


def cold_start(bizclock: ModuleType, runs: int) -> ColdStart:
    """Measure cold start in this process and in ``runs`` fresh interpreters (medians)."""
    config = {
        "timezone": ZONE_NAME,
        "hours": {"mon-fri": "09:00-17:00"},
        "country_holidays": COLD_COUNTRIES,
    }
    start = datetime(2026, 11, 20, 10, tzinfo=ZONE)
    try:
        bizclock.Calendar.from_dict(config).add(start, timedelta(hours=4))
    except bizclock.ConfigError as exc:
        return ColdStart(False, f"`country_holidays` not yet available ({exc})")
    warm: list[float] = []
    for _ in range(max(15, runs)):
        # A fresh dict each time, so no cache keyed on the configuration can answer.
        fresh = json.loads(json.dumps(config))
        t0 = time.perf_counter()
        bizclock.Calendar.from_dict(fresh).add(start, timedelta(hours=4))
        warm.append(time.perf_counter() - t0)
    imports: list[float] = []
    firsts: list[float] = []
    loads: list[float] = []
    probe = _COLD_PROBE.format(src=str(SRC), zone=ZONE_NAME, config=config)
    holidays_probe = _HOLIDAYS_PROBE.format(countries=COLD_COUNTRIES)
    for _ in range(runs):
        out = json.loads(_run_python(probe))
        if "unsupported" in out:
            return ColdStart(False, f"`country_holidays` not yet available ({out['unsupported']})")
        imports.append(out["import"])
        firsts.append(out["first"])
        loads.append(json.loads(_run_python(holidays_probe))["holidays_first_load"])
    return ColdStart(
        True,
        warm_process=statistics.median(warm),
        fresh_import=statistics.median(imports),
        fresh_first=statistics.median(firsts),
        holidays_first_load=statistics.median(loads),
        runs=runs,
        samples={"warm_process": warm, "fresh_first": firsts},
    )


def _run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip().splitlines()[-1]


# --- memory -------------------------------------------------------------------------------


@dataclass
class Memory:
    """Traced memory (bytes) of a fresh calendar after batches of scattered queries."""

    #: ``(queries so far, first year, last year, traced bytes, seconds)`` after each batch.
    points: list[tuple[int, int, int, int, float]]
    peak: int
    queries: int
    capped: bool
    bounded: bool


def memory(
    bizclock: ModuleType,
    variant: Variant,
    closed: frozenset[date],
    *,
    queries: int,
    seed: int,
    time_cap: float,
) -> Memory:
    """Run ``queries`` random queries over 200 years (1900–2099) and trace memory.

    The first half stays in 1900–1999, the second in 2000–2099, so a cache that keeps
    every compiled year shows up as growth in the second half, while a bounded one stays
    flat. ``time_cap`` seconds per half stop a pathological run early (reported).
    """
    rng = random.Random(seed)
    gc.collect()
    tracemalloc.start()
    try:
        calendar = make_calendar(bizclock, variant, closed)
        four = timedelta(hours=4)
        points: list[tuple[int, int, int, int, float]] = []
        done = 0
        capped = False
        half = queries // 2
        for first_year, last_year in ((1900, 1999), (2000, 2099)):
            lo = datetime(first_year, 1, 1, tzinfo=UTC)
            width = int((datetime(last_year + 1, 1, 1, tzinfo=UTC) - lo).total_seconds())
            checkpoints = {half * k // 5 for k in range(1, 6)}
            began = time.perf_counter()
            for i in range(1, half + 1):
                t = (lo + timedelta(seconds=rng.randrange(width))).astimezone(ZONE)
                op = i % 3
                if op == 0:
                    calendar.add(t, four)
                elif op == 1:
                    calendar.elapsed(t, t + timedelta(days=2))
                else:
                    calendar.is_open(t)
                over = i % 250 == 0 and time.perf_counter() - began > time_cap
                if i in checkpoints or over:
                    gc.collect()
                    current, _ = tracemalloc.get_traced_memory()
                    points.append(
                        (done + i, first_year, last_year, current, time.perf_counter() - began)
                    )
                if over:
                    capped = True
                    break
            done = points[-1][0]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    end_first = max(p[3] for p in points if p[1] == 1900)
    end_second = points[-1][3]
    bounded = end_second <= 1.25 * end_first + 256 * 1024
    return Memory(points, peak, done, capped, bounded)


# --- batch (SPEC §10) ---------------------------------------------------------------------


@dataclass
class Batch:
    """``bizclock.batch`` over NumPy arrays: agreement with the scalar API, and throughput."""

    available: bool
    reason: str = ""
    n: int = 0
    adds_per_second: float = 0.0
    elapsed_per_second: float = 0.0
    checked: int = 0
    mismatches: int = 0


def batch(calendar: Any, inputs: Inputs, *, n: int, repeats: int, seed: int) -> Batch:
    """``add_many`` / ``elapsed_many`` on ``n`` random starts in 2026–2028 (UTC µs).

    First the benchmark inputs go through both the batch and the scalar API and must agree
    exactly; then each batch call is timed ``repeats`` times (median).
    """
    try:
        np = importlib.import_module("numpy")
        module = importlib.import_module("bizclock.batch")
        add_many = module.add_many
        elapsed_many = module.elapsed_many
    except (ImportError, AttributeError) as exc:
        return Batch(False, f"not yet available ({type(exc).__name__}: {exc})")
    four = timedelta(hours=4)

    def to64(values: list[datetime]) -> Any:
        return np.array([(t - _EPOCH) // _US for t in values], dtype=np.int64).view(
            "datetime64[us]"
        )

    starts = to64(inputs.starts)
    got = add_many(calendar, starts, np.timedelta64(4, "h")).view(np.int64).tolist()
    want = [(calendar.add(t, four) - _EPOCH) // _US for t in inputs.starts]
    ends = inputs.ends["elapsed_days"]
    got_e = elapsed_many(calendar, starts, to64(ends)).view(np.int64).tolist()
    want_e = [calendar.elapsed(a, b) // _US for a, b in zip(inputs.starts, ends, strict=True)]
    mismatches = sum(g != w for g, w in zip(got, want, strict=True)) + sum(
        g != w for g, w in zip(got_e, want_e, strict=True)
    )
    rng = np.random.default_rng(seed)
    lo = (datetime(2026, 1, 1, tzinfo=UTC) - _EPOCH) // _US
    hi = (datetime(2029, 1, 1, tzinfo=UTC) - _EPOCH) // _US
    many = rng.integers(lo, hi, n, dtype=np.int64).view("datetime64[us]")
    many_ends = (many.view(np.int64) + rng.integers(86_400_000_000, 3 * 86_400_000_000, n)).view(
        "datetime64[us]"
    )
    step = np.timedelta64(4, "h")
    add_many(calendar, many[:10_000], step)  # warm-up: compiles the years involved
    elapsed_many(calendar, many[:10_000], many_ends[:10_000])
    add_times: list[float] = []
    elapsed_times: list[float] = []
    for _ in range(repeats):
        began = time.perf_counter()
        add_many(calendar, many, step)
        add_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        elapsed_many(calendar, many, many_ends)
        elapsed_times.append(time.perf_counter() - began)
    return Batch(
        True,
        n=n,
        adds_per_second=n / statistics.median(add_times),
        elapsed_per_second=n / statistics.median(elapsed_times),
        checked=2 * len(inputs),
        mismatches=mismatches,
    )
