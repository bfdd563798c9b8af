"""Shared test configuration: hypothesis settings profiles.

``HYPOTHESIS_PROFILE=dev`` (the default) keeps local runs quick; ``ci`` runs more examples
and prints a reproduction blob for every failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

import pytest
from hypothesis import HealthCheck, settings

from bizclock import _rules as rules_module
from bizclock._rules import CountrySource, clear_country_cache

# The property tests build a calendar and run a brute-force reference per example, which
# hypothesis would otherwise flag as slow data generation on a busy two-core machine.
_SLOW_OK = [HealthCheck.too_slow]

# No deadline in either profile: one example may walk years of dates in the reference, and a
# timing-dependent failure would only be noise.
settings.register_profile("dev", max_examples=50, deadline=None, suppress_health_check=_SLOW_OK)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=_SLOW_OK,
)
# For a deep run by hand (HYPOTHESIS_PROFILE=stress): too slow for every CI run.
settings.register_profile(
    "stress", max_examples=1500, deadline=None, print_blob=True, suppress_health_check=_SLOW_OK
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every year asked of the holidays package, from an empty cache (lazy loading tests)."""
    asked: list[int] = []
    real = rules_module.load_country_years

    def counting(source: CountrySource, years: Sequence[int]) -> dict[int, rules_module.YearDays]:
        asked.extend(years)
        return real(source, years)

    clear_country_cache()
    monkeypatch.setattr(rules_module, "load_country_years", counting)
    yield asked
    clear_country_cache()
