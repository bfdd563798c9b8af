"""What one run measured, handed from ``run.py`` to the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from _bizclock import Batch, ColdStart, Memory
from _checks import CheckRow
from _harness import Timing
from _inputs import Inputs

__all__ = ["Results", "Settings"]


@dataclass(frozen=True)
class Settings:
    """How much work one run does."""

    name: str
    n: int
    extra_n: int
    check_budget: float
    time_budget: float
    repeats: int
    scaling_budget: float
    memory_queries: int
    memory_cap: float
    cold_runs: int
    batch_n: int


@dataclass
class Results:
    """Everything one run found, for the report."""

    settings: Settings
    seed: int
    command: str
    started: datetime
    bizclock_reason: str
    bizclock_version: str
    inputs: Inputs
    checks: list[CheckRow] = field(default_factory=list)
    #: ``(variant key, work key, library) -> Timing`` or a reason it was not timed.
    timings: dict[tuple[str, str, str], Timing | str] = field(default_factory=dict)
    add_scaling: list[tuple[int, Timing]] = field(default_factory=list)
    elapsed_scaling: list[tuple[str, Timing]] = field(default_factory=list)
    #: ``add`` 4 h at starts scattered over 1900–2099 (a calendar's caches cannot hold
    #: them): seconds per call in the first (cold) and the second pass.
    scattered: tuple[float, float] | None = None
    cold: ColdStart | None = None
    memory: Memory | None = None
    batch: Batch | None = None
    machine: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    #: The conversion floor every call pays (see ``_bizclock.floor``).
    floor: Timing | None = None
    load_at_end: str = ""
