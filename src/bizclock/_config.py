"""The calendar schema (SPEC §3): one validator for dicts, JSON and TOML, and the canonical form.

Every error is a :class:`ConfigError` whose message starts with the key path at fault,
e.g. ``hours.mon[1]: '13:00-12:30' overlaps '12:00-14:00'``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from bizclock._errors import ConfigError
from bizclock._rules import (
    CountrySource,
    DateSet,
    Overrides,
    Rules,
    Season,
    parse_date,
    parse_date_or_yearly,
)
from bizclock._schedule import format_week, parse_day_hours, parse_week
from bizclock._zone import load_zone

__all__ = ["KEYS", "Parsed", "check_keys", "parse_calendar", "parse_date", "unparse_calendar"]

KEYS = ("timezone", "hours", "holidays", "country_holidays", "seasons", "overrides")
_COUNTRY_KEYS = ("country", "subdiv", "observed", "categories", "workdays")
_SEASON_KEYS = ("from", "to", "hours")


@dataclass(frozen=True, slots=True)
class Parsed:
    """A validated calendar configuration."""

    timezone: str
    zone: ZoneInfo
    rules: Rules


def check_keys(value: Mapping[Any, Any], allowed: tuple[str, ...], where: str) -> None:
    """Refuse keys that are not in ``allowed``, suggesting the closest one."""
    for key in value:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            prefix = f"{where}." if where else ""
            raise ConfigError(
                f"{prefix}{key}: unknown key{hint} (known keys: {', '.join(allowed)})"
            )


def parse_calendar(config: Mapping[str, Any]) -> Parsed:
    """Validate a configuration mapping in the SPEC §3 schema."""
    if not isinstance(config, Mapping):
        raise ConfigError(f"calendar: expected a table (dict) of settings, got {config!r}")
    check_keys(config, KEYS, "")
    if "timezone" not in config:
        raise ConfigError("timezone: missing; give an IANA name such as 'Europe/Berlin' or 'UTC'")
    if "hours" not in config:
        raise ConfigError("hours: missing; e.g. {'mon-fri': '09:00-17:00'} or '24/7'")
    zone = load_zone(config["timezone"], "timezone")
    week = parse_week(config["hours"], "hours")
    holidays = DateSet.parse(config.get("holidays", []), "holidays")
    countries = _parse_countries(config.get("country_holidays", []))
    seasons = _parse_seasons(config.get("seasons", []))
    overrides = _parse_overrides(config.get("overrides", {}))
    rules = Rules(week, holidays, overrides, seasons, countries)
    if not (
        any(week)
        or any(any(s.week) for s in seasons)
        or any(h for _, h in overrides.exact)
        or any(h for _, h in overrides.yearly)
    ):
        raise ConfigError(
            "hours: the calendar can never be open (no weekday, season or override has hours)"
        )
    return Parsed(str(config["timezone"]), zone, rules)


def _parse_countries(value: object) -> tuple[CountrySource, ...]:
    where = "country_holidays"
    if not isinstance(value, list | tuple):
        raise ConfigError(f"{where}: expected a list, e.g. ['DE-BY'], got {value!r}")
    sources: list[CountrySource] = []
    for i, item in enumerate(value):
        path = f"{where}[{i}]"
        if isinstance(item, str):
            text = item.strip()
            if not text:
                raise ConfigError(f"{path}: empty country code")
            country, _, subdiv = text.partition("-")
            source = CountrySource(country, subdiv or None)
        elif isinstance(item, Mapping):
            check_keys(item, _COUNTRY_KEYS, path)
            code = item.get("country")
            if not isinstance(code, str) or not code.strip():
                raise ConfigError(
                    f"{path}.country: expected a country code like 'US', got {code!r}"
                )
            sub = item.get("subdiv")
            if sub is not None and (not isinstance(sub, str) or not sub.strip()):
                raise ConfigError(
                    f"{path}.subdiv: expected a subdivision code like 'CA', got {sub!r}"
                )
            observed = item.get("observed", True)
            workdays = item.get("workdays", False)
            for key, flag in (("observed", observed), ("workdays", workdays)):
                if not isinstance(flag, bool):
                    raise ConfigError(f"{path}.{key}: expected true or false, got {flag!r}")
            categories = item.get("categories")
            if categories is not None:
                if not isinstance(categories, list | tuple) or not categories or not all(
                    isinstance(c, str) and c for c in categories
                ):
                    raise ConfigError(
                        f"{path}.categories: expected a list of category names, e.g. ['public'], "
                        f"got {categories!r}"
                    )
                categories = tuple(categories)
            source = CountrySource(code.strip(), sub, observed, categories, workdays)
        else:
            raise ConfigError(f"{path}: expected a code like 'DE-BY' or a table, got {item!r}")
        source.validate(path)
        sources.append(source)
    return tuple(sources)


def _parse_seasons(value: object) -> tuple[Season, ...]:
    where = "seasons"
    if not isinstance(value, list | tuple):
        raise ConfigError(f"{where}: expected a list of tables, got {value!r}")
    seasons: list[Season] = []
    for i, item in enumerate(value):
        path = f"{where}[{i}]"
        if not isinstance(item, Mapping):
            raise ConfigError(
                f"{path}: expected a table with 'from', 'to' and 'hours', got {item!r}"
            )
        check_keys(item, _SEASON_KEYS, path)
        if "hours" not in item:
            raise ConfigError(f"{path}.hours: missing")
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
            raise ConfigError(f"{path}: 'to' ({item['to']!r}) is before 'from' ({item['from']!r})")
        week = parse_week(item["hours"], f"{path}.hours")
        seasons.append(Season(start, end, week))
    return tuple(seasons)


def _parse_overrides(value: object) -> Overrides:
    where = "overrides"
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: expected a table of dates, got {value!r}")
    exact: dict[int, Any] = {}
    yearly: dict[tuple[int, int], Any] = {}
    for key, hours in value.items():
        path = f"{where}.{key}"
        if not isinstance(key, str):
            raise ConfigError(f"{where}: dates must be strings like '2026-12-31', got {key!r}")
        when = parse_date_or_yearly(key, path)
        parsed = parse_day_hours(hours, path, allow_closed=True)
        target: dict[Any, Any] = exact if isinstance(when, int) else yearly
        if when in target:
            raise ConfigError(f"{path}: the date is named twice")
        target[when] = parsed
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
    overrides = rules.overrides.to_dict()
    if overrides:
        out["overrides"] = overrides
    return out

