"""bizclock.dask: the partition functions, alone and on a real local Dask cluster (SPEC §10).

The integration test starts a ``dask.distributed.LocalCluster`` with two worker *processes*
(so calendars and policies really travel pickled), adds a deadline column and evaluates SLA
clocks for a few thousand tickets, and compares every value with the scalar API.
"""

from __future__ import annotations

import pickle
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from bizclock import ArgumentError, ArgumentTypeError, Calendar, NeverOpenError, SlaError, sla
from bizclock.dask import (
    CLOCK_COLUMNS,
    add_deadlines,
    evaluate_sla,
    evaluate_tickets,
    with_deadlines,
)

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = Calendar(
    timezone="Europe/Berlin",
    hours={"mon-fri": ["09:00-12:00", "13:00-17:00"]},
    holidays=["*-12-25", "*-12-26", "*-01-01"],
    country_holidays=["DE-BY"],
)
POLICY = sla.Policy.from_dict(
    {
        "calendar": OFFICE.to_dict(),
        "calendars": {"always": {"timezone": "UTC", "hours": "24/7"}},
        "pause_on": ["pending", "on_hold"],
        "warn_at": 0.75,
        "targets": {
            "urgent": {
                "first_response": "30m",
                "resolution": {"within": "4h", "calendar": "always"},
            },
            "normal": {"first_response": "4h", "next_response": "8h", "resolution": "3bd"},
        },
    }
)
NOW = datetime(2026, 12, 1, 12, tzinfo=BERLIN)
EVENT_COLUMNS = ["ticket", "at", "kind", "status", "priority", "seq"]


def make_tickets(count: int, seed: int) -> pd.DataFrame:
    """Random but plausible ticket histories (one row per event), in shuffled row order."""
    rng = random.Random(seed)
    rows: list[tuple[Any, ...]] = []
    first = datetime(2025, 1, 1, tzinfo=UTC)
    for number in range(count):
        ticket = f"T{number:05d}"
        t = first + timedelta(minutes=rng.randrange(0, 700 * 24 * 60))
        events: list[tuple[datetime, str, str | None, str | None]] = [
            (t, "created", None, rng.choice(["normal", "normal", "urgent"]))
        ]
        solved = False
        for _ in range(rng.randrange(0, 7)):
            t += timedelta(minutes=rng.randrange(1, 3 * 24 * 60))
            kind = rng.choice(["status", "agent_reply", "customer_reply", "priority", "solved"])
            status = rng.choice(["pending", "open", "on_hold"]) if kind == "status" else None
            prio = rng.choice(["normal", "urgent"]) if kind == "priority" else None
            if kind == "solved" and solved:
                kind = "reopened"
            solved = kind == "solved" or (solved and kind != "reopened")
            events.append((t, kind, status, prio))
        rows.extend(
            (ticket, at, kind, status, prio, seq)
            for seq, (at, kind, status, prio) in enumerate(events)
            if at <= NOW
        )
    rng.shuffle(rows)
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    frame["at"] = pd.to_datetime(frame["at"], utc=True).dt.as_unit("us")
    return frame


def scalar_clocks(events: pd.DataFrame) -> dict[tuple[str, str], sla.Clock]:
    """Every ticket's clocks by the scalar sla.evaluate, keyed by (ticket, metric)."""
    by_ticket: dict[Any, list[tuple[int, sla.Event]]] = {}
    columns = [events[name].tolist() for name in EVENT_COLUMNS]
    for ticket, at, kind, status, priority, seq in zip(*columns, strict=True):
        event = sla.Event(
            at.to_pydatetime(),
            kind,
            status=None if pd.isna(status) else status,
            priority=None if pd.isna(priority) else priority,
        )
        by_ticket.setdefault(ticket, []).append((seq, event))
    expected: dict[tuple[str, str], sla.Clock] = {}
    for ticket, numbered in by_ticket.items():
        timeline = [event for _, event in sorted(numbered, key=lambda pair: pair[0])]
        for metric, clock in sla.evaluate(POLICY, timeline, NOW).items():
            expected[(ticket, metric)] = clock
    return expected


def assert_clocks_match(result: pd.DataFrame, events: pd.DataFrame) -> None:
    expected = scalar_clocks(events)
    assert list(result.columns) == ["ticket", *CLOCK_COLUMNS]
    assert len(result) == len(expected)
    seen = set()
    for row in result.itertuples(index=False):
        key = (row.ticket, row.metric)
        assert key not in seen
        seen.add(key)
        clock = expected[key]
        for name in CLOCK_COLUMNS:
            got = getattr(row, name)
            want = getattr(clock, name)
            if want is None:
                assert pd.isna(got), (key, name)
            else:
                assert got == want, (key, name, got, want)


# -- the partition functions on plain pandas -------------------------------------------------


class TestAddDeadlines:
    def test_matches_the_scalar_api(self) -> None:
        rng = np.random.default_rng(3)
        lo = int(pd.Timestamp("2025-01-01", tz=UTC).value // 1000)
        starts = rng.integers(lo, lo + 2 * 365 * 86_400_000_000, 5_000).view("M8[us]")
        hours = rng.integers(1, 200, 5_000).astype("timedelta64[h]").astype("m8[us]")
        frame = pd.DataFrame(
            {
                "id": np.arange(5_000),
                "created": pd.Series(starts).dt.tz_localize(UTC).dt.tz_convert(BERLIN),
                "target": hours,
            }
        )
        out = add_deadlines(frame, OFFICE, start="created", duration="target")
        assert list(out.columns) == ["id", "created", "target", "deadline"]
        assert str(out["deadline"].dt.tz) == "Europe/Berlin"
        for row in out.iloc[::25].itertuples():
            assert row.deadline == OFFICE.add(row.created.to_pydatetime(), row.target)

    def test_one_duration_for_all_rows_and_nat(self) -> None:
        frame = pd.DataFrame(
            {"created": pd.to_datetime(["2026-11-20 15:00", None], utc=True).as_unit("us")}
        )
        out = add_deadlines(frame, OFFICE, start="created", duration=timedelta(hours=1), out="due")
        assert out["due"][0] == datetime(2026, 11, 20, 17, tzinfo=BERLIN)
        assert pd.isna(out["due"][1])
        assert "due" not in frame.columns  # a copy, not the partition changed in place

    def test_errors(self) -> None:
        closed = Calendar(
            timezone="UTC", hours={"mon-fri": "09:00-17:00"}, holidays=["2027-01-01..9999-12-31"]
        )
        frame = pd.DataFrame(
            {"created": pd.to_datetime(["2026-12-31 12:00", "2026-12-30 12:00"], utc=True)}
        )
        with pytest.raises(NeverOpenError, match=r"^element 0: "):
            add_deadlines(frame, closed, start="created", duration=timedelta(hours=8))
        out = add_deadlines(
            frame, closed, start="created", duration=timedelta(hours=8), errors="coerce"
        )
        assert pd.isna(out["deadline"][0])
        assert out["deadline"][1] == datetime(2026, 12, 31, 12, tzinfo=UTC)
        with pytest.raises(ArgumentError, match="no column 'opened'"):
            add_deadlines(frame, closed, start="opened", duration=timedelta(hours=1))
        with pytest.raises(ArgumentTypeError, match=r"expected a bizclock\.Calendar"):
            add_deadlines(frame, "cal", start="created", duration="x")  # type: ignore[arg-type]


class TestEvaluateTickets:
    def test_matches_the_scalar_api(self) -> None:
        events = make_tickets(300, seed=1)
        result = evaluate_tickets(events, POLICY, now=NOW, order="seq")
        assert_clocks_match(result, events)
        assert str(result["deadline"].dt.tz) == "Europe/Berlin"

    def test_time_order_without_a_sequence_column(self) -> None:
        # Times strictly increase within a ticket, so time order is the sequence order.
        events = make_tickets(100, seed=2)
        result = evaluate_tickets(events.drop(columns="seq"), POLICY, now=NOW, order=None)
        assert_clocks_match(result, events)

    def test_empty_partition_has_the_full_dtypes(self) -> None:
        events = make_tickets(5, seed=3)
        empty = evaluate_tickets(events.iloc[:0], POLICY, now=NOW)
        full = evaluate_tickets(events, POLICY, now=NOW, order="seq")
        assert len(empty) == 0
        assert empty.dtypes.to_dict() == full.dtypes.to_dict()

    def test_without_a_status_column(self) -> None:
        t0 = pd.Timestamp("2026-11-20 15:00", tz=UTC)
        events = pd.DataFrame(
            {
                "ticket": [7, 7],
                "at": [t0, t0 + pd.Timedelta("1h")],
                "kind": ["created", "solved"],
                "priority": ["normal", None],
            }
        )
        policy = sla.Policy.from_dict(
            {"calendar": OFFICE.to_dict(), "targets": {"normal": {"resolution": "8h"}}}
        )
        result = evaluate_tickets(events, policy, now=NOW, status=None)
        assert result["ticket"].tolist() == [7]
        assert result["ticket"].dtype == events["ticket"].dtype
        assert result["state"].tolist() == ["met"]
        assert result["elapsed"].tolist() == [pd.Timedelta("1h")]

    def test_a_bad_ticket_is_named(self) -> None:
        t0 = pd.Timestamp("2026-11-20 15:00", tz=UTC)
        events = pd.DataFrame(
            {
                "ticket": ["ok", "bad", "ok"],
                "at": [t0, t0, t0 + pd.Timedelta("1h")],
                "kind": ["created", "teleported", "agent_reply"],
                "status": [None, None, None],
                "priority": ["normal", None, None],
            }
        )
        with pytest.raises(SlaError, match=r"^ticket 'bad': "):
            evaluate_tickets(events, POLICY, now=NOW)

    def test_missing_values_are_refused(self) -> None:
        t0 = pd.Timestamp("2026-11-20 15:00", tz=UTC)
        events = pd.DataFrame(
            {"ticket": ["a", None], "at": [t0, t0], "kind": ["created", "created"]}
        )
        with pytest.raises(SlaError, match="row 1 has no ticket id"):
            evaluate_tickets(events, POLICY, now=NOW, status=None, priority=None)
        events = pd.DataFrame({"ticket": ["a"], "at": [pd.NaT], "kind": ["created"]})
        events["at"] = events["at"].dt.tz_localize(UTC)
        with pytest.raises(SlaError, match=r"row 0 .* has no time"):
            evaluate_tickets(events, POLICY, now=NOW, status=None, priority=None)
        with pytest.raises(ArgumentError, match="pass status=None"):
            evaluate_tickets(events, POLICY, now=NOW)


def test_calendars_and_policies_pickle_small() -> None:
    data = pickle.dumps(OFFICE)
    assert len(data) < 1_000
    assert pickle.loads(data) == OFFICE
    assert len(pickle.dumps(POLICY)) < 3_000


def test_workers_reuse_one_warm_copy() -> None:
    from bizclock.dask import _warm

    first = _warm(pickle.loads(pickle.dumps(OFFICE)))
    again = pickle.loads(pickle.dumps(OFFICE))
    assert again is not first
    assert _warm(again) is first
    assert _warm(pickle.loads(pickle.dumps(POLICY))) is _warm(POLICY)


# -- on a real local cluster ---------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            worker_dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def test_deadlines_on_a_local_cluster(client: Any) -> None:
    import dask.dataframe as dd

    rng = np.random.default_rng(11)
    count = 20_000
    lo = int(pd.Timestamp("2025-01-01", tz=UTC).value // 1000)
    starts = rng.integers(lo, lo + 2 * 365 * 86_400_000_000, count).view("M8[us]")
    frame = pd.DataFrame(
        {
            "created": pd.Series(starts).dt.tz_localize(UTC),
            "target": rng.integers(1, 2_000, count).astype("timedelta64[h]").astype("m8[us]"),
        }
    )
    ddf = dd.from_pandas(frame, npartitions=4)
    result = with_deadlines(ddf, OFFICE, start="created", duration="target")
    assert result.dtypes["deadline"] == frame["created"].dtype
    out = client.compute(result).result()
    assert len(out) == count
    for row in out.sort_index().iloc[::97].itertuples():
        assert row.deadline == OFFICE.add(row.created.to_pydatetime(), row.target)


def test_sla_on_a_local_cluster(client: Any) -> None:
    import dask.dataframe as dd

    events = make_tickets(1_500, seed=5)
    ddf = dd.from_pandas(events, npartitions=4)
    result = evaluate_sla(ddf, POLICY, now=NOW, order="seq")
    out = client.compute(result).result()
    assert_clocks_match(out, events)
