"""Holidays from iCalendar (``.ics``) files, and a calendar's closed dates as ``.ics`` (SPEC §9).

Needs the optional ``icalendar`` package (``pip install 'bizclock[ical]'``), which parses
the file; yearly and other recurrence rules are expanded with ``dateutil.rrule``.

* :func:`holidays_from_ics` reads the events of a holiday feed as dates and ranges in the
  SPEC §3 ``holidays`` syntax;
* :func:`calendar_with_ics` adds them to a calendar;
* :func:`closed_dates_to_ics` writes the dates a calendar closes (holidays and ``closed``
  overrides) for a range of years, as all-day events that Google Calendar, Outlook and
  helpdesks such as Jira Service Management import.

How events become dates:

* an all-day event (``DTSTART;VALUE=DATE``) closes its date, or its dates up to the
  exclusive ``DTEND`` (or for its ``DURATION`` in days);
* a plain yearly rule on a fixed date (``RRULE:FREQ=YEARLY`` with no ``COUNT``, ``UNTIL``
  or exceptions) becomes an every-year date ``"*-MM-DD"`` (a range for a multi-day
  event); it then also holds in years before the event's first year;
* any other rule (``BYDAY``, ``COUNT``, ``UNTIL``, ``EXDATE``, ``RDATE``, moved instances
  with ``RECURRENCE-ID``) is expanded: a rule without an end only within the ``years``
  the caller gives;
* a cancelled event (``STATUS:CANCELLED``) closes nothing;
* an event with a time of day is refused by default, since a holiday closes whole
  dates; ``timed="dates"`` closes every local date it touches, ``timed="skip"`` leaves
  it out.

A file that cannot be read as iCalendar raises :class:`ConfigError` naming the line and,
inside an event, the event (its ``SUMMARY`` and ``UID``).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

try:
    import icalendar
except ModuleNotFoundError as exc:  # pragma: no cover - only without the optional extra
    raise ModuleNotFoundError(
        "bizclock.ical needs the optional 'icalendar' package: pip install 'bizclock[ical]'",
        name=exc.name,
    ) from exc
from dateutil.rrule import rrule, rruleset, rrulestr

from bizclock._errors import ArgumentError, ArgumentTypeError, ConfigError
from bizclock._rules import DateSet
from bizclock._zendesk import closed_runs, years_argument
from bizclock._zone import load_zone

if TYPE_CHECKING:
    from bizclock._calendar import Calendar

__all__ = ["calendar_with_ics", "closed_dates_to_ics", "holidays_from_ics"]

Timed = Literal["error", "dates", "skip"]

#: Occurrences one event may have when no ``years`` bound its expansion.
MAX_OCCURRENCES = 10_000
#: Occurrences one event may have within the ``years`` given.
MAX_OCCURRENCES_IN_YEARS = 100_000
#: The most years one call may expand or export.
MAX_YEARS = 500

_NAME = re.compile(r"[A-Za-z0-9-]+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Properties whose value this module reads: a broken one is an error, a broken other
# property (a malformed LAST-MODIFIED, say) is not bizclock's business.
_USED = frozenset(
    {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "STATUS"}
)
_PLAIN_YEARLY_KEYS = frozenset({"FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "WKST"})


# -- reading the file ------------------------------------------------------------------


def _read(source: object) -> tuple[str, str]:
    """``(text, label)`` of .ics content given as text, bytes, or a path."""
    if isinstance(source, bytes):
        return _decode(source, "ics"), "ics"
    if isinstance(source, os.PathLike) or (
        isinstance(source, str)
        and source.strip()
        and "\n" not in source
        and not source.lstrip().upper().startswith("BEGIN:")
    ):
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the file ({exc.strerror})") from None
        return _decode(data, path.name), path.name
    if isinstance(source, str):
        return source, "ics"
    raise ConfigError(
        f"ics: expected iCalendar text, bytes or a file path, got {type(source).__name__}"
    )


def _decode(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{label}, line {line}: not UTF-8 text") from None


@dataclass
class _Block:
    """Where one VEVENT stands in the file: its BEGIN line and its own property lines."""

    line: int
    props: list[tuple[str, int, str]] = field(default_factory=list)


def _scan(text: str, label: str) -> tuple[list[tuple[int, str]], list[_Block]]:
    """Unfolded content lines with their line numbers, and the VEVENT blocks, in order.

    Only the nesting of BEGIN/END is checked here (``icalendar`` reads an unclosed
    component as nothing at all, silently); everything else is left to the parser.
    """
    lines: list[tuple[int, str]] = []
    for n, raw in enumerate(_LINE_BREAK.split(text), 1):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + raw[1:])
        elif raw.strip():
            lines.append((n, raw))
    stack: list[tuple[str, int]] = []
    blocks: list[_Block] = []
    calendars = 0
    for n, line in lines:
        match = _NAME.match(line)
        name = match[0].upper() if match else ""
        value = line.partition(":")[2].strip().upper()
        if not stack and not calendars and (name, value) != ("BEGIN", "VCALENDAR"):
            raise ConfigError(
                f"{label}, line {n}: not an iCalendar file (expected BEGIN:VCALENDAR, got {line!r})"
            )
        if name == "BEGIN":
            if not stack and value != "VCALENDAR":
                raise ConfigError(f"{label}, line {n}: expected BEGIN:VCALENDAR, got {line!r}")
            stack.append((value, n))
            calendars += value == "VCALENDAR"
            if value == "VEVENT":
                blocks.append(_Block(n))
        elif name == "END":
            if not stack:
                raise ConfigError(f"{label}, line {n}: {line!r} has no matching BEGIN")
            kind, begun = stack.pop()
            if value != kind:
                raise ConfigError(
                    f"{label}, line {n}: {line!r} does not close BEGIN:{kind} of line {begun}"
                )
        elif not stack:
            raise ConfigError(
                f"{label}, line {n}: {line!r} is outside BEGIN:VCALENDAR … END:VCALENDAR"
            )
        elif stack[-1][0] == "VEVENT":
            blocks[-1].props.append((name, n, line))
    if stack:
        kind, begun = stack[-1]
        raise ConfigError(f"{label}, line {begun}: BEGIN:{kind} is never closed")
    if not calendars:
        raise ConfigError(f"{label}: not an iCalendar file (no BEGIN:VCALENDAR)")
    return lines, blocks


def _line_of(message: str, lines: Iterable[tuple[int, str]]) -> int | None:
    """The line whose text a parser message quotes."""
    for n, line in lines:
        if len(line) > 3 and line in message:
            return n
    return None


@dataclass
class _Event:
    """One VEVENT with what is needed to name it in an error."""

    component: Any
    block: _Block | None
    label: str

    def raw(self, prop: str) -> str | None:
        """The text of the line where a property stands, as written."""
        if self.block is None:
            return None
        return next((text for name, _, text in self.block.props if name == prop), None)

    def fail(self, prop: str | None, message: str) -> ConfigError:
        """An error that names the file, the line, and the event."""
        line = self.block.line if self.block else None
        if self.block is not None and prop is not None:
            line = next((n for name, n, _ in self.block.props if name == prop), line)
        where = f"{self.label}, line {line}" if line is not None else self.label
        summary = self.component.get("SUMMARY")
        uid = self.component.get("UID")
        what = f"event {str(summary)!r}" if summary is not None else "event"
        if uid is not None:
            what += f" (UID {uid})"
        return ConfigError(f"{where}: {what}: {f'{prop}: ' if prop else ''}{message}")


def _events(text: str, label: str) -> list[_Event]:
    lines, blocks = _scan(text, label)
    try:
        parsed = icalendar.Calendar.from_ical(text, multiple=True)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        n = _line_of(str(exc), lines)
        raise ConfigError(f"{label}{f', line {n}' if n else ''}: {exc}") from None
    calendars = parsed if isinstance(parsed, list) else [parsed]
    components = [c for cal in calendars for c in cal.walk("VEVENT")]
    paired = len(components) == len(blocks)
    events = [_Event(c, blocks[i] if paired else None, label) for i, c in enumerate(components)]
    for cal in calendars:
        for component in cal.walk():
            for prop, message in component.errors:
                if prop is not None:
                    continue
                n = _line_of(message, lines)
                raise ConfigError(f"{label}{f', line {n}' if n else ''}: {message}")
    for event in events:
        for prop, message in event.component.errors:
            if prop in _USED:
                raise event.fail(prop, message)
    return events


# -- events to dates ---------------------------------------------------------------------


def _values(event: _Event, prop: str) -> list[Any]:
    """The ``.dt`` values of a date-list property (RDATE, EXDATE), over all its lines."""
    raw = event.component.get(prop)
    if raw is None:
        return []
    found = []
    for item in raw if isinstance(raw, list) else [raw]:
        for value in getattr(item, "dts", [item]):
            dt = value.dt
            if isinstance(dt, tuple):
                raise event.fail(prop, "periods are not supported; give dates")
            if not isinstance(dt, date):
                raise event.fail(prop, f"expected dates, got {dt!r}")
            found.append(dt)
    return found


def _one(event: _Event, prop: str) -> Any:
    """A property that may appear once, as icalendar gives it (``None`` if absent)."""
    value = event.component.get(prop)
    if isinstance(value, list):
        raise event.fail(prop, "given more than once")
    return value


def _single(event: _Event, prop: str) -> Any:
    """The ``.dt`` of a date, date-time or duration property that may appear once."""
    value = _one(event, prop)
    if value is None:
        return None
    if not hasattr(value, "dt"):
        raise event.fail(prop, f"cannot read {_ical_text(value)!r}")
    return value.dt


def _is_day(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _as_datetime(value: date, like: datetime) -> datetime:
    """A DATE or DATE-TIME value as a datetime comparable with ``like``."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
        return value.replace(tzinfo=like.tzinfo)
    if like.tzinfo is None:
        return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
    return value if value.tzinfo is not None else value.replace(tzinfo=like.tzinfo)


def _dateutil_rule(event: _Event, recur: Any, start: datetime) -> rrule:
    """An RRULE value as a ``dateutil`` rule starting at ``start`` (UNTIL made comparable)."""
    if not isinstance(recur, icalendar.vRecur):
        raise event.fail("RRULE", f"cannot read {recur!r}")
    rule = icalendar.vRecur(dict(recur))
    until = rule.get("UNTIL")
    if until:
        end = until[0]
        if not isinstance(end, datetime):
            end = datetime.combine(end, time.max if start.tzinfo or start.time() else time())
        end = _as_datetime(end, start)
        rule["UNTIL"] = [end.astimezone(UTC) if end.tzinfo is not None else end]
    text = rule.to_ical().decode()  # type: ignore[no-untyped-call]  # icalendar leaves it untyped
    try:
        parsed = rrulestr(text, dtstart=start)
    except (ValueError, TypeError) as exc:
        raise event.fail("RRULE", f"{text!r}: {exc}") from None
    if not isinstance(parsed, rrule):  # pragma: no cover - one RRULE gives one rule
        raise event.fail("RRULE", f"cannot expand {text!r}")
    return parsed


def _ical_text(value: Any) -> str:
    """A property value as the text it was read from (for messages)."""
    try:
        return bytes(value.to_ical()).decode(errors="replace")
    except Exception:  # a message must not fail on a value it quotes
        return str(value)


def _recurs_for_ever(recur: Any) -> bool:
    return "COUNT" not in recur and "UNTIL" not in recur


def _plain_yearly(
    event: _Event, rules: list[Any], start: date, days: int, *, others: bool
) -> str | None:
    """``"*-MM-DD"`` (or a yearly range) for an every-year all-day event, else ``None``."""
    if others or len(rules) != 1 or not isinstance(rules[0], icalendar.vRecur):
        return None
    rule = rules[0]
    if not set(rule) <= _PLAIN_YEARLY_KEYS or [str(f).upper() for f in rule["FREQ"]] != ["YEARLY"]:
        return None
    if [int(i) for i in rule.get("INTERVAL", [1])] != [1]:
        return None
    if [int(m) for m in rule.get("BYMONTH", [start.month])] != [start.month]:
        return None
    if [int(d) for d in rule.get("BYMONTHDAY", [start.day])] != [start.day]:
        return None
    if days >= 365:
        return None
    # The same month-days in a common year and in a leap year, else leave it to dateutil
    # (a span over the end of February closes different month-days in leap years).
    spans = []
    for year in (2023, 2024):
        try:
            first = date(year, start.month, start.day)
        except ValueError:  # a 29 February start
            if days == 1:
                return "*-02-29"
            return None
        spans.append([(d.month, d.day) for d in (first + timedelta(k) for k in range(days))])
    if spans[0] != spans[1]:
        return None
    (m1, d1), (m2, d2) = spans[0][0], spans[0][-1]
    first_text = f"*-{m1:02d}-{d1:02d}"
    return first_text if days == 1 else f"{first_text}..*-{m2:02d}-{d2:02d}"


def _occurrences(
    event: _Event,
    start: datetime,
    rules: list[Any],
    rdates: list[date],
    years: list[int] | None,
    back: timedelta,
) -> Iterator[datetime]:
    """Occurrence starts of a recurring event, within ``years`` when given."""
    rset = rruleset()
    for recur in rules:
        rset.rrule(_dateutil_rule(event, recur, start))
    rset.rdate(start)
    for value in rdates:
        rset.rdate(_as_datetime(value, start))
    if years is None:
        if any(_recurs_for_ever(r) for r in rules):
            text = "; ".join(_ical_text(r) for r in rules)
            raise event.fail(
                "RRULE",
                f"{text!r} repeats for ever; pass years=range(first, last + 1) to expand it "
                "over those years",
            )
        limit, iterator, stop = MAX_OCCURRENCES, iter(rset), None
    else:
        lo = datetime(years[0], 1, 1, tzinfo=start.tzinfo) - back - timedelta(days=1)
        stop = datetime(years[-1], 12, 31, 23, 59, 59, tzinfo=start.tzinfo) + timedelta(days=1)
        limit, iterator = MAX_OCCURRENCES_IN_YEARS, rset.xafter(lo, inc=True)
    for count, occurrence in enumerate(iterator):
        if stop is not None and occurrence > stop:
            return
        if count >= limit:
            hint = "" if years is not None else "; pass years=range(first, last + 1)"
            raise event.fail("RRULE", f"more than {limit:,} occurrences{hint}")
        yield occurrence


def _event_ranges(
    event: _Event,
    instances: list[_Event],
    years: list[int] | None,
    timed: Timed,
    zone: tzinfo | None,
    patterns: list[str],
) -> list[tuple[int, int]]:
    """The inclusive ordinal ranges an event (with its moved instances) closes."""
    component = event.component
    if str(_one(event, "STATUS") or "").upper() == "CANCELLED":
        return []
    start = _single(event, "DTSTART")
    if start is None:
        raise event.fail(None, "it has no DTSTART")
    if not isinstance(start, date):
        raise event.fail("DTSTART", f"expected a date or a date-time, got {start!r}")
    all_day = _is_day(start)
    if not all_day:
        if timed == "skip":
            return []
        if timed == "error":
            raise event.fail(
                "DTSTART",
                f"{start.isoformat()} has a time of day; holidays are whole dates: pass "
                "timed='dates' to close the dates it touches, or timed='skip' to leave it out",
            )
    end = _single(event, "DTEND")
    duration = _single(event, "DURATION")
    if end is not None and duration is not None:
        raise event.fail("DURATION", "given together with DTEND")
    if end is not None:
        if not isinstance(end, date) or _is_day(end) != all_day:
            kind = "a date" if all_day else "a date-time"
            raise event.fail("DTEND", f"{end!r} is not {kind} like DTSTART")
        length = end - start
    elif duration is not None:
        if not isinstance(duration, timedelta):
            raise event.fail("DURATION", f"expected a duration, got {duration!r}")
        length = duration
    else:
        length = timedelta(days=1) if all_day else timedelta(0)
    if length < timedelta(0):
        raise event.fail("DTEND" if end is not None else "DURATION", "it ends before it starts")
    if all_day and length % timedelta(days=1):
        raise event.fail("DURATION", f"{length} is not a whole number of days")
    # RFC 5545 wants a later DTEND; a zero-length all-day event is read as its one date.
    days = max(length.days, 1) if all_day else 0

    raw_rules = component.get("RRULE")
    rules = [] if raw_rules is None else raw_rules if isinstance(raw_rules, list) else [raw_rules]
    for recur in rules:
        if not isinstance(recur, icalendar.vRecur) or "FREQ" not in recur:
            written = event.raw("RRULE") or _ical_text(recur)
            raise event.fail("RRULE", f"{written!r} has no FREQ")
    rdates = _values(event, "RDATE")
    exdates = _values(event, "EXDATE")
    moved = []
    for instance in instances:
        recurrence_id = _one(instance, "RECURRENCE-ID")
        if str(recurrence_id.params.get("RANGE", "")).upper() == "THISANDFUTURE":
            raise instance.fail("RECURRENCE-ID", "RANGE=THISANDFUTURE is not supported")
        moved_start = _single(instance, "RECURRENCE-ID")
        if not isinstance(moved_start, date):
            raise instance.fail(
                "RECURRENCE-ID", f"expected a date or a date-time, got {moved_start!r}"
            )
        moved.append(moved_start)

    if all_day and rules:
        pattern = _plain_yearly(event, rules, start, days, others=bool(rdates or exdates or moved))
        if pattern is not None:
            patterns.append(pattern)
            return []

    first = start if isinstance(start, datetime) else datetime.combine(start, time())
    recurring = bool(rules or rdates)
    if recurring:
        occurrences = list(
            _occurrences(event, first, rules, rdates, years, length + timedelta(days=days))
        )
    else:
        occurrences = [first]
    removed = exdates + moved
    removed_days = {v.date() if isinstance(v, datetime) else v for v in removed if all_day}
    removed_days |= {v for v in removed if _is_day(v)}
    removed_times = {_as_datetime(v, first) for v in removed if isinstance(v, datetime)}
    wanted = set(years) if years is not None and recurring else None

    ranges = []
    for occurrence in occurrences:
        if occurrence.date() in removed_days or (not all_day and occurrence in removed_times):
            continue
        if all_day:
            a = occurrence.toordinal()
            b = a + days - 1
        else:
            begin, finish = occurrence, occurrence + length
            if zone is not None and begin.tzinfo is not None:
                begin, finish = begin.astimezone(zone), finish.astimezone(zone)
            a = begin.toordinal()
            b = (finish - timedelta(microseconds=1)).toordinal() if finish > begin else a
        if wanted is not None:
            a = max(a, date(min(wanted), 1, 1).toordinal())
            b = min(b, date(max(wanted), 12, 31).toordinal())
            ranges += _split_by_years(a, b, wanted)
        elif a <= b:
            ranges.append((a, b))
    return ranges


def _split_by_years(a: int, b: int, wanted: set[int]) -> list[tuple[int, int]]:
    """The parts of ``[a, b]`` that fall in the wanted years."""
    parts = []
    while a <= b:
        year = date.fromordinal(a).year
        year_end = min(b, date(year, 12, 31).toordinal())
        if year in wanted:
            parts.append((a, year_end))
        a = year_end + 1
    return parts


def _check_timed(timed: object) -> Timed:
    if timed == "error" or timed == "dates" or timed == "skip":
        return timed
    raise ArgumentError(f"timed: expected 'error', 'dates' or 'skip', got {timed!r}")


def holidays_from_ics(
    source: str | bytes | os.PathLike[str],
    *,
    years: Iterable[int] | None = None,
    timed: Timed = "error",
    timezone: str | None = None,
) -> list[str]:
    """The dates an iCalendar file's events close, in the SPEC §3 ``holidays`` syntax.

    ``source`` is .ics text, bytes, or the path of a file.  The answer is canonical
    (sorted, adjacent dates merged into ``"A..B"`` ranges, every-year dates as
    ``"*-MM-DD"``) and can be given as ``holidays=`` to a calendar.

    ``years`` (e.g. ``range(2026, 2031)``) bounds the expansion of recurring events: a
    rule without ``COUNT`` or ``UNTIL`` needs it, unless it is a plain yearly rule on a
    fixed date, which becomes ``"*-MM-DD"``.  Events that do not recur are taken as they
    are.  ``timed`` says what to do with events that have a time of day: ``"error"``
    (the default), ``"dates"`` (close every date they touch, in ``timezone`` if given,
    else in the event's own zone) or ``"skip"``.
    """
    mode = _check_timed(timed)
    year_list = years_argument(years) if years is not None else None
    zone = load_zone(timezone, "timezone") if timezone is not None else None
    text, label = _read(source)
    events = _events(text, label)
    masters: list[_Event] = []
    instances: dict[str, list[_Event]] = {}
    for event in events:
        uid = _one(event, "UID")
        if event.component.get("RECURRENCE-ID") is not None and uid is not None:
            instances.setdefault(str(uid), []).append(event)
        else:
            masters.append(event)
    patterns: list[str] = []
    ranges: list[tuple[int, int]] = []
    for event in masters:
        uid = event.component.get("UID")
        moved = instances.pop(str(uid), []) if uid is not None else []
        ranges += _event_ranges(event, moved, year_list, mode, zone, patterns)
        for instance in moved:
            ranges += _event_ranges(instance, [], year_list, mode, zone, patterns)
    for orphans in instances.values():  # moved instances whose series is not in the file
        for instance in orphans:
            ranges += _event_ranges(instance, [], year_list, mode, zone, patterns)
    holidays = DateSet.parse(patterns, "ics")
    return DateSet.build([*holidays.ranges, *ranges], holidays.yearly).to_list()


def calendar_with_ics(
    cal: Calendar,
    source: str | bytes | os.PathLike[str],
    *,
    years: Iterable[int] | None = None,
    timed: Timed = "error",
) -> Calendar:
    """``cal`` with the dates of an iCalendar file added to its holidays.

    Timed events (with ``timed="dates"``) are read in the calendar's zone.  See
    :func:`holidays_from_ics` for ``years`` and ``timed``.
    """
    from bizclock._calendar import Calendar

    if not isinstance(cal, Calendar):
        raise ArgumentTypeError(f"cal: expected a Calendar, got {type(cal).__name__}")
    extra = holidays_from_ics(source, years=years, timed=timed, timezone=cal.timezone)
    config = cal.to_dict()
    config["holidays"] = [*config.get("holidays", []), *extra]
    return Calendar.from_dict(config)


def closed_dates_to_ics(
    cal: Calendar,
    first_year: int,
    last_year: int,
    *,
    name: str = "Closed dates",
    stamp: datetime | None = None,
) -> str:
    """The dates ``cal`` closes in ``first_year`` .. ``last_year`` as an iCalendar file.

    A date is written when a holiday (explicit, every-year or a country's) or a
    ``closed`` override closes it, and no override gives it hours; weekly closed days
    (weekends) are not.  Consecutive dates of one holiday become one all-day event with
    an exclusive ``DTEND``, named after the country holiday where there is one, else
    ``"Holiday"`` or ``"Closed"``.  UIDs are derived from the dates and names, so a
    re-import updates instead of duplicating.  ``stamp`` (an aware datetime) is written
    as ``DTSTAMP``; bizclock never reads the clock, so by default it is the start of
    ``first_year`` in UTC.  Lines end with CRLF, as RFC 5545 requires.
    """
    from bizclock._calendar import Calendar

    if not isinstance(cal, Calendar):
        raise ArgumentTypeError(f"cal: expected a Calendar, got {type(cal).__name__}")
    for label, year in (("first_year", first_year), ("last_year", last_year)):
        if isinstance(year, bool) or not isinstance(year, int):
            raise ArgumentTypeError(f"{label}: expected a year, got {year!r}")
        if not 1 <= year <= 9999:
            raise ArgumentError(f"{label}: year {year} is outside 1-9999")
    if last_year < first_year:
        raise ArgumentError(f"last_year ({last_year}) is before first_year ({first_year})")
    if last_year - first_year >= MAX_YEARS:
        raise ArgumentError(f"more than {MAX_YEARS} years ({first_year}-{last_year})")
    if not isinstance(name, str) or not name.strip():
        raise ArgumentError(f"name: expected a calendar name, got {name!r}")
    if stamp is None:
        stamp = datetime(first_year, 1, 1, tzinfo=UTC)
    elif not isinstance(stamp, datetime) or stamp.utcoffset() is None:
        raise ArgumentTypeError(f"stamp: expected an aware datetime, got {stamp!r}")
    clip = (date(first_year, 1, 1).toordinal(), date(last_year, 12, 31).toordinal())
    runs = closed_runs(cal._parsed.rules, range(first_year, last_year + 1), clip)

    out = icalendar.Calendar()
    out.add("prodid", "-//bizclock//closed dates//EN")
    out.add("version", "2.0")
    out.add("calscale", "GREGORIAN")
    out.add("method", "PUBLISH")
    out.add("x-wr-calname", name)
    out.add("x-wr-timezone", cal.timezone)
    for a, b, summary in runs:
        first, last = date.fromordinal(a), date.fromordinal(b)
        digest = hashlib.sha256(summary.encode()).hexdigest()[:10]
        event = icalendar.Event()
        event.add("uid", f"{first:%Y%m%d}-{last:%Y%m%d}-{digest}@bizclock")
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("dtstart", first)
        if last < date.max:
            event.add("dtend", last + timedelta(days=1))
        else:  # no date after 9999-12-31 to end on
            event.add("duration", timedelta(days=b - a + 1))
        event.add("summary", summary)
        event.add("transp", "TRANSPARENT")
        out.add_component(event)
    text: str = out.to_ical().decode()
    return text
