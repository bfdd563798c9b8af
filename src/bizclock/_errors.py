"""The whole exception hierarchy of bizclock.

Every error derives from :class:`BizclockError`, and each one is also the builtin
exception a caller would naturally catch (``ValueError``, ``TypeError``, ...).
"""

from __future__ import annotations

__all__ = [
    "ArgumentError",
    "ArgumentTypeError",
    "BizclockError",
    "ConfigError",
    "NaiveDatetimeError",
    "NeverClosesError",
    "NeverOpenError",
    "OutOfRangeError",
    "SlaError",
]


class BizclockError(Exception):
    """Root of every error bizclock raises."""


class ConfigError(BizclockError, ValueError):
    """A calendar or policy configuration is invalid; the message names the key at fault."""


class NaiveDatetimeError(BizclockError, ValueError):
    """A naive datetime (without tzinfo) was passed where an instant is needed."""


class ArgumentError(BizclockError, ValueError):
    """An argument has a value the operation does not accept (e.g. an unknown ``boundary``)."""


class ArgumentTypeError(ArgumentError, TypeError):
    """An argument has the wrong type (e.g. a string where a datetime is needed)."""


class NeverOpenError(BizclockError, ValueError):
    """No open time was found within the search limit (10 years of closed time)."""


class NeverClosesError(BizclockError, ValueError):
    """An open run does not end within the search limit (e.g. ``next_close`` on 24/7)."""


class OutOfRangeError(BizclockError, OverflowError):
    """A result would fall outside the range of :class:`datetime.datetime`."""


class SlaError(BizclockError, ValueError):
    """An SLA timeline or policy is invalid; the message names the event index or key."""
