"""Benchmark bizclock against its Python peers, check their answers, write RESULTS.md.

Usage (from the repository root, in the project's virtualenv with the ``bench`` extra)::

    python benchmarks/run.py            # the full run, a few minutes on 2 cores
    python benchmarks/run.py --quick    # a smaller, rougher run for development

One run does, in order: build the shared inputs; check every peer's answers against
bizclock's (and both against a slow reference); time every library on every work item it
can express; measure bizclock's scaling, cold start and memory; write
``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shlex
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from _bizclock import (
    batch,
    bizclock_case,
    cold_start,
    floor,
    import_bizclock,
    make_calendar,
    memory,
)
from _checks import compare
from _harness import Cell, measure_group, run_answers
from _inputs import (
    VARIANTS,
    WORKS,
    ZONE,
    Inputs,
    Reference,
    Variant,
    Work,
    holiday_dates,
    make_inputs,
)
from _peers import PEERS, Case, Peer, version_of
from _report import render
from _results import Results, Settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIZCLOCK = "bizclock"


FULL = Settings("full", 1000, 100, 4.0, 2.5, 15, 2.0, 100_000, 20.0, 5, 1_000_000)
QUICK = Settings("quick", 200, 40, 1.0, 0.5, 7, 0.3, 20_000, 5.0, 3, 200_000)

ADD_SCALE = (1, 4, 100, 2_000, 10_000, 100_000)
ELAPSED_SCALE: tuple[tuple[str, timedelta], ...] = (
    ("1 day", timedelta(days=1)),
    ("1 week", timedelta(days=7)),
    ("30 days", timedelta(days=30)),
    ("1 year", timedelta(days=365)),
    ("10 years", timedelta(days=3652)),
    ("50 years", timedelta(days=18262)),
)


def log(message: str) -> None:
    """Progress on stderr, so stdout stays clean."""
    print(message, file=sys.stderr, flush=True)


def machine_info() -> dict[str, str]:
    """CPU, cores, load, OS and interpreter of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "load average at start (1, 5, 15 min)": load,
        "OS": platform.platform(),
        "Python": f"{platform.python_implementation()} {platform.python_version()} "
        f"({platform.python_build()[1]})",
    }


def bizclock_version(module: ModuleType | None) -> str:
    """The package version plus the commit of this checkout (``+dirty`` if src/ changed)."""
    version = getattr(module, "__version__", None) or version_of("bizclock")
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return version
    return f"{version} (commit {commit}{' +uncommitted src/ changes' if dirty else ''})"


def build_peer(
    peer: Peer, variant: Variant, work: Work, inputs: Inputs, closed: frozenset[date]
) -> Case | str:
    """A peer's case, or why there is none (cannot express it, or not installed)."""
    try:
        return peer.build(variant, work, inputs, closed)
    except ImportError as exc:
        return f"not installed ({exc.name})"


def expected_answers(
    bizclock_calendar: Any, reference: Reference, work: Work, inputs: Inputs, *, next_open: bool
) -> tuple[list[Any], list[Any]]:
    """bizclock's answers (or the reference's, without bizclock) and the reference's."""
    ref: list[Any]
    if work.kind == "add":
        ref = [reference.add(t, work.duration, next_open=next_open) for t in inputs.starts]
    else:
        ref = [
            reference.elapsed(a, b)
            for a, b in zip(inputs.starts, inputs.ends[work.key], strict=True)
        ]
    if bizclock_calendar is None:
        return ref, ref
    case = bizclock_case(bizclock_calendar, work, inputs, next_open=next_open)
    outcome = run_answers(case.fn, case.xs, case.ys, case.convert, budget=float("inf"))
    return outcome.answers, ref


def run_checks(
    results: Results,
    calendars: dict[str, Any],
    closed: frozenset[date],
    settings: Settings,
    cases: dict[tuple[str, str, str], Case | str],
    estimates: dict[tuple[str, str, str], float],
) -> None:
    """(b) Every peer against bizclock, bizclock against the reference."""
    seed = results.seed
    check_sets: list[tuple[str, Inputs, Sequence[Variant], Sequence[Work]]] = [
        ("main", results.inputs, VARIANTS, WORKS),
        (
            "sub-second starts",
            make_inputs(settings.extra_n, seed + 1, closed, subsecond=True),
            VARIANTS[:1],
            [w for w in WORKS if w.key in ("add_4h", "elapsed_days")],
        ),
        (
            "inputs in UTC",
            make_inputs(settings.extra_n, seed + 2, closed).in_zone(UTC),
            VARIANTS[:1],
            [w for w in WORKS if w.key in ("add_4h", "elapsed_days")],
        ),
    ]
    for set_name, inputs, variants, works in check_sets:
        for variant in variants:
            reference = Reference(variant, closed)
            calendar = calendars.get(variant.key)
            for work in works:
                log(f"check  [{set_name}] {variant.key} {work.key}")
                began = time.perf_counter()
                exact, ref_exact = expected_answers(
                    calendar, reference, work, inputs, next_open=False
                )
                truth_name = BIZCLOCK if calendar is not None else "reference"
                if calendar is not None:
                    results.checks.append(
                        compare(
                            check_set=set_name,
                            library=BIZCLOCK,
                            variant=variant,
                            work=work,
                            inputs=inputs,
                            answers=exact,
                            errors={},
                            expected=ref_exact,
                            expected_name="reference",
                            arbiter=ref_exact,
                            reference=reference,
                            closed=closed,
                            boundary="exact",
                        )
                    )
                    if set_name == "main":
                        estimates[(variant.key, work.key, BIZCLOCK)] = (
                            time.perf_counter() - began
                        ) / max(1, len(inputs))
                next_open: tuple[list[Any], list[Any]] | None = None
                for peer in PEERS:
                    key = (variant.key, work.key, peer.name)
                    if set_name == "inputs in UTC" and peer.naive:
                        continue
                    case = build_peer(peer, variant, work, inputs, closed)
                    if set_name == "main":
                        cases[key] = case
                    if isinstance(case, str):
                        continue
                    outcome = run_answers(
                        case.fn, case.xs, case.ys, case.convert, budget=settings.check_budget
                    )
                    if set_name == "main":
                        estimates[key] = outcome.per_call
                    expected, arbiter = exact, ref_exact
                    if case.boundary == "next_open":
                        if next_open is None:
                            next_open = expected_answers(
                                calendar, reference, work, inputs, next_open=True
                            )
                        expected, arbiter = next_open
                    results.checks.append(
                        compare(
                            check_set=set_name,
                            library=peer.name,
                            variant=variant,
                            work=work,
                            inputs=inputs,
                            answers=outcome.answers,
                            errors=outcome.errors,
                            expected=expected,
                            expected_name=truth_name,
                            arbiter=arbiter,
                            reference=reference,
                            closed=closed,
                            boundary=case.boundary,
                            exact_answers=exact if case.boundary != "exact" else None,
                        )
                    )


def run_timings(
    results: Results,
    calendars: dict[str, Any],
    settings: Settings,
    cases: dict[tuple[str, str, str], Case | str],
    estimates: dict[tuple[str, str, str], float],
) -> None:
    """(c) Per-call cost of every library on every work item it can express.

    The libraries of one work item are timed with their passes interleaved, so that a
    change in the shared machine's load hits them alike. The conversion floor is timed
    in the first group.
    """
    starts = results.inputs.starts
    for variant in VARIANTS:
        calendar = calendars.get(variant.key)
        for work in WORKS:
            cells: list[Cell] = []
            keys: list[tuple[str, str, str]] = []
            if calendar is not None:
                key = (variant.key, work.key, BIZCLOCK)
                case = bizclock_case(calendar, work, results.inputs)
                cells.append((case.fn, case.xs, case.ys, estimates.get(key, 1e-5)))
                keys.append(key)
            else:
                results.timings[(variant.key, work.key, BIZCLOCK)] = (
                    f"not importable yet ({results.bizclock_reason})"
                )
            for peer in PEERS:
                key = (variant.key, work.key, peer.name)
                peer_case = cases.get(key, "not built")
                if isinstance(peer_case, str):
                    results.timings[key] = peer_case
                    continue
                cells.append((peer_case.fn, peer_case.xs, peer_case.ys, estimates[key]))
                keys.append(key)
            floor_first = results.floor is None
            if floor_first:
                cells.append((floor, starts, [timedelta(hours=4)] * len(starts), 2e-6))
            log(f"time   {variant.key} {work.key}: {', '.join(k[2] for k in keys)}")
            timings = measure_group(cells, budget=settings.time_budget, repeats=settings.repeats)
            if floor_first:
                results.floor = timings.pop()
            results.timings.update(zip(keys, timings, strict=True))


def run_scaling(results: Results, calendar: Any, settings: Settings) -> None:
    """(d) bizclock's per-call cost as the duration or span grows: it must stay flat.

    Every year the queries touch is warmed first; the cells of each table are timed
    interleaved.
    """
    starts = results.inputs.starts
    cells: list[Cell] = []
    for hours in ADD_SCALE:
        durations = [timedelta(hours=hours)] * len(starts)
        run_answers(calendar.add, starts, durations, lambda r: r, budget=30.0)
        cells.append((calendar.add, starts, durations, 5e-6))
    log(f"scale  add {', '.join(f'{h:,} h' for h in ADD_SCALE)}")
    timings = measure_group(cells, budget=settings.scaling_budget, repeats=settings.repeats)
    results.add_scaling = list(zip(ADD_SCALE, timings, strict=True))
    cells = []
    for _, span in ELAPSED_SCALE:
        ends = [t + span for t in starts]
        run_answers(calendar.elapsed, starts, ends, lambda r: r, budget=30.0)
        cells.append((calendar.elapsed, starts, ends, 5e-6))
    log(f"scale  elapsed over {', '.join(label for label, _ in ELAPSED_SCALE)}")
    timings = measure_group(cells, budget=settings.scaling_budget, repeats=settings.repeats)
    results.elapsed_scaling = [
        (label, t) for (label, _), t in zip(ELAPSED_SCALE, timings, strict=True)
    ]


def run_scattered(results: Results, fresh: Any) -> None:
    """``add`` 4 h at 300 starts scattered over 1900–2099 on a fresh calendar.

    The first pass meets every year cold; the second shows the steady state, when the
    calendar's bounded caches cannot hold two centuries.
    """
    rng = random.Random(results.seed + 4)
    lo = datetime(1900, 1, 1, tzinfo=UTC)
    scattered = [
        (lo + timedelta(seconds=rng.randrange(200 * 365 * 86_400))).astimezone(ZONE)
        for _ in range(300)
    ]
    four = [timedelta(hours=4)] * len(scattered)
    log("scale  add 4 h at 300 starts scattered over 1900–2099")
    passes = []
    for _ in range(2):
        began = time.perf_counter()
        run_answers(fresh.add, scattered, four, lambda r: r, budget=20.0)
        passes.append((time.perf_counter() - began) / len(scattered))
    results.scattered = (passes[0], passes[1])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller, rougher run")
    parser.add_argument("--seed", type=int, default=20261120, help="random seed of the inputs")
    parser.add_argument("--inputs", type=int, help="number of random starts (default 1,000)")
    parser.add_argument(
        "--out", type=Path, default=HERE / "RESULTS.md", help="where to write the report"
    )
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    if args.inputs:
        settings = Settings(**{**settings.__dict__, "n": args.inputs})
    command = "python " + " ".join(
        shlex.quote(a) for a in [os.path.relpath(__file__, Path.cwd()), *sys.argv[1:]]
    )
    began = time.perf_counter()
    closed = holiday_dates()
    bizclock, reason = import_bizclock()
    if bizclock is None:
        log(f"bizclock is not importable yet: {reason}; timing the peers only")
    results = Results(
        settings=settings,
        seed=args.seed,
        command=command,
        started=datetime.now(UTC).replace(microsecond=0),
        bizclock_reason=reason,
        bizclock_version=bizclock_version(bizclock) if bizclock else "not importable",
        inputs=make_inputs(settings.n, args.seed, closed),
        machine=machine_info(),
    )
    results.versions = {
        "bizclock": results.bizclock_version,
        **{p.name: p.version for p in PEERS},
        "holidays": version_of("holidays"),
        "tzdata": version_of("tzdata"),
        "Django (django-bizcal's dependency)": version_of("django"),
        "numpy": version_of("numpy"),
        "pytz": version_of("pytz"),
    }
    cases: dict[tuple[str, str, str], Case | str] = {}
    estimates: dict[tuple[str, str, str], float] = {}
    calendars = {v.key: make_calendar(bizclock, v, closed) for v in VARIANTS} if bizclock else {}
    run_checks(results, calendars, closed, settings, cases, estimates)
    run_timings(results, calendars, settings, cases, estimates)
    if bizclock is not None:
        run_scaling(results, calendars[VARIANTS[0].key], settings)
        run_scattered(results, make_calendar(bizclock, VARIANTS[0], closed))
        log("cold start")
        results.cold = cold_start(bizclock, settings.cold_runs)
        log("memory")
        results.memory = memory(
            bizclock,
            VARIANTS[0],
            closed,
            queries=settings.memory_queries,
            seed=args.seed + 3,
            time_cap=settings.memory_cap,
        )
        log("batch")
        results.batch = batch(
            calendars[VARIANTS[0].key],
            results.inputs,
            n=settings.batch_n,
            repeats=3,
            seed=args.seed + 5,
        )
    results.seconds = time.perf_counter() - began
    results.load_at_end = machine_info()["load average at start (1, 5, 15 min)"]
    text = render(results)
    args.out.write_text(text, encoding="utf-8")
    log(f"wrote {os.path.relpath(args.out, Path.cwd())} in {results.seconds:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
