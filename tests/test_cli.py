"""The ``bizclock`` command, run as users run it: a subprocess of the real entry point.

Most tests run ``python -m bizclock``; the entry-point tests also run the installed
``bizclock`` script. A few formatting details (colour, the clock) are checked in-process
through :func:`bizclock.cli.main`, which takes its streams, environment and clock as
arguments.
"""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bizclock.cli import main

SCRIPT = Path(sys.executable).with_name("bizclock")
ENTRY_POINTS = {
    "module": [sys.executable, "-m", "bizclock"],
    "script": [str(SCRIPT)],
}
BERLIN = ["--timezone", "Europe/Berlin"]

OFFICE_TOML = """\
timezone = "Europe/Berlin"
holidays = ["2026-12-24", "*-12-25", "*-12-26"]

[hours]
"mon-fri" = ["09:00-12:00", "13:00-17:00"]

[overrides]
"2026-12-31" = "09:00-12:00"
"2026-12-27" = "10:00-14:00"
"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BIZCLOCK_CALENDAR", "NO_COLOR")}
    env["PYTHONTZPATH"] = ""
    env.update(extra)
    return env


def run(
    *args: str, entry: str = "module", env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command; never raises on a non-zero exit."""
    return subprocess.run(
        [*ENTRY_POINTS[entry], *args],
        capture_output=True,
        text=True,
        env=_env() if env is None else env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def ok(*args: str, **kwargs: Any) -> str:
    """Run the command, assert it succeeded quietly, return its stdout."""
    proc = run(*args, **kwargs)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc.stdout


def ok_json(*args: str, **kwargs: Any) -> Any:
    """Run the command with ``--json`` and parse its output."""
    return json.loads(ok(*args, "--json", **kwargs))


def fields(text: str) -> dict[str, str]:
    """``label: value`` lines as a dict (continuation lines are dropped)."""
    out = {}
    for line in text.splitlines():
        label, sep, value = line.partition(": ")
        if sep and not line.startswith(" "):
            out[label] = value.strip()
    return out


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "office.toml"
    path.write_text(OFFICE_TOML, encoding="utf-8")
    return path


class TestEntryPoints:
    @pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
    def test_readme_first_command(self, entry: str) -> None:
        out = ok("add", "2026-11-20T16:00+01:00", "4h", entry=entry)
        assert out == (
            "start:    2026-11-20T16:00:00+01:00 (Fri)\n"
            "add:      4h of business time\n"
            "due:      2026-11-23T12:00:00+01:00 (Mon)\n"
            "calendar: built-in default (mon-fri 09:00-17:00, UTC)\n"
        )

    @pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
    def test_error_exit_status(self, entry: str) -> None:
        proc = run("add", "2026-11-20T16:00+01:00", "4 hours", entry=entry)
        assert proc.returncode == 2
        assert proc.stdout == ""
        assert proc.stderr.startswith("bizclock: error: bad duration '4 hours'")

    @pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
    def test_help_and_version(self, entry: str) -> None:
        assert "COMMAND" in ok("--help", entry=entry)
        assert ok("--version", entry=entry).startswith("bizclock ")


class TestAdd:
    def test_seed_examples_on_berlin(self) -> None:
        # SPEC §4 worked examples; 2026-11-20 is a Friday.
        assert fields(ok("add", "2026-11-20T16:00", "1h", *BERLIN))["due"] == (
            "2026-11-20T17:00:00+01:00 (Fri)"
        )
        assert fields(ok("add", "2026-11-21T12:00", "1h", *BERLIN))["due"] == (
            "2026-11-23T10:00:00+01:00 (Mon)"
        )
        assert fields(ok("add", "2026-11-20T16:00", "9h", *BERLIN))["due"] == (
            "2026-11-23T17:00:00+01:00 (Mon)"
        )

    def test_microsecond_past_the_close(self) -> None:
        out = fields(ok("add", "2026-11-20T16:00", "PT1H0.000001S", *BERLIN))
        assert out["due"] == "2026-11-23T09:00:00.000001+01:00 (Mon)"

    def test_boundary_next_open(self) -> None:
        out = fields(ok("add", "2026-11-20T16:00", "1h", "--boundary", "next_open", *BERLIN))
        assert out["due"] == "2026-11-23T09:00:00+01:00 (Mon)"

    def test_result_keeps_the_offset_of_the_start(self) -> None:
        # 15:00Z is 16:00 in Berlin: one hour on Friday, half an hour on Monday.
        out = fields(ok("add", "2026-11-20T15:00Z", "1h30m", *BERLIN))
        assert out["due"] == "2026-11-23T08:30:00+00:00 (Mon)"

    def test_business_days(self) -> None:
        # "3bd": by the close of the third business day after Friday: Wednesday 17:00.
        out = fields(ok("add", "2026-11-20T16:00", "3bd", *BERLIN))
        assert out["due"] == "2026-11-25T17:00:00+01:00 (Wed)"
        assert out["add"] == "3bd = 25h of business time"

    def test_json(self) -> None:
        data = ok_json("add", "2026-11-20T16:00+01:00", "4h")
        assert data["due"] == "2026-11-23T12:00:00+01:00"
        assert data["start"] == "2026-11-20T16:00:00+01:00"
        assert data["business_time"] == {
            "text": "4h",
            "iso": "PT4H",
            "microseconds": 4 * 3600 * 10**6,
        }
        assert data["calendar"]["source"] == "default"
        assert data["calendar"]["config"] == {
            "timezone": "UTC",
            "hours": {"mon-fri": "09:00-17:00"},
        }


class TestSubtract:
    def test_back_over_the_weekend(self) -> None:
        out = fields(ok("subtract", "2026-11-23T09:00", "1h", *BERLIN))
        assert out["result"] == "2026-11-20T16:00:00+01:00 (Fri)"

    def test_prev_close(self) -> None:
        exact = ok_json("subtract", "2026-11-23T10:00", "1h", *BERLIN)
        moved = ok_json("subtract", "2026-11-23T10:00", "1h", "--boundary", "prev_close", *BERLIN)
        assert exact["result"] == "2026-11-23T09:00:00+01:00"
        assert moved["result"] == "2026-11-20T17:00:00+01:00"


class TestElapsed:
    def test_seed_example(self) -> None:
        out = fields(ok("elapsed", "2026-11-20T16:00", "2026-11-23T09:00", *BERLIN))
        assert out["elapsed"] == "1h of business time"
        assert out["wall clock"] == "65h"

    def test_reversed_is_negative(self) -> None:
        data = ok_json("elapsed", "2026-11-23T09:00", "2026-11-20T16:00", *BERLIN)
        assert data["elapsed"] == {"text": "-1h", "iso": "-PT1H", "microseconds": -3600 * 10**6}

    @pytest.mark.parametrize(
        ("day", "hours"),
        [("2026-03-29", 23), ("2026-10-25", 25), ("2026-06-01", 24)],
        ids=["spring-forward", "fall-back", "plain"],
    )
    def test_round_the_clock_berlin_day(self, day: str, hours: int) -> None:
        nxt = {"2026-03-29": "2026-03-30", "2026-10-25": "2026-10-26", "2026-06-01": "2026-06-02"}
        data = ok_json("elapsed", day, nxt[day], "--hours", "24/7", *BERLIN)
        assert data["elapsed"]["microseconds"] == hours * 3600 * 10**6
        assert data["wall_clock"] == data["elapsed"]


class TestOpen:
    def test_open(self) -> None:
        out = fields(ok("open", "2026-11-20T16:00", *BERLIN))
        assert out["open"] == "yes"
        assert out["closes"] == "2026-11-20T17:00:00+01:00 (Fri)"
        assert out["reopens"] == "2026-11-23T09:00:00+01:00 (Mon)"

    def test_closed_at_the_closing_instant(self) -> None:
        data = ok_json("open", "2026-11-20T17:00", *BERLIN)
        assert data["open"] is False
        assert data["next_open"] == "2026-11-23T09:00:00+01:00"
        assert data["next_close"] == "2026-11-23T17:00:00+01:00"
        assert data["reopens"] is None

    def test_never_closes(self) -> None:
        out = fields(ok("open", "2026-11-20T17:00Z", "--hours", "24/7"))
        assert out["open"] == "yes"
        assert out["closes"].startswith("not within 10 years")
        data = ok_json("open", "2026-11-20T17:00Z", "--hours", "24/7")
        assert data["next_close"] is None
        assert data["next_open"] == "2026-11-20T17:00:00+00:00"

    def test_without_at_reads_the_clock(self) -> None:
        data = ok_json("open")
        at = datetime.fromisoformat(data["at"])
        assert abs(at - datetime.now(UTC)).total_seconds() < 60
        assert isinstance(data["open"], bool)

    def test_now_is_injected_in_process(self) -> None:
        out = io.StringIO()
        status = main(
            ["open", "--timezone", "Europe/Berlin"],
            stdout=out,
            environ={},
            now=lambda: datetime(2026, 11, 21, 11, 0, tzinfo=UTC),
        )
        assert status == 0
        assert fields(out.getvalue())["at"] == "2026-11-21T12:00:00+01:00 (Sat)"
        assert fields(out.getvalue())["opens"] == "2026-11-23T09:00:00+01:00 (Mon)"


class TestShow:
    def test_week_with_holidays_and_overrides(self, office: Path) -> None:
        out = ok("show", "--week", "2026-12-23", "--calendar", str(office))
        lines = out.splitlines()
        assert lines[0] == "week 2026-12-21 .. 2026-12-27 in Europe/Berlin"
        assert lines[1] == " " * 15 + "00  02  04  06  08  10  12  14  16  18  20  22"
        monday = "Mon 2026-12-21 " + "." * 18 + "#" * 6 + ".." + "#" * 8 + "." * 14 + "  7h"
        assert lines[2] == monday
        assert lines[5] == "Thu 2026-12-24 " + "." * 48 + "  closed, holiday"
        sunday = "Sun 2026-12-27 " + "." * 20 + "#" * 8 + "." * 20 + "  4h, special hours"
        assert lines[8] == sunday
        assert "total: 25h of business time" in lines
        assert lines[-1].startswith(f"calendar: {office} (mon-fri 09:00-12:00,13:00-17:00")

    def test_partly_open_and_dst_cells(self) -> None:
        out = ok("show", "--week", "2026-03-29", "--hours", "sun=00:15-04:00", *BERLIN)
        sunday = out.splitlines()[8]
        # 00:00-00:30 is partly open; 02:00-03:00 does not exist on that day.
        assert sunday.startswith("Sun 2026-03-29 +###  ##" + "." * 40 + "  ")
        assert sunday.endswith("2h45m, clocks change: 23h day")

    def test_json(self, office: Path) -> None:
        data = ok_json("show", "--week", "2026-12-31", "--calendar", str(office))
        assert data["week"] == "2026-12-28"
        days = {d["date"]: d for d in data["days"]}
        assert days["2026-12-31"]["override"] is True
        assert days["2026-12-31"]["open"] == [
            ["2026-12-31T09:00:00+01:00", "2026-12-31T12:00:00+01:00"]
        ]
        assert days["2027-01-01"]["override"] is False
        assert days["2027-01-01"]["holiday"] is False
        assert len(days["2026-12-28"]["cells"]) == 48
        assert data["business_time"]["text"] == "31h"

    def test_no_colour_when_piped(self, office: Path) -> None:
        assert "\x1b[" not in ok("show", "--week", "2026-12-23", "--calendar", str(office))

    @pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False)])
    def test_colour_on_a_terminal(self, office: Path, no_color: str | None, coloured: bool) -> None:
        env = _env() if no_color is None else _env(NO_COLOR=no_color)
        leader, follower = pty.openpty()
        try:
            proc = subprocess.run(
                [
                    *ENTRY_POINTS["module"],
                    "show",
                    "--week",
                    "2026-12-23",
                    "--calendar",
                    str(office),
                ],
                stdout=follower,
                stderr=subprocess.PIPE,
                env=env,
                timeout=60,
                check=False,
            )
            os.close(follower)
            chunks = []
            while True:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # EIO: the terminal's other end is closed
                    break
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(leader)
        assert proc.returncode == 0, proc.stderr
        text = b"".join(chunks).decode()
        assert ("\x1b[" in text) is coloured
        assert "holiday" in text


class TestCheck:
    def test_summary(self, office: Path) -> None:
        out = ok("check", str(office), "--year", "2026")
        assert out.splitlines()[0] == f"calendar: {office}: valid"
        got = fields(out)
        assert got["timezone"] == "Europe/Berlin"
        assert got["hours"] == "mon-fri 09:00-12:00,13:00-17:00"
        assert got["holidays"] == "2026-12-24, *-12-25..*-12-26"
        assert "override: 2026-12-27: 10:00-14:00" in out
        # 261 weekdays, minus Thu 24 and Fri 25 December, plus the special Sunday; 7h a
        # weekday, 4h that Sunday, and 3h instead of 7h on 31 December.
        assert got["2026"] == "260 business days, 1813h of business time"

    def test_json(self, tmp_path: Path) -> None:
        path = tmp_path / "cal.json"
        path.write_text('{"timezone": "UTC", "hours": "24/7"}', encoding="utf-8")
        data = ok_json("check", str(path))
        assert data["valid"] is True
        assert data["calendar"]["config"] == {"timezone": "UTC", "hours": "24/7"}
        assert data["calendar"]["source"] == "file"

    def test_without_a_file_checks_the_selected_calendar(self) -> None:
        assert ok("check").splitlines()[0] == "calendar: built-in default: valid"


class TestCalendarSources:
    def test_environment_variable(self, office: Path) -> None:
        out = ok("add", "2026-12-23T16:00", "2h", env=_env(BIZCLOCK_CALENDAR=str(office)))
        got = fields(out)
        # One hour on Wednesday; 24-26 December are holidays; Sunday 27th opens at 10:00.
        assert got["due"] == "2026-12-27T11:00:00+01:00 (Sun)"
        assert got["calendar"].startswith(f"{office} ($BIZCLOCK_CALENDAR) (mon-fri")

    def test_calendar_option_beats_the_environment(self, office: Path, tmp_path: Path) -> None:
        other = tmp_path / "other.json"
        other.write_text('{"timezone": "UTC", "hours": "24/7"}', encoding="utf-8")
        env = _env(BIZCLOCK_CALENDAR=str(office))
        data = ok_json("add", "2026-12-23T16:00Z", "2h", "--calendar", str(other), env=env)
        assert data["due"] == "2026-12-23T18:00:00+00:00"

    def test_options_before_or_after_the_command(self) -> None:
        before = ok_json("--json", *BERLIN, "add", "2026-11-20T16:00", "1h")
        after = ok_json("add", "2026-11-20T16:00", "1h", *BERLIN)
        assert before == after

    def test_options_modify_a_file(self, office: Path) -> None:
        data = ok_json(
            "elapsed",
            "2026-12-21T09:00",
            "2026-12-22T09:00",
            "--calendar",
            str(office),
            "--holidays",
            "2026-12-21",
            "--hours",
            "mon-fri=08:00-18:00",
        )
        # Monday is now a holiday; Tuesday opens at 08:00.
        assert data["elapsed"]["text"] == "1h"
        assert data["calendar"]["config"]["holidays"] == [
            "2026-12-21",
            "2026-12-24",
            "*-12-25..*-12-26",
        ]
        assert data["calendar"]["name"].startswith(f"{office} with command-line options")

    def test_country_holidays(self) -> None:
        # 2026-10-03, German Unity Day, is a Saturday; 2026-12-25 a Friday.
        data = ok_json("add", "2026-12-24T16:00", "2h", "--country", "DE", *BERLIN)
        assert data["due"] == "2026-12-28T10:00:00+01:00"

    def test_hours_with_several_days(self) -> None:
        data = ok_json(
            "add", "2026-11-21T09:00", "1h", "--hours", "mon-fri=09:00-17:00;sat=10:00-12:00"
        )
        assert data["due"] == "2026-11-21T11:00:00+00:00"


BAD_INPUT = [
    (["add", "2026-13-01T10:00", "4h"], "bad instant '2026-13-01T10:00'"),
    (["add", "yesterday", "4h"], "bad instant 'yesterday'"),
    (["elapsed", "2026-11-20T10:00", "2026-11-31"], "bad instant '2026-11-31'"),
    (["add", "2026-11-20T10:00", "4x"], "bad duration '4x'"),
    (["add", "2026-11-20T10:00", "1d"], "bad duration '1d'"),
    (["subtract", "2026-11-20T10:00", "2bd"], "bad duration '2bd'"),
    (["show", "--week", "2026-02-30"], "bad date '2026-02-30'"),
    (["show", "--week", "9999-12-30"], "the week runs past the year 9999"),
    (["check", "holidays-string.toml"], "holidays: expected a list"),
    (["--calendar", "missing.toml", "open", "2026-11-20T10:00"], "missing.toml: cannot read"),
    (["check", "missing.json"], "missing.json: cannot read"),
    (["check", "broken.toml"], "broken.toml: invalid TOML"),
    (["check", "broken.json"], "broken.json: invalid JSON at line 1"),
    (["check", "list.json"], "list.json: expected a JSON object"),
    (["check", "bad-zone.toml"], "bad-zone.toml: timezone: unknown time zone 'Mars/Base'"),
    (["check", "overlap.toml"], "overlap.toml: hours.mon"),
    (["--hours", "mon-fri", "open", "2026-11-20T10:00"], "--hours: expected DAYS="),
    (["--country", "XX", "open", "2026-11-20T10:00"], "country_holidays[0]: unknown country"),
    (["--timezone", "Nowhere", "open", "2026-11-20T10:00"], "unknown time zone 'Nowhere'"),
    (["add", "2026-11-20T10:00"], "required: DURATION"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["add", "9999-12-31T10:00Z", "PT100H"], "beyond the end of the datetime range"),
    (
        ["--holidays", "2026-01-01..2300-12-31", "add", "2026-01-01T10:00Z", "1h"],
        "no open time",
    ),
]


class TestBadInput:
    @pytest.fixture
    def files(self, tmp_path: Path) -> Path:
        (tmp_path / "broken.toml").write_text('timezone = "UTC\n', encoding="utf-8")
        (tmp_path / "broken.json").write_text('{"timezone": }', encoding="utf-8")
        (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
        (tmp_path / "bad-zone.toml").write_text(
            'timezone = "Mars/Base"\nhours = "24/7"\n', encoding="utf-8"
        )
        (tmp_path / "holidays-string.toml").write_text(
            'timezone = "UTC"\nhours = "24/7"\nholidays = "2026-12-25"\n', encoding="utf-8"
        )
        (tmp_path / "overlap.toml").write_text(
            'timezone = "UTC"\n[hours]\nmon = ["09:00-12:00", "11:00-13:00"]\n', encoding="utf-8"
        )
        return tmp_path

    @pytest.mark.parametrize(
        ("args", "message"), BAD_INPUT, ids=[" ".join(a)[:40] for a, _ in BAD_INPUT]
    )
    def test_one_line_and_exit_2(self, files: Path, args: list[str], message: str) -> None:
        proc = run(*args, cwd=files)
        assert proc.returncode == 2
        assert proc.stdout == ""
        assert proc.stderr.startswith("bizclock: error: ")
        assert proc.stderr.endswith("\n")
        assert proc.stderr.count("\n") == 1, proc.stderr
        assert message in proc.stderr
        assert "Traceback" not in proc.stderr

    def test_json_errors_are_plain_text_too(self) -> None:
        proc = run("add", "2026-11-20T10:00", "soon", "--json")
        assert proc.returncode == 2
        assert proc.stdout == ""
        assert proc.stderr.startswith("bizclock: error: bad duration 'soon'")


class TestInProcess:
    def test_returns_the_status_and_writes_errors_to_stderr(self) -> None:
        out, err = io.StringIO(), io.StringIO()
        assert main(["add", "x", "4h"], stdout=out, stderr=err, environ={}) == 2
        assert out.getvalue() == ""
        assert err.getvalue().startswith("bizclock: error: bad instant 'x'")

    def test_naive_input_is_read_in_the_calendar_zone_with_the_gap_rule(self) -> None:
        out = io.StringIO()
        # 02:30 does not exist in Berlin on 2026-03-29: it is read as 03:30 (SPEC §2).
        main(["open", "2026-03-29T02:30", "--hours", "24/7", *BERLIN], stdout=out, environ={})
        assert fields(out.getvalue())["at"] == "2026-03-29T03:30:00+02:00 (Sun)"
