"""Which hours hold on a local date: holidays, overrides, seasons, country sources.

Everything is kept as it was meant, never expanded: a holiday range of 9,000 years is
two ordinals, an every-year date is a month and a day.  :class:`Rules` answers one
question, :meth:`Rules.day`: the hours of a local date and whether the date is pinned.
"""

from __future__ import annotations

import difflib
import re
import threading
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bizclock._errors import ConfigError
from bizclock._schedule import DayHours, Week, format_day_hours, format_week

__all__ = [
    "CountrySource",
    "DateSet",
    "Overrides",
    "Rules",
    "Season",
    "format_date",
    "parse_date",
    "parse_date_or_yearly",
]

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_YEARLY = re.compile(r"\*-(\d{2})-(\d{2})")
MonthDay = tuple[int, int]


def parse_date(text: object, where: str) -> int:
    """``"YYYY-MM-DD"`` as a proleptic Gregorian ordinal."""
    if not isinstance(text, str):
        raise ConfigError(f"{where}: expected a date 'YYYY-MM-DD', got {text!r}")
    match = _DATE.fullmatch(text.strip())
    if match is None:
        raise ConfigError(f"{where}: malformed date {text!r}; expected 'YYYY-MM-DD'")
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    if not 1 <= year <= 9999:
        raise ConfigError(f"{where}: year {year} in {text!r} is outside 1-9999")
    try:
        return date(year, month, day).toordinal()
    except ValueError:
        raise ConfigError(f"{where}: impossible date {text!r}") from None


def parse_month_day(text: str, where: str) -> MonthDay:
    """``"*-MM-DD"`` as ``(month, day)``; ``*-02-29`` is valid (it holds in leap years)."""
    match = _YEARLY.fullmatch(text.strip())
    if match is None:
        raise ConfigError(f"{where}: malformed date {text!r}; expected '*-MM-DD'")
    month, day = int(match[1]), int(match[2])
    try:
        date(2000, month, day)  # a leap year, so that *-02-29 is accepted
    except ValueError:
        raise ConfigError(f"{where}: impossible date {text!r}") from None
    return month, day


def parse_date_or_yearly(text: object, where: str) -> int | MonthDay:
    """An exact date (ordinal) or an every-year ``*-MM-DD`` (month, day)."""
    if isinstance(text, str) and text.strip().startswith("*"):
        return parse_month_day(text, where)
    return parse_date(text, where)


def format_date(ordinal: int) -> str:
    """An ordinal as ``"YYYY-MM-DD"``."""
    return date.fromordinal(ordinal).isoformat()


def format_month_day(md: MonthDay) -> str:
    """``(month, day)`` as ``"*-MM-DD"``."""
    return f"*-{md[0]:02d}-{md[1]:02d}"


def _all_month_days() -> list[MonthDay]:
    return [
        (d.month, d.day)
        for d in (date.fromordinal(date(2000, 1, 1).toordinal() + k) for k in range(366))
    ]


_MONTH_DAYS = _all_month_days()
_MONTH_DAY_INDEX = {md: i for i, md in enumerate(_MONTH_DAYS)}


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
                f"{where}: expected a list of dates, e.g. ['2026-12-24', '*-12-25'], got {value!r}"
            )
        ranges: list[tuple[int, int]] = []
        yearly: set[MonthDay] = set()
        for i, item in enumerate(value):
            path = f"{where}[{i}]"
            if not isinstance(item, str):
                raise ConfigError(f"{path}: expected a date string, got {item!r}")
            if ".." in item:
                first, _, last = item.partition("..")
                a = parse_date_or_yearly(first, path)
                b = parse_date_or_yearly(last, path)
                if isinstance(a, int) and isinstance(b, int):
                    if b < a:
                        raise ConfigError(
                            f"{path}: reversed range {item!r} (ends before it starts)"
                        )
                    ranges.append((a, b))
                elif isinstance(a, tuple) and isinstance(b, tuple):
                    yearly.update(_month_day_span(a, b))
                else:
                    raise ConfigError(
                        f"{path}: range {item!r} mixes an exact date and an every-year date"
                    )
            else:
                parsed = parse_date_or_yearly(item, path)
                if isinstance(parsed, int):
                    ranges.append((parsed, parsed))
                else:
                    yearly.add(parsed)
        return cls.build(ranges, yearly)

    @classmethod
    def build(cls, ranges: Sequence[tuple[int, int]], yearly: Any = ()) -> DateSet:
        """Canonical form: ranges merged (adjacent ones too) and sorted."""
        merged: list[tuple[int, int]] = []
        for a, b in sorted(ranges):
            if merged and a <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        return cls(tuple(merged), frozenset(yearly), tuple(a for a, _ in merged))

    def __contains__(self, ordinal: object) -> bool:
        if not isinstance(ordinal, int):
            return False
        i = bisect_right(self._starts, ordinal) - 1
        if i >= 0 and ordinal <= self.ranges[i][1]:
            return True
        if self.yearly:
            d = date.fromordinal(ordinal)
            return (d.month, d.day) in self.yearly
        return False

    def __bool__(self) -> bool:
        return bool(self.ranges or self.yearly)

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


def _month_day_span(a: MonthDay, b: MonthDay) -> list[MonthDay]:
    """Month-days from ``a`` to ``b`` inclusive, wrapping the new year if ``b`` is before ``a``."""
    i, j = _MONTH_DAY_INDEX[a], _MONTH_DAY_INDEX[b]
    if i <= j:
        return _MONTH_DAYS[i : j + 1]
    return _MONTH_DAYS[i:] + _MONTH_DAYS[: j + 1]


@dataclass(frozen=True, slots=True)
class Overrides:
    """Special hours for exact dates and for every-year dates (exact beats every-year)."""

    exact: tuple[tuple[int, DayHours], ...] = ()
    yearly: tuple[tuple[MonthDay, DayHours], ...] = ()

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
    """Weekly hours for part of every year (``*-MM-DD`` bounds) or for a span of dates."""

    start: int | MonthDay | None
    end: int | MonthDay | None
    week: Week

    def covers(self, ordinal: int, md: MonthDay) -> bool:
        """Whether the season holds on a date."""
        start, end = self.start, self.end
        if isinstance(start, tuple) and isinstance(end, tuple):
            i, a, b = _MONTH_DAY_INDEX[md], _MONTH_DAY_INDEX[start], _MONTH_DAY_INDEX[end]
            return a <= i <= b if a <= b else (i >= a or i <= b)
        lo = start if isinstance(start, int) else -1
        hi = end if isinstance(end, int) else 10**9
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


@dataclass(frozen=True, slots=True)
class CountrySource:
    """Holidays of a country (and subdivision) from the ``holidays`` package, year by year."""

    country: str
    subdiv: str | None = None
    observed: bool = True
    categories: tuple[str, ...] | None = None
    workdays: bool = False
    _cache: dict[int, tuple[frozenset[int], frozenset[int]]] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, compare=False, hash=False, repr=False
    )

    def _load(self, year: int) -> Any:
        import holidays  # imported lazily: only calendars with country holidays pay for it

        return holidays.country_holidays(
            self.country,
            subdiv=self.subdiv,
            years=year,
            observed=self.observed,
            categories=self.categories,
        )

    def year(self, year: int) -> tuple[frozenset[int], frozenset[int]]:
        """``(holiday ordinals, make-up working day ordinals)`` of a year, computed once."""
        cached = self._cache.get(year)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._cache.get(year)
            if cached is None:
                table = self._load(year)
                days = frozenset(d.toordinal() for d in table if d.year == year)
                work = frozenset(
                    d.toordinal()
                    for d in getattr(table, "weekend_workdays", ())
                    if d.year == year
                ) if self.workdays else frozenset()
                cached = (days, work)
                if len(self._cache) > 64:
                    self._cache.clear()
                self._cache[year] = cached
            return cached

    def validate(self, where: str) -> None:
        """Raise a :class:`ConfigError` (with close matches) if the codes are unknown."""
        import holidays

        supported: Mapping[str, Sequence[str]] = holidays.list_supported_countries()
        if self.country not in supported:
            close = difflib.get_close_matches(self.country.upper(), list(supported), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise ConfigError(f"{where}: unknown country code {self.country!r}{hint}")
        if self.subdiv is not None:
            subdivs = list(supported[self.country])
            aliases = _subdivision_aliases(self.country)
            if self.subdiv not in subdivs and self.subdiv not in aliases:
                close = difflib.get_close_matches(self.subdiv.upper(), subdivs, n=3)
                hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
                raise ConfigError(
                    f"{where}: unknown subdivision {self.subdiv!r} of {self.country!r}{hint}"
                )
        try:
            self._load(2000)
        except (NotImplementedError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"{where}: {exc}") from None

    def to_value(self) -> str | dict[str, Any]:
        """Canonical text: ``"DE-BY"`` when nothing but the codes is set, else a table."""
        if self.observed and self.categories is None and not self.workdays:
            return self.country if self.subdiv is None else f"{self.country}-{self.subdiv}"
        out: dict[str, Any] = {"country": self.country}
        if self.subdiv is not None:
            out["subdiv"] = self.subdiv
        out["observed"] = self.observed
        if self.categories is not None:
            out["categories"] = list(self.categories)
        out["workdays"] = self.workdays
        return out


def _subdivision_aliases(country: str) -> set[str]:
    import holidays

    try:
        cls = holidays.country_holidays(country).__class__
    except NotImplementedError:
        return set()
    aliases = getattr(cls, "subdivisions_aliases", {}) or {}
    return set(aliases)


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

    def __post_init__(self) -> None:
        self._exact_overrides.update(self.overrides.exact)
        self._yearly_overrides.update(self.overrides.yearly)

    def day(self, ordinal: int) -> tuple[DayHours, bool]:
        """``(hours, pinned)`` of a local date (ordinal)."""
        hours = self._exact_overrides.get(ordinal)
        d = date.fromordinal(ordinal)
        md = (d.month, d.day)
        if hours is None and self._yearly_overrides:
            hours = self._yearly_overrides.get(md)
        if hours is not None:
            return hours, True
        if ordinal in self.holidays:
            return (), True
        makeup = False
        for source in self.countries:
            days, work = source.year(d.year)
            if ordinal in days:
                return (), True
            makeup = makeup or ordinal in work
        week = self.week
        for season in reversed(self.seasons):
            if season.covers(ordinal, md):
                week = season.week
                break
        if makeup:
            return next((h for h in week if h), ()), False
        return week[d.weekday()], False

    def is_pinned(self, ordinal: int) -> bool:
        """Whether a date has an override or is a holiday."""
        return self.day(ordinal)[1]
