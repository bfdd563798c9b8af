"""The calendar schema end to end (SPEC §3): validation messages, canonical form, equality,
pickling, the JSON and TOML readers, seasons and country holidays seen through a Calendar."""

from __future__ import annotations

import copy
import json
import pickle
import re
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bizclock import BizclockError, Calendar, ConfigError
from bizclock._rules import clear_country_cache

BERLIN = ZoneInfo("Europe/Berlin")
BASE: dict[str, Any] = {"timezone": "Europe/Berlin", "hours": {"mon-fri": "09:00-17:00"}}

TYPICAL: dict[str, Any] = {
    "timezone": "Europe/Berlin",
    "hours": {"mon-fri": ["09:00-12:00", "13:00-17:00"], "sat": "10:00-14:00"},
    "holidays": ["2026-12-24", "*-12-25", "*-12-26", "2026-12-28..2026-12-31"],
    "country_holidays": ["DE-BY"],
    "seasons": [
        {
            "from": "*-06-01",
            "to": "*-08-31",
            "hours": {"mon-thu": "08:00-16:00", "fri": "08:00-12:00"},
        }
    ],
    "overrides": {
        "2026-12-31": "09:00-12:00",
        "*-12-24": "09:00-13:00",
        "2026-12-27": "10:00-14:00",
        "2026-05-04": "closed",
    },
}


def with_(**changes: Any) -> dict[str, Any]:
    """BASE with some keys replaced (``None`` removes a key)."""
    config = dict(BASE)
    for key, value in changes.items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    return config


def at(day: str, hour: int = 0, minute: int = 0) -> datetime:
    d = date.fromisoformat(day)
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=BERLIN)


# -- refusals ---------------------------------------------------------------------------

REFUSED: list[tuple[str, Any, str]] = [
    # the calendar as a whole
    ("not-a-table", ["timezone"], r"^calendar: expected a table \(dict\) of settings"),
    ("unknown-key", with_(holiday=[]), r"^holiday: unknown key; did you mean 'holidays'\?"),
    ("non-string-key", {**BASE, 1: 2}, r"^calendar: keys must be strings, got 1"),
    ("no-timezone", with_(timezone=None), r"^timezone: missing"),
    ("no-hours", with_(hours=None), r"^hours: missing"),
    # timezone
    (
        "zone-typo",
        with_(timezone="Europe/Berln"),
        r"^timezone: unknown time zone 'Europe/Berln'; "
        r"did you mean 'Europe/Berlin'",
    ),
    ("zone-int", with_(timezone=5), r"^timezone: expected an IANA time zone name"),
    ("zone-bool", with_(timezone=True), r"^timezone: expected an IANA time zone name"),
    ("zone-empty", with_(timezone=""), r"^timezone: the time zone name is empty"),
    ("zone-huge", with_(timezone="x" * 100_000), r"^timezone: unknown time zone 'x+\.\.\.x+'"),
    ("zone-path", with_(timezone="../../etc/passwd"), r"^timezone: unknown time zone"),
    # hours
    ("hours-int", with_(hours=5), r"^hours: expected a table of days .* got 5$"),
    ("hours-list", with_(hours=["09:00-17:00"]), r"^hours: expected a table of days"),
    ("hours-bool", with_(hours={"mon": True}), r"^hours\.mon: expected an interval .* got True"),
    ("hours-empty-string", with_(hours={"mon": ""}), r"^hours\.mon: malformed interval ''"),
    ("hours-empty-day", with_(hours={"": "09:00-17:00"}), r"^hours\.: empty day name in ''"),
    ("hour-25", with_(hours={"mon": "25:00-26:00"}), r"^hours\.mon: impossible time '25:00'"),
    ("9am", with_(hours={"mon": "9am-5pm"}), r"^hours\.mon: malformed time '9am'"),
    ("empty-interval", with_(hours={"mon": "09:00-09:00"}), r"^hours\.mon: empty interval"),
    ("24-as-start", with_(hours={"mon": "24:00-06:00"}), r"^hours\.mon: '24:00' can only end"),
    (
        "overlap",
        with_(hours={"mon": ["12:00-14:00", "13:00-12:30"]}),
        r"^hours\.mon\[1\]: '13:00-12:30' overlaps '12:00-14:00'$",
    ),
    ("unknown-day", with_(hours={"funday": "09:00-17:00"}), r"^hours\.funday: unknown weekday"),
    (
        "day-twice-via-range",
        with_(hours={"mon-fri": "09:00-17:00", "wed": "10:00-11:00"}),
        r"^hours\.wed: 'wed' is already named by 'mon-fri'$",
    ),
    (
        "day-twice-via-wrap",
        with_(hours={"sat-mon": "09:00-17:00", "sun": "10:00-11:00"}),
        r"^hours\.sun: 'sun' is already named by 'sat-mon'$",
    ),
    ("closed-in-hours", with_(hours={"mon": "closed"}), r"^hours\.mon: 'closed' is only for"),
    ("never-open", with_(hours={}), r"^hours: the calendar can never be open"),
    # holidays
    ("holidays-string", with_(holidays="2026-12-25"), r"^holidays: expected a list of dates"),
    ("holidays-int", with_(holidays=[20261225]), r"^holidays\[0\]: expected a date string"),
    ("impossible-date", with_(holidays=["2026-02-30"]), r"^holidays\[0\]: impossible date"),
    ("impossible-yearly", with_(holidays=["*-02-30"]), r"^holidays\[0\]: impossible date"),
    (
        "reversed-range",
        with_(holidays=["2026-01-01", "2026-12-31..2026-12-01"]),
        r"^holidays\[1\]: reversed range '2026-12-31..2026-12-01'",
    ),
    ("empty-date", with_(holidays=[""]), r"^holidays\[0\]: malformed date ''"),
    ("year-0", with_(holidays=["0000-06-01"]), r"^holidays\[0\]: the year of .* outside 1-9999"),
    ("year-10000", with_(holidays=["10000-06-01"]), r"^holidays\[0\]: the year .* outside 1-9999"),
    ("holiday-none", with_(holidays=[None]), r"^holidays\[0\]: expected a date string, got None"),
    (
        "closed-every-year",
        with_(holidays=["*-01-01..*-12-31"]),
        r"^holidays: the calendar can never be open",
    ),
    (
        "closed-for-ever",
        with_(holidays=["0001-01-01..9999-12-31"]),
        r"^holidays: the calendar can never be open",
    ),
    # country holidays
    ("country-string", with_(country_holidays="DE"), r"^country_holidays: expected a list"),
    ("country-int", with_(country_holidays=[5]), r"^country_holidays\[0\]: expected a code"),
    ("country-empty", with_(country_holidays=[""]), r"^country_holidays\[0\]: empty country code"),
    (
        "country-unknown",
        with_(country_holidays=["XY"]),
        r"^country_holidays\[0\]: unknown country code 'XY'",
    ),
    (
        "country-malformed",
        with_(country_holidays=["Germany"]),
        r"^country_holidays\[0\]: malformed country code 'Germany'; .*did you mean 'DE'\?$",
    ),
    (
        "country-by-name",
        with_(country_holidays=["United States-CA"]),
        r"^country_holidays\[0\]: malformed country code 'United States'; .*did you mean 'US'\?$",
    ),
    (
        "country-name-unknown",
        with_(country_holidays=[{"country": "Narnia"}]),
        r"^country_holidays\[0\]\.country: malformed country code 'Narnia'; [^;]*$",
    ),
    (
        "subdiv-unknown",
        with_(country_holidays=["DE-XX"]),
        r"^country_holidays\[0\]: unknown subdivision 'XX' of 'DE'",
    ),
    (
        "subdiv-empty",
        with_(country_holidays=["DE-"]),
        r"^country_holidays\[0\]: empty subdivision in 'DE-'",
    ),
    (
        "table-no-country",
        with_(country_holidays=[{"subdiv": "BY"}]),
        r"^country_holidays\[0\]\.country: missing",
    ),
    (
        "table-country-int",
        with_(country_holidays=[{"country": 49}]),
        r"^country_holidays\[0\]\.country: expected a country code like 'US', got 49",
    ),
    (
        "table-unknown-key",
        with_(country_holidays=[{"country": "DE", "subdivision": "BY"}]),
        r"^country_holidays\[0\]\.subdivision: unknown key; did you mean 'subdiv'\?",
    ),
    (
        "table-subdiv-unknown",
        with_(country_holidays=[{"country": "US", "subdiv": "ZZ"}]),
        r"^country_holidays\[0\]\.subdiv: unknown subdivision 'ZZ' of 'US'",
    ),
    (
        "table-subdiv-int",
        with_(country_holidays=[{"country": "US", "subdiv": 6}]),
        r"^country_holidays\[0\]\.subdiv: expected a subdivision code",
    ),
    (
        "observed-string",
        with_(country_holidays=[{"country": "DE", "observed": "yes"}]),
        r"^country_holidays\[0\]\.observed: expected true or false, got 'yes'",
    ),
    (
        "workdays-int",
        with_(country_holidays=[{"country": "CN", "workdays": 1}]),
        r"^country_holidays\[0\]\.workdays: expected true or false, got 1",
    ),
    (
        "categories-string",
        with_(country_holidays=[{"country": "DE", "categories": "public"}]),
        r"^country_holidays\[0\]\.categories: expected a list of category names",
    ),
    (
        "categories-empty",
        with_(country_holidays=[{"country": "DE", "categories": []}]),
        r"^country_holidays\[0\]\.categories: empty list",
    ),
    (
        "category-unknown",
        with_(country_holidays=[{"country": "DE", "categories": ["public", "pubic"]}]),
        r"^country_holidays\[0\]\.categories\[1\]: unknown holiday category 'pubic' for 'DE'; "
        r"did you mean 'public'\?",
    ),
    (
        "category-bool",
        with_(country_holidays=[{"country": "DE", "categories": [True]}]),
        r"^country_holidays\[0\]\.categories\[0\]: expected a category name",
    ),
    (
        "country-twice",
        with_(country_holidays=["DE-BY", {"country": "de", "subdiv": "Bayern"}]),
        r"^country_holidays\[1\]: 'DE-BY' is already listed at country_holidays\[0\]",
    ),
    # seasons
    ("seasons-table", with_(seasons={"from": "*-06-01"}), r"^seasons: expected a list of tables"),
    ("season-string", with_(seasons=["summer"]), r"^seasons\[0\]: expected a table"),
    (
        "season-no-hours",
        with_(seasons=[{"from": "*-06-01", "to": "*-08-31"}]),
        r"^seasons\[0\]\.hours: missing",
    ),
    (
        "season-no-bounds",
        with_(seasons=[{"hours": {"mon": "08:00-12:00"}}]),
        r"^seasons\[0\]: give 'from', 'to' or both",
    ),
    (
        "season-typo",
        with_(seasons=[{"form": "*-06-01", "to": "*-08-31", "hours": {}}]),
        r"^seasons\[0\]\.form: unknown key; did you mean 'from'\?",
    ),
    (
        "season-yearly-open-ended",
        with_(seasons=[{"from": "*-06-01", "hours": {}}]),
        r"^seasons\[0\]: an every-year season needs both 'from' and 'to'",
    ),
    (
        "season-mixed-bounds",
        with_(seasons=[{"from": "2026-06-01", "to": "*-08-31", "hours": {}}]),
        r"^seasons\[0\]: an every-year season needs both",
    ),
    (
        "season-reversed",
        with_(seasons=[{"from": "2026-08-31", "to": "2026-06-01", "hours": {}}]),
        r"^seasons\[0\]: 'to' \('2026-06-01'\) is before 'from' \('2026-08-31'\)",
    ),
    (
        "season-impossible",
        with_(seasons=[{"from": "*-06-31", "to": "*-08-31", "hours": {}}]),
        r"^seasons\[0\]\.from: impossible date '\*-06-31'",
    ),
    (
        "season-bad-hours",
        with_(seasons=[{"from": "*-06-01", "to": "*-08-31", "hours": {"mon": ["8-12"]}}]),
        r"^seasons\[0\]\.hours\.mon\[0\]: malformed time '8'",
    ),
    (
        "season-closed",
        with_(seasons=[{"from": "*-06-01", "to": "*-08-31", "hours": {"mon": "closed"}}]),
        r"^seasons\[0\]\.hours\.mon: 'closed' is only for overrides",
    ),
    # overrides
    ("overrides-list", with_(overrides=["2026-12-31"]), r"^overrides: expected a table of dates"),
    ("override-key-int", with_(overrides={5: "closed"}), r"^overrides: dates must be strings"),
    (
        "override-impossible",
        with_(overrides={"2026-13-01": "closed"}),
        r"^overrides\.2026-13-01: impossible date",
    ),
    (
        "override-range",
        with_(overrides={"2026-12-24..2026-12-26": "closed"}),
        r"^overrides\.2026-12-24\.\.2026-12-26: an override names one date .* not a range",
    ),
    (
        "override-hours",
        with_(overrides={"2026-12-31": "9-12"}),
        r"^overrides\.2026-12-31: malformed time '9'",
    ),
    (
        "override-int",
        with_(overrides={"2026-12-31": 5}),
        r"^overrides\.2026-12-31: expected an interval",
    ),
    (
        "override-overlap",
        with_(overrides={"2026-12-31": ["09:00-12:00", "11:00-13:00"]}),
        r"^overrides\.2026-12-31\[1\]: '11:00-13:00' overlaps '09:00-12:00'",
    ),
    (
        "override-twice",
        with_(overrides={"2026-12-31": "closed", " 2026-12-31": "09:00-12:00"}),
        r"^overrides\. 2026-12-31: the date is named twice",
    ),
]


class TestRefused:
    @pytest.mark.parametrize(
        ("config", "message"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
    )
    def test_message_names_the_key_path(self, config: Any, message: str) -> None:
        with pytest.raises(ConfigError, match=message) as info:
            Calendar.from_dict(config)
        assert isinstance(info.value, ValueError)
        assert isinstance(info.value, BizclockError)
        assert len(str(info.value)) < 400

    def test_keyword_form_validates_the_same(self) -> None:
        with pytest.raises(ConfigError, match=r"^holidays: expected a list of dates"):
            Calendar(timezone="UTC", hours="24/7", holidays="2026-12-25")

    def test_junk_that_breaks_repr(self) -> None:
        deep: list[Any] = []
        for _ in range(50_000):
            deep = [deep]
        for config in (
            with_(hours={"mon": deep}),
            with_(holidays=deep),
            with_(overrides={"2026-12-31": deep}),
            with_(timezone=10**5000),
            with_(holidays=[float("nan")]),
            {**BASE, 10**5000: 1},
        ):
            with pytest.raises(ConfigError):
                Calendar.from_dict(config)


# -- accepted forms -----------------------------------------------------------------------


class TestAccepted:
    def test_spec_example(self) -> None:
        cal = Calendar.from_dict(TYPICAL)
        assert cal.timezone == "Europe/Berlin"

    def test_full_weekday_names_and_case(self) -> None:
        cal = Calendar.from_dict(with_(hours={"Monday-Friday": "09:00-17:00"}))
        assert cal == Calendar.from_dict(BASE)

    def test_dates_as_date_objects(self) -> None:
        # TOML reads a bare 2026-12-25 as a date; Python users may pass dates as well.
        a = Calendar.from_dict(
            with_(holidays=[date(2026, 12, 25)], overrides={date(2026, 12, 24): "closed"})
        )
        b = Calendar.from_dict(with_(holidays=["2026-12-25"], overrides={"2026-12-24": "closed"}))
        assert a == b

    def test_datetimes_are_not_dates(self) -> None:
        with pytest.raises(ConfigError, match=r"^holidays\[0\]: expected a date, got a datetime"):
            Calendar.from_dict(with_(holidays=[datetime(2026, 12, 25)]))

    def test_a_closed_base_week_with_an_override_that_opens(self) -> None:
        cal = Calendar.from_dict(with_(hours={}, overrides={"2026-12-27": "10:00-14:00"}))
        assert cal.open_intervals(at("2026-12-27"), at("2026-12-28")) == [
            (at("2026-12-27", 10), at("2026-12-27", 14))
        ]


# -- canonical form, equality, pickling --------------------------------------------------


class TestCanonical:
    def test_to_dict_of_the_spec_example(self) -> None:
        assert Calendar.from_dict(TYPICAL).to_dict() == {
            "timezone": "Europe/Berlin",
            "hours": {"mon-fri": ["09:00-12:00", "13:00-17:00"], "sat": "10:00-14:00"},
            "holidays": ["2026-12-24", "2026-12-28..2026-12-31", "*-12-25..*-12-26"],
            "country_holidays": ["DE-BY"],
            "seasons": [
                {
                    "from": "*-06-01",
                    "to": "*-08-31",
                    "hours": {"mon-thu": "08:00-16:00", "fri": "08:00-12:00"},
                }
            ],
            "overrides": {
                "2026-05-04": "closed",
                "2026-12-27": "10:00-14:00",
                "2026-12-31": "09:00-12:00",
                "*-12-24": "09:00-13:00",
            },
        }

    @pytest.mark.parametrize(
        "config",
        [
            BASE,
            TYPICAL,
            {"timezone": "UTC", "hours": "24/7"},
            {"timezone": "UTC", "hours": {"mon-sun": "00:00-24:00"}},
            with_(hours={"fri-mon": "22:00-06:00"}),
            with_(hours={}, seasons=[{"from": "2026-01-01", "hours": {"tue": "10:00-11:00"}}]),
            with_(seasons=[{"to": "2020-12-31", "hours": {}}]),
            with_(seasons=[{"from": "*-12-01", "to": "*-02-28", "hours": "24/7"}]),
            with_(country_holidays=[{"country": "US", "subdiv": "CA", "observed": False}]),
            with_(country_holidays=[{"country": "CN", "workdays": True}]),
            with_(country_holidays=[{"country": "DE", "categories": ["catholic", "public"]}]),
            with_(holidays=["*-12-30..*-01-02", "*-02-29"]),
            with_(overrides={"*-02-29": [], "2026-03-01": ["13:00-14:00", "09:00-10:00"]}),
        ],
    )
    def test_round_trip(self, config: dict[str, Any]) -> None:
        cal = Calendar.from_dict(config)
        canonical = cal.to_dict()
        again = Calendar.from_dict(canonical)
        assert again == cal
        assert hash(again) == hash(cal)
        assert again.to_dict() == canonical
        # The canonical form is plain JSON.
        assert Calendar.from_json(json.dumps(canonical)) == cal

    def test_to_dict_is_a_fresh_copy(self) -> None:
        cal = Calendar.from_dict(TYPICAL)
        d = cal.to_dict()
        d["hours"]["sun"] = "10:00-11:00"
        assert cal.to_dict() == Calendar.from_dict(TYPICAL).to_dict()

    @pytest.mark.parametrize(
        ("a", "b"),
        [
            (
                {"mon-fri": "09:00-17:00"},
                {
                    "mon": "09:00-17:00",
                    "tue": "09:00-17:00",
                    "wed": "09:00-17:00",
                    "thu": "09:00-17:00",
                    "fri": "09:00-17:00",
                },
            ),
            ({"mon-fri": "09:00-17:00"}, {"mon,tue,wed,thu,fri": ["09:00-17:00"]}),
            ({"mon": ["13:00-17:00", "09:00-12:00"]}, {"Monday": ["09:00-12:00", "13:00-17:00"]}),
            ({"sat": "12:00-00:00"}, {"sat": "12:00-24:00"}),
            ("24/7", {"mon-sun": "00:00-24:00"}),
        ],
        ids=["five-days", "list-form", "order", "midnight", "24/7"],
    )
    def test_equal_hours_make_equal_calendars(self, a: Any, b: Any) -> None:
        ca, cb = Calendar.from_dict(with_(hours=a)), Calendar.from_dict(with_(hours=b))
        assert ca == cb
        assert hash(ca) == hash(cb)
        assert len({ca, cb}) == 1

    def test_equal_dates_and_sources_make_equal_calendars(self) -> None:
        a = Calendar.from_dict(
            with_(
                holidays=["2026-12-24", "2026-12-25", "*-01-01"],
                country_holidays=["US-CA", "DE-BY"],
                overrides={"*-12-31": "closed", "2026-06-01": "09:00-10:00"},
            )
        )
        b = Calendar.from_dict(
            with_(
                holidays=["*-01-01", "2026-12-24..2026-12-25"],
                country_holidays=[{"country": "deu", "subdiv": "Bayern"}, "usa-ca"],
                overrides={"2026-06-01": ["09:00-10:00"], "*-12-31": []},
            )
        )
        assert a == b
        assert hash(a) == hash(b)

    @pytest.mark.parametrize(
        "change",
        [
            {"timezone": "Europe/Paris"},
            {"hours": {"mon-fri": "09:00-17:30"}},
            {"holidays": ["2026-12-24"]},
            {"country_holidays": ["DE"]},
            {"country_holidays": [{"country": "DE", "observed": False}]},
            {"overrides": {"2026-12-24": "closed"}},
            {"seasons": [{"from": "*-06-01", "to": "*-08-31", "hours": {}}]},
        ],
    )
    def test_different_configs_are_unequal(self, change: dict[str, Any]) -> None:
        assert Calendar.from_dict(BASE) != Calendar.from_dict({**BASE, **change})

    def test_season_order_matters(self) -> None:
        s1 = {"from": "*-06-01", "to": "*-08-31", "hours": {"mon": "08:00-12:00"}}
        s2 = {"from": "*-07-01", "to": "*-07-31", "hours": {"tue": "08:00-12:00"}}
        assert Calendar.from_dict(with_(seasons=[s1, s2])) != Calendar.from_dict(
            with_(seasons=[s2, s1])
        )


class TestPickle:
    def test_small_and_equal(self) -> None:
        cal = Calendar.from_dict(TYPICAL)
        cal.elapsed(at("2020-01-01"), at("2030-01-01"))  # warm caches: they must not travel
        blob = pickle.dumps(cal)
        assert len(blob) < 4096
        assert len(blob) == len(pickle.dumps(Calendar.from_dict(TYPICAL)))
        back = pickle.loads(blob)
        assert back == cal
        assert back.to_dict() == cal.to_dict()

    def test_an_unpickled_calendar_answers_the_same(self) -> None:
        cal = Calendar.from_dict(TYPICAL)
        back = pickle.loads(pickle.dumps(cal, protocol=pickle.HIGHEST_PROTOCOL))
        starts = [at("2026-01-05", 8) + timedelta(hours=37 * k) for k in range(60)]
        for t in starts:
            for d in (timedelta(hours=1), timedelta(hours=30), timedelta(hours=500)):
                assert back.add(t, d) == cal.add(t, d)
            assert back.elapsed(t, t + timedelta(days=40)) == cal.elapsed(t, t + timedelta(days=40))
            assert back.is_open(t) == cal.is_open(t)

    def test_copy_and_deepcopy(self) -> None:
        cal = Calendar.from_dict(TYPICAL)
        assert copy.copy(cal) == cal
        assert copy.deepcopy(cal) == cal


# -- JSON and TOML --------------------------------------------------------------------------

TOML_EXAMPLE = """
timezone = "Europe/Berlin"
holidays = ["2026-12-24", "*-12-25", "*-12-26", "2026-12-28..2026-12-31"]
country_holidays = ["DE-BY"]

[hours]
"mon-fri" = ["09:00-12:00", "13:00-17:00"]
sat = "10:00-14:00"

[[seasons]]
from = "*-06-01"
to = "*-08-31"
hours = { "mon-thu" = "08:00-16:00", fri = "08:00-12:00" }

[overrides]
"2026-12-31" = "09:00-12:00"
"*-12-24" = "09:00-13:00"
"2026-12-27" = "10:00-14:00"
"2026-05-04" = "closed"
"""


class TestFromJsonToml:
    def test_the_three_forms_agree(self, tmp_path: Path) -> None:
        from_dict = Calendar.from_dict(TYPICAL)
        assert Calendar.from_toml(TOML_EXAMPLE) == from_dict
        assert Calendar.from_json(json.dumps(TYPICAL)) == from_dict
        toml_file = tmp_path / "cal.toml"
        toml_file.write_text(TOML_EXAMPLE, encoding="utf-8")
        json_file = tmp_path / "cal.json"
        json_file.write_text(json.dumps(TYPICAL), encoding="utf-8")
        assert Calendar.from_toml(toml_file) == from_dict
        assert Calendar.from_toml(str(toml_file)) == from_dict
        assert Calendar.from_json(json_file) == from_dict
        assert Calendar.from_json(str(json_file)) == from_dict

    def test_toml_bare_dates(self) -> None:
        text = 'timezone = "UTC"\nhours = "24/7"\nholidays = [2026-12-25]\n'
        assert Calendar.from_toml(text) == Calendar.from_dict(
            {"timezone": "UTC", "hours": "24/7", "holidays": ["2026-12-25"]}
        )

    @pytest.mark.parametrize(
        ("reader", "text", "message"),
        [
            ("json", "{", r"^json: line 1, column 2"),
            ("json", "[1, 2]", r"^calendar: expected a table"),
            ("json", '{"timezone": NaN, "hours": "24/7"}', r"^timezone: expected an IANA"),
            ("json", '{"timezone": "UTC", "hours": 5}', r"^hours: expected a table of days"),
            ("toml", "timezone = ", r"^toml: "),
            ("toml", 'timezone = "UTC"\nhours = "24/7"\nextra = 1', r"^extra: unknown key"),
            ("toml", 'timezone = "UTC"\n[hours]\nmon = 09:00:00', r"^hours\.mon: expected an"),
        ],
    )
    def test_errors(self, reader: str, text: str, message: str) -> None:
        read = Calendar.from_json if reader == "json" else Calendar.from_toml
        with pytest.raises(ConfigError, match=message):
            read(text)

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match="cannot read the file"):
            Calendar.from_toml(tmp_path / "missing.toml")
        with pytest.raises(ConfigError, match="cannot read the file"):
            Calendar.from_json(str(tmp_path / "missing.json"))

    def test_pathological_text_is_a_config_error(self, tmp_path: Path) -> None:
        deep = "[" * 100_000 + "]" * 100_000
        huge = "1" * 5000
        with pytest.raises(ConfigError, match=r"^json: nested too deeply"):
            Calendar.from_json(deep)
        with pytest.raises(ConfigError, match=r"^toml: nested too deeply"):
            Calendar.from_toml("a = " + deep)
        with pytest.raises(ConfigError, match=r"^json: "):
            Calendar.from_json('{"timezone": ' + huge + "}")
        with pytest.raises(ConfigError, match=r"^toml: "):
            Calendar.from_toml("timezone = " + huge)
        bad = tmp_path / "latin1.json"
        bad.write_bytes(b'{"timezone": "\xe9"}')
        with pytest.raises(ConfigError, match="not UTF-8"):
            Calendar.from_json(bad)

    def test_a_json_key_given_twice(self) -> None:
        text = '{"timezone": "UTC", "hours": {"mon": "09:00-10:00", "mon": "10:00-11:00"}}'
        with pytest.raises(ConfigError, match="twice"):
            Calendar.from_json(text)

    @pytest.mark.parametrize("source", [None, 5, b"{}"])
    def test_wrong_source_types(self, source: Any) -> None:
        with pytest.raises(ConfigError):
            Calendar.from_json(source)
        with pytest.raises(ConfigError):
            Calendar.from_toml(source)


# -- seasons through a calendar ---------------------------------------------------------------


class TestSeasons:
    def test_summer_hours(self) -> None:
        cal = Calendar.from_dict(TYPICAL)
        # Monday 2026-06-01: the season's 08:00-16:00, not the weekly 09:00-12:00/13:00-17:00.
        assert cal.open_intervals(at("2026-06-01"), at("2026-06-02")) == [
            (at("2026-06-01", 8), at("2026-06-01", 16))
        ]
        # Saturday 2026-06-06: the season does not name Saturday, so it is closed.
        assert not cal.is_business_day(date(2026, 6, 6))
        assert cal.is_business_day(date(2026, 5, 30))
        # Monday 2026-09-07: back to the weekly hours.
        assert cal.open_intervals(at("2026-09-07"), at("2026-09-08")) == [
            (at("2026-09-07", 9), at("2026-09-07", 12)),
            (at("2026-09-07", 13), at("2026-09-07", 17)),
        ]

    def test_a_holiday_closes_a_season_day_and_an_override_opens_it(self) -> None:
        cal = Calendar.from_dict(
            with_(
                holidays=["*-07-01"],
                overrides={"2027-07-01": "10:00-11:00"},
                seasons=[{"from": "*-06-01", "to": "*-08-31", "hours": "24/7"}],
            )
        )
        assert not cal.is_business_day(date(2026, 7, 1))
        assert cal.elapsed(at("2027-07-01"), at("2027-07-02")) == timedelta(hours=1)
        assert cal.elapsed(at("2026-07-04"), at("2026-07-05")) == timedelta(hours=24)

    def test_wrapping_winter_season(self) -> None:
        cal = Calendar.from_dict(
            with_(
                seasons=[{"from": "*-12-01", "to": "*-02-28", "hours": {"mon-fri": "10:00-15:00"}}]
            )
        )
        for day in ("2026-12-01", "2027-01-04", "2027-02-26"):
            assert cal.elapsed(at(day), at(day) + timedelta(days=1)) == timedelta(hours=5), day
        for day in ("2026-11-30", "2027-03-01"):
            assert cal.elapsed(at(day), at(day) + timedelta(days=1)) == timedelta(hours=8), day
        # 29 February comes after the 28th: a season to *-02-28 leaves it to the weekly hours.
        assert cal.elapsed(at("2028-02-29"), at("2028-03-01")) == timedelta(hours=8)

    def test_from_a_date_on(self) -> None:
        cal = Calendar.from_dict(
            with_(seasons=[{"from": "2027-01-01", "hours": {"mon-thu": "08:00-18:00"}}])
        )
        assert cal.elapsed(at("2026-12-28"), at("2027-01-04")) == timedelta(hours=8 * 4)
        assert cal.elapsed(at("2031-01-06"), at("2031-01-13")) == timedelta(hours=40)

    def test_exact_bounds_are_inclusive(self) -> None:
        cal = Calendar.from_dict(
            with_(seasons=[{"from": "2026-03-02", "to": "2026-03-04", "hours": "24/7"}])
        )
        assert cal.elapsed(at("2026-03-01"), at("2026-03-06")) == timedelta(hours=24 * 3 + 8)

    def test_last_listed_season_wins(self) -> None:
        cal = Calendar.from_dict(
            with_(
                seasons=[
                    {"from": "*-06-01", "to": "*-08-31", "hours": {"mon-fri": "08:00-12:00"}},
                    {"from": "2026-07-01", "to": "2026-07-31", "hours": {"mon": "14:00-15:00"}},
                ]
            )
        )
        assert cal.elapsed(at("2026-07-06"), at("2026-07-11")) == timedelta(hours=1)
        assert cal.elapsed(at("2026-06-01"), at("2026-06-06")) == timedelta(hours=20)
        assert cal.elapsed(at("2027-07-05"), at("2027-07-10")) == timedelta(hours=20)


# -- country holidays through a calendar -------------------------------------------------------



class TestCountryHolidays:
    def test_codes_close_their_dates(self) -> None:
        cal = Calendar.from_dict(with_(country_holidays=["DE-BY"]))
        assert not cal.is_business_day(date(2026, 1, 6))  # Epiphany in Bavaria
        assert cal.is_business_day(date(2026, 1, 7))
        plain = Calendar.from_dict(with_(country_holidays=["DE-BE"]))
        assert plain.is_business_day(date(2026, 1, 6))

    def test_observed_days(self) -> None:
        us = {"timezone": "America/New_York", "hours": {"mon-fri": "09:00-17:00"}}
        assert not Calendar.from_dict({**us, "country_holidays": ["US"]}).is_business_day(
            date(2026, 7, 3)
        )
        unobserved = Calendar.from_dict(
            {**us, "country_holidays": [{"country": "US", "observed": False}]}
        )
        assert unobserved.is_business_day(date(2026, 7, 3))

    def test_categories(self) -> None:
        catholic = Calendar.from_dict(
            with_(
                country_holidays=[
                    {"country": "DE", "subdiv": "BY", "categories": ["public", "catholic"]}
                ]
            )
        )
        assert not catholic.is_business_day(date(2025, 8, 15))  # Assumption Day, a Friday
        assert Calendar.from_dict(with_(country_holidays=["DE-BY"])).is_business_day(
            date(2025, 8, 15)
        )

    def test_make_up_working_days(self) -> None:
        base = {"timezone": "Asia/Shanghai", "hours": {"mon-fri": "09:00-18:00"}}
        cal = Calendar.from_dict(
            {**base, "country_holidays": [{"country": "CN", "workdays": True}]}
        )
        shanghai = ZoneInfo("Asia/Shanghai")
        sunday = datetime(2024, 2, 4, tzinfo=shanghai)
        assert cal.open_intervals(sunday, sunday + timedelta(days=1)) == [
            (sunday + timedelta(hours=9), sunday + timedelta(hours=18))
        ]
        assert not cal.is_business_day(date(2024, 2, 11))  # Spring Festival (a Sunday anyway)
        assert not cal.is_business_day(date(2024, 2, 12))
        assert not cal.is_business_day(date(2024, 2, 3))  # an ordinary Saturday
        without = Calendar.from_dict({**base, "country_holidays": ["CN"]})
        assert not without.is_business_day(date(2024, 2, 4))
        override = Calendar.from_dict(
            {
                **base,
                "country_holidays": [{"country": "CN", "workdays": True}],
                "overrides": {"2024-02-04": "10:00-12:00"},
            }
        )
        assert override.elapsed(sunday, sunday + timedelta(days=1)) == timedelta(hours=2)

    def test_a_query_far_ahead_computes_only_the_years_it_needs(self, loads: list[int]) -> None:
        cal = Calendar.from_dict(
            {
                "timezone": "Europe/Berlin",
                "hours": {"mon-fri": "09:00-17:00"},
                "country_holidays": ["US-CA", "DE-BY"],
            }
        )
        construction = list(loads)
        assert construction == []  # validating the codes computes no year
        t = at("2090-03-01", 12)
        cal.add(t, timedelta(hours=10))
        assert loads
        assert all(year >= 2088 for year in loads), sorted(set(loads))
        assert len(loads) <= 2 * 4  # two sources, a few years each
        loads.clear()
        cal.add(t, timedelta(hours=20))
        cal.elapsed(t, t + timedelta(days=20))
        assert loads == []  # cached

    def test_many_threads_on_a_fresh_calendar(self) -> None:
        clear_country_cache()
        config = with_(country_holidays=["US-CA", "DE-BY", {"country": "CN", "workdays": True}])
        reference = Calendar.from_dict(config)
        starts = [at(f"{2030 + k % 7}-0{1 + k % 9}-1{k % 10}", 8 + k % 9) for k in range(48)]
        expected = [reference.add(t, timedelta(hours=50)) for t in starts]
        clear_country_cache()
        cal = Calendar.from_dict(config)
        barrier = threading.Barrier(6)
        results: dict[int, list[datetime]] = {}

        def work(i: int) -> None:
            barrier.wait()
            order = starts[i:] + starts[:i]
            got = [cal.add(t, timedelta(hours=50)) for t in order]
            results[i] = got[len(starts) - i :] + got[: len(starts) - i]

        threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(results) == 6
        for got in results.values():
            assert got == expected


# -- the schema page ----------------------------------------------------------------------


def test_every_toml_block_of_the_configuration_page_loads() -> None:
    """The ``toml`` blocks of docs/configuration.md are calendars (the doctests run the rest)."""
    page = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"
    blocks = re.findall(r"^```toml\n(.*?)^```", page.read_text(encoding="utf-8"), re.M | re.S)
    assert blocks
    for block in blocks:
        cal = Calendar.from_toml(block)
        assert Calendar.from_dict(cal.to_dict()) == cal
    assert Calendar.from_toml(blocks[0]) == Calendar.from_dict(TYPICAL)
