"""The ``bizclock`` command (SPEC §6): argparse in, text or JSON out, nothing else.

Every answer comes from :class:`bizclock.Calendar`; this module only reads the command
line, finds the calendar, parses instants and durations, and formats the results.

Errors the user can cause (a bad date, a bad duration, an unreadable or invalid calendar
file) are printed as one line on stderr and end the command with exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, NoReturn, TextIO

from bizclock import __version__
from bizclock._calendar import Calendar
from bizclock._errors import BizclockError, NeverClosesError, NeverOpenError
from bizclock.sla import BusinessDays, business_days_target, format_duration, parse_duration

__all__ = ["DEFAULT_CALENDAR", "ENV_VAR", "main"]

#: The calendar used when none is given: Monday to Friday, 09:00–17:00, in UTC.
DEFAULT_CALENDAR: Mapping[str, Any] = {"timezone": "UTC", "hours": {"mon-fri": "09:00-17:00"}}
#: The environment variable that names a calendar file when ``--calendar`` is not given.
ENV_VAR = "BIZCLOCK_CALENDAR"

_WEEKDAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_SLOT = 30  # minutes per cell of the `show` grid: 48 cells a day fit an 80-column terminal
_INSTANT_HINT = "expected ISO 8601 such as '2026-11-20T16:00+01:00', or local '2026-11-20T16:00'"


class CliError(Exception):
    """A problem with the user's input: printed as one line, exit status 2."""


# -- argument parsing --------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose usage errors become one-line :class:`CliError`s."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see '{self.prog} --help')")


def _common_options(*, suppress: bool) -> _Parser:
    """Options accepted before and after the command name.

    The copy attached to each command uses ``SUPPRESS`` defaults, so that an option given
    before the command is not reset by the command's own (absent) copy of it.
    """
    parent = _Parser(add_help=False)

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    group = parent.add_argument_group("calendar (default: $BIZCLOCK_CALENDAR, else built-in)")
    group.add_argument(
        "--calendar",
        metavar="FILE",
        default=default(None),
        help="calendar file, TOML or JSON (the schema of docs/configuration.md)",
    )
    group.add_argument(
        "--timezone",
        metavar="ZONE",
        default=default(None),
        help="IANA time zone of the opening hours, e.g. Europe/Berlin (replaces the file's)",
    )
    group.add_argument(
        "--hours",
        metavar="SPEC",
        action="append",
        default=default(None),
        help="opening hours, e.g. 'mon-fri=09:00-12:00,13:00-17:00' or '24/7'; repeat or "
        "separate days with ';' (replaces the file's)",
    )
    group.add_argument(
        "--holidays",
        metavar="DATES",
        action="append",
        default=default(None),
        help="closed dates, comma-separated: 2026-12-24, *-12-25, 2026-12-28..2026-12-31 "
        "(added to the file's)",
    )
    group.add_argument(
        "--country",
        metavar="CODE",
        action="append",
        default=default(None),
        help="public holidays of a country or region, e.g. DE-BY (added to the file's)",
    )
    parent.add_argument(
        "--json",
        action="store_true",
        default=default(value=False),
        help="print the answer as JSON",
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    """The ``bizclock`` argument parser."""
    parser = _Parser(
        prog="bizclock",
        description="Business-time arithmetic on a calendar of opening hours: deadlines, "
        "elapsed business time, open or closed.",
        epilog="Instants are ISO 8601 with an offset (2026-11-20T16:00+01:00, ...Z), or local "
        "wall times read in the calendar's zone (2026-11-20T16:00), or 'now'. Durations: "
        "30m, 4h, 1h30m, PT4H; 'add' also takes business days (3bd).",
        parents=[_common_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"bizclock {__version__}")
    common = _common_options(suppress=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    add = commands.add_parser(
        "add",
        parents=[common],
        help="the deadline: START plus DURATION of business time",
        description="The earliest instant at which DURATION of business time has passed "
        "since START. '3bd' means: by the close of the third business day after START's date.",
    )
    add.add_argument("start", metavar="START", help="start instant")
    add.add_argument("duration", metavar="DURATION", help="e.g. 4h, 1h30m, PT4H, 3bd")
    add.add_argument(
        "--boundary",
        choices=("exact", "next_open"),
        default="exact",
        help="'next_open' moves a deadline that falls on a closing instant to the next opening",
    )
    add.set_defaults(handler=_cmd_add)

    sub = commands.add_parser(
        "subtract",
        parents=[common],
        help="the latest instant DURATION of business time before START",
        description="The latest instant from which DURATION of business time runs until START.",
    )
    sub.add_argument("start", metavar="START", help="end instant to count back from")
    sub.add_argument("duration", metavar="DURATION", help="e.g. 4h, 1h30m, PT4H")
    sub.add_argument(
        "--boundary",
        choices=("exact", "prev_close"),
        default="exact",
        help="'prev_close' moves a result that falls on an opening instant to the previous close",
    )
    sub.set_defaults(handler=_cmd_subtract)

    elapsed = commands.add_parser(
        "elapsed",
        parents=[common],
        help="business time between START and END",
        description="Business time in [START, END); negative if END is before START.",
    )
    elapsed.add_argument("start", metavar="START", help="start instant")
    elapsed.add_argument("end", metavar="END", help="end instant")
    elapsed.set_defaults(handler=_cmd_elapsed)

    is_open = commands.add_parser(
        "open",
        parents=[common],
        help="open or closed at AT (default: now), and the next opening and closing",
        description="Whether the calendar is open at AT (default: the current time), when the "
        "open run ends, and when the next one starts.",
    )
    is_open.add_argument("at", metavar="AT", nargs="?", default="now", help="instant; default now")
    is_open.set_defaults(handler=_cmd_open)

    show = commands.add_parser(
        "show",
        parents=[common],
        help="draw a week as a grid of open hours, holidays and overrides",
        description="Draw the week (Monday to Sunday) holding DATE, default today, in the "
        "calendar's time zone: one row per day, one cell per half hour.",
    )
    show.add_argument(
        "--week", metavar="DATE", default=None, help="any date of the week, e.g. 2026-12-21"
    )
    show.set_defaults(handler=_cmd_show)

    check = commands.add_parser(
        "check",
        parents=[common],
        help="validate a calendar file and summarise it",
        description="Validate a calendar file (default: the calendar the options select) and "
        "print its canonical settings.",
    )
    check.add_argument("file", metavar="FILE", nargs="?", default=None, help="TOML or JSON")
    check.add_argument(
        "--year",
        type=_year,
        default=None,
        help="also count the business days and business time of this year",
    )
    check.set_defaults(handler=_cmd_check)
    return parser


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a year such as 2026, got {text!r}") from None
    if not 1 <= year <= 9998:
        raise argparse.ArgumentTypeError(f"year {year} is outside 1-9998")
    return year


# -- the calendar ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Loaded:
    """The calendar a command runs on, and where it came from."""

    calendar: Calendar
    source: str  # "default", "file", "env" or "options"
    origin: str  # how the output names it: "built-in default", a path, ...

    @property
    def name(self) -> str:
        """A one-line description: origin, hours, zone and date rules."""
        return f"{self.origin} ({describe(self.calendar)})"

    def as_json(self) -> dict[str, Any]:
        """The calendar as it appears in ``--json`` output."""
        return {
            "name": self.name,
            "source": self.source,
            "timezone": self.calendar.timezone,
            "config": self.calendar.to_dict(),
        }


def describe(cal: Calendar) -> str:
    """The calendar in a few words: ``mon-fri 09:00-17:00, UTC, holidays, 2 overrides``."""
    config = cal.to_dict()
    parts = [_hours_text(config["hours"]), cal.timezone]
    if config.get("holidays"):
        parts.append("holidays")  # no count: the canonical form merges adjacent dates
    for source in config.get("country_holidays", []):
        if isinstance(source, str):
            parts.append(f"{source} holidays")
        else:
            code = source["country"] + (f"-{source['subdiv']}" if "subdiv" in source else "")
            parts.append(f"{code} holidays")
    if config.get("seasons"):
        parts.append(_count(len(config["seasons"]), "season"))
    if config.get("overrides"):
        parts.append(_count(len(config["overrides"]), "override"))
    return ", ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _hours_text(hours: Any) -> str:
    if isinstance(hours, str):
        return hours
    return "; ".join(
        f"{days} {value if isinstance(value, str) else ','.join(value)}"
        for days, value in hours.items()
    )


def _read_config(path: str) -> dict[str, Any]:
    """A calendar file as a mapping: TOML or JSON by extension, else by its first character."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{path}: cannot read the calendar file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise CliError(f"{path}: not a text file (expected UTF-8 TOML or JSON)") from None
    suffix = Path(path).suffix.lower()
    is_json = suffix == ".json" or (suffix != ".toml" and text.lstrip().startswith("{"))
    if is_json:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CliError(
                f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        if not isinstance(data, dict):
            raise CliError(f"{path}: expected a JSON object of calendar settings")
        return data
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CliError(f"{path}: invalid TOML: {exc}") from None


def _hours_option(specs: Sequence[str]) -> Any:
    """``--hours`` values as the ``hours`` setting: ``"24/7"`` or ``{days: [intervals]}``."""
    items = [item.strip() for spec in specs for item in spec.split(";") if item.strip()]
    if items == ["24/7"]:
        return "24/7"
    hours: dict[str, list[str]] = {}
    for item in items:
        days, sep, intervals = item.partition("=")
        if not sep or not days.strip() or not intervals.strip():
            raise CliError(
                f"--hours: expected DAYS=HH:MM-HH:MM[,HH:MM-HH:MM] such as "
                f"'mon-fri=09:00-17:00', or '24/7'; got {item!r}"
            )
        key = days.strip()
        if key in hours:
            raise CliError(f"--hours: {key!r} is given twice")
        hours[key] = [part.strip() for part in intervals.split(",")]
    if not hours:
        raise CliError("--hours: no hours given; e.g. 'mon-fri=09:00-17:00' or '24/7'")
    return hours


def _split(values: Sequence[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def load_calendar(args: argparse.Namespace, environ: Mapping[str, str]) -> Loaded:
    """The calendar selected by ``--calendar``, the options, the environment or the default.

    ``--timezone`` and ``--hours`` replace the base calendar's settings; ``--holidays`` and
    ``--country`` add to its holidays.
    """
    path: str | None = args.calendar
    file: str | None = getattr(args, "file", None)  # `check FILE`
    if file is not None:
        if path is not None and path != file:
            raise CliError(f"check: give the file once, not both {file!r} and --calendar {path!r}")
        path = file
    env_path = environ.get(ENV_VAR, "").strip()
    config: dict[str, Any]
    if path is not None:
        config, source, origin = _read_config(path), "file", path
    elif env_path:
        config, source, origin = _read_config(env_path), "env", f"{env_path} (${ENV_VAR})"
    else:
        config, source, origin = dict(DEFAULT_CALENDAR), "default", "built-in default"
    changed = False
    if args.timezone is not None:
        config["timezone"] = args.timezone
        changed = True
    if args.hours is not None:
        config["hours"] = _hours_option(args.hours)
        changed = True
    for key, values in (("holidays", args.holidays), ("country_holidays", args.country)):
        if values is not None:
            existing = config.get(key, [])
            # A malformed value in the file is left alone, for the validator to report.
            config[key] = [*existing, *_split(values)] if isinstance(existing, list) else existing
            changed = True
    if changed:
        source = "options"
        origin = (
            "command-line options"
            if origin == "built-in default"
            else f"{origin} with command-line options"
        )
    where = "" if source == "default" else f"{origin}: "
    try:
        calendar = Calendar.from_dict(config)
    except BizclockError as exc:
        raise CliError(f"{where}{exc}") from None
    return Loaded(calendar, source, origin)


# -- instants and durations ----------------------------------------------------------------


def parse_instant(text: str, cal: Calendar, now: Callable[[], datetime]) -> datetime:
    """An ISO 8601 instant; without an offset it is wall time in the calendar's zone.

    ``"now"`` is the current time (read through ``now``, only when asked for).
    """
    value = text.strip()
    if value.lower() == "now":
        return now().astimezone(cal.zone)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CliError(f"bad instant {text!r}: {_INSTANT_HINT}") from None
    if parsed.tzinfo is None:
        return cal.localize(parsed)
    return parsed


def parse_day(text: str) -> date:
    """A ``YYYY-MM-DD`` date."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CliError(f"bad date {text!r}: expected YYYY-MM-DD such as '2026-12-21'") from None


def real_span(a: datetime, b: datetime) -> timedelta:
    """``b - a`` as a stopwatch measures it.

    Python subtracts two datetimes that share a tzinfo as wall times, which is an hour off
    across a DST change; converting to UTC first gives the real elapsed time.
    """
    return b.astimezone(UTC) - a.astimezone(UTC)


def _now() -> datetime:
    # The only clock read in bizclock: `open` without AT and `show` without --week need it.
    return datetime.now(UTC)


def iso(t: datetime) -> str:
    """ISO 8601 with seconds, and microseconds only when there are some."""
    return t.isoformat(timespec="microseconds" if t.microsecond else "seconds")


def _when(t: datetime) -> str:
    return f"{iso(t)} ({_WEEKDAY[t.weekday()]})"


def _micros(d: timedelta) -> int:
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


def human_duration(d: timedelta) -> str:
    """A duration as ``1h30m`` (``-1h30m`` when negative, ``0s`` when zero)."""
    if d < timedelta(0):
        return "-" + format_duration(-d)
    return format_duration(d)


def iso_duration(d: timedelta) -> str:
    """A duration in ISO 8601 time units: ``PT1H30M``, ``-PT0.5S``, ``PT0S``."""
    sign = "-" if d < timedelta(0) else ""
    micros = abs(_micros(d))
    hours, micros = divmod(micros, 3_600_000_000)
    minutes, micros = divmod(micros, 60_000_000)
    seconds, micros = divmod(micros, 1_000_000)
    text = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if seconds or micros or not text:
        text += f"{seconds}.{micros:06d}".rstrip("0").rstrip(".") + "S"
    return f"{sign}PT{text}"


def _duration_json(d: timedelta) -> dict[str, Any]:
    return {"text": human_duration(d), "iso": iso_duration(d), "microseconds": _micros(d)}


# -- output ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Output:
    """Where and how a command writes."""

    stream: TextIO
    as_json: bool
    color: bool

    def fields(self, rows: Sequence[tuple[str, str]]) -> None:
        """``label: value`` lines, values aligned."""
        width = max(len(label) for label, _ in rows) + 2
        for label, value in rows:
            self.stream.write(f"{label + ':' if label else '':<{width}}{value}\n")

    def json(self, data: Mapping[str, Any]) -> None:
        """One JSON document."""
        self.stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    def paint(self, text: str, code: str) -> str:
        """``text`` in an ANSI colour when colour is on."""
        return f"\x1b[{code}m{text}\x1b[0m" if self.color and code else text


def _color_wanted(stream: TextIO, environ: Mapping[str, str]) -> bool:
    # https://no-color.org: any non-empty NO_COLOR turns colour off.
    if environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


# -- commands --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Context:
    """What every command gets: its arguments, calendar, output, and a way to read the clock."""

    args: argparse.Namespace
    loaded: Loaded
    out: Output
    now: Callable[[], datetime]

    @property
    def cal(self) -> Calendar:
        """The calendar."""
        return self.loaded.calendar

    def instant(self, text: str) -> datetime:
        """Parse an instant on the command line."""
        return parse_instant(text, self.cal, self.now)


def _cmd_add(ctx: Context) -> None:
    start = ctx.instant(ctx.args.start)
    duration = parse_duration(ctx.args.duration)
    if isinstance(duration, BusinessDays):
        amount = business_days_target(ctx.cal, start, duration.days)
    else:
        amount = duration
    due = ctx.cal.add(start, amount, boundary=ctx.args.boundary)
    _report_shift(ctx, start, duration, amount, due, "due")


def _cmd_subtract(ctx: Context) -> None:
    start = ctx.instant(ctx.args.start)
    duration = parse_duration(ctx.args.duration)
    if isinstance(duration, BusinessDays):
        raise CliError(
            f"bad duration {ctx.args.duration!r}: business days work with 'add' only; "
            "give hours or minutes to subtract"
        )
    result = ctx.cal.subtract(start, duration, boundary=ctx.args.boundary)
    _report_shift(ctx, start, duration, duration, result, "result")


def _report_shift(
    ctx: Context,
    start: datetime,
    duration: timedelta | BusinessDays,
    amount: timedelta,
    result: datetime,
    label: str,
) -> None:
    if ctx.out.as_json:
        ctx.out.json(
            {
                "command": ctx.args.command,
                "start": iso(start),
                "duration": format_duration(duration),
                "business_time": _duration_json(amount),
                "boundary": ctx.args.boundary,
                label: iso(result),
                "calendar": ctx.loaded.as_json(),
            }
        )
        return
    amount_text = f"{format_duration(duration)} of business time"
    if isinstance(duration, BusinessDays):
        amount_text = f"{duration} = {human_duration(amount)} of business time"
    verb = "add" if ctx.args.command == "add" else "subtract"
    ctx.out.fields(
        [
            ("start", _when(start)),
            (verb, amount_text),
            (label, _when(result)),
            ("calendar", ctx.loaded.name),
        ]
    )


def _cmd_elapsed(ctx: Context) -> None:
    start = ctx.instant(ctx.args.start)
    end = ctx.instant(ctx.args.end)
    business = ctx.cal.elapsed(start, end)
    wall = real_span(start, end)
    if ctx.out.as_json:
        ctx.out.json(
            {
                "command": "elapsed",
                "start": iso(start),
                "end": iso(end),
                "elapsed": _duration_json(business),
                "wall_clock": _duration_json(wall),
                "calendar": ctx.loaded.as_json(),
            }
        )
        return
    ctx.out.fields(
        [
            ("from", _when(start)),
            ("to", _when(end)),
            ("elapsed", f"{human_duration(business)} of business time"),
            ("wall clock", human_duration(wall)),
            ("calendar", ctx.loaded.name),
        ]
    )


def _maybe(call: Callable[[], datetime]) -> datetime | None:
    """A next opening or closing, or None where the calendar never opens or never closes."""
    try:
        return call()
    except (NeverOpenError, NeverClosesError):
        return None


def _cmd_open(ctx: Context) -> None:
    cal = ctx.cal
    at = ctx.instant(ctx.args.at)
    is_open = cal.is_open(at)
    opens = _maybe(lambda: cal.next_open(at))
    closes = _maybe(lambda: cal.next_close(at))
    reopens = None if closes is None or not is_open else _maybe(lambda: cal.next_open(closes))
    if ctx.out.as_json:
        ctx.out.json(
            {
                "command": "open",
                "at": iso(at),
                "open": is_open,
                "next_open": None if opens is None else iso(opens),
                "next_close": None if closes is None else iso(closes),
                "reopens": None if reopens is None else iso(reopens),
                "calendar": ctx.loaded.as_json(),
            }
        )
        return
    never_closes = "not within 10 years (open round the clock)"
    rows = [("at", _when(at))]
    if is_open:
        rows.append(("open", ctx.out.paint("yes", "32")))
        rows.append(("closes", never_closes if closes is None else _when(closes)))
        if closes is not None:
            rows.append(("reopens", "never" if reopens is None else _when(reopens)))
    else:
        rows.append(("open", ctx.out.paint("no", "31")))
        rows.append(("opens", "not within 10 years" if opens is None else _when(opens)))
        if opens is not None:
            rows.append(("then closes", never_closes if closes is None else _when(closes)))
    rows.append(("calendar", ctx.loaded.name))
    ctx.out.fields(rows)


@dataclass(frozen=True, slots=True)
class DayRow:
    """One day of the ``show`` grid."""

    day: date
    cells: str  # one character per slot: '#' open, '+' partly open, '.' closed, ' ' no such time
    business: timedelta
    runs: list[tuple[datetime, datetime]]
    holiday: bool
    override: bool
    day_length: timedelta


def _day_row(cal: Calendar, day: date) -> DayRow:
    midnight = datetime.combine(day, time())
    start = cal.localize(midnight)
    end = cal.localize(midnight + timedelta(days=1))
    slots = 24 * 60 // _SLOT
    cells = []
    for k in range(slots):
        wall = midnight + timedelta(minutes=_SLOT * k)
        lo = cal.localize(wall)
        hi = cal.localize(wall + timedelta(minutes=_SLOT))
        if lo.replace(tzinfo=None) != wall or hi <= lo:
            cells.append(" ")  # the wall time does not exist: the clocks skip it
            continue
        business = cal.elapsed(lo, hi)
        cells.append("." if not business else "#" if business == real_span(lo, hi) else "+")
    override, holiday = _day_marks(cal, day)
    return DayRow(
        day=day,
        cells="".join(cells),
        business=cal.elapsed(start, end),
        runs=cal.open_intervals(start, end),
        holiday=holiday,
        override=override,
        day_length=real_span(start, end),
    )


def _day_marks(cal: Calendar, day: date) -> tuple[bool, bool]:
    """``(has an override, is a holiday)`` for a local date."""
    rule = cal.day_rule(day)
    return rule == "override", rule == "holiday"


def _cmd_show(ctx: Context) -> None:
    cal = ctx.cal
    anchor = parse_day(ctx.args.week) if ctx.args.week else ctx.now().astimezone(cal.zone).date()
    monday = anchor - timedelta(days=anchor.weekday())
    if monday.toordinal() + 8 > date.max.toordinal():  # the week's last midnight must exist
        raise CliError(f"--week {anchor.isoformat()}: the week runs past the year 9999")
    rows = [_day_row(cal, monday + timedelta(days=k)) for k in range(7)]
    total = sum((row.business for row in rows), timedelta())
    if ctx.out.as_json:
        ctx.out.json(
            {
                "command": "show",
                "week": monday.isoformat(),
                "timezone": cal.timezone,
                "slot_minutes": _SLOT,
                "days": [
                    {
                        "date": row.day.isoformat(),
                        "weekday": _WEEKDAY[row.day.weekday()],
                        "cells": row.cells,
                        "business_time": _duration_json(row.business),
                        "open": [[iso(a), iso(b)] for a, b in row.runs],
                        "holiday": row.holiday,
                        "override": row.override,
                        "day_length": _duration_json(row.day_length),
                    }
                    for row in rows
                ],
                "business_time": _duration_json(total),
                "calendar": ctx.loaded.as_json(),
            }
        )
        return
    out = ctx.out
    sunday = monday + timedelta(days=6)
    write = out.stream.write
    write(f"week {monday.isoformat()} .. {sunday.isoformat()} in {cal.timezone}\n")
    label_width = len("Mon 2026-12-21 ")
    header = "".join(f"{h:02d}  " for h in range(0, 24, 2)).rstrip()
    write(" " * label_width + header + "\n")
    for row in rows:
        cells = "".join(
            out.paint(c, "42;30") if c == "#" else out.paint(c, "43;30") if c == "+" else c
            for c in row.cells
        )
        notes = [human_duration(row.business) if row.business else "closed"]
        if row.holiday:
            notes.append(out.paint("holiday", "1;31"))
        if row.override:
            notes.append(out.paint("special hours", "1;33"))
        if row.day_length != timedelta(days=1):
            notes.append(f"clocks change: {human_duration(row.day_length)} day")
        label = f"{_WEEKDAY[row.day.weekday()]} {row.day.isoformat()} "
        write(f"{label}{cells}  {', '.join(notes)}\n")
    write(f"{'':{label_width}}# open  + partly open  . closed  (blank: skipped by DST)\n")
    write(f"total: {human_duration(total)} of business time\n")
    write(f"calendar: {ctx.loaded.name}\n")


def _cmd_check(ctx: Context) -> None:
    cal = ctx.cal
    config = cal.to_dict()
    stats = _year_stats(cal, ctx.args.year) if ctx.args.year is not None else None
    if ctx.out.as_json:
        data: dict[str, Any] = {"command": "check", "valid": True, "calendar": ctx.loaded.as_json()}
        if stats is not None:
            data["year"] = {
                "year": ctx.args.year,
                "business_days": stats[0],
                "business_time": _duration_json(stats[1]),
            }
        ctx.out.json(data)
        return
    rows = [("calendar", f"{ctx.loaded.origin}: {ctx.out.paint('valid', '32')}")]
    rows.append(("timezone", cal.timezone))
    rows.extend(_hours_rows("hours", config["hours"]))
    if config.get("holidays"):
        rows.append(("holidays", ", ".join(config["holidays"])))
    for source in config.get("country_holidays", []):
        rows.append(("country", source if isinstance(source, str) else json.dumps(source)))
    for i, season in enumerate(config.get("seasons", [])):
        span = f"{season.get('from', '...')}..{season.get('to', '...')}"
        hours = season["hours"]
        rows.append((f"season {i + 1}", f"{span}: {_hours_text(hours) if hours else 'closed'}"))
    for when, hours in config.get("overrides", {}).items():
        rows.append(("override", f"{when}: {hours if isinstance(hours, str) else ','.join(hours)}"))
    if stats is not None:
        rows.append(
            (
                str(ctx.args.year),
                f"{stats[0]} business days, {human_duration(stats[1])} of business time",
            )
        )
    ctx.out.fields(rows)


def _hours_rows(label: str, hours: Any) -> list[tuple[str, str]]:
    if isinstance(hours, str):
        return [(label, hours)]
    return [
        (label if i == 0 else "", f"{days} {value if isinstance(value, str) else ','.join(value)}")
        for i, (days, value) in enumerate(hours.items())
    ]


def _year_stats(cal: Calendar, year: int) -> tuple[int, timedelta]:
    first, stop = date(year, 1, 1), date(year + 1, 1, 1)
    days = sum(cal.is_business_day(first + timedelta(days=k)) for k in range((stop - first).days))
    start = cal.localize(datetime.combine(first, time()))
    end = cal.localize(datetime.combine(stop, time()))
    return days, cal.elapsed(start, end)


# -- entry point -----------------------------------------------------------------------------


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn the errors a user can cause into :class:`CliError`."""
    try:
        yield
    except (CliError, BrokenPipeError):
        raise
    except (BizclockError, ValueError, OverflowError) as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        raise CliError(f"{where}{exc.strerror or exc}") from None


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
    now: Callable[[], datetime] = _now,
) -> int:
    """Run ``bizclock`` with ``argv`` (default: the process's arguments); the exit status.

    ``stdout``, ``stderr``, ``environ`` and ``now`` default to the process's own; tests and
    doc examples pass their own.
    """
    out_stream = sys.stdout if stdout is None else stdout
    err_stream = sys.stderr if stderr is None else stderr
    env: Mapping[str, str] = os.environ if environ is None else environ
    try:
        with _user_errors():
            args = build_parser().parse_args(argv)
            loaded = load_calendar(args, env)
            out = Output(out_stream, bool(args.json), _color_wanted(out_stream, env))
            args.handler(Context(args, loaded, out, now))
            out_stream.flush()
    except CliError as exc:
        message = " ".join(str(exc).split())  # one line, whatever the message held
        err_stream.write(f"bizclock: error: {message}\n")
        return 2
    except BrokenPipeError:
        # `bizclock show | head -3`: the reader left; that is not an error of ours.
        # Point stdout at /dev/null so that the interpreter's final flush stays quiet.
        with suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), out_stream.fileno())
        return 0
    except KeyboardInterrupt:
        err_stream.write("bizclock: interrupted\n")
        return 130
    return 0
