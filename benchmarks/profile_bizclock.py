"""Where bizclock's time goes: per-call cost split by function, for the engine's authors.

Usage (from the repository root)::

    python benchmarks/profile_bizclock.py            # Markdown on stdout
    python benchmarks/profile_bizclock.py --out FILE

For each benchmark work item on the basic calendar it prints the wall time per call (no
profiler), the *floor* (an aware datetime to integer microseconds and back, which every
call pays), and a cProfile split: each function's share of the profiled time, turned into
an estimate of its µs per call by applying the share to the unprofiled wall time (the
profiler's own overhead inflates small functions, so shares are indicative). It then
profiles a cold start with country holidays and ``add`` at starts scattered over two
centuries.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _bizclock import COLD_COUNTRIES, floor, import_bizclock, make_calendar
from _inputs import VARIANTS, WORKS, ZONE, ZONE_NAME, holiday_dates, make_inputs

_SINK: deque[Any] = deque(maxlen=0)


def wall(fn: Callable[[Any, Any], Any], xs: Sequence[Any], ys: Sequence[Any]) -> float:
    """Median seconds per call over 7 passes (after a warm-up pass)."""
    _SINK.extend(map(fn, xs, ys))
    samples = []
    for _ in range(7):
        began = time.perf_counter()
        _SINK.extend(map(fn, xs, ys))
        samples.append((time.perf_counter() - began) / len(xs))
    return statistics.median(samples)


def split(
    fn: Callable[[Any, Any], Any], xs: Sequence[Any], ys: Sequence[Any], per_call: float
) -> list[str]:
    """Markdown rows: function, calls per call, share, estimated µs per call."""
    profile = cProfile.Profile()
    profile.enable()
    _SINK.extend(map(fn, xs, ys))
    profile.disable()
    stats = pstats.Stats(profile)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values()) or 1.0
    rows = sorted(raw.items(), key=lambda kv: kv[1][2], reverse=True)
    out = []
    for (filename, line, name), (_, ncalls, tottime, cumtime, _) in rows[:10]:
        where = f"{Path(filename).name}:{line}" if line else "builtin"
        share = tottime / total
        out.append(
            f"| `{name}` ({where}) | {ncalls / len(xs):.2f} | {share:.0%} | "
            f"{share * per_call * 1e6:.2f} | {cumtime / total * per_call * 1e6:.2f} |"
        )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Profile and print the findings as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write here instead of stdout")
    args = parser.parse_args(argv)
    bizclock, reason = import_bizclock()
    if bizclock is None:
        print(f"bizclock is not importable: {reason}", file=sys.stderr)
        return 1
    closed = holiday_dates()
    inputs = make_inputs(1000, 20261120, closed)
    calendar = make_calendar(bizclock, VARIANTS[0], closed)
    lines = ["# Where bizclock's time goes (basic calendar, 1,000 benchmark inputs)", ""]
    four = [timedelta(hours=4)] * len(inputs)
    base = wall(floor, inputs.starts, four)
    lines.append(
        f"Floor (aware datetime → int µs → aware datetime, no business logic): "
        f"{base * 1e6:.2f} µs per call."
    )
    lines.append("")
    for work in WORKS:
        if work.kind == "add":
            fn: Callable[[Any, Any], Any] = calendar.add
            ys: list[Any] = [work.duration] * len(inputs)
        else:
            fn = calendar.elapsed
            ys = inputs.ends[work.key]
        per_call = wall(fn, inputs.starts, ys)
        lines += [
            f"## {work.title}: {per_call * 1e6:.2f} µs per call ({per_call / base:.2f}× the floor)",
            "",
            "| function | calls per call | share (own time) | ≈ µs per call (own) "
            "| ≈ µs per call (with callees) |",
            "|---|---:|---:|---:|---:|",
            *split(fn, inputs.starts, ys, per_call),
            "",
        ]
    # Cold start: a fresh calendar with country holidays until its first answer.
    config = {
        "timezone": ZONE_NAME,
        "hours": {"mon-fri": "09:00-17:00"},
        "country_holidays": COLD_COUNTRIES,
    }
    start = datetime(2026, 11, 20, 10, tzinfo=ZONE)
    try:
        bizclock.Calendar.from_dict(config).add(start, timedelta(hours=4))
    except bizclock.ConfigError as exc:
        lines += ["## Cold start", "", f"`country_holidays` not available: {exc}", ""]
    else:
        samples = []
        for _ in range(5):
            began = time.perf_counter()
            bizclock.Calendar.from_dict(dict(config)).add(start, timedelta(hours=4))
            samples.append(time.perf_counter() - began)
        cold = statistics.median(samples)
        cold_xs = [dict(config)]
        lines += [
            f"## Cold start (warm process, fresh calendar, {', '.join(COLD_COUNTRIES)}): "
            f"{cold * 1e3:.2f} ms",
            "",
            "| function | calls | share (own time) | ≈ µs (own) | ≈ µs (with callees) |",
            "|---|---:|---:|---:|---:|",
            *split(
                lambda c, t: bizclock.Calendar.from_dict(c).add(t, timedelta(hours=4)),
                cold_xs,
                [start],
                cold,
            ),
            "",
        ]
    # Starts scattered over 200 years: every query may need a year compiled.
    lo = datetime(1900, 1, 1, tzinfo=UTC)
    scattered = [
        (lo + timedelta(seconds=(i * 7_919_993_557) % (200 * 365 * 86_400))).astimezone(ZONE)
        for i in range(200)
    ]
    fresh = make_calendar(bizclock, VARIANTS[0], closed)
    began = time.perf_counter()
    _SINK.extend(map(fresh.add, scattered, four))
    per_scattered = (time.perf_counter() - began) / len(scattered)
    fresh = make_calendar(bizclock, VARIANTS[0], closed)
    lines += [
        f"## add 4 h at 200 starts scattered over 1900–2099 (fresh calendar): "
        f"{per_scattered * 1e6:,.0f} µs per call",
        "",
        "| function | calls per call | share (own time) | ≈ µs per call (own) "
        "| ≈ µs per call (with callees) |",
        "|---|---:|---:|---:|---:|",
        *split(fresh.add, scattered, four[: len(scattered)], per_scattered),
        "",
    ]
    text = "\n".join(lines)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
