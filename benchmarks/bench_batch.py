"""Batch and Dask throughput of bizclock (SPEC §7, §10).

Usage (from the repository root, in the project's virtualenv with the ``dask`` extra)::

    python benchmarks/bench_batch.py              # 1,000,000 starts; Dask: 2,000,000 rows
    python benchmarks/bench_batch.py --quick      # smaller and rougher, for development
    python benchmarks/bench_batch.py --no-dask    # the NumPy kernels only

The calendar is the one SPEC §7 compares peers on: Mon–Fri 09:00–17:00 Europe/Berlin with the
Bavarian public holidays. Starts are uniformly random instants in 2026–2028.

1. Answers first: a sample of every batch call is compared with the scalar API, element by
   element; any difference stops the run (exit status 1) before anything is timed.
2. ``bizclock.batch`` over all starts, each call timed ``--repeats`` times on a warm calendar:
   ``add_many`` of 4 h (the SPEC §7 target: at least 10 million per second), of random
   1–2,000 h, ``subtract_many``, ``elapsed_many`` over 1–3 days and ``is_open_many``; next to
   them the scalar ``Calendar.add`` per call.
3. Dask: a ``LocalCluster`` of 2 worker processes (1 thread each) on this machine. The inputs
   are made on the workers and persisted there, so the timing is the cluster's work, not a
   transfer from this process: ``with_deadlines`` over the rows, then ``evaluate_sla``
   (shuffle by ticket included) over random ticket histories. The first run warms the
   workers (imports, compiled years) and is reported separately; each timed run is a new
   computation (Dask would otherwise hand back the result it already holds).
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

import bizclock
from bizclock.batch import add_many, elapsed_many, is_open_many, subtract_many

CONFIG = {
    "timezone": "Europe/Berlin",
    "hours": {"mon-fri": "09:00-17:00"},
    "country_holidays": ["DE-BY"],
}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
HOUR_US = 3_600_000_000
DAY_US = 24 * HOUR_US
TARGET_ADDS_PER_SECOND = 10_000_000


@dataclass(frozen=True)
class Timing:
    """Seconds of each repeat of one timed call over ``n`` elements."""

    name: str
    n: int
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def per_second(self) -> float:
        return self.n / self.median

    def row(self) -> str:
        best = min(self.seconds)
        return (
            f"| {self.name} | {self.n:,} | {self.median * 1e3:,.1f} ms | {best * 1e3:,.1f} ms "
            f"| {self.per_second / 1e6:,.2f} M/s |"
        )


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(name: str, n: int, repeats: int, call: Callable[[], object]) -> Timing:
    call()  # warm-up: the years involved are compiled once, as on any warm calendar
    seconds = []
    for _ in range(repeats):
        began = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - began)
    return Timing(name, n, seconds)


def from_us(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


def check_sample(cal: bizclock.Calendar, starts: Any, hours: Any, ends: Any, sample: int) -> int:
    """Compare a sample of every batch call with the scalar API; the number of differences."""
    index = np.linspace(0, len(starts) - 1, sample).astype(np.int64)
    t = starts[index]
    d = hours[index]
    e = ends[index]
    four = timedelta(hours=4)
    got = {
        "add 4 h": add_many(cal, t, np.timedelta64(4, "h")).view(np.int64).tolist(),
        "add 1-2,000 h": add_many(cal, t, d).view(np.int64).tolist(),
        "subtract 4 h": subtract_many(cal, t, np.timedelta64(4, "h")).view(np.int64).tolist(),
        "elapsed": elapsed_many(cal, t, e).view(np.int64).tolist(),
        "is_open": is_open_many(cal, t).tolist(),
    }
    expected: dict[str, list[Any]] = {name: [] for name in got}
    for s, h, end in zip(
        t.view(np.int64).tolist(), d.view(np.int64).tolist(), e.view(np.int64).tolist(), strict=True
    ):
        start = from_us(s)
        expected["add 4 h"].append((cal.add(start, four) - EPOCH) // US)
        expected["add 1-2,000 h"].append((cal.add(start, timedelta(microseconds=h)) - EPOCH) // US)
        expected["subtract 4 h"].append((cal.subtract(start, four) - EPOCH) // US)
        expected["elapsed"].append(cal.elapsed(start, from_us(end)) // US)
        expected["is_open"].append(cal.is_open(start))
    differences = 0
    for name, values in got.items():
        wrong = sum(g != w for g, w in zip(values, expected[name], strict=True))
        if wrong:
            log(f"  {name}: {wrong} of {sample} differ from the scalar API")
        differences += wrong
    return differences


def scalar_adds(cal: bizclock.Calendar, starts: Any, count: int, repeats: int) -> Timing:
    values = [from_us(s) for s in starts[:count].view(np.int64).tolist()]
    four = timedelta(hours=4)

    def run() -> None:
        add = cal.add
        for t in values:
            add(t, four)

    return timed("scalar `Calendar.add` 4 h (loop)", count, repeats, run)


def make_events(tickets: int, seed: int, first_id: int = 0) -> Any:
    """Random ticket histories, one row per event (as in tests/test_dask.py)."""
    import pandas as pd

    rng = random.Random(seed)
    rows: list[tuple[Any, ...]] = []
    first = datetime(2026, 1, 1, tzinfo=UTC)
    for number in range(first_id, first_id + tickets):
        t = first + timedelta(minutes=rng.randrange(0, 700 * 24 * 60))
        events = [(t, "created", None, rng.choice(["normal", "normal", "urgent"]))]
        solved = False
        for _ in range(rng.randrange(0, 7)):
            t += timedelta(minutes=rng.randrange(1, 3 * 24 * 60))
            kind = rng.choice(["status", "agent_reply", "customer_reply", "priority", "solved"])
            if kind == "solved" and solved:
                kind = "reopened"
            solved = kind == "solved" or (solved and kind != "reopened")
            status = rng.choice(["pending", "open"]) if kind == "status" else None
            priority = rng.choice(["normal", "urgent"]) if kind == "priority" else None
            events.append((t, kind, status, priority))
        rows.extend((number, *event, seq) for seq, event in enumerate(events))
    frame = pd.DataFrame(rows, columns=["ticket", "at", "kind", "status", "priority", "seq"])
    frame["at"] = pd.to_datetime(frame["at"], utc=True).dt.as_unit("us")
    return frame


def make_starts(seed: int, rows: int) -> Any:
    """One partition of random starts (2026–2028) and 1–2,000 h targets, built on a worker."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    lo = (datetime(2026, 1, 1, tzinfo=UTC) - EPOCH) // US
    hi = (datetime(2029, 1, 1, tzinfo=UTC) - EPOCH) // US
    created = rng.integers(lo, hi, rows, dtype=np.int64).view("M8[us]")
    target = rng.integers(HOUR_US, 2_000 * HOUR_US, rows, dtype=np.int64).view("m8[us]")
    return pd.DataFrame({"created": pd.Series(created).dt.tz_localize(UTC), "target": target})


def dask_runs(cal: bizclock.Calendar, rows: int, tickets: int, repeats: int) -> list[str]:
    """Time with_deadlines and evaluate_sla on a 2-process LocalCluster; report lines."""
    import dask.dataframe as dd
    from distributed import Client, LocalCluster, wait

    from bizclock import sla
    from bizclock.dask import evaluate_sla, with_deadlines

    # The p2p shuffle logs every shuffle it starts and stops at WARNING level.
    logging.getLogger("distributed.shuffle").setLevel(logging.ERROR)
    policy = sla.Policy.from_dict(
        {
            "calendar": CONFIG,
            "pause_on": ["pending"],
            "warn_at": 0.75,
            "targets": {
                "urgent": {"first_response": "30m", "resolution": "4h"},
                "normal": {"first_response": "4h", "next_response": "8h", "resolution": "3bd"},
            },
        }
    )
    now = datetime(2028, 1, 1, tzinfo=UTC)
    partitions = max(2, rows // 250_000)
    groups = 4
    lines: list[str] = []
    with (
        LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            worker_dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        # The inputs are made on the workers and kept there: what is timed is the work.
        sizes = [rows // partitions + (k < rows % partitions) for k in range(partitions)]
        data = client.persist(
            dd.from_map(make_starts, range(partitions), sizes, meta=make_starts(0, 0))
        )
        per_group = -(-tickets // groups)
        history = client.persist(
            dd.from_map(
                make_events,
                [per_group] * groups,
                range(groups),
                [k * per_group for k in range(groups)],
                meta=make_events(0, 0),
            )
        )
        wait([data, history])
        runs = iter(range(1_000_000))

        def deadlines() -> None:
            # A new output name each time: otherwise Dask would hand back the last result.
            result = client.persist(
                with_deadlines(
                    data, cal, start="created", duration="target", out=f"due{next(runs)}"
                )
            )
            wait(result)
            client.cancel(result)

        def clocks() -> None:
            moment = now + timedelta(microseconds=next(runs))
            result = client.persist(evaluate_sla(history, policy, now=moment, order="seq"))
            wait(result)
            client.cancel(result)

        for name, n, unit, call in (
            (f"`with_deadlines`, {partitions} partitions", rows, "rows", deadlines),
            ("`evaluate_sla` (shuffle + SLA per partition)", tickets, "tickets", clocks),
        ):
            log(f"dask: {name} ...")
            began = time.perf_counter()
            call()
            first = time.perf_counter() - began
            timing = timed(name, n, repeats, call)
            lines.append(
                f"| {name} | {n:,} {unit} | first run {first:,.2f} s | "
                f"median {timing.median:,.2f} s | {timing.per_second:,.0f} {unit}/s |"
            )
        # The cluster's answers, checked on a sample against the scalar API.
        out = with_deadlines(data.partitions[0], cal, start="created", duration="target")
        for row in out.compute().iloc[::499].itertuples():
            expected = cal.add(row.created.to_pydatetime(), row.target)
            if row.deadline != expected:
                raise SystemExit(f"dask deadline differs from the scalar API at row {row.Index}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller, rougher run")
    parser.add_argument("--n", type=int, help="batch size (default 1,000,000; quick 200,000)")
    parser.add_argument("--repeats", type=int, help="timed repeats per call (default 7; quick 3)")
    parser.add_argument("--dask-rows", type=int, help="rows for Dask (default 2,000,000)")
    parser.add_argument("--dask-tickets", type=int, help="tickets for the SLA run (default 20,000)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask runs")
    args = parser.parse_args(argv)
    n = args.n or (200_000 if args.quick else 1_000_000)
    repeats = args.repeats or (3 if args.quick else 7)
    dask_rows = args.dask_rows or (400_000 if args.quick else 2_000_000)
    dask_tickets = args.dask_tickets or (4_000 if args.quick else 20_000)

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    log(f"bizclock {bizclock.__version__}, numpy {np.__version__}, load {load}")
    cal = bizclock.Calendar.from_dict(CONFIG)
    rng = np.random.default_rng(2026)
    lo = (datetime(2026, 1, 1, tzinfo=UTC) - EPOCH) // US
    hi = (datetime(2029, 1, 1, tzinfo=UTC) - EPOCH) // US
    starts = rng.integers(lo, hi, n, dtype=np.int64).view("M8[us]")
    hours = rng.integers(HOUR_US, 2_000 * HOUR_US, n, dtype=np.int64).view("m8[us]")
    ends = (starts.view(np.int64) + rng.integers(DAY_US, 3 * DAY_US, n)).view("M8[us]")

    log("checking answers against the scalar API ...")
    differences = check_sample(cal, starts, hours, ends, sample=2_000 if not args.quick else 500)
    if differences:
        log(f"{differences} answers differ from the scalar API: nothing timed")
        return 1

    log("timing bizclock.batch ...")
    four = np.timedelta64(4, "h")
    timings = [
        timed("`add_many` 4 h", n, repeats, lambda: add_many(cal, starts, four)),
        timed("`add_many` 1–2,000 h", n, repeats, lambda: add_many(cal, starts, hours)),
        timed("`subtract_many` 4 h", n, repeats, lambda: subtract_many(cal, starts, four)),
        timed("`elapsed_many` 1–3 days", n, repeats, lambda: elapsed_many(cal, starts, ends)),
        timed("`is_open_many`", n, repeats, lambda: is_open_many(cal, starts)),
        scalar_adds(cal, starts, min(n, 100_000), max(1, repeats // 2)),
    ]
    lines = [
        f"bizclock {bizclock.__version__}, NumPy {np.__version__}, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, load average at start {load}",
        "",
        "| call | elements | median | best | throughput |",
        "|---|---:|---:|---:|---:|",
        *(t.row() for t in timings),
    ]
    adds = timings[0].per_second
    verdict = "meets" if adds >= TARGET_ADDS_PER_SECOND else "MISSES"
    lines += [
        "",
        f"`add_many` 4 h: {adds / 1e6:,.1f} M/s — {verdict} the SPEC §7 target of 10 M/s.",
    ]

    if not args.no_dask:
        log("timing bizclock.dask on a LocalCluster (2 worker processes) ...")
        dask_lines = dask_runs(cal, dask_rows, dask_tickets, max(1, repeats // 2))
        lines += [
            "",
            "Dask LocalCluster, 2 worker processes × 1 thread, input persisted on the workers:",
            "",
            "| run | size | warm-up | timed | throughput |",
            "|---|---:|---:|---:|---:|",
            *dask_lines,
        ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
