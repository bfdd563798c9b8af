"""bizclock: exact, fast business-time arithmetic.

Deadlines (a start plus N hours of business time), elapsed business time between two
instants, and open/close questions, over a calendar of weekly hours in an IANA time
zone minus holidays, with special hours on some dates.  See ``docs/`` for the contract.
"""

from bizclock._calendar import Calendar
from bizclock._errors import (
    ArgumentError,
    ArgumentTypeError,
    BizclockError,
    ConfigError,
    NaiveDatetimeError,
    NeverClosesError,
    NeverOpenError,
    OutOfRangeError,
    SlaError,
)


def __getattr__(name: str) -> str:
    # importlib.metadata costs more than half of `import bizclock`: read the version only
    # when someone asks for it.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("bizclock")
        except PackageNotFoundError:  # pragma: no cover - a source tree without install
            return "0.0.0"
    raise AttributeError(f"module 'bizclock' has no attribute {name!r}")


__all__ = [
    "ArgumentError",
    "ArgumentTypeError",
    "BizclockError",
    "Calendar",
    "ConfigError",
    "NaiveDatetimeError",
    "NeverClosesError",
    "NeverOpenError",
    "OutOfRangeError",
    "SlaError",
    "__version__",
]
