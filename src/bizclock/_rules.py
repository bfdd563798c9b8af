"""Which hours hold on a local date: holidays, overrides, seasons, country sources.

Everything is kept as it was meant, never expanded: a holiday range of 9,000 years is
two ordinals, an every-year date is a month and a day, and country holidays are asked
of the ``holidays`` package one year at a time, when a query first reaches that year.
:class:`Rules` answers one question, :meth:`Rules.day`: the hours of a local date and
whether the date is pinned.
"""

from __future__ import annotations

import difflib
import functools
import re
import threading
import warnings
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from bizclock._errors import ConfigError
from bizclock._schedule import DayHours, Week, format_day_hours, format_week, show

__all__ = [
    "CountrySource",
    "DateSet",
    "DayRule",
    "MonthDay",
    "Overrides",
    "Rules",
    "Season",
    "clear_country_cache",
    "country_code_for_name",
    "format_date",
    "format_month_day",
    "load_country_years",
    "parse_date",
    "parse_date_or_yearly",
    "parse_month_day",
]

# ASCII digits only (``\d`` also matches other scripts' digits, which int() accepts).
# The year takes any number of digits so that "10000-01-01" is reported as out of range.
_DATE = re.compile(r"([0-9]{4,})-([0-9]{2})-([0-9]{2})")
_YEARLY = re.compile(r"\*-([0-9]{2})-([0-9]{2})")
MonthDay = tuple[int, int]
#: Which SPEC §3 rule gives a date its hours ("workday": a country's make-up working day).
DayRule = Literal["override", "holiday", "workday", "season", "weekly"]


def parse_date(value: object, where: str) -> int:
    """``"YYYY-MM-DD"`` (or a :class:`datetime.date`) as a proleptic Gregorian ordinal."""
    if isinstance(value, datetime):
        raise ConfigError(
            f"{where}: expected a date, got a datetime {show(value)}; give the date alone"
        )
    if isinstance(value, date):
        return value.toordinal()
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected a date 'YYYY-MM-DD', got {show(value)}")
    match = _DATE.fullmatch(value.strip())
    if match is None:
        raise ConfigError(f"{where}: malformed date {show(value)}; expected 'YYYY-MM-DD'")
    if len(match[1]) > 4 or match[1] == "0000":
        raise ConfigError(f"{where}: the year of {show(value)} is outside 1-9999")
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    try:
        return date(year, month, day).toordinal()
    except ValueError:
        raise ConfigError(f"{where}: impossible date {show(value)}") from None


def parse_month_day(text: str, where: str) -> MonthDay:
    """``"*-MM-DD"`` as ``(month, day)``; ``*-02-29`` is valid (it holds in leap years)."""
    match = _YEARLY.fullmatch(text.strip())
    if match is None:
        raise ConfigError(f"{where}: malformed date {show(text)}; expected '*-MM-DD'")
    month, day = int(match[1]), int(match[2])
    try:
        date(2000, month, day)  # a leap year, so that *-02-29 is accepted
    except ValueError:
        raise ConfigError(f"{where}: impossible date {show(text)}") from None
    return month, day


def parse_date_or_yearly(value: object, where: str) -> int | MonthDay:
    """An exact date (ordinal) or an every-year ``*-MM-DD`` (month, day)."""
    if isinstance(value, str) and value.strip().startswith("*"):
        return parse_month_day(value, where)
    return parse_date(value, where)


def format_date(ordinal: int) -> str:
    """An ordinal as ``"YYYY-MM-DD"``."""
    return date.fromordinal(ordinal).isoformat()


def format_month_day(md: MonthDay) -> str:
    """``(month, day)`` as ``"*-MM-DD"``."""
    return f"*-{md[0]:02d}-{md[1]:02d}"


def _all_month_days() -> list[MonthDay]:
    first = date(2000, 1, 1).toordinal()  # 2000 is a leap year: 366 month-days
    return [(d.month, d.day) for d in (date.fromordinal(first + k) for k in range(366))]


#: Every month-day of a leap year in calendar order, and the index of each.
_MONTH_DAYS = _all_month_days()
_MONTH_DAY_INDEX = {md: i for i, md in enumerate(_MONTH_DAYS)}


def _month_day_span(a: MonthDay, b: MonthDay) -> list[MonthDay]:
    """Month-days from ``a`` to ``b`` inclusive, wrapping the new year if ``b`` is before ``a``."""
    i, j = _MONTH_DAY_INDEX[a], _MONTH_DAY_INDEX[b]
    if i <= j:
        return _MONTH_DAYS[i : j + 1]
    return _MONTH_DAYS[i:] + _MONTH_DAYS[: j + 1]


@dataclass(frozen=True, slots=True)
class DateSet:
    """Whole local dates: merged inclusive ordinal ranges plus every-year month-days."""

    ranges: tuple[tuple[int, int], ...] = ()
    yearly: frozenset[MonthDay] = frozenset()
    _starts: tuple[int, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def parse(cls, value: object, where: str) -> DateSet:
        """A list of ``YYYY-MM-DD``, ``*-MM-DD`` and ``A..B`` ranges (of either kind)."""
        if not isinstance(value, list | tuple):
            raise ConfigError(
                f"{where}: expected a list of dates, e.g. ['2026-12-24', '*-12-25'], "
                f"got {show(value)}"
            )
        ranges: list[tuple[int, int]] = []
        yearly: set[MonthDay] = set()
        for i, item in enumerate(value):
            path = f"{where}[{i}]"
            if isinstance(item, str) and ".." in item:
                first, _, last = item.partition("..")
                a = parse_date_or_yearly(first, path)
                b = parse_date_or_yearly(last, path)
                if isinstance(a, int) and isinstance(b, int):
                    if b < a:
                        raise ConfigError(
                            f"{path}: reversed range {show(item)} (it ends before it starts)"
                        )
                    ranges.append((a, b))
                elif isinstance(a, tuple) and isinstance(b, tuple):
                    # An every-year range may wrap the new year: "*-12-30..*-01-02".
                    yearly.update(_month_day_span(a, b))
                else:
                    raise ConfigError(
                        f"{path}: range {show(item)} mixes an exact date and an every-year date"
                    )
            elif isinstance(item, str | date):
                parsed = parse_date_or_yearly(item, path)
                if isinstance(parsed, int):
                    ranges.append((parsed, parsed))
                else:
                    yearly.add(parsed)
            else:
                raise ConfigError(f"{path}: expected a date string, got {show(item)}")
        return cls.build(ranges, yearly)

    @classmethod
    def build(cls, ranges: Sequence[tuple[int, int]], yearly: Iterable[MonthDay] = ()) -> DateSet:
        """Canonical form: ranges merged (adjacent ones too) and sorted."""
        merged: list[tuple[int, int]] = []
        for a, b in sorted(ranges):
            if merged and a <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        return cls(tuple(merged), frozenset(yearly), tuple(a for a, _ in merged))

    def has(self, ordinal: int, md: MonthDay) -> bool:
        """Whether the date (given both as ordinal and as month-day) is in the set."""
        if md in self.yearly:
            return True
        i = bisect_right(self._starts, ordinal) - 1
        return i >= 0 and ordinal <= self.ranges[i][1]

    def __contains__(self, ordinal: object) -> bool:
        if not isinstance(ordinal, int) or not 1 <= ordinal <= date.max.toordinal():
            return False
        d = date.fromordinal(ordinal)
        return self.has(ordinal, (d.month, d.day))

    def __bool__(self) -> bool:
        return bool(self.ranges or self.yearly)

    def covers_every_date(self) -> bool:
        """Whether the set holds every date of years 1 to 9999."""
        return len(self.yearly) == len(_MONTH_DAYS) or self.ranges == (
            (1, date.max.toordinal()),
        )

    def to_list(self) -> list[str]:
        """Canonical text: exact dates and ranges, then every-year dates grouped into runs."""
        out = [
            format_date(a) if a == b else f"{format_date(a)}..{format_date(b)}"
            for a, b in self.ranges
        ]
        indexes = sorted(_MONTH_DAY_INDEX[md] for md in self.yearly)
        k = 0
        while k < len(indexes):
            last = k
            while last + 1 < len(indexes) and indexes[last + 1] == indexes[last] + 1:
                last += 1
            first_md, last_md = _MONTH_DAYS[indexes[k]], _MONTH_DAYS[indexes[last]]
            if k == last:
                out.append(format_month_day(first_md))
            else:
                out.append(f"{format_month_day(first_md)}..{format_month_day(last_md)}")
            k = last + 1
        return out


@dataclass(frozen=True, slots=True)
class Overrides:
    """Special hours for exact dates and for every-year dates (exact beats every-year)."""

    exact: tuple[tuple[int, DayHours], ...] = ()
    yearly: tuple[tuple[MonthDay, DayHours], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.exact or self.yearly)

    def any_open(self) -> bool:
        """Whether some override gives hours (rather than ``closed``)."""
        return any(h for _, h in self.exact) or any(h for _, h in self.yearly)

    def to_dict(self) -> dict[str, str | list[str]]:
        """Canonical text: exact dates in order, then every-year dates."""
        out: dict[str, str | list[str]] = {}
        for ordinal, hours in self.exact:
            out[format_date(ordinal)] = format_day_hours(hours) if hours else "closed"
        for md, hours in self.yearly:
            out[format_month_day(md)] = format_day_hours(hours) if hours else "closed"
        return out


@dataclass(frozen=True, slots=True)
class Season:
    """Weekly hours for part of every year (``*-MM-DD`` bounds) or for a span of dates.

    Exact bounds are ordinals (either may be ``None``: open-ended); every-year bounds are
    month-days and may wrap the new year.  Bounds are inclusive.
    """

    start: int | MonthDay | None
    end: int | MonthDay | None
    week: Week
    # (lo, hi, yearly): ordinal bounds, or month-day indexes for an every-year season.
    _span: tuple[int, int, bool] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        start, end = self.start, self.end
        if isinstance(start, tuple) and isinstance(end, tuple):
            span = (_MONTH_DAY_INDEX[start], _MONTH_DAY_INDEX[end], True)
        else:
            lo = start if isinstance(start, int) else 0
            hi = end if isinstance(end, int) else date.max.toordinal() + 1
            span = (lo, hi, False)
        object.__setattr__(self, "_span", span)

    def covers(self, ordinal: int, md: MonthDay) -> bool:
        """Whether the season holds on a date (given as ordinal and month-day)."""
        lo, hi, yearly = self._span
        if yearly:
            i = _MONTH_DAY_INDEX[md]
            return lo <= i <= hi if lo <= hi else (i >= lo or i <= hi)
        return lo <= ordinal <= hi

    def to_dict(self) -> dict[str, Any]:
        """Canonical text of the season."""
        out: dict[str, Any] = {}
        for key, bound in (("from", self.start), ("to", self.end)):
            if isinstance(bound, tuple):
                out[key] = format_month_day(bound)
            elif bound is not None:
                out[key] = format_date(bound)
        out["hours"] = format_week(self.week) if any(self.week) else {}
        return out


# -- country holidays ---------------------------------------------------------------

#: Holiday ordinals and make-up working day ordinals of one year of one source.
YearDays = tuple[frozenset[int], frozenset[int]]

_EMPTY_YEAR: YearDays = (frozenset(), frozenset())
# Years shared by every calendar in the process (a Dask worker unpickling the same
# calendar for each partition computes each year once).  Bounded: first in, first out.
_SHARED: dict[tuple[Any, ...], YearDays] = {}
_SHARED_LIMIT = 1024
# One lock for all calls into the holidays package: it makes each (source, year) load
# once, and keeps the warnings filter change below from racing with itself.
_LOAD_LOCK = threading.RLock()
_INSTANCE_LIMIT = 64


def clear_country_cache() -> None:
    """Forget every country-holiday year computed so far (for tests and long runs)."""
    with _LOAD_LOCK:
        _SHARED.clear()


def load_country_years(source: CountrySource, years: Sequence[int]) -> dict[int, YearDays]:
    """Ask the ``holidays`` package for some years of a source (uncached), in one call.

    One call for several years: building the package's holiday table costs more than
    filling in a year (translations, options), and a compiled year needs its neighbours.
    """
    import holidays  # imported lazily: only calendars with country holidays pay for it

    try:
        with warnings.catch_warnings():
            # e.g. "Requested Holidays are available only from 2001 to 2035": the package's
            # own coverage note.  A library must not turn it into an error for its caller.
            warnings.simplefilter("ignore")
            table = holidays.country_holidays(
                source.country,
                subdiv=source.subdiv,
                years=list(years),
                observed=source.observed,
                categories=source.categories,
            )
            days: dict[int, set[int]] = {year: set() for year in years}
            work: dict[int, set[int]] = {year: set() for year in years}
            for d in table:
                if d.year in days:
                    days[d.year].add(d.toordinal())
            if source.workdays:
                for d in getattr(table, "weekend_workdays", ()):
                    if d.year in work:
                        work[d.year].add(d.toordinal())
    except Exception as exc:  # a third-party failure must surface as ours
        raise ConfigError(
            f"country_holidays: the holidays package failed for {source.code()!r} "
            f"in {show(list(years))}: {show(exc)}"
        ) from None
    return {year: (frozenset(days[year]), frozenset(work[year])) for year in years}


@dataclass(frozen=True, slots=True)
class CountrySource:
    """Holidays of a country (and subdivision) from the ``holidays`` package, year by year.

    Build it with :meth:`resolve`, which checks the codes and makes them canonical
    (``"de"`` → ``"DE"``, ``"DEU"`` → ``"DE"``, ``"Bayern"`` → ``"BY"``).
    """

    country: str
    subdiv: str | None = None
    observed: bool = True
    categories: tuple[str, ...] | None = None
    workdays: bool = False
    _cache: dict[int, YearDays] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )

    def code(self) -> str:
        """``"DE"`` or ``"DE-BY"``."""
        return self.country if self.subdiv is None else f"{self.country}-{self.subdiv}"

    def year(self, year: int) -> YearDays:
        """``(holiday ordinals, make-up working day ordinals)`` of a year, computed once."""
        cached = self._cache.get(year)
        if cached is not None:
            return cached
        if not 1 <= year <= 9999:
            return _EMPTY_YEAR
        base = (self.country, self.subdiv, self.observed, self.categories, self.workdays)
        with _LOAD_LOCK:
            cached = _SHARED.get((*base, year))
            if cached is None:
                # The year and the two after it in one call (those not known yet):
                # compiling year Y asks first for 31 December of Y - 1, then for the
                # dates of Y, then for 1 January of Y + 1.
                wanted = [
                    y
                    for y in (year, year + 1, year + 2)
                    if 1 <= y <= 9999 and (*base, y) not in _SHARED
                ]
                loaded = load_country_years(self, wanted)
                for y, found in loaded.items():
                    if len(_SHARED) >= _SHARED_LIMIT:
                        del _SHARED[next(iter(_SHARED))]
                    _SHARED[(*base, y)] = found
                cached = loaded[year]
            if len(self._cache) >= _INSTANCE_LIMIT:
                self._cache.clear()
            self._cache[year] = cached
        return cached

    @classmethod
    def resolve(
        cls,
        country: str,
        subdiv: str | None,
        *,
        observed: bool = True,
        categories: Sequence[str] | None = None,
        workdays: bool = False,
        where: str,
        subdiv_where: str | None = None,
        categories_where: str | None = None,
    ) -> CountrySource:
        """A source with checked, canonical codes, or a :class:`ConfigError` with close matches.

        Only the country's module is imported; no year is computed.
        """
        entity = _entity(country.strip().upper())
        if entity is None:
            close = _close(country.strip().upper(), sorted(_country_codes()))
            raise ConfigError(f"{where}: unknown country code {show(country)}{close}")
        code: str = entity.country
        canonical_subdiv = None
        if subdiv is not None:
            canonical_subdiv = _resolve_subdiv(entity, code, subdiv, subdiv_where or where)
        canonical_categories = None
        if categories is not None:
            canonical_categories = _resolve_categories(
                entity, code, categories, categories_where or where
            )
        return cls(code, canonical_subdiv, observed, canonical_categories, workdays)

    def to_value(self) -> str | dict[str, Any]:
        """Canonical text: ``"DE-BY"`` when nothing but the codes is set, else a table."""
        if self.observed and self.categories is None and not self.workdays:
            return self.code()
        out: dict[str, Any] = {"country": self.country}
        if self.subdiv is not None:
            out["subdiv"] = self.subdiv
        out["observed"] = self.observed
        if self.categories is not None:
            out["categories"] = list(self.categories)
        out["workdays"] = self.workdays
        return out


def _close(text: str, choices: Sequence[str]) -> str:
    """``"; did you mean 'A', 'B'?"`` for close matches of ``text``, or nothing."""
    if len(text) > 60:  # difflib is quadratic; a code that long is not a typo
        return ""
    close = difflib.get_close_matches(text, choices, n=3, cutoff=0.5)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


@functools.cache
def _country_codes() -> frozenset[str]:
    """Every country code the ``holidays`` package knows (alpha-2, alpha-3 and aliases).

    Read from the package's registry, which imports no country module; the public
    ``list_supported_countries`` imports all of them (about 200 ms) and is the fallback.
    """
    import holidays

    try:
        from holidays.registry import EntityLoader

        codes = frozenset(EntityLoader.get_country_codes(include_aliases=True))
    except (ImportError, AttributeError, TypeError):  # pragma: no cover - older packages
        codes = frozenset(holidays.list_supported_countries(include_aliases=True))
    return codes


@functools.cache
def _country_names() -> dict[str, str]:
    """Country names (letters only, lower case) to alpha-2 codes, from the registry."""
    try:
        from holidays.registry import COUNTRIES
    except ImportError:  # pragma: no cover - older packages: no name hints
        return {}
    names: dict[str, str] = {}
    for module, entities in COUNTRIES.items():
        if len(entities) > 1:
            for name in (module, entities[0]):
                names["".join(c for c in name.lower() if c.isalpha())] = entities[1]
    return names


def country_code_for_name(text: str) -> str | None:
    """The code of a country written by name (``"Germany"`` → ``"DE"``), if it is one."""
    return _country_names().get("".join(c for c in text.lower() if c.isalpha()))


def _entity(code: str) -> Any:
    """The ``holidays`` class of a country code, or ``None`` if the code is unknown."""
    if code not in _country_codes():
        return None
    import holidays

    loader = getattr(holidays, code, None)
    get_entity = getattr(loader, "get_entity", None)
    return get_entity() if callable(get_entity) else loader


def _resolve_subdiv(entity: Any, country: str, subdiv: str, where: str) -> str:
    codes = [str(s) for s in entity.subdivisions]
    parent = getattr(entity, "parent_entity", None)
    if parent is not None:
        codes += [str(s) for s in parent.subdivisions if str(s) not in codes]
    aliases: dict[str, str] = {str(k): str(v) for k, v in entity.subdivisions_aliases.items()}
    want = subdiv.strip().casefold()
    for sub in codes:
        if sub.casefold() == want:
            return sub
    for alias, sub in aliases.items():
        if alias.casefold() == want:
            return sub
    if not codes:
        raise ConfigError(f"{where}: country {country!r} has no subdivisions in the holidays data")
    close = _close(subdiv.strip().upper(), codes) or _close(subdiv.strip(), list(aliases))
    raise ConfigError(f"{where}: unknown subdivision {show(subdiv)} of {country!r}{close}")


def _resolve_categories(
    entity: Any, country: str, categories: Sequence[str], where: str
) -> tuple[str, ...] | None:
    supported = [str(c) for c in entity.supported_categories]
    chosen: set[str] = set()
    for i, name in enumerate(categories):
        match = next((c for c in supported if c.casefold() == name.strip().casefold()), None)
        if match is None:
            raise ConfigError(
                f"{where}[{i}]: unknown holiday category {show(name)} for {country!r}"
                f"{_close(name.strip().lower(), supported)} "
                f"(supported: {', '.join(supported)})"
            )
        chosen.add(match)
    if chosen == {entity.default_category}:
        return None  # the package's default: written the short way
    return tuple(sorted(chosen))


# -- the rules ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rules:
    """The date rules of a calendar, in SPEC §3's order of precedence."""

    week: Week
    holidays: DateSet = DateSet()
    overrides: Overrides = Overrides()
    seasons: tuple[Season, ...] = ()
    countries: tuple[CountrySource, ...] = ()
    _exact_overrides: dict[int, DayHours] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )
    _yearly_overrides: dict[MonthDay, DayHours] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )
    _latest_first: tuple[Season, ...] = field(
        default=(), init=False, compare=False, hash=False, repr=False
    )
    # Whether any rule looks at the month, day or year of a date; if none does, day()
    # skips building the date (it is called for every date of every compiled year).
    _by_ordinal_only: bool = field(
        default=False, init=False, compare=False, hash=False, repr=False
    )

    def __post_init__(self) -> None:
        self._exact_overrides.update(self.overrides.exact)
        self._yearly_overrides.update(self.overrides.yearly)
        object.__setattr__(self, "_latest_first", tuple(reversed(self.seasons)))
        object.__setattr__(
            self,
            "_by_ordinal_only",
            not (
                self._yearly_overrides
                or self.holidays.yearly
                or self.countries
                or any(isinstance(s.start, tuple) for s in self.seasons)
            ),
        )

    def day(self, ordinal: int) -> tuple[DayHours, bool]:
        """``(hours, pinned)`` of a local date (ordinal).

        Precedence (SPEC §3): an override (exact before every-year), then a holiday of
        any source (closed), then the last listed season covering the date, then the
        weekly hours.  A make-up working day of a country source (``workdays = true``)
        opens with the first weekday that has hours in the week in force.
        """
        hours = self._exact_overrides.get(ordinal)
        if hours is not None:
            return hours, True
        if self._by_ordinal_only:
            holidays = self.holidays
            if holidays.ranges:
                i = bisect_right(holidays._starts, ordinal) - 1
                if i >= 0 and ordinal <= holidays.ranges[i][1]:
                    return (), True
            week = self.week
            for season in self._latest_first:
                lo, hi, _ = season._span
                if lo <= ordinal <= hi:
                    week = season.week
                    break
            return week[(ordinal - 1) % 7], False  # ordinal 1, 0001-01-01, is a Monday
        _, hours, pinned = self.explain(ordinal)
        return hours, pinned

    def explain(self, ordinal: int) -> tuple[DayRule, DayHours, bool]:
        """``(rule, hours, pinned)`` of a local date: which SPEC §3 rule gives its hours."""
        hours = self._exact_overrides.get(ordinal)
        if hours is not None:
            return "override", hours, True
        d = date.fromordinal(ordinal)
        md = (d.month, d.day)
        if self._yearly_overrides:
            hours = self._yearly_overrides.get(md)
            if hours is not None:
                return "override", hours, True
        if self.holidays.has(ordinal, md):
            return "holiday", (), True
        makeup = False
        if self.countries:
            year = d.year
            for source in self.countries:
                days, work = source.year(year)
                if ordinal in days:
                    return "holiday", (), True
                if ordinal in work:
                    makeup = True
        week = self.week
        rule: DayRule = "weekly"
        for season in self._latest_first:
            if season.covers(ordinal, md):
                week, rule = season.week, "season"
                break
        if makeup:
            return "workday", next((h for h in week if h), ()), False
        return rule, week[d.weekday()], False

    def is_pinned(self, ordinal: int) -> bool:
        """Whether a date has an override or is a holiday."""
        return self.day(ordinal)[1]
