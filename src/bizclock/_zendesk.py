"""Zendesk Support business-hours schedules ↔ :class:`~bizclock.Calendar` (SPEC §9).

A Zendesk schedule is one weekly pattern of intervals, in minutes since Sunday 00:00 in
the schedule's zone, plus holidays that close whole dates (``start_date`` .. ``end_date``,
both included).  Zendesk names zones the Rails way (``"Pacific Time (US & Canada)"``);
:data:`RAILS_ZONES` maps those names to IANA names.

Zendesk cannot store an interval that crosses midnight: an overnight shift is entered as
two intervals that meet at midnight.  Reading, two such pieces become one overnight
interval (``"22:00-06:00"``) unless a holiday makes the two readings differ (see
:func:`calendar_from_zendesk`); writing, overnight hours are split at midnight again.

This module also holds :func:`closed_runs`, the closed dates of a calendar as named runs,
which :mod:`bizclock.ical` shares for its export.
"""

from __future__ import annotations

import difflib
import json
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bizclock._errors import ArgumentError, ArgumentTypeError, ConfigError
from bizclock._rules import CountrySource, Rules, parse_date
from bizclock._schedule import WEEKDAYS, DayHours, format_day_hours, format_interval
from bizclock._zone import load_zone

if TYPE_CHECKING:
    from bizclock._calendar import Calendar

__all__ = [
    "CLOSED",
    "HOLIDAY",
    "RAILS_ZONES",
    "calendar_from_zendesk",
    "calendar_to_zendesk",
    "closed_runs",
    "iana_zone",
    "rails_zone",
    "years_argument",
]

#: Rails (``ActiveSupport::TimeZone``) zone names, as Zendesk shows and stores them, with
#: the IANA zone each one stands for.  Where Rails still names a zone by an older IANA
#: alias (``Europe/Kiev``, ``America/Godthab``, ``Asia/Rangoon``, ``Etc/UTC``) the current
#: name is used; :data:`_IANA_ALIASES` maps the old names back for writing.
RAILS_ZONES: dict[str, str] = {
    "International Date Line West": "Etc/GMT+12",
    "Midway Island": "Pacific/Midway",
    "American Samoa": "Pacific/Pago_Pago",
    "Hawaii": "Pacific/Honolulu",
    "Alaska": "America/Juneau",
    "Pacific Time (US & Canada)": "America/Los_Angeles",
    "Tijuana": "America/Tijuana",
    "Mountain Time (US & Canada)": "America/Denver",
    "Arizona": "America/Phoenix",
    "Chihuahua": "America/Chihuahua",
    "Mazatlan": "America/Mazatlan",
    "Central Time (US & Canada)": "America/Chicago",
    "Saskatchewan": "America/Regina",
    "Guadalajara": "America/Mexico_City",
    "Mexico City": "America/Mexico_City",
    "Monterrey": "America/Monterrey",
    "Central America": "America/Guatemala",
    "Eastern Time (US & Canada)": "America/New_York",
    "Indiana (East)": "America/Indiana/Indianapolis",
    "Bogota": "America/Bogota",
    "Lima": "America/Lima",
    "Quito": "America/Lima",
    "Atlantic Time (Canada)": "America/Halifax",
    "Caracas": "America/Caracas",
    "La Paz": "America/La_Paz",
    "Santiago": "America/Santiago",
    "Newfoundland": "America/St_Johns",
    "Brasilia": "America/Sao_Paulo",
    "Buenos Aires": "America/Argentina/Buenos_Aires",
    "Montevideo": "America/Montevideo",
    "Georgetown": "America/Guyana",
    "Puerto Rico": "America/Puerto_Rico",
    "Greenland": "America/Nuuk",
    "Mid-Atlantic": "Atlantic/South_Georgia",
    "Azores": "Atlantic/Azores",
    "Cape Verde Is.": "Atlantic/Cape_Verde",
    "Dublin": "Europe/Dublin",
    "Edinburgh": "Europe/London",
    "Lisbon": "Europe/Lisbon",
    "London": "Europe/London",
    "Casablanca": "Africa/Casablanca",
    "Monrovia": "Africa/Monrovia",
    "UTC": "UTC",
    "Belgrade": "Europe/Belgrade",
    "Bratislava": "Europe/Bratislava",
    "Budapest": "Europe/Budapest",
    "Ljubljana": "Europe/Ljubljana",
    "Prague": "Europe/Prague",
    "Sarajevo": "Europe/Sarajevo",
    "Skopje": "Europe/Skopje",
    "Warsaw": "Europe/Warsaw",
    "Zagreb": "Europe/Zagreb",
    "Brussels": "Europe/Brussels",
    "Copenhagen": "Europe/Copenhagen",
    "Madrid": "Europe/Madrid",
    "Paris": "Europe/Paris",
    "Amsterdam": "Europe/Amsterdam",
    "Berlin": "Europe/Berlin",
    "Bern": "Europe/Zurich",
    "Zurich": "Europe/Zurich",
    "Rome": "Europe/Rome",
    "Stockholm": "Europe/Stockholm",
    "Vienna": "Europe/Vienna",
    "West Central Africa": "Africa/Algiers",
    "Bucharest": "Europe/Bucharest",
    "Cairo": "Africa/Cairo",
    "Helsinki": "Europe/Helsinki",
    "Kyiv": "Europe/Kyiv",
    "Riga": "Europe/Riga",
    "Sofia": "Europe/Sofia",
    "Tallinn": "Europe/Tallinn",
    "Vilnius": "Europe/Vilnius",
    "Athens": "Europe/Athens",
    "Istanbul": "Europe/Istanbul",
    "Minsk": "Europe/Minsk",
    "Jerusalem": "Asia/Jerusalem",
    "Harare": "Africa/Harare",
    "Pretoria": "Africa/Johannesburg",
    "Kaliningrad": "Europe/Kaliningrad",
    "Moscow": "Europe/Moscow",
    "St. Petersburg": "Europe/Moscow",
    "Volgograd": "Europe/Volgograd",
    "Samara": "Europe/Samara",
    "Kuwait": "Asia/Kuwait",
    "Riyadh": "Asia/Riyadh",
    "Nairobi": "Africa/Nairobi",
    "Baghdad": "Asia/Baghdad",
    "Tehran": "Asia/Tehran",
    "Abu Dhabi": "Asia/Muscat",
    "Muscat": "Asia/Muscat",
    "Baku": "Asia/Baku",
    "Tbilisi": "Asia/Tbilisi",
    "Yerevan": "Asia/Yerevan",
    "Kabul": "Asia/Kabul",
    "Ekaterinburg": "Asia/Yekaterinburg",
    "Islamabad": "Asia/Karachi",
    "Karachi": "Asia/Karachi",
    "Tashkent": "Asia/Tashkent",
    "Chennai": "Asia/Kolkata",
    "Kolkata": "Asia/Kolkata",
    "Mumbai": "Asia/Kolkata",
    "New Delhi": "Asia/Kolkata",
    "Kathmandu": "Asia/Kathmandu",
    "Astana": "Asia/Dhaka",
    "Dhaka": "Asia/Dhaka",
    "Sri Jayawardenepura": "Asia/Colombo",
    "Almaty": "Asia/Almaty",
    "Novosibirsk": "Asia/Novosibirsk",
    "Rangoon": "Asia/Yangon",
    "Bangkok": "Asia/Bangkok",
    "Hanoi": "Asia/Bangkok",
    "Jakarta": "Asia/Jakarta",
    "Krasnoyarsk": "Asia/Krasnoyarsk",
    "Beijing": "Asia/Shanghai",
    "Chongqing": "Asia/Chongqing",
    "Hong Kong": "Asia/Hong_Kong",
    "Urumqi": "Asia/Urumqi",
    "Kuala Lumpur": "Asia/Kuala_Lumpur",
    "Singapore": "Asia/Singapore",
    "Taipei": "Asia/Taipei",
    "Perth": "Australia/Perth",
    "Irkutsk": "Asia/Irkutsk",
    "Ulaanbaatar": "Asia/Ulaanbaatar",
    "Seoul": "Asia/Seoul",
    "Osaka": "Asia/Tokyo",
    "Sapporo": "Asia/Tokyo",
    "Tokyo": "Asia/Tokyo",
    "Yakutsk": "Asia/Yakutsk",
    "Darwin": "Australia/Darwin",
    "Adelaide": "Australia/Adelaide",
    "Canberra": "Australia/Melbourne",
    "Melbourne": "Australia/Melbourne",
    "Sydney": "Australia/Sydney",
    "Brisbane": "Australia/Brisbane",
    "Hobart": "Australia/Hobart",
    "Vladivostok": "Asia/Vladivostok",
    "Guam": "Pacific/Guam",
    "Port Moresby": "Pacific/Port_Moresby",
    "Magadan": "Asia/Magadan",
    "Srednekolymsk": "Asia/Srednekolymsk",
    "Solomon Is.": "Pacific/Guadalcanal",
    "New Caledonia": "Pacific/Noumea",
    "Fiji": "Pacific/Fiji",
    "Kamchatka": "Asia/Kamchatka",
    "Marshall Is.": "Pacific/Majuro",
    "Auckland": "Pacific/Auckland",
    "Wellington": "Pacific/Auckland",
    "Nuku'alofa": "Pacific/Tongatapu",
    "Tokelau Is.": "Pacific/Fakaofo",
    "Chatham Is.": "Pacific/Chatham",
    "Samoa": "Pacific/Apia",
}

#: Where several Rails names share an IANA zone, the one written back.
_PREFERRED_RAILS = {
    "America/Mexico_City": "Mexico City",
    "America/Lima": "Lima",
    "Europe/London": "London",
    "Europe/Zurich": "Zurich",
    "Europe/Moscow": "Moscow",
    "Asia/Muscat": "Muscat",
    "Asia/Karachi": "Karachi",
    "Asia/Kolkata": "Kolkata",
    "Asia/Dhaka": "Dhaka",
    "Asia/Bangkok": "Bangkok",
    "Asia/Tokyo": "Tokyo",
    "Australia/Melbourne": "Melbourne",
    "Pacific/Auckland": "Auckland",
}

#: Older IANA names of zones in :data:`RAILS_ZONES` (Rails itself still uses some of them).
_IANA_ALIASES = {
    "Etc/UTC": "UTC",
    "Etc/Universal": "UTC",
    "Etc/Zulu": "UTC",
    "Universal": "UTC",
    "Zulu": "UTC",
    "Europe/Kiev": "Europe/Kyiv",
    "America/Godthab": "America/Nuuk",
    "Asia/Rangoon": "Asia/Yangon",
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Dacca": "Asia/Dhaka",
    "Asia/Ulan_Bator": "Asia/Ulaanbaatar",
    "Asia/Saigon": "Asia/Bangkok",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Indianapolis": "America/Indiana/Indianapolis",
    "Pacific/Samoa": "Pacific/Pago_Pago",
    "US/Pacific": "America/Los_Angeles",
    "US/Mountain": "America/Denver",
    "US/Central": "America/Chicago",
    "US/Eastern": "America/New_York",
    "US/Arizona": "America/Phoenix",
    "US/Hawaii": "Pacific/Honolulu",
}

_RAILS_BY_IANA: dict[str, str] = {
    iana: _PREFERRED_RAILS.get(iana, rails) for rails, iana in reversed(RAILS_ZONES.items())
}
_RAILS_BY_FOLDED = {name.casefold(): name for name in RAILS_ZONES}

#: Names given to exported closed dates by where they come from.
HOLIDAY = "Holiday"
CLOSED = "Closed"

_WEEK_MINUTES = 7 * 1440
_ZENDESK_DAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
_MAX_YEARS = 500


# -- zones ---------------------------------------------------------------------------


def iana_zone(name: object, where: str) -> str:
    """The IANA name for a Zendesk (Rails) zone name; IANA names are accepted as they are."""
    if isinstance(name, str):
        text = name.strip()
        if text in RAILS_ZONES:
            return RAILS_ZONES[text]
        folded = _RAILS_BY_FOLDED.get(text.casefold())
        if folded is not None:
            return RAILS_ZONES[folded]
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(
            f"{where}: expected a zone name such as 'Pacific Time (US & Canada)' or "
            f"'America/Los_Angeles', got {name!r}"
        )
    try:
        load_zone(name, where)
    except ConfigError:
        close = difflib.get_close_matches(name, list(RAILS_ZONES), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise ConfigError(
            f"{where}: unknown time zone {name!r} (neither a Zendesk/Rails name nor an IANA "
            f"name){hint}"
        ) from None
    return name


def rails_zone(timezone: str) -> str | None:
    """The Zendesk (Rails) name of an IANA zone, or ``None`` if Zendesk has no such zone."""
    return _RAILS_BY_IANA.get(_IANA_ALIASES.get(timezone, timezone))


def _same_clock_zones(timezone: str) -> list[str]:
    """Rails names whose zone keeps the same UTC offsets as ``timezone`` in 2020–2035."""
    probes = [
        datetime(year, month, day, 12, tzinfo=UTC)
        for year in range(2020, 2036)
        for month in range(1, 13)
        for day in (1, 15)
    ]
    try:
        target = ZoneInfo(timezone)
    except (ValueError, OSError):  # pragma: no cover - the calendar's zone always loads
        return []
    wanted = [p.astimezone(target).utcoffset() for p in probes]
    found = []
    for iana, rails in sorted(_RAILS_BY_IANA.items(), key=lambda kv: kv[1]):
        zone = ZoneInfo(iana)
        if [p.astimezone(zone).utcoffset() for p in probes] == wanted:
            found.append(rails)
    return found


# -- reading ---------------------------------------------------------------------------


def _load_json(source: object, what: str) -> Any:
    """A Zendesk payload given as a mapping or list, JSON text, or the path of a JSON file."""
    if isinstance(source, Mapping | list | tuple):
        return source
    if isinstance(source, os.PathLike) or (
        isinstance(source, str)
        and "\n" not in source
        and not source.lstrip().startswith(("{", "["))
    ):
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{what}: cannot read {str(path)!r} ({exc.strerror})") from None
        label = f"{what} ({path.name})"
    elif isinstance(source, str):
        text, label = source, what
    else:
        raise ConfigError(
            f"{what}: expected the Zendesk JSON as a dict, JSON text or a file path, "
            f"got {type(source).__name__}"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{label}: line {exc.lineno}, column {exc.colno}: {exc.msg}") from None


def _unwrap_schedule(data: Any) -> tuple[Mapping[str, Any], str, Any]:
    """``(schedule object, its path, embedded holidays or None)`` of a schedule payload."""
    if not isinstance(data, Mapping):
        raise ConfigError(
            f"schedule: expected a Zendesk schedule object, e.g. {{'schedule': {{'time_zone': "
            f"..., 'intervals': [...]}}}}, got {data!r}"
        )
    embedded = data.get("holidays")
    if "schedule" in data:
        schedule, where = data["schedule"], "schedule"
    elif "schedules" in data:
        items = data["schedules"]
        if not isinstance(items, list | tuple) or len(items) != 1:
            count = len(items) if isinstance(items, list | tuple) else items
            raise ConfigError(
                f"schedules: expected exactly one schedule, got {count!r}; pass the one you "
                "want as {'schedule': ...}"
            )
        schedule, where = items[0], "schedules[0]"
    else:
        return data, "schedule", embedded
    if not isinstance(schedule, Mapping):
        raise ConfigError(f"{where}: expected a schedule object, got {schedule!r}")
    if embedded is None:
        embedded = schedule.get("holidays")
    return schedule, where, embedded


def _describe(start: int, end: int) -> str:
    """Minutes since Sunday 00:00 as ``'Mon 22:00–Tue 06:00'``."""

    def at(minute: int) -> tuple[str, str]:
        day, rest = divmod(minute, 1440)
        return _ZENDESK_DAYS[day % 7], f"{rest // 60:02d}:{rest % 60:02d}"

    day_a, time_a = at(start)
    day_b, time_b = at(end)
    if end % 1440 == 0 and end - start <= 1440:
        day_b, time_b = day_a, "24:00"
    return f"{day_a} {time_a}–{time_b}" if day_a == day_b else f"{day_a} {time_a}–{day_b} {time_b}"


def _parse_intervals(value: object, where: str) -> list[list[tuple[int, int]]]:
    """Zendesk intervals as hours per Zendesk day (0 = Sunday), in minutes of that day."""
    if not isinstance(value, list | tuple):
        raise ConfigError(
            f"{where}: expected a list of {{'start_time': ..., 'end_time': ...}}, got {value!r}"
        )
    if not value:
        raise ConfigError(f"{where}: no intervals; the schedule is never open")
    pieces: list[tuple[int, int, int]] = []  # (start, end, index) on [0, one week)
    spans: list[tuple[int, int]] = []
    for i, item in enumerate(value):
        path = f"{where}[{i}]"
        if not isinstance(item, Mapping):
            raise ConfigError(
                f"{path}: expected {{'start_time': ..., 'end_time': ...}}, got {item!r}"
            )
        bounds = []
        for key in ("start_time", "end_time"):
            minute = item.get(key)
            if minute is None:
                raise ConfigError(f"{path}.{key}: missing (minutes since Sunday 00:00)")
            if isinstance(minute, bool) or not isinstance(minute, int):
                raise ConfigError(
                    f"{path}.{key}: expected whole minutes since Sunday 00:00, got {minute!r}"
                )
            bounds.append(minute)
        start, end = bounds
        if not 0 <= start < _WEEK_MINUTES:
            raise ConfigError(
                f"{path}.start_time: {start} is outside the week (0 to {_WEEK_MINUTES - 1} "
                "minutes since Sunday 00:00)"
            )
        if end <= start:
            raise ConfigError(
                f"{path}: end_time {end} is not after start_time {start}; an interval is "
                "minutes since Sunday 00:00, e.g. Monday 09:00-17:00 is 1980-2460"
            )
        if end - start > _WEEK_MINUTES:
            raise ConfigError(f"{path}: {start}-{end} is longer than a week")
        spans.append((start, end))
        if end > _WEEK_MINUTES:  # Saturday night into Sunday, written past the week's end
            pieces += [(start, _WEEK_MINUTES, i), (0, end - _WEEK_MINUTES, i)]
        else:
            pieces.append((start, end, i))
    pieces.sort()
    for (_, prev_end, j), (start, _, i) in pairwise(pieces):
        if start < prev_end:
            a, b = sorted((i, j))
            raise ConfigError(
                f"{where}[{b}]: {spans[b][0]}-{spans[b][1]} ({_describe(*spans[b])}) overlaps "
                f"{where}[{a}]: {spans[a][0]}-{spans[a][1]} ({_describe(*spans[a])})"
            )
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for start, end, _ in pieces:
        for k in range(start // 1440, (end - 1) // 1440 + 1):
            lo, hi = max(start, k * 1440), min(end, (k + 1) * 1440)
            days[k].append((lo - k * 1440, hi - k * 1440))
    return days


def _parse_holidays(value: object) -> list[tuple[int, int]]:
    """Zendesk holidays as merged, sorted inclusive ordinal ranges."""
    where = "holidays"
    if isinstance(value, Mapping):
        if "holidays" in value:
            value = value["holidays"]
        elif "holiday" in value:
            value = [value["holiday"]]
        elif "start_date" in value:
            value = [value]
    if not isinstance(value, list | tuple):
        raise ConfigError(
            f"{where}: expected {{'holidays': [{{'name': ..., 'start_date': 'YYYY-MM-DD', "
            f"'end_date': 'YYYY-MM-DD'}}, ...]}} or a list of holidays, got {value!r}"
        )
    ranges = []
    for i, item in enumerate(value):
        path = f"{where}[{i}]"
        if not isinstance(item, Mapping):
            raise ConfigError(
                f"{path}: expected {{'start_date': ..., 'end_date': ...}}, got {item!r}"
            )
        if "start_date" not in item:
            raise ConfigError(f"{path}.start_date: missing")
        first = parse_date(item["start_date"], f"{path}.start_date")
        last = parse_date(item.get("end_date", item["start_date"]), f"{path}.end_date")
        if last < first:
            raise ConfigError(
                f"{path}: end_date {item['end_date']!r} is before start_date {item['start_date']!r}"
            )
        ranges.append((first, last))
    return _merge(ranges)


def _merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Inclusive ranges merged where they overlap or touch."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def calendar_from_zendesk(schedule: Any, holidays: Any = None) -> Calendar:
    """A calendar from a Zendesk Support business-hours schedule and its holidays.

    ``schedule`` is the schedule object, wrapped (``{"schedule": {...}}``, as the API
    answers) or not, as a dict, JSON text or a JSON file path; it may carry the holidays
    under ``"holidays"`` (as :func:`calendar_to_zendesk` writes it).  ``holidays`` is
    ``{"holidays": [...]}`` or the bare list, each ``{"start_date", "end_date"}`` with
    both dates closed.

    Intervals are minutes since Sunday 00:00 in the schedule's zone; one that crosses
    midnight (or, past minute 10080, the end of the week) spills into the next day.  Two
    intervals that meet at midnight (Monday 22:00–24:00 and Tuesday 00:00–06:00, the way
    Zendesk stores an overnight shift) are read as one overnight interval
    (``mon = "22:00-06:00"``), unless a holiday ends on the first of the two weekdays: in
    Zendesk the day after such a holiday still opens at 00:00, while a holiday closes a
    whole overnight interval, so there the two days keep their own hours.
    """
    from bizclock._calendar import Calendar

    data = _load_json(schedule, "schedule")
    sched, where, embedded = _unwrap_schedule(data)
    if embedded is not None and holidays is not None:
        raise ConfigError(
            "holidays: given twice (inside the schedule payload and as the holidays argument)"
        )
    if embedded is not None:
        holiday_data = embedded
    elif holidays is not None:
        holiday_data = _load_json(holidays, "holidays")
    else:
        holiday_data = []
    if "time_zone" not in sched:
        raise ConfigError(f"{where}.time_zone: missing, e.g. 'Pacific Time (US & Canada)'")
    timezone = iana_zone(sched["time_zone"], f"{where}.time_zone")
    if "intervals" not in sched:
        raise ConfigError(f"{where}.intervals: missing")
    by_zendesk_day = _parse_intervals(sched["intervals"], f"{where}.intervals")
    ranges = _parse_holidays(holiday_data)

    # bizclock weekday w (0 = Monday) is Zendesk day w + 1 (0 = Sunday).
    week = [[(a * 60, b * 60) for a, b in sorted(by_zendesk_day[(w + 1) % 7])] for w in range(7)]
    ends_holiday = {date.fromordinal(b).weekday() for _, b in ranges}
    for w in range(7):
        today, tomorrow = week[w], week[(w + 1) % 7]
        if not today or not tomorrow or w in ends_holiday:
            continue
        last, first = today[-1], tomorrow[0]
        # Joinable: today's piece runs to midnight, tomorrow's starts there, and the
        # overnight text "HH:MM-HH:MM" can say it (it ends before it starts).
        if last[1] == 86_400 and first[0] == 0 and first[1] < last[0]:
            today[-1] = (last[0], 86_400 + first[1])
            del tomorrow[0]
    hours = {WEEKDAYS[w]: format_day_hours(tuple(h)) for w, h in enumerate(week) if h}
    config: dict[str, Any] = {"timezone": timezone, "hours": hours}
    if ranges:
        config["holidays"] = [_format_range(a, b) for a, b in ranges]
    return Calendar.from_dict(config)


def _hhmm(second: int) -> str:
    return f"{second // 3600:02d}:{second % 3600 // 60:02d}"


def _format_range(a: int, b: int) -> str:
    first = date.fromordinal(a).isoformat()
    return first if a == b else f"{first}..{date.fromordinal(b).isoformat()}"


# -- closed dates as named runs (shared with bizclock.ical) ----------------------------


def _ordinal(year: int, month: int, day: int) -> int | None:
    try:
        return date(year, month, day).toordinal()
    except ValueError:  # *-02-29 in a common year
        return None


def _country_names(source: CountrySource, year: int) -> dict[int, str]:
    """Names of a country source's holidays in a year (the ``holidays`` package's own).

    Only names: which dates are holidays is :meth:`CountrySource.year`'s answer, so a
    failure here costs the names (they fall back to :data:`HOLIDAY`), never dates.
    """
    import holidays

    try:
        with warnings.catch_warnings():
            # The package notes years outside its coverage as warnings; not the caller's.
            warnings.simplefilter("ignore")
            table = holidays.country_holidays(
                source.country,
                subdiv=source.subdiv,
                years=year,
                observed=source.observed,
                categories=source.categories,
            )
            return {d.toordinal(): str(name) for d, name in table.items()}
    except Exception:  # names are a nicety: a third-party failure must not lose the dates
        return {}


def closed_runs(
    rules: Rules, years: Sequence[int], clip: tuple[int, int] | None = None
) -> list[tuple[int, int, str]]:
    """Dates closed by a holiday or a ``closed`` override, as ``(first, last, name)`` runs.

    Explicit holiday ranges are taken whole (never expanded date by date); every-year
    dates, every-year overrides and country holidays only for ``years``.  A date whose
    override gives it hours is open (SPEC §3 precedence).  Consecutive dates with the
    same name form one run; the name is the country source's holiday name, else
    :data:`HOLIDAY`, else :data:`CLOSED` (a ``closed`` override).  ``clip`` limits the
    runs to an inclusive range of ordinals.
    """
    reopen = 99
    segments: list[tuple[int, int, int, str]] = []  # (first, last, rank, name)
    lo, hi = clip if clip is not None else (1, date.max.toordinal())
    for a, b in rules.holidays.ranges:
        a, b = max(a, lo), min(b, hi)
        if a <= b:
            segments.append((a, b, 1, HOLIDAY))
    overrides: dict[int, DayHours] = {}
    for year in years:
        for month, day in rules.holidays.yearly:
            o = _ordinal(year, month, day)
            if o is not None:
                segments.append((o, o, 1, HOLIDAY))
        for source in rules.countries:
            days, _ = source.year(year)
            names = _country_names(source, year) if days else {}
            segments.extend((o, o, 2, names.get(o, HOLIDAY)) for o in days)
        for (month, day), hours in rules.overrides.yearly:
            o = _ordinal(year, month, day)
            if o is not None:
                overrides[o] = hours
    overrides.update(rules.overrides.exact)  # an exact date beats an every-year one
    for o, hours in overrides.items():
        segments.append((o, o, reopen, "") if hours else (o, o, 0, CLOSED))

    # Sweep over the points where the set of segments covering a date changes.
    points: dict[int, list[tuple[int, tuple[int, str]]]] = {}
    for a, b, rank, name in segments:
        points.setdefault(a, []).append((1, (rank, name)))
        points.setdefault(b + 1, []).append((-1, (rank, name)))
    active: dict[tuple[int, str], int] = {}
    runs: list[tuple[int, int, str]] = []
    order = sorted(points)
    for here, after in pairwise(order):
        for delta, key in points[here]:
            count = active.get(key, 0) + delta
            if count:
                active[key] = count
            else:
                del active[key]
        if not active:
            continue
        top = max(rank for rank, _ in active)
        if top == reopen:
            continue
        name = " / ".join(sorted({n for rank, n in active if rank == top}))
        first, last = max(here, lo), min(after - 1, hi)
        if first > last:
            continue
        if runs and runs[-1][2] == name and runs[-1][1] + 1 == first:
            runs[-1] = (runs[-1][0], last, name)
        else:
            runs.append((first, last, name))
    return runs


# -- writing ---------------------------------------------------------------------------


def years_argument(years: object, name: str = "years") -> list[int]:
    """A ``years`` argument (``range(2026, 2028)``, a list of years) as sorted unique years."""
    if isinstance(years, str | bytes) or not isinstance(years, Iterable):
        raise ArgumentTypeError(
            f"{name}: expected years such as range(2026, 2028), got {type(years).__name__} "
            f"{years!r}"
        )
    found = set()
    for year in years:
        if isinstance(year, bool) or not isinstance(year, int):
            raise ArgumentTypeError(f"{name}: expected whole years, got {year!r}")
        if not 1 <= year <= 9999:
            raise ArgumentError(f"{name}: year {year} is outside 1-9999")
        found.add(year)
        if len(found) > _MAX_YEARS:
            raise ArgumentError(f"{name}: more than {_MAX_YEARS} years")
    if not found:
        raise ArgumentError(f"{name}: no years given")
    return sorted(found)


def _week_intervals(week: Sequence[DayHours]) -> list[dict[str, int]]:
    """Weekly hours as Zendesk intervals, split at midnight, overlaps merged."""
    by_day: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for w, hours in enumerate(week):
        k = (w + 1) % 7  # Zendesk day of weekday w
        for start, end in hours:
            by_day[k].append((start // 60, min(end, 86_400) // 60))
            if end > 86_400:
                by_day[(k + 1) % 7].append((0, (end - 86_400) // 60))
    intervals = []
    for k, pieces in enumerate(by_day):
        merged: list[tuple[int, int]] = []
        for a, b in sorted(pieces):
            if merged and a < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        intervals += [{"start_time": k * 1440 + a, "end_time": k * 1440 + b} for a, b in merged]
    return intervals


def _uncovered_spill(week: Sequence[DayHours], w: int) -> list[tuple[int, int]]:
    """The part of weekday ``w``'s overnight spill that the next day's own hours miss."""
    spill = [(0, end - 86_400) for _, end in week[w] if end > 86_400]
    if not spill:
        return []
    own = sorted(week[(w + 1) % 7])
    missing = []
    for a, b in spill:
        for c, d in own:
            if c > a:
                break
            a = max(a, d)
        if a < b:
            missing.append((a, b))
    return missing


def calendar_to_zendesk(
    cal: Calendar, *, name: str = "Business hours", years: Iterable[int] | None = None
) -> dict[str, Any]:
    """The calendar as a Zendesk schedule with its holidays, where it fits that model.

    Returns ``{"schedule": {"name", "time_zone", "intervals"}, "holidays": [...]}``;
    :func:`calendar_from_zendesk` reads it back.  Overnight hours are split at midnight,
    as Zendesk requires.  ``closed`` overrides become holidays.  Every-year dates
    (``*-MM-DD`` holidays and ``closed`` overrides) and country holidays become dated
    holidays for ``years`` (e.g. ``range(2026, 2028)``), which they need.

    Raises :class:`ConfigError` naming every part that does not fit: seasons, overrides
    with special hours, a zone Zendesk does not offer, every-year or country holidays
    without ``years``, make-up working days, and a holiday after which Zendesk would
    reopen the spill of an overnight interval that the calendar keeps closed.
    """
    if not isinstance(name, str) or not name.strip():
        raise ArgumentError(f"name: expected a schedule name, got {name!r}")
    year_list = years_argument(years) if years is not None else []
    parsed = cal._parsed
    rules = parsed.rules
    problems: list[str] = []

    zone = rails_zone(parsed.timezone)
    if zone is None:
        same = _same_clock_zones(parsed.timezone)
        hint = (
            f"; zones with the same clock in 2020-2035: {', '.join(repr(s) for s in same)}"
            if same
            else ""
        )
        problems.append(
            f"timezone: Zendesk has no zone for {parsed.timezone!r} (it offers the Rails "
            f"zone names){hint}"
        )
    for i, season in enumerate(rules.seasons):
        span = f"{season.to_dict().get('from', '…')}..{season.to_dict().get('to', '…')}"
        problems.append(
            f"seasons[{i}] ({span}): a Zendesk schedule has one set of weekly hours, no seasons"
        )
    special = rules.overrides.to_dict()
    for key, value in special.items():
        if value != "closed":
            problems.append(
                f"overrides.{key}: special hours {value!r} (Zendesk has no special hours for a "
                "date, only holidays that close it)"
            )
    if not year_list:
        every_year = [t for t in rules.holidays.to_list() if t.startswith("*")]
        every_year += [k for k, v in special.items() if k.startswith("*") and v == "closed"]
        if every_year:
            problems.append(
                f"holidays: every-year dates {', '.join(repr(t) for t in every_year)}: Zendesk "
                "holidays are dates: pass years=range(first, last + 1) to write them out"
            )
        for i, source in enumerate(rules.countries):
            problems.append(
                f"country_holidays[{i}] ({source.to_value()!r}): Zendesk holidays are dates: "
                "pass years=range(first, last + 1) to write them out"
            )
    for i, source in enumerate(rules.countries):
        if not source.workdays:
            continue
        makeup = sorted(o for year in year_list for o in source.year(year)[1])
        if makeup:
            problems.append(
                f"country_holidays[{i}]: make-up working day "
                f"{date.fromordinal(makeup[0]).isoformat()} opens a closed day; Zendesk "
                "holidays can only close dates"
            )

    runs = closed_runs(rules, year_list)
    week = rules.week
    missing = {w: _uncovered_spill(week, w) for w in range(7)}
    for first, last in _merge((a, b) for a, b, _ in runs):
        w = date.fromordinal(last).weekday()
        if missing[w]:
            a, b = missing[w][0]
            start, end = next(h for h in week[w] if h[1] > 86_400)
            nxt = WEEKDAYS[(w + 1) % 7]
            problems.append(
                f"hours.{WEEKDAYS[w]}: after the holiday {_format_range(first, last)}, Zendesk "
                f"would open {nxt} {_hhmm(a)}-{_hhmm(b)} (the spill of the overnight interval "
                f"{format_interval((start, end))!r}), which the calendar keeps closed; to mean "
                f"what Zendesk does, write '{_hhmm(start)}-24:00' on {WEEKDAYS[w]} and "
                f"'00:00-{_hhmm(end - 86_400)}' on {nxt}"
            )
            break
    if problems:
        raise ConfigError("the calendar does not fit a Zendesk schedule: " + "; ".join(problems))
    return {
        "schedule": {
            "name": name,
            "time_zone": zone,
            "intervals": _week_intervals(week),
        },
        "holidays": [
            {
                "name": label,
                "start_date": date.fromordinal(a).isoformat(),
                "end_date": date.fromordinal(b).isoformat(),
            }
            for a, b, label in runs
        ],
    }
