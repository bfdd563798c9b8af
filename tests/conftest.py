"""Shared test configuration: hypothesis settings profiles.

``HYPOTHESIS_PROFILE=dev`` (the default) keeps local runs quick; ``ci`` runs more examples
and prints a reproduction blob for every failure.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

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
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
