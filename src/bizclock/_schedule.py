"""Weekly opening hours: parsing ``"mon-fri"`` and ``"09:00-17:00"``, and their canonical form.

A day's hours are a sorted tuple of ``(start, end)`` seconds after that day's local
midnight.  An overnight interval (``"22:00-06:00"``) ends after 86,400 and spills into
the next day; ``"24:00"`` is allowed as an end only.

This module also holds :func:`show`, the one way configuration errors quote a bad value:
bounded in length and depth, so that a message about a megabyte string or a list nested
ten thousand deep is still a short message (and never a ``RecursionError``).
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Mapping
from itertools import pairwise

from bizclock._errors import ConfigError

__all__ = [
    "ALL_DAY",
    "FULL_WEEK",
    "WEEKDAYS",
    "DayHours",
    "Week",
    "format_day_hours",
    "format_interval",
    "format_week",
    "parse_day_hours",
    "parse_days",
    "parse_interval",
    "parse_time",
    "parse_week",
    "show",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_INDEX = {name: i for i, name in enumerate(WEEKDAYS)} | {
    full: i for i, full in enumerate(_FULL_NAMES)
}

#: One day's hours: sorted ``(start, end)`` seconds after local midnight; end may pass 86,400.
DayHours = tuple[tuple[int, int], ...]
#: Hours of Monday .. Sunday.
Week = tuple[DayHours, DayHours, DayHours, DayHours, DayHours, DayHours, DayHours]

# ASCII digits only: ``\d`` would also take "٠٩:٠٠", which int() reads as 9:00.
_TIME = re.compile(r"([0-9]{2}):([0-9]{2})")
ALL_DAY: DayHours = ((0, 86_400),)
FULL_WEEK: Week = (ALL_DAY,) * 7

_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxstring = 60
_REPR.maxother = 60
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = _REPR.maxfrozenset = 6


def show(value: object) -> str:
    """A short, safe ``repr`` of a configuration value for an error message."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**40:
        # repr() of an int past 4,300 digits raises ValueError; nobody needs the digits.
        return f"<an integer of {value.bit_length()} bits>"
    try:
        return _REPR.repr(value)
    except Exception:  # a broken __repr__ must not hide the real error
        return f"<{type(value).__name__} object>"


def parse_time(text: str, where: str, *, is_end: bool) -> int:
    """``"HH:MM"`` as seconds after midnight; ``"24:00"`` only as an end."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ConfigError(f"{where}: malformed time {show(text)}; expected HH:MM, e.g. '09:30'")
    hour, minute = int(match[1]), int(match[2])
    if minute > 59 or hour > 24 or (hour == 24 and minute != 0):
        raise ConfigError(f"{where}: impossible time {show(text)}; expected 00:00 to 24:00")
    if hour == 24 and not is_end:
        raise ConfigError(f"{where}: '24:00' can only end an interval, not start one")
    return hour * 3600 + minute * 60


def parse_interval(text: object, where: str) -> tuple[int, int]:
    """``"09:00-17:00"`` (or overnight ``"22:00-06:00"``) as ``(start, end)`` seconds."""
    if not isinstance(text, str):
        raise ConfigError(
            f"{where}: expected an interval like '09:00-17:00', got {show(text)}"
        )
    parts = text.split("-")
    if len(parts) != 2:
        raise ConfigError(
            f"{where}: malformed interval {show(text)}; expected 'HH:MM-HH:MM'"
        )
    start = parse_time(parts[0], where, is_end=False)
    end = parse_time(parts[1], where, is_end=True)
    if end == start:
        raise ConfigError(f"{where}: empty interval {show(text)}")
    if end < start:
        end += 86_400  # overnight: ends on the next day
    return start, end


def format_time(second: int) -> str:
    """Seconds after midnight as ``"HH:MM"`` (``"24:00"`` for the end of the day)."""
    return f"{second // 3600:02d}:{second % 3600 // 60:02d}"


def format_interval(interval: tuple[int, int]) -> str:
    """The canonical text of an interval."""
    start, end = interval
    if end > 86_400:
        end -= 86_400
    return f"{format_time(start)}-{format_time(end)}"


def parse_day_hours(value: object, where: str, *, allow_closed: bool = False) -> DayHours:
    """One day's hours: an interval string, a list of them, or ``"closed"`` where allowed."""
    if isinstance(value, str):
        if value.strip().lower() == "closed":
            if allow_closed:
                return ()
            raise ConfigError(
                f"{where}: 'closed' is only for overrides; leave the day out of the table"
            )
        items: list[object] = [value]
        paths = [where]
    elif isinstance(value, list | tuple):
        items = list(value)
        paths = [f"{where}[{i}]" for i in range(len(items))]
        if not items:
            if allow_closed:
                return ()
            raise ConfigError(f"{where}: empty list of intervals; leave the day out instead")
    else:
        raise ConfigError(
            f"{where}: expected an interval like '09:00-17:00' or a list of them, "
            f"got {show(value)}"
        )
    parsed = [
        (parse_interval(item, path), item, path)
        for item, path in zip(items, paths, strict=True)
    ]
    parsed.sort(key=lambda p: p[0])
    # Sorted by start, the intervals are disjoint exactly when each one starts at or
    # after the end of the one before.
    for (prev, prev_text, _), (cur, cur_text, cur_path) in pairwise(parsed):
        if cur[0] < prev[1]:
            raise ConfigError(f"{cur_path}: {show(cur_text)} overlaps {show(prev_text)}")
    return tuple(p[0] for p in parsed)


def format_day_hours(hours: DayHours) -> str | list[str]:
    """Canonical text of a day's hours: one string, or a list for several intervals."""
    texts = [format_interval(interval) for interval in hours]
    return texts[0] if len(texts) == 1 else texts


def parse_days(spec: str, where: str) -> list[int]:
    """``"mon-fri"``, wrapping ``"fri-mon"``, lists ``"mon,wed"`` as weekday indexes.

    Names are case-insensitive and may be written in full (``"monday"``).  A day named
    twice within ``spec`` is an error.
    """
    days: list[int] = []
    for part in spec.split(","):
        token = part.strip().lower()
        if not token:
            raise ConfigError(f"{where}: empty day name in {show(spec)}")
        if "-" in token:
            first, _, last = token.partition("-")
            a = _day_index(first.strip(), spec, where)
            b = _day_index(last.strip(), spec, where)
            if a == b:
                raise ConfigError(
                    f"{where}: the range {show(part.strip())} starts and ends on the same "
                    f"day; write {WEEKDAYS[a]!r} alone"
                )
            span = [(a + k) % 7 for k in range((b - a) % 7 + 1)]
        else:
            span = [_day_index(token, spec, where)]
        for day in span:
            if day in days:
                raise ConfigError(f"{where}: {WEEKDAYS[day]!r} is named twice in {show(spec)}")
            days.append(day)
    return days


def _day_index(name: str, spec: str, where: str) -> int:
    index = _DAY_INDEX.get(name)
    if index is None:
        raise ConfigError(
            f"{where}: unknown weekday {show(name)} in {show(spec)}; "
            "use mon, tue, wed, thu, fri, sat, sun (or full names)"
        )
    return index


def parse_week(value: object, where: str = "hours") -> Week:
    """The ``hours`` table (or ``"24/7"``) as hours for Monday .. Sunday."""
    if isinstance(value, str) and value.strip().lower() == "24/7":
        return FULL_WEEK
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"{where}: expected a table of days (e.g. {{'mon-fri': '09:00-17:00'}}) or '24/7', "
            f"got {show(value)}"
        )
    week: list[DayHours | None] = [None] * 7
    named_by: list[str] = [""] * 7
    for key, hours in value.items():
        if not isinstance(key, str):
            raise ConfigError(f"{where}: day names must be strings, got {show(key)}")
        path = f"{where}.{key}" if len(key) <= 40 else f"{where}.{show(key)}"
        days = parse_days(key, path)
        day_hours = parse_day_hours(hours, path)
        for day in days:
            if week[day] is not None:
                raise ConfigError(
                    f"{path}: {WEEKDAYS[day]!r} is already named by {show(named_by[day])}"
                )
            week[day] = day_hours
            named_by[day] = key
    return (
        week[0] or (),
        week[1] or (),
        week[2] or (),
        week[3] or (),
        week[4] or (),
        week[5] or (),
        week[6] or (),
    )


def format_week(week: Week) -> str | dict[str, str | list[str]]:
    """Canonical ``hours``: ``"24/7"``, else consecutive days with equal hours as ranges."""
    if week == FULL_WEEK:
        return "24/7"
    out: dict[str, str | list[str]] = {}
    day = 0
    while day < 7:
        hours = week[day]
        last = day
        while last + 1 < 7 and week[last + 1] == hours:
            last += 1
        if hours:
            key = WEEKDAYS[day] if last == day else f"{WEEKDAYS[day]}-{WEEKDAYS[last]}"
            out[key] = format_day_hours(hours)
        day = last + 1
    return out
