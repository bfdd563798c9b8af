"""bizclock: exact, fast business-time arithmetic.

Deadlines (a start plus N hours of business time), elapsed business time between two
instants, and open/close questions, over a calendar of weekly hours in an IANA time
zone minus holidays, with special hours on some dates.  See ``docs/`` for the contract.
"""

from importlib.metadata import PackageNotFoundError, version

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

try:
    __version__ = version("bizclock")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

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
