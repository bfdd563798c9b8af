"""Date rules: dates and ranges, seasons, country sources and SPEC §3 precedence (Rules.day)."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest

from bizclock import ConfigError
from bizclock._rules import (
    CountrySource,
    DateSet,
    Overrides,
    Rules,
    Season,
    YearDays,
    clear_country_cache,
    parse_date,
    parse_date_or_yearly,
    parse_month_day,
)
from bizclock._schedule import DayHours, Week, parse_week

H = 3600
NINE_FIVE: DayHours = ((9 * H, 17 * H),)
EIGHT_FOUR: DayHours = ((8 * H, 16 * H),)
OFFICE: Week = parse_week({"mon-fri": "09:00-17:00"})


def o(text: str) -> int:
    """Ordinal of an ISO date."""
    return date.fromisoformat(text).toordinal()


class TestParseDate:
    def test_exact_and_yearly(self) -> None:
        assert parse_date("2026-12-24", "x") == o("2026-12-24")
        assert parse_date(date(2026, 12, 24), "x") == o("2026-12-24")
        assert parse_date_or_yearly("*-12-25", "x") == (12, 25)
        assert parse_month_day("*-02-29", "x") == (2, 29)  # leap years only

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("2026-02-30", "impossible date '2026-02-30'"),
            ("2025-02-29", "impossible date '2025-02-29'"),
            ("*-02-30", "impossible date '\\*-02-30'"),
            ("*-13-01", "impossible date"),
            ("0000-01-01", "the year of '0000-01-01' is outside 1-9999"),
            ("10000-01-01", "the year of '10000-01-01' is outside 1-9999"),
            ("2026-1-5", "malformed date '2026-1-5'"),
            ("26-01-05", "malformed date"),
            ("", "malformed date ''"),
            ("*", "malformed date '\\*'"),
            ("2026-12-24T00:00", "malformed date"),
            ("２０２６-１２-２４", "malformed date"),  # full-width digits
            (20261224, "expected a date 'YYYY-MM-DD', got 20261224"),
            (True, "expected a date 'YYYY-MM-DD', got True"),
            (datetime(2026, 1, 1), "expected a date, got a datetime"),
        ],
    )
    def test_refused(self, value: object, message: str) -> None:
        with pytest.raises(ConfigError, match=r"^at: " + message):
            parse_date_or_yearly(value, "at")

    def test_huge_year_is_reported_without_reading_it(self) -> None:
        with pytest.raises(ConfigError, match="outside 1-9999"):
            parse_date("9" * 10_000 + "-01-01", "at")


class TestDateSet:
    def test_ranges_are_kept_as_ranges_and_merged(self) -> None:
        s = DateSet.parse(
            ["2026-12-28..2026-12-31", "2026-12-24", "2026-12-25", "2026-12-26..2026-12-27"], "h"
        )
        assert s.ranges == ((o("2026-12-24"), o("2026-12-31")),)
        assert s.to_list() == ["2026-12-24..2026-12-31"]

    def test_a_range_of_9000_years_is_two_ordinals(self) -> None:
        s = DateSet.parse(["1000-01-01..9999-12-31"], "h")
        assert s.ranges == ((o("1000-01-01"), o("9999-12-31")),)
        assert o("5000-06-15") in s
        assert o("0999-12-31") not in s

    def test_yearly_dates_and_ranges(self) -> None:
        s = DateSet.parse(["*-12-25", "*-12-24..*-12-26", "*-12-31..*-01-01"], "h")
        assert s.yearly == {(12, 24), (12, 25), (12, 26), (12, 31), (1, 1)}
        assert s.to_list() == ["*-01-01", "*-12-24..*-12-26", "*-12-31"]
        assert o("2031-12-25") in s
        assert o("2031-12-27") not in s

    def test_feb_29_holds_in_leap_years_only(self) -> None:
        s = DateSet.parse(["*-02-29"], "h")
        assert o("2028-02-29") in s
        assert o("2027-02-28") not in s
        assert o("2027-03-01") not in s

    def test_canonical_equality(self) -> None:
        a = DateSet.parse(["2026-01-01", "2026-01-02", "*-05-01"], "h")
        b = DateSet.parse(["*-05-01", "2026-01-01..2026-01-02"], "h")
        assert a == b
        assert hash(a) == hash(b)
        assert DateSet.parse(a.to_list(), "h") == a

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("2026-12-25", r"^h: expected a list of dates"),
            ({"2026-12-25": True}, r"^h: expected a list of dates"),
            ([5], r"^h\[0\]: expected a date string, got 5"),
            (["2026-12-31..2026-12-01"], r"^h\[0\]: reversed range '2026-12-31..2026-12-01'"),
            (["2026-12-01..*-12-05"], r"^h\[0\]: range .* mixes an exact date and an every-year"),
            (["2026-12-01..2026-12-05..2026-12-07"], r"^h\[0\]: malformed date"),
            (["2026-12-01.."], r"^h\[0\]: malformed date ''"),
            (["ok", "2026-02-30"], r"^h\[0\]: malformed date 'ok'"),
            (["2026-01-01", "2026-02-30"], r"^h\[1\]: impossible date '2026-02-30'"),
        ],
    )
    def test_refused(self, value: object, message: str) -> None:
        with pytest.raises(ConfigError, match=message):
            DateSet.parse(value, "h")


class TestSeason:
    def test_yearly_bounds_are_inclusive(self) -> None:
        summer = Season((6, 1), (8, 31), OFFICE)
        assert summer.covers(o("2026-06-01"), (6, 1))
        assert summer.covers(o("2026-08-31"), (8, 31))
        assert not summer.covers(o("2026-05-31"), (5, 31))
        assert not summer.covers(o("2026-09-01"), (9, 1))

    def test_yearly_bounds_may_wrap_the_new_year(self) -> None:
        winter = Season((12, 1), (2, 28), OFFICE)
        for day in ("2026-12-01", "2026-12-31", "2027-01-01", "2027-02-28"):
            d = date.fromisoformat(day)
            assert winter.covers(d.toordinal(), (d.month, d.day)), day
        for day in ("2026-11-30", "2027-03-01", "2028-02-29"):
            d = date.fromisoformat(day)
            assert not winter.covers(d.toordinal(), (d.month, d.day)), day

    def test_to_feb_29_covers_the_whole_february(self) -> None:
        winter = Season((12, 1), (2, 29), OFFICE)
        assert winter.covers(o("2028-02-29"), (2, 29))
        assert not winter.covers(o("2027-03-01"), (3, 1))

    def test_exact_and_open_ended_bounds(self) -> None:
        span = Season(o("2026-03-01"), o("2026-03-31"), OFFICE)
        assert span.covers(o("2026-03-01"), (3, 1))
        assert span.covers(o("2026-03-31"), (3, 31))
        assert not span.covers(o("2027-03-15"), (3, 15))
        from_on = Season(o("2027-01-01"), None, OFFICE)
        assert from_on.covers(o("9999-12-31"), (12, 31))
        assert not from_on.covers(o("2026-12-31"), (12, 31))
        until = Season(None, o("2020-12-31"), OFFICE)
        assert until.covers(o("0001-01-01"), (1, 1))
        assert not until.covers(o("2021-01-01"), (1, 1))


def week_of(**days: DayHours) -> Week:
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    w = [days.get(n, ()) for n in names]
    return (w[0], w[1], w[2], w[3], w[4], w[5], w[6])


class TestPrecedence:
    """SPEC §3: override > holiday > last listed covering season > weekday."""

    rules = Rules(
        week=OFFICE,
        holidays=DateSet.parse(["2026-12-24", "*-12-25", "2026-07-01..2026-07-03"], "h"),
        overrides=Overrides(
            exact=((o("2026-12-24"), ((9 * H, 12 * H),)), (o("2026-12-25"), ())),
            yearly=(((12, 25), ((10 * H, 11 * H),)), ((12, 31), ())),
        ),
        seasons=(
            Season((6, 1), (8, 31), week_of(mon=EIGHT_FOUR, tue=EIGHT_FOUR)),
            Season(o("2026-07-01"), o("2026-07-31"), week_of(mon=((7 * H, 8 * H),))),
        ),
    )

    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            ("2026-12-24", (((9 * H, 12 * H),), True)),  # an override beats a holiday
            ("2026-12-25", ((), True)),  # an exact override beats an every-year one
            ("2027-12-25", (((10 * H, 11 * H),), True)),  # the every-year override
            ("2026-12-31", ((), True)),  # an every-year "closed" override (a Thursday)
            ("2026-07-02", ((), True)),  # a holiday beats seasons
            ("2026-07-06", (((7 * H, 8 * H),), False)),  # the last listed season wins
            ("2026-07-07", ((), False)),  # ... and the weekdays it does not name are closed
            ("2026-08-03", ((EIGHT_FOUR), False)),  # only the summer season covers August
            ("2026-08-05", ((), False)),  # a Wednesday the summer season leaves closed
            ("2026-09-07", ((NINE_FIVE), False)),  # no season: the weekly hours
            ("2026-09-06", ((), False)),  # a Sunday
        ],
    )
    def test_day(self, day: str, expected: tuple[DayHours, bool]) -> None:
        assert self.rules.day(o(day)) == expected

    def test_is_pinned(self) -> None:
        assert self.rules.is_pinned(o("2026-07-01"))
        assert not self.rules.is_pinned(o("2026-07-06"))


# -- country sources -----------------------------------------------------------------



class TestCountrySourceResolve:
    @pytest.mark.parametrize(
        ("country", "subdiv", "code"),
        [
            ("DE", "BY", "DE-BY"),
            ("de", "by", "DE-BY"),
            ("DEU", "BY", "DE-BY"),
            ("DE", "Bayern", "DE-BY"),
            ("US", None, "US"),
            ("UK", "Scotland", "GB-SCT"),
        ],
    )
    def test_canonical_codes(self, country: str, subdiv: str | None, code: str) -> None:
        assert CountrySource.resolve(country, subdiv, where="c").code() == code

    def test_unknown_country_suggests_close_codes(self) -> None:
        with pytest.raises(ConfigError, match=r"^c: unknown country code 'DX'; did you mean"):
            CountrySource.resolve("DX", None, where="c")

    def test_unknown_subdivision_suggests_close_codes(self) -> None:
        with pytest.raises(
            ConfigError, match=r"^s: unknown subdivision 'BZ' of 'DE'; did you mean .*'BY'"
        ):
            CountrySource.resolve("DE", "BZ", where="c", subdiv_where="s")

    def test_unknown_subdivision_name_suggests_close_names(self) -> None:
        with pytest.raises(ConfigError, match=r"did you mean .*'Bayern'"):
            CountrySource.resolve("DE", "Bayernn", where="c")

    def test_categories(self) -> None:
        source = CountrySource.resolve("DE", "BY", categories=["Catholic", "public"], where="c")
        assert source.categories == ("catholic", "public")
        # The package's default category alone is the same as no categories.
        public = CountrySource.resolve("DE", None, categories=["public"], where="c")
        assert public.categories is None
        with pytest.raises(
            ConfigError, match=r"^k\[1\]: unknown holiday category 'publik' for 'DE'"
        ):
            CountrySource.resolve(
                "DE", None, categories=["school", "publik"], where="c", categories_where="k"
            )

    def test_resolve_computes_no_year(self, loads: list[int]) -> None:
        CountrySource.resolve("FR", None, where="c")
        assert loads == []


class TestCountrySourceYears:
    def test_known_holidays(self) -> None:
        by = CountrySource.resolve("DE", "BY", where="c")
        days, work = by.year(2026)
        assert o("2026-01-06") in days  # Epiphany: Bavaria, not all of Germany
        assert o("2026-12-25") in days
        assert o("2026-12-24") not in days
        assert work == frozenset()
        de = CountrySource.resolve("DE", None, where="c")
        assert o("2026-01-06") not in de.year(2026)[0]

    def test_observed_days_are_included_unless_turned_off(self) -> None:
        # 4 July 2026 is a Saturday: observed on Friday 3 July.
        assert o("2026-07-03") in CountrySource.resolve("US", None, where="c").year(2026)[0]
        plain = CountrySource.resolve("US", None, observed=False, where="c")
        assert o("2026-07-03") not in plain.year(2026)[0]
        assert o("2026-07-04") in plain.year(2026)[0]

    def test_make_up_working_days(self) -> None:
        cn = CountrySource.resolve("CN", None, workdays=True, where="c")
        days, work = cn.year(2024)
        assert o("2024-02-04") in work  # a Sunday worked for the Spring Festival
        assert o("2024-10-12") in work
        assert o("2024-10-01") in days
        assert all(date.fromordinal(d).year == 2024 for d in work)
        assert CountrySource.resolve("CN", None, where="c").year(2024)[1] == frozenset()

    def test_years_are_loaded_lazily(self, loads: list[int]) -> None:
        by = CountrySource.resolve("DE", "BY", where="c")
        by.year(2090)
        assert loads
        assert set(loads) <= {2090, 2091, 2092}
        loads.clear()
        for year in (2090, 2091, 2092):
            by.year(year)
        assert loads == []  # computed once

    def test_years_are_shared_between_equal_sources(self, loads: list[int]) -> None:
        CountrySource.resolve("DE", "BY", where="c").year(2040)
        loads.clear()
        CountrySource.resolve("de", "Bayern", where="c").year(2040)
        assert loads == []

    def test_years_outside_1_9999_are_empty(self, loads: list[int]) -> None:
        by = CountrySource.resolve("DE", "BY", where="c")
        assert by.year(0) == (frozenset(), frozenset())
        assert by.year(10_000) == (frozenset(), frozenset())
        by.year(9999)
        assert loads == [9999]

    def test_edge_years_work(self) -> None:
        for code in ("US", "CN", "IL", "SA", "IN"):
            source = CountrySource.resolve(code, None, where="c")
            source.year(1)
            source.year(9999)

    def test_concurrent_first_use_loads_each_year_once(self, loads: list[int]) -> None:
        by = CountrySource.resolve("DE", "BY", where="c")
        barrier = threading.Barrier(8)
        results: list[YearDays] = []

        def work() -> None:
            barrier.wait()
            results.append(by.year(2050))

        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 8
        assert all(r == results[0] for r in results)
        assert sorted(loads) == [2050, 2051, 2052]

    def test_a_failure_of_the_holidays_package_is_a_config_error(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import holidays

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("boom")

        clear_country_cache()
        monkeypatch.setattr(holidays, "country_holidays", broken)
        source = CountrySource.resolve("DE", None, where="c")
        with pytest.raises(ConfigError, match=r"holidays package failed for 'DE'.*boom"):
            source.year(2033)
        clear_country_cache()

    def test_canonical_value(self) -> None:
        assert CountrySource.resolve("de", "by", where="c").to_value() == "DE-BY"
        assert CountrySource.resolve("CN", None, workdays=True, where="c").to_value() == {
            "country": "CN",
            "observed": True,
            "workdays": True,
        }
        assert CountrySource.resolve(
            "US", "CA", observed=False, categories=["government"], where="c"
        ).to_value() == {
            "country": "US",
            "subdiv": "CA",
            "observed": False,
            "categories": ["government"],
            "workdays": False,
        }


class TestCountryRules:
    def test_country_holiday_closes_and_pins(self) -> None:
        rules = Rules(OFFICE, countries=(CountrySource.resolve("DE", "BY", where="c"),))
        assert rules.day(o("2026-01-06")) == ((), True)
        assert rules.day(o("2026-01-07")) == (NINE_FIVE, False)

    def test_make_up_day_opens_with_the_first_weekday_that_has_hours(self) -> None:
        week = week_of(tue=((10 * H, 12 * H),), wed=NINE_FIVE)
        cn = CountrySource.resolve("CN", None, workdays=True, where="c")
        rules = Rules(week, countries=(cn,))
        assert rules.day(o("2024-02-04")) == (((10 * H, 12 * H),), False)  # a Sunday

    def test_make_up_day_uses_the_season_in_force(self) -> None:
        cn = CountrySource.resolve("CN", None, workdays=True, where="c")
        season = Season((2, 1), (2, 29), week_of(thu=EIGHT_FOUR))
        rules = Rules(OFFICE, seasons=(season,), countries=(cn,))
        assert rules.day(o("2024-02-04")) == (EIGHT_FOUR, False)

    def test_overrides_and_holidays_beat_make_up_days(self) -> None:
        cn = CountrySource.resolve("CN", None, workdays=True, where="c")
        rules = Rules(
            OFFICE,
            holidays=DateSet.parse(["2024-02-18"], "h"),
            overrides=Overrides(exact=((o("2024-02-04"), ()),)),
            countries=(cn,),
        )
        assert rules.day(o("2024-02-04")) == ((), True)
        assert rules.day(o("2024-02-18")) == ((), True)
        assert rules.day(o("2024-04-07")) == (NINE_FIVE, False)

    def test_a_holiday_of_one_source_beats_a_make_up_day_of_another(self) -> None:
        cn = CountrySource.resolve("CN", None, workdays=True, where="c")
        lk = CountrySource.resolve("LK", None, where="c")  # 4 February: Independence Day
        for countries in ((cn, lk), (lk, cn)):
            assert Rules(OFFICE, countries=countries).day(o("2024-02-04")) == ((), True)


def test_the_ordinal_only_path_agrees_with_the_general_one() -> None:
    """Rules without every-year or country parts skip building dates; same answers."""
    fast = Rules(
        week_of(mon=NINE_FIVE, wed=((22 * H, 30 * H),), sat=EIGHT_FOUR),
        holidays=DateSet.parse(["2026-12-24", "2027-01-01..2027-01-10", "0001-01-01"], "h"),
        overrides=Overrides(exact=((o("2026-12-24"), NINE_FIVE), (o("2027-01-05"), ()))),
        seasons=(
            Season(o("2026-06-01"), o("2026-08-31"), week_of(tue=NINE_FIVE)),
            Season(o("2027-03-01"), None, week_of(fri=EIGHT_FOUR, sun=NINE_FIVE)),
            Season(None, o("2026-01-31"), OFFICE),
        ),
    )
    assert fast._by_ordinal_only
    general = Rules(fast.week, fast.holidays, fast.overrides, fast.seasons)
    object.__setattr__(general, "_by_ordinal_only", False)
    days = [*range(o("2025-12-01"), o("2028-01-31")), 1, 2, date.max.toordinal()]
    assert [fast.day(d) for d in days] == [general.day(d) for d in days]
