"""SLA target durations: parsing, formatting, errors that quote the text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizclock import sla


class TestParse:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            pytest.param("30m", timedelta(minutes=30), id="minutes"),
            pytest.param("4h", timedelta(hours=4), id="hours"),
            pytest.param("90s", timedelta(seconds=90), id="seconds"),
            pytest.param("1h30m", timedelta(hours=1, minutes=30), id="hours-minutes"),
            pytest.param("1h30m15s", timedelta(hours=1, minutes=30, seconds=15), id="h-m-s"),
            pytest.param("1h15s", timedelta(hours=1, seconds=15), id="hours-seconds"),
            pytest.param("1.5h", timedelta(hours=1, minutes=30), id="fractional-hours"),
            pytest.param("0.000001s", timedelta(microseconds=1), id="one-microsecond"),
            pytest.param("120m", timedelta(hours=2), id="minutes-over-an-hour"),
            pytest.param("PT4H", timedelta(hours=4), id="iso-hours"),
            pytest.param("PT30M", timedelta(minutes=30), id="iso-minutes"),
            pytest.param("PT1H30M", timedelta(hours=1, minutes=30), id="iso-hours-minutes"),
            pytest.param("PT0.5S", timedelta(milliseconds=500), id="iso-fraction"),
            pytest.param("PT100H", timedelta(hours=100), id="iso-many-hours"),
            pytest.param("3bd", sla.BusinessDays(3), id="business-days"),
            pytest.param("10bd", sla.BusinessDays(10), id="ten-business-days"),
        ],
    )
    def test_valid(self, text: str, expected: sla.Duration) -> None:
        assert sla.parse_duration(text) == expected

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            pytest.param("4x", r"^bad duration '4x' \(expected e\.g\. '30m'", id="unknown-unit"),
            pytest.param("", r"^bad duration ''", id="empty"),
            pytest.param("h", r"^bad duration 'h'", id="no-number"),
            pytest.param("4", r"^bad duration '4'", id="no-unit"),
            pytest.param("30m1h", r"^bad duration '30m1h'", id="wrong-order"),
            pytest.param("1h1h", r"^bad duration '1h1h'", id="repeated-unit"),
            pytest.param("4H", r"^bad duration '4H'", id="upper-case-compact"),
            pytest.param(" 4h", r"^bad duration ' 4h'", id="leading-space"),
            pytest.param("1h 30m", r"^bad duration '1h 30m'", id="inner-space"),
            pytest.param("-4h", r"^bad duration '-4h'", id="negative"),
            pytest.param("0m", r"^bad duration '0m': must be positive", id="zero"),
            pytest.param("PT0S", r"^bad duration 'PT0S': must be positive", id="iso-zero"),
            pytest.param("0bd", r"^bad duration '0bd': must be positive", id="zero-bd"),
            pytest.param("1.5bd", r"^bad duration '1.5bd'", id="fractional-bd"),
            pytest.param("1bd4h", r"^bad duration '1bd4h'", id="bd-and-hours"),
            pytest.param("PT", r"^bad duration 'PT'", id="iso-empty"),
            pytest.param("P1D", r"^bad duration 'P1D': days, weeks", id="iso-days"),
            pytest.param("P1DT2H", r"^bad duration 'P1DT2H': days, weeks", id="iso-date-time"),
            pytest.param("P1W", r"^bad duration 'P1W': days, weeks", id="iso-weeks"),
            pytest.param("2d", r"^bad duration '2d': 'd' is ambiguous.*'48h'.*'2bd'", id="days"),
            pytest.param("1.5h30m", r"^bad duration '1.5h30m': only the last", id="inner-frac"),
            pytest.param("0.0000001s", r"^bad duration '0.0000001s': finer than", id="sub-µs"),
            pytest.param(
                "99999999999999h", r"^bad duration '99999999999999h': too long", id="too-long"
            ),
        ],
    )
    def test_invalid(self, text: str, message: str) -> None:
        with pytest.raises(sla.SlaError, match=message):
            sla.parse_duration(text)

    def test_not_a_string(self) -> None:
        with pytest.raises(sla.SlaError, match=r"^bad duration 4: expected a string"):
            sla.parse_duration(4)  # type: ignore[arg-type]


class TestFormat:
    @pytest.mark.parametrize(
        ("duration", "text"),
        [
            pytest.param(timedelta(minutes=30), "30m", id="minutes"),
            pytest.param(timedelta(hours=1, minutes=30), "1h30m", id="hours-minutes"),
            pytest.param(timedelta(hours=100), "100h", id="many-hours"),
            pytest.param(timedelta(seconds=1, microseconds=500), "1.0005s", id="fraction"),
            pytest.param(timedelta(microseconds=1), "0.000001s", id="one-microsecond"),
            pytest.param(sla.BusinessDays(3), "3bd", id="business-days"),
        ],
    )
    def test_format(self, duration: sla.Duration, text: str) -> None:
        assert sla.format_duration(duration) == text

    @given(st.timedeltas(min_value=timedelta(microseconds=1)))
    def test_round_trip(self, duration: timedelta) -> None:
        assert sla.parse_duration(sla.format_duration(duration)) == duration


class TestBusinessDays:
    def test_str_and_repr(self) -> None:
        assert str(sla.BusinessDays(3)) == "3bd"
        assert repr(sla.BusinessDays(3)) == "BusinessDays(days=3)"

    @pytest.mark.parametrize("days", [0, -1, True, 1.5, "3"])
    def test_invalid(self, days: object) -> None:
        with pytest.raises(sla.SlaError, match="business days must"):
            sla.BusinessDays(days)  # type: ignore[arg-type]
