"""The calendar schema (SPEC §3): one validator for dicts, JSON and TOML, and the canonical form.

Every error is a :class:`ConfigError` whose message starts with the key path at fault,
e.g. ``hours.mon[1]: '13:00-12:30' overlaps '12:00-14:00'``, and quotes the bad value
(shortened by :func:`~bizclock._schedule.show`).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bizclock._errors import ConfigError
from bizclock._rules import (
    CountrySource,
    DateSet,
    MonthDay,
    Overrides,
    Rules,
    Season,
    country_code_for_name,
    parse_date,
    parse_date_or_yearly,
)
from bizclock._schedule import DayHours, format_week, parse_day_hours, parse_week, show
from bizclock._zone import load_zone

__all__ = ["KEYS", "Parsed", "check_keys", "parse_calendar", "parse_date", "unparse_calendar"]

KEYS = ("timezone", "hours", "holidays", "country_holidays", "seasons", "overrides")
_COUNTRY_KEYS = ("country", "subdiv", "observed", "categories", "workdays")
_SEASON_KEYS = ("from", "to", "hours")
# IANA names are at most a few dozen characters; longer text is refused before it reaches
# zoneinfo (file-name limits) or difflib (quadratic in the length).
_MAX_ZONE_NAME = 100


@dataclass(frozen=True, slots=True)
class Parsed:
    """A validated calendar configuration."""

    timezone: str
    zone: ZoneInfo
    rules: Rules


def check_keys(value: Mapping[Any, Any], allowed: tuple[str, ...], where: str) -> None:
    """Refuse keys that are not in ``allowed``, suggesting the closest one."""
    prefix = f"{where}." if where else ""
    for key in value:
        if not isinstance(key, str):
            raise ConfigError(
                f"{where or 'calendar'}: keys must be strings, got {show(key)} "
                f"(known keys: {', '.join(allowed)})"
            )
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1) if len(key) <= 60 else []
            hint = f"; did you mean {close[0]!r}?" if close else ""
            name = key if len(key) <= 60 else show(key)
            raise ConfigError(
                f"{prefix}{name}: unknown key{hint} (known keys: {', '.join(allowed)})"
            )


def parse_calendar(config: Mapping[str, Any]) -> Parsed:
    """Validate a configuration mapping in the SPEC §3 schema."""
    if not isinstance(config, Mapping):
        raise ConfigError(f"calendar: expected a table (dict) of settings, got {show(config)}")
    check_keys(config, KEYS, "")
    if "timezone" not in config:
        raise ConfigError("timezone: missing; give an IANA name such as 'Europe/Berlin' or 'UTC'")
    if "hours" not in config:
        raise ConfigError("hours: missing; e.g. {'mon-fri': '09:00-17:00'} or '24/7'")
    timezone = config["timezone"]
    if not isinstance(timezone, str):
        raise ConfigError(
            f"timezone: expected an IANA time zone name (a string), got {show(timezone)}"
        )
    if len(timezone) > _MAX_ZONE_NAME:
        raise ConfigError(f"timezone: unknown time zone {show(timezone)} (far too long a name)")
    zone = load_zone(timezone, "timezone")
    week = parse_week(config["hours"], "hours")
    holidays = DateSet.parse(config.get("holidays", []), "holidays")
    countries = _parse_countries(config.get("country_holidays", []))
    seasons = _parse_seasons(config.get("seasons", []))
    overrides = _parse_overrides(config.get("overrides", {}))
    rules = Rules(week, holidays, overrides, seasons, countries)
    _check_can_open(rules)
    return Parsed(str(timezone), zone, rules)


def _check_can_open(rules: Rules) -> None:
    """Refuse a calendar that is closed on every date, whatever the date.

    Exact where it is cheap to be: an override with hours opens its date whatever
    else holds; otherwise some weekly hours (weekday, season or make-up day) are needed,
    and holidays must leave some date free.
    """
    if rules.overrides.any_open():
        return
    if not (any(rules.week) or any(any(s.week) for s in rules.seasons)):
        raise ConfigError(
            "hours: the calendar can never be open (no weekday, season or override has hours)"
        )
    if rules.holidays.covers_every_date():
        raise ConfigError(
            "holidays: the calendar can never be open (the holidays cover every date)"
        )


def _parse_countries(value: object) -> tuple[CountrySource, ...]:
    where = "country_holidays"
    if not isinstance(value, list | tuple):
        raise ConfigError(f"{where}: expected a list, e.g. ['DE-BY'], got {show(value)}")
    sources: dict[CountrySource, str] = {}
    for i, item in enumerate(value):
        path = f"{where}[{i}]"
        if isinstance(item, str):
            source = _country_from_code(item, path)
        elif isinstance(item, Mapping):
            source = _country_from_table(item, path)
        else:
            raise ConfigError(
                f"{path}: expected a code like 'DE-BY' or a table, got {show(item)}"
            )
        if source in sources:
            raise ConfigError(f"{path}: {source.code()!r} is already listed at {sources[source]}")
        sources[source] = path
    # Holidays of several sources add up, so their order means nothing: sorted, so that
    # ["US-CA", "DE-BY"] and ["DE-BY", "US-CA"] make equal calendars.
    return tuple(sorted(sources, key=_source_order))


def _source_order(source: CountrySource) -> tuple[Any, ...]:
    return (
        source.country,
        source.subdiv or "",
        not source.observed,
        source.categories or (),
        source.workdays,
    )


def _country_from_code(item: str, path: str) -> CountrySource:
    text = item.strip()
    if not text:
        raise ConfigError(f"{path}: empty country code; expected e.g. 'DE' or 'DE-BY'")
    country, dash, subdiv = text.partition("-")
    if dash and not subdiv.strip():
        raise ConfigError(f"{path}: empty subdivision in {show(item)}; expected e.g. 'DE-BY'")
    _check_country_text(country, path)
    return CountrySource.resolve(country, subdiv.strip() or None, where=path)


def _check_country_text(country: str, path: str) -> None:
    code = country.strip()
    if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha()):
        by_name = country_code_for_name(code) if len(code) <= 60 else None
        hint = f"; did you mean {by_name!r}?" if by_name else ""
        raise ConfigError(
            f"{path}: malformed country code {show(country)}; expected an ISO 3166 code "
            f"such as 'DE' or 'USA'{hint}"
        )


def _country_from_table(item: Mapping[Any, Any], path: str) -> CountrySource:
    check_keys(item, _COUNTRY_KEYS, path)
    code = item.get("country")
    if "country" not in item:
        raise ConfigError(f"{path}.country: missing; e.g. {{'country': 'US', 'subdiv': 'CA'}}")
    if not isinstance(code, str) or not code.strip():
        raise ConfigError(f"{path}.country: expected a country code like 'US', got {show(code)}")
    _check_country_text(code, f"{path}.country")
    sub = item.get("subdiv")
    if sub is not None and (not isinstance(sub, str) or not sub.strip()):
        raise ConfigError(f"{path}.subdiv: expected a subdivision code like 'CA', got {show(sub)}")
    flags: dict[str, bool] = {}
    for key, default in (("observed", True), ("workdays", False)):
        flag = item.get(key, default)
        if not isinstance(flag, bool):
            raise ConfigError(f"{path}.{key}: expected true or false, got {show(flag)}")
        flags[key] = flag
    categories = item.get("categories")
    names: list[str] | None = None
    if "categories" in item:
        cat_path = f"{path}.categories"
        if not isinstance(categories, list | tuple):
            raise ConfigError(
                f"{cat_path}: expected a list of category names, e.g. ['public'], "
                f"got {show(categories)}"
            )
        if not categories:
            raise ConfigError(
                f"{cat_path}: empty list; leave the key out for the country's public holidays"
            )
        names = []
        for j, name in enumerate(categories):
            if not isinstance(name, str) or not name.strip():
                raise ConfigError(
                    f"{cat_path}[{j}]: expected a category name like 'public', got {show(name)}"
                )
            names.append(name)
    return CountrySource.resolve(
        code,
        sub,
        observed=flags["observed"],
        categories=names,
        workdays=flags["workdays"],
        where=f"{path}.country",
        subdiv_where=f"{path}.subdiv",
        categories_where=f"{path}.categories",
    )


def _parse_seasons(value: object) -> tuple[Season, ...]:
    where = "seasons"
    if not isinstance(value, list | tuple):
        raise ConfigError(f"{where}: expected a list of tables, got {show(value)}")
    seasons: list[Season] = []
    for i, item in enumerate(value):
        path = f"{where}[{i}]"
        if not isinstance(item, Mapping):
            raise ConfigError(
                f"{path}: expected a table with 'from', 'to' and 'hours', got {show(item)}"
            )
        check_keys(item, _SEASON_KEYS, path)
        if "hours" not in item:
            raise ConfigError(f"{path}.hours: missing; the season's weekly hours")
        if "from" not in item and "to" not in item:
            raise ConfigError(f"{path}: give 'from', 'to' or both")
        start = parse_date_or_yearly(item["from"], f"{path}.from") if "from" in item else None
        end = parse_date_or_yearly(item["to"], f"{path}.to") if "to" in item else None
        yearly = [isinstance(b, tuple) for b in (start, end) if b is not None]
        if any(yearly) and not (all(yearly) and len(yearly) == 2):
            raise ConfigError(
                f"{path}: an every-year season needs both 'from' and 'to' as '*-MM-DD'"
            )
        if isinstance(start, int) and isinstance(end, int) and end < start:
            raise ConfigError(
                f"{path}: 'to' ({show(item['to'])}) is before 'from' ({show(item['from'])})"
            )
        week = parse_week(item["hours"], f"{path}.hours")
        seasons.append(Season(start, end, week))
    return tuple(seasons)


def _parse_overrides(value: object) -> Overrides:
    where = "overrides"
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"{where}: expected a table of dates, e.g. {{'2026-12-31': '09:00-12:00'}}, "
            f"got {show(value)}"
        )
    exact: dict[int, DayHours] = {}
    yearly: dict[MonthDay, DayHours] = {}
    for key, hours in value.items():
        if isinstance(key, date):
            path = f"{where}.{key.isoformat()}" if type(key) is date else where
        elif isinstance(key, str):
            path = f"{where}.{key}" if len(key) <= 40 else f"{where}.{show(key)}"
            if ".." in key:
                raise ConfigError(
                    f"{path}: an override names one date ('YYYY-MM-DD' or '*-MM-DD'), "
                    "not a range"
                )
        else:
            raise ConfigError(
                f"{where}: dates must be strings like '2026-12-31', got {show(key)}"
            )
        when = parse_date_or_yearly(key, path)
        parsed = parse_day_hours(hours, path, allow_closed=True)
        if isinstance(when, int):
            if when in exact:
                raise ConfigError(f"{path}: the date is named twice")
            exact[when] = parsed
        else:
            if when in yearly:
                raise ConfigError(f"{path}: the date is named twice")
            yearly[when] = parsed
    return Overrides(tuple(sorted(exact.items())), tuple(sorted(yearly.items())))


def unparse_calendar(parsed: Parsed) -> dict[str, Any]:
    """The canonical dict of a configuration (empty optional parts left out)."""
    rules = parsed.rules
    out: dict[str, Any] = {"timezone": parsed.timezone, "hours": format_week(rules.week)}
    if rules.holidays:
        out["holidays"] = rules.holidays.to_list()
    if rules.countries:
        out["country_holidays"] = [c.to_value() for c in rules.countries]
    if rules.seasons:
        out["seasons"] = [s.to_dict() for s in rules.seasons]
    if rules.overrides:
        out["overrides"] = rules.overrides.to_dict()
    return out
