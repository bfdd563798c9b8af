"""Holidays from .ics files and closed dates to .ics: ``bizclock.ical`` (SPEC §9).

``tests/fixtures/ruritania_holidays.ics`` was written for these tests, shaped like a
published national-holiday feed: CRLF lines, a folded SUMMARY, plain yearly rules, a
BYDAY rule without end, COUNT and UNTIL rules, an EXDATE, a moved instance
(RECURRENCE-ID), multi-day events by DTEND and by DURATION, an alarm, a cancelled event.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bizclock import ArgumentError, ArgumentTypeError, Calendar, ConfigError
from bizclock.ical import calendar_with_ics, closed_dates_to_ics, holidays_from_ics
from strategies import calendar_configs

FEED = Path(__file__).parent / "fixtures" / "ruritania_holidays.ics"

FEED_2026_2028 = [
    "2026-05-25",
    "2026-06-11..2026-06-12",
    "2026-11-26",
    "2027-03-08..2027-03-10",
    "2027-05-03",
    "2027-05-31",
    "2027-11-25",
    "2028-05-01",
    "2028-05-29",
    "2028-11-23",
    "*-01-01",
    "*-12-25..*-12-26",
]


def ics(*events: str, header: str = "") -> str:
    """A calendar around some VEVENT bodies (CRLF line ends, as files have them)."""
    body = "".join(f"BEGIN:VEVENT\n{e.strip()}\nEND:VEVENT\n" for e in events)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{header}{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n")


def event(*lines: str, uid: str = "e1", summary: str = "Day off") -> str:
    return "\n".join([f"UID:{uid}", f"SUMMARY:{summary}", *lines])


class TestFeed:
    def test_unbounded_rule_needs_years(self) -> None:
        with pytest.raises(ConfigError) as info:
            holidays_from_ics(FEED)
        message = str(info.value)
        assert message.startswith("ruritania_holidays.ics, line 36: event 'Harvest Thanksgiving'")
        assert "(UID thanksgiving@holidays.example): RRULE:" in message
        assert "repeats for ever; pass years=range(first, last + 1)" in message

    def test_years(self) -> None:
        assert holidays_from_ics(FEED, years=range(2026, 2029)) == FEED_2026_2028

    @pytest.mark.parametrize(
        "load",
        [
            pytest.param(lambda p: p, id="path"),
            pytest.param(str, id="path-str"),
            pytest.param(lambda p: p.read_bytes(), id="bytes"),
            pytest.param(lambda p: p.read_bytes().decode(), id="text"),
        ],
    )
    def test_sources(self, load: Any) -> None:
        assert holidays_from_ics(load(FEED), years=range(2026, 2029)) == FEED_2026_2028

    def test_usable_as_holidays(self) -> None:
        cal = Calendar.from_dict(
            {
                "timezone": "Europe/Berlin",
                "hours": {"mon-fri": "09:00-17:00"},
                "holidays": holidays_from_ics(FEED, years=[2027]),
            }
        )
        assert not cal.is_business_day(date(2027, 5, 3))  # Labour Day, moved to Monday
        assert cal.is_business_day(date(2027, 5, 4))
        assert not cal.is_business_day(date(2030, 1, 1))  # *-01-01 holds every year
        assert cal.is_business_day(date(2026, 11, 26))  # Thanksgiving 2026: not asked for

    def test_calendar_with_ics(self) -> None:
        base = Calendar.from_dict(
            {
                "timezone": "Europe/Berlin",
                "hours": {"mon-fri": "09:00-17:00"},
                "holidays": ["2026-12-31"],
            }
        )
        cal = calendar_with_ics(base, FEED, years=range(2026, 2029))
        assert (
            cal.to_dict()["holidays"]
            == sorted([*FEED_2026_2028[:-2], "2026-12-31"]) + FEED_2026_2028[-2:]
        )
        with pytest.raises(ArgumentTypeError, match="cal: expected a Calendar"):
            calendar_with_ics(base.to_dict(), FEED)  # type: ignore[arg-type]


class TestEvents:
    @pytest.mark.parametrize(
        ("lines", "expected"),
        [
            pytest.param(["DTSTART;VALUE=DATE:20261224"], ["2026-12-24"], id="one-day"),
            pytest.param(
                ["DTSTART;VALUE=DATE:20261224", "DTEND;VALUE=DATE:20261227"],
                ["2026-12-24..2026-12-26"],
                id="dtend-exclusive",
            ),
            pytest.param(
                ["DTSTART;VALUE=DATE:20261231", "DTEND;VALUE=DATE:20270102"],
                ["2026-12-31..2027-01-01"],
                id="new-year",
            ),
            pytest.param(
                ["DTSTART;VALUE=DATE:20261224", "DTEND;VALUE=DATE:20261224"],
                ["2026-12-24"],
                id="zero-length",
            ),
            pytest.param(
                ["DTSTART;VALUE=DATE:20261224", "DURATION:P1W"],
                ["2026-12-24..2026-12-30"],
                id="duration",
            ),
            pytest.param(
                ["DTSTART;VALUE=DATE:20200704", "RRULE:FREQ=YEARLY"], ["*-07-04"], id="yearly"
            ),
            pytest.param(
                ["DTSTART;VALUE=DATE:20201231", "DTEND;VALUE=DATE:20210102", "RRULE:FREQ=YEARLY"],
                ["*-01-01", "*-12-31"],
                id="yearly-over-new-year",
            ),
            pytest.param(
                ["DTSTART;VALUE=DATE:20240229", "RRULE:FREQ=YEARLY"], ["*-02-29"], id="feb-29"
            ),
            pytest.param(
                ["DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY;COUNT=3"],
                ["2026-01-01", "2027-01-01", "2028-01-01"],
                id="count",
            ),
            pytest.param(
                ["DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY;UNTIL=20270101T000000Z"],
                ["2026-01-01", "2027-01-01"],
                id="until-utc-on-a-date",
            ),
            pytest.param(
                ["DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY;UNTIL=20261231"],
                ["2026-01-01"],
                id="until-date",
            ),
            pytest.param(
                [
                    "DTSTART;VALUE=DATE:20260105",
                    "RRULE:FREQ=WEEKLY;COUNT=4",
                    "EXDATE;VALUE=DATE:20260112,20260119",
                    "RDATE;VALUE=DATE:20260301",
                ],
                ["2026-01-05", "2026-01-26", "2026-03-01"],
                id="exdate-rdate",
            ),
            pytest.param(
                ["DTSTART;VALUE=DATE:20260105", "RRULE:FREQ=DAILY;COUNT=3", "DURATION:P2D"],
                ["2026-01-05..2026-01-08"],
                id="overlapping-occurrences-merge",
            ),
            pytest.param(["DTSTART;VALUE=DATE:20260105", "STATUS:CANCELLED"], [], id="cancelled"),
        ],
    )
    def test_all_day(self, lines: list[str], expected: list[str]) -> None:
        assert holidays_from_ics(ics(event(*lines))) == expected

    def test_plain_yearly_rule_with_exceptions_is_expanded(self) -> None:
        text = ics(
            event("DTSTART;VALUE=DATE:20250501", "RRULE:FREQ=YEARLY", "EXDATE;VALUE=DATE:20260501")
        )
        assert holidays_from_ics(text, years=range(2025, 2028)) == ["2025-05-01", "2027-05-01"]

    def test_yearly_span_over_the_end_of_february_is_expanded(self) -> None:
        # 28 February + 2 days closes 1 March in common years and 29 February in leap years.
        text = ics(event("DTSTART;VALUE=DATE:20230228", "DURATION:P2D", "RRULE:FREQ=YEARLY"))
        assert holidays_from_ics(text, years=[2023, 2024]) == [
            "2023-02-28..2023-03-01",
            "2024-02-28..2024-02-29",
        ]

    def test_expansion_stays_within_the_years(self) -> None:
        text = ics(
            event(
                "DTSTART;VALUE=DATE:20261231",
                "DURATION:P3D",
                "RRULE:FREQ=YEARLY;BYDAY=-1TH;BYMONTH=12",
            )
        )
        assert holidays_from_ics(text, years=[2027]) == [
            "2027-01-01..2027-01-02",  # the tail of the 2026 occurrence (from 31 December)
            "2027-12-30..2027-12-31",
        ]

    def test_moved_instance(self) -> None:
        master = event("DTSTART;VALUE=DATE:20260105", "RRULE:FREQ=WEEKLY;COUNT=3", uid="x")
        moved = event("RECURRENCE-ID;VALUE=DATE:20260112", "DTSTART;VALUE=DATE:20260114", uid="x")
        dropped = event(
            "RECURRENCE-ID;VALUE=DATE:20260119",
            "DTSTART;VALUE=DATE:20260119",
            "STATUS:CANCELLED",
            uid="x",
        )
        assert holidays_from_ics(ics(moved, master, dropped)) == ["2026-01-05", "2026-01-14"]

    def test_moved_instance_without_its_series(self) -> None:
        moved = event("RECURRENCE-ID;VALUE=DATE:20260112", "DTSTART;VALUE=DATE:20260114")
        assert holidays_from_ics(ics(moved)) == ["2026-01-14"]

    def test_other_components_are_ignored(self) -> None:
        todo = "BEGIN:VTODO\nUID:t\nDTSTART:20260101T090000Z\nEND:VTODO\n"
        assert holidays_from_ics(ics(event("DTSTART;VALUE=DATE:20260102"), header=todo)) == [
            "2026-01-02"
        ]

    def test_empty_calendar(self) -> None:
        assert holidays_from_ics(ics()) == []


class TestTimedEvents:
    OFFSITE = event(
        "DTSTART;TZID=Europe/Berlin:20260504T090000",
        "DTEND;TZID=Europe/Berlin:20260504T170000",
        summary="Team offsite",
    )

    def test_refused_by_default(self) -> None:
        with pytest.raises(ConfigError) as info:
            holidays_from_ics(ics(self.OFFSITE))
        assert str(info.value) == (
            "ics, line 7: event 'Team offsite' (UID e1): DTSTART: 2026-05-04T09:00:00+02:00 has a "
            "time of day; holidays are whole dates: pass timed='dates' to close the dates it "
            "touches, or timed='skip' to leave it out"
        )

    def test_skip(self) -> None:
        text = ics(self.OFFSITE, event("DTSTART;VALUE=DATE:20260505", uid="e2"))
        assert holidays_from_ics(text, timed="skip") == ["2026-05-05"]

    def test_dates_touched(self) -> None:
        assert holidays_from_ics(ics(self.OFFSITE), timed="dates") == ["2026-05-04"]

    @pytest.mark.parametrize(
        ("lines", "zone", "expected"),
        [
            pytest.param(
                ["DTSTART:20260504T220000Z", "DTEND:20260505T020000Z"],
                None,
                ["2026-05-04..2026-05-05"],
                id="over-midnight",
            ),
            pytest.param(
                ["DTSTART:20260504T220000Z", "DTEND:20260505T000000Z"],
                None,
                ["2026-05-04"],
                id="ends-at-midnight",
            ),
            pytest.param(
                ["DTSTART:20260504T220000Z", "DTEND:20260504T230000Z"],
                "Asia/Tokyo",
                ["2026-05-05"],
                id="local-date-in-zone",
            ),
            pytest.param(["DTSTART:20260504T220000"], "Asia/Tokyo", ["2026-05-04"], id="floating"),
            pytest.param(
                ["DTSTART:20260504T100000Z", "RRULE:FREQ=WEEKLY;COUNT=2", "DURATION:PT2H"],
                None,
                ["2026-05-04", "2026-05-11"],
                id="recurring",
            ),
            pytest.param(
                [
                    "DTSTART;TZID=Europe/Berlin:20260504T100000",
                    "RRULE:FREQ=DAILY;UNTIL=20260507T080000Z",
                    "EXDATE;TZID=Europe/Berlin:20260505T100000",
                ],
                None,
                ["2026-05-04", "2026-05-06..2026-05-07"],
                id="recurring-aware-until-exdate",
            ),
        ],
    )
    def test_dates_of_timed_events(
        self, lines: list[str], zone: str | None, expected: list[str]
    ) -> None:
        assert holidays_from_ics(ics(event(*lines)), timed="dates", timezone=zone) == expected

    def test_calendar_reads_them_in_its_zone(self) -> None:
        base = Calendar.from_dict({"timezone": "Asia/Tokyo", "hours": "24/7"})
        text = ics(event("DTSTART:20260504T220000Z", "DTEND:20260504T230000Z"))
        cal = calendar_with_ics(base, text, timed="dates")
        assert cal.to_dict()["holidays"] == ["2026-05-05"]

    def test_bad_timed_argument(self) -> None:
        with pytest.raises(ArgumentError, match="timed: expected 'error', 'dates' or 'skip'"):
            holidays_from_ics(ics(), timed="maybe")  # type: ignore[arg-type]


def broken(line: str, replacement: str) -> str:
    text = FEED.read_text(encoding="utf-8")
    assert line in text
    return text.replace(line, replacement, 1)


class TestBrokenFiles:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            pytest.param(
                "hello\nworld",
                "ics, line 1: not an iCalendar file (expected BEGIN:VCALENDAR, got 'hello')",
                id="not-ics",
            ),
            pytest.param("", "ics: not an iCalendar file (no BEGIN:VCALENDAR)", id="empty"),
            pytest.param(
                ics() + "BEGIN:VEVENT\r\nEND:VEVENT\r\n",
                "ics, line 5: expected BEGIN:VCALENDAR, got 'BEGIN:VEVENT'",
                id="event-after-calendar",
            ),
            pytest.param(
                "BEGIN:VEVENT\nEND:VEVENT\n",
                "ics, line 1: not an iCalendar file (expected BEGIN:VCALENDAR, got 'BEGIN:VEVENT')",
                id="no-calendar",
            ),
            pytest.param(
                broken("END:VCALENDAR", ""),
                "ics, line 1: BEGIN:VCALENDAR is never closed",
                id="unclosed",
            ),
            pytest.param(
                broken("END:VALARM", "END:VEVENT"),
                "ics, line 30: 'END:VEVENT' does not close BEGIN:VALARM of line 26",
                id="mismatched-end",
            ),
            pytest.param(
                broken("END:VCALENDAR", "END:VCALENDAR\r\nX-TRAILING:1"),
                "ics, line 84: 'X-TRAILING:1' is outside BEGIN:VCALENDAR",
                id="trailing",
            ),
            pytest.param(
                broken("TRANSP:TRANSPARENT", "TRANSP TRANSPARENT"),
                "ics, line 15: Content line could not be parsed",
                id="no-colon",
            ),
            pytest.param(
                broken("DTSTART;VALUE=DATE:20250526", "DTSTART;VALUE=DATE:2025052x"),
                "ics, line 58: event 'Spring Bank Holiday' (UID spring-bank@holidays.example): "
                "DTSTART: ",
                id="bad-dtstart",
            ),
            pytest.param(
                broken("RRULE:FREQ=YEARLY;UNTIL=20291231", "RRULE:FREQ=YEARLYX;UNTIL=20291231"),
                "ics, line 44: event 'Labour Day' (UID labour-day@holidays.example): RRULE: ",
                id="bad-rrule",
            ),
            pytest.param(
                broken("EXDATE;VALUE=DATE:20260501", "EXDATE;VALUE=DATE:2026-05-01"),
                "ics, line 45: event 'Labour Day' (UID labour-day@holidays.example): EXDATE: ",
                id="bad-exdate",
            ),
            pytest.param(
                ics(event("DTSTART;VALUE=DATE:20261224", "DTEND;VALUE=DATE:20261220")),
                "ics, line 8: event 'Day off' (UID e1): DTEND: it ends before it starts",
                id="ends-before",
            ),
            pytest.param(
                ics(event("DTSTART;VALUE=DATE:20261224", "DTEND:20261225T100000Z")),
                "DTEND: datetime.datetime(2026, 12, 25, 10, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC'))"
                " is not a date like DTSTART",
                id="mixed-kinds",
            ),
            pytest.param(
                ics(
                    event(
                        "DTSTART;VALUE=DATE:20261224", "DTEND;VALUE=DATE:20261225", "DURATION:P1D"
                    )
                ),
                "ics, line 9: event 'Day off' (UID e1): DURATION: given together with DTEND",
                id="dtend-and-duration",
            ),
            pytest.param(
                ics(event("DTSTART;VALUE=DATE:20261224", "DURATION:PT12H")),
                "DURATION: 12:00:00 is not a whole number of days",
                id="part-day-duration",
            ),
            pytest.param(
                ics(event("DTEND;VALUE=DATE:20261224")),
                "ics, line 4: event 'Day off' (UID e1): it has no DTSTART",
                id="no-dtstart",
            ),
            pytest.param(
                ics(event("DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=DAILY;COUNT=20000")),
                "RRULE: more than 10,000 occurrences; pass years=range(first, last + 1)",
                id="too-many",
            ),
            pytest.param(
                ics(
                    event(
                        "DTSTART;VALUE=DATE:20260101",
                        "RDATE;VALUE=PERIOD:20260301T000000Z/20260302T000000Z",
                    )
                ),
                "RDATE: periods are not supported",
                id="rdate-period",
            ),
            pytest.param(
                ics(
                    event("DTSTART;VALUE=DATE:20260105", "RRULE:FREQ=WEEKLY;COUNT=3", uid="x"),
                    event(
                        "RECURRENCE-ID;RANGE=THISANDFUTURE;VALUE=DATE:20260112",
                        "DTSTART;VALUE=DATE:20260113",
                        uid="x",
                    ),
                ),
                "ics, line 13: event 'Day off' (UID x): RECURRENCE-ID: RANGE=THISANDFUTURE",
                id="this-and-future",
            ),
        ],
    )
    def test_errors_name_the_line(self, text: str, message: str) -> None:
        with pytest.raises(ConfigError) as info:
            holidays_from_ics(text, years=None)
        assert message in str(info.value)

    def test_not_utf8(self) -> None:
        data = ics(event("DTSTART;VALUE=DATE:20261224", summary="Caf\u00e9")).encode("latin-1")
        with pytest.raises(ConfigError, match=r"ics, line 6: not UTF-8 text"):
            holidays_from_ics(data)

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match="cannot read the file"):
            holidays_from_ics(tmp_path / "nope.ics")

    def test_file_name_in_messages(self, tmp_path: Path) -> None:
        path = tmp_path / "feed.ics"
        path.write_text(ics(event("DTSTART;VALUE=DATE:2026")), encoding="utf-8")
        with pytest.raises(ConfigError, match=r"^feed\.ics, line 7: event 'Day off'"):
            holidays_from_ics(path)

    def test_wrong_source_type(self) -> None:
        with pytest.raises(ConfigError, match="expected iCalendar text, bytes or a file path"):
            holidays_from_ics(42)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("years", "error"),
        [("2026", ArgumentTypeError), ([], ArgumentError), ([10_000], ArgumentError)],
    )
    def test_bad_years(self, years: Any, error: type[Exception]) -> None:
        with pytest.raises(error, match="years"):
            holidays_from_ics(FEED, years=years)


CAL = {
    "timezone": "Europe/Berlin",
    "hours": {"mon-fri": "09:00-17:00"},
    "holidays": ["*-12-24", "2026-12-28..2026-12-31"],
    "country_holidays": ["DE-BY"],
    "overrides": {"2026-10-03": "10:00-12:00", "2026-08-14": "closed"},
}


def parsed_events(text: str) -> list[Any]:
    cal = icalendar.Calendar.from_ical(text)
    assert isinstance(cal, icalendar.Calendar)
    return list(cal.walk("VEVENT"))


class TestExport:
    def test_closed_dates(self) -> None:
        text = closed_dates_to_ics(Calendar.from_dict(CAL), 2026, 2026)
        assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
        assert "X-WR-TIMEZONE:Europe/Berlin\r\n" in text
        events = {(e["DTSTART"].dt, e["DTEND"].dt): str(e["SUMMARY"]) for e in parsed_events(text)}
        assert events[(date(2026, 1, 1), date(2026, 1, 2))] == "New Year's Day"
        assert events[(date(2026, 8, 14), date(2026, 8, 15))] == "Closed"
        assert events[(date(2026, 12, 24), date(2026, 12, 25))] == "Holiday"
        assert events[(date(2026, 12, 25), date(2026, 12, 26))] == "Christmas Day"
        assert events[(date(2026, 12, 28), date(2027, 1, 1))] == "Holiday"
        # German Unity Day has special hours by override: open, so not exported.
        assert (date(2026, 10, 3), date(2026, 10, 4)) not in events

    def test_round_trip_of_closed_dates(self) -> None:
        cal = Calendar.from_dict(CAL)
        text = closed_dates_to_ics(cal, 2026, 2027)
        imported = Calendar.from_dict({"timezone": "Europe/Berlin", "hours": "24/7"})
        imported = calendar_with_ics(imported, text)
        rules = cal._parsed.rules
        day = date(2026, 1, 1)
        while day.year < 2028:
            hours, pinned = rules.day(day.toordinal())
            assert imported.is_business_day(day) == (not pinned or bool(hours)), day
            day += timedelta(days=1)

    def test_events_are_valid_and_stable(self) -> None:
        cal = Calendar.from_dict(CAL)
        text = closed_dates_to_ics(cal, 2026, 2027)
        assert text == closed_dates_to_ics(cal, 2026, 2027)
        events = parsed_events(text)
        uids = [str(e["UID"]) for e in events]
        assert len(set(uids)) == len(uids)
        for e in events:
            assert e["DTSTAMP"].dt == datetime(2026, 1, 1, tzinfo=UTC)
            assert str(e["TRANSP"]) == "TRANSPARENT"
            assert e["DTSTART"].params["VALUE"] == "DATE"

    def test_stamp_and_name(self) -> None:
        stamp = datetime(2026, 5, 4, 12, 30, tzinfo=ZoneInfo("Europe/Berlin"))
        text = closed_dates_to_ics(Calendar.from_dict(CAL), 2026, 2026, stamp=stamp, name="Ops")
        assert "DTSTAMP:20260504T103000Z\r\n" in text
        assert "X-WR-CALNAME:Ops\r\n" in text

    def test_long_range_is_one_event(self) -> None:
        cal = Calendar.from_dict(
            {"timezone": "UTC", "hours": "24/7", "holidays": ["1000-01-01..9999-12-31"]}
        )
        events = parsed_events(closed_dates_to_ics(cal, 9990, 9999))
        assert len(events) == 1
        assert events[0]["DTSTART"].dt == date(9990, 1, 1)
        assert "DTEND" not in events[0]  # there is no 10000-01-01 to end on
        assert events[0]["DURATION"].dt == timedelta(days=3652)
        assert holidays_from_ics(closed_dates_to_ics(cal, 9990, 9999)) == ["9990-01-01..9999-12-31"]

    def test_nothing_closed(self) -> None:
        cal = Calendar.from_dict({"timezone": "UTC", "hours": "24/7"})
        assert parsed_events(closed_dates_to_ics(cal, 2026, 2026)) == []

    @pytest.mark.parametrize(
        ("args", "kwargs", "error", "message"),
        [
            pytest.param((2027, 2026), {}, ArgumentError, "is before first_year", id="reversed"),
            pytest.param((0, 2026), {}, ArgumentError, "first_year: year 0", id="year-0"),
            pytest.param(("2026", 2026), {}, ArgumentTypeError, "first_year", id="str"),
            pytest.param((1, 2000), {}, ArgumentError, "more than 500 years", id="too-long"),
            pytest.param(
                (2026, 2026),
                {"stamp": datetime(2026, 1, 1)},
                ArgumentTypeError,
                "stamp: expected an aware datetime",
                id="naive-stamp",
            ),
            pytest.param((2026, 2026), {"name": ""}, ArgumentError, "name", id="empty-name"),
        ],
    )
    def test_bad_arguments(
        self, args: tuple[Any, ...], kwargs: dict[str, Any], error: type[Exception], message: str
    ) -> None:
        with pytest.raises(error, match=message):
            closed_dates_to_ics(Calendar.from_dict(CAL), *args, **kwargs)


@settings(max_examples=40)
@given(config=calendar_configs(near=date(2026, 6, 1)), first=st.integers(2025, 2027))
def test_export_then_import_closes_the_same_dates(config: dict[str, Any], first: int) -> None:
    cal = Calendar.from_dict(config)
    text = closed_dates_to_ics(cal, first, first + 1)
    back = Calendar.from_dict(
        {"timezone": "UTC", "hours": "24/7", "holidays": holidays_from_ics(text)}
    )
    rules = cal._parsed.rules
    day = date(first, 1, 1)
    while day.year <= first + 1:
        hours, pinned = rules.day(day.toordinal())
        assert back.is_business_day(day) == (not pinned or bool(hours)), day
        day += timedelta(days=1)


class TestOddProperties:
    def test_rule_without_freq(self) -> None:
        with pytest.raises(ConfigError) as info:
            holidays_from_ics(ics(event("DTSTART;VALUE=DATE:20260101", "RRULE:FREQ0YEARLY")))
        assert str(info.value) == (
            "ics, line 8: event 'Day off' (UID e1): RRULE: 'RRULE:FREQ0YEARLY' has no FREQ"
        )

    def test_property_given_twice(self) -> None:
        text = ics(
            event(
                "DTSTART;VALUE=DATE:20260101",
                "DTSTART;VALUE=DATE:20260102",
            )
        )
        with pytest.raises(ConfigError, match="DTSTART: given more than once"):
            holidays_from_ics(text)

    def test_recurrence_id_given_twice(self) -> None:
        master = event("DTSTART;VALUE=DATE:20260105", "RRULE:FREQ=WEEKLY;COUNT=3", uid="x")
        moved = event(
            "RECURRENCE-ID;VALUE=DATE:20260112",
            "RECURRENCE-ID;VALUE=DATE:20260112",
            "DTSTART;VALUE=DATE:20260114",
            uid="x",
        )
        with pytest.raises(ConfigError, match="RECURRENCE-ID: given more than once"):
            holidays_from_ics(ics(master, moved))


_FEED_LINES = FEED.read_bytes().decode().split("\r\n")
_PROPERTIES = ["DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"]
_PARAMS = ["", ";VALUE=DATE", ";VALUE=PERIOD", ";TZID=Europe/Berlin", ";RANGE=THISANDFUTURE"]
_VALUES = [
    "20260101",
    "20260101T100000Z",
    "P1D",
    "-P1D",
    "FREQ=DAILY",
    "FREQ=MONTHLY;BYMONTHDAY=31",
    "FREQ=YEARLY;BYMONTH=13",
    "x",
    "",
    "20260101/PT1H",
    "99991231",
]


@st.composite
def _mutated_feeds(draw: st.DrawFn) -> str:
    """The fixture feed with a few lines dropped, doubled, swapped, garbled or inserted."""
    lines = list(_FEED_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "dup", "swap", "char", "junk", "prop"]))
        if op == "drop" and len(lines) > 1:
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "char" and lines[i]:
            j = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:j] + draw(st.characters(codec="utf-8")) + lines[i][j + 1 :]
        elif op == "junk":
            lines.insert(i, draw(st.text(max_size=20)))
        elif op == "prop":
            name = draw(st.sampled_from(_PROPERTIES))
            lines.insert(
                i, f"{name}{draw(st.sampled_from(_PARAMS))}:{draw(st.sampled_from(_VALUES))}"
            )
    return "\r\n".join(lines)


@settings(max_examples=100)
@given(
    text=_mutated_feeds(),
    years=st.sampled_from([None, range(2026, 2029)]),
    timed=st.sampled_from(["error", "dates", "skip"]),
)
def test_damaged_files_answer_or_raise_config_error(text: str, years: Any, timed: Any) -> None:
    """SPEC §8: a damaged file gives dates or a ConfigError, never another exception."""
    try:
        answer = holidays_from_ics(text, years=years, timed=timed)
    except ConfigError as exc:
        answer = [str(exc)]  # a message, not an empty one
    assert answer == [] or all(isinstance(item, str) and item for item in answer)
