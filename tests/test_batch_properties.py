"""bizclock.batch agrees with the scalar API element by element on random calendars (SPEC §10).

Each example draws a calendar clustered around an anchor date, arrays of instants around it (with
NaT sprinkled in), durations of both signs, a boundary mode, and a tuning of the kernels'
thresholds, so that the bucketed ranks, the year clusters and the scalar fall-backs are all met
on small arrays. Errors must agree too: where the scalar call raises, the batch gives NaT with
``errors="coerce"`` and raises the same class (for the first such element) with ``"raise"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from bizclock import BizclockError, Calendar, batch
from bizclock.batch import add_many, elapsed_many, is_open_many, subtract_many
from strategies import anchor_dates, calendar_configs, durations, instants

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
NAT = int(np.iinfo(np.int64).min)
HOUR_US = 3_600_000_000

NEAR = st.shared(anchor_dates(), key="near")
CONFIGS = NEAR.flatmap(calendar_configs)
# Instants or None (NaT), around the anchor date.
MAYBE_INSTANTS = NEAR.flatmap(lambda near: st.one_of(instants(near), st.none()))
SIGNED_DURATIONS = st.tuples(
    st.one_of(
        durations(),
        st.integers(0, 60_000).map(lambda h: timedelta(hours=h)),
    ),
    st.sampled_from([1, 1, -1]),
).map(lambda pair: pair[0] * pair[1])
# (bucketed from, max span in years, max extension in years): the real values, and values that
# force every rarer path on a handful of elements.
TUNINGS = st.sampled_from(
    [
        (batch._BUCKETED_FROM, batch._MAX_SPAN, batch._MAX_EXTEND),
        (0, batch._MAX_SPAN, batch._MAX_EXTEND),
        (0, 0, 0),
        (0, 1, 1),
        (10**9, 0, 2),
    ]
)


@contextmanager
def tuned(tuning: tuple[int, int, int]) -> Iterator[None]:
    saved = (batch._BUCKETED_FROM, batch._MAX_SPAN, batch._MAX_EXTEND)
    batch._BUCKETED_FROM, batch._MAX_SPAN, batch._MAX_EXTEND = tuning
    try:
        yield
    finally:
        batch._BUCKETED_FROM, batch._MAX_SPAN, batch._MAX_EXTEND = saved


def to_us(t: datetime | None) -> int:
    return NAT if t is None else (t - EPOCH) // US


def scalar(call: Callable[[], Any]) -> Any:
    """The scalar answer, or the class of the error the scalar API raises."""
    try:
        return call()
    except BizclockError as exc:
        return type(exc)


def check(expected: list[Any], run: Callable[[str], Any], missing: Any) -> None:
    """Compare a batch call (run with errors=...) with the scalar answers, both error modes."""
    got = run("coerce")
    for i, (e, g) in enumerate(zip(expected, got, strict=True)):
        want = missing if isinstance(e, type) else e
        assert g == want, f"element {i}: batch {g!r}, scalar {e!r}"
    errors = [e for e in expected if isinstance(e, type)]
    if errors:
        with pytest.raises(errors[0], match=r"^element \d+: "):
            run("raise")
    else:
        assert run("raise") == got


def as_ints(values: Any) -> list[int]:
    return np.asarray(values).view(np.int64).tolist()  # type: ignore[no-any-return]


@given(
    config=CONFIGS,
    starts=st.lists(MAYBE_INSTANTS, min_size=1, max_size=10),
    data=st.data(),
    boundary=st.sampled_from(["exact", "snap"]),
    tuning=TUNINGS,
)
def test_add_and_subtract_many_match_the_scalar_api(
    config: dict[str, Any],
    starts: list[datetime | None],
    data: st.DataObject,
    boundary: str,
    tuning: tuple[int, int, int],
) -> None:
    cal = Calendar.from_dict(config)
    spans = data.draw(
        st.lists(st.one_of(SIGNED_DURATIONS, st.none()), min_size=len(starts), max_size=len(starts))
    )
    t = np.array([to_us(s) for s in starts], np.int64).view("M8[us]")
    d = np.array([NAT if x is None else x // US for x in spans], np.int64).view("m8[us]")
    for method, many, snap in (
        (cal.add, add_many, "next_open"),
        (cal.subtract, subtract_many, "prev_close"),
    ):
        mode = snap if boundary == "snap" else "exact"
        note(f"{many.__name__}(boundary={mode!r})")
        expected = [
            NAT
            if s is None or x is None
            else scalar(lambda s=s, x=x, f=method, m=mode: to_us(f(s, x, boundary=m)))
            for s, x in zip(starts, spans, strict=True)
        ]
        with tuned(tuning):
            check(
                expected,
                lambda errors, f=many, m=mode: as_ints(f(cal, t, d, boundary=m, errors=errors)),  # type: ignore[operator]
                NAT,
            )


@given(
    config=CONFIGS,
    a=st.lists(MAYBE_INSTANTS, min_size=1, max_size=10),
    data=st.data(),
    tuning=TUNINGS,
)
def test_elapsed_many_matches_the_scalar_api(
    config: dict[str, Any],
    a: list[datetime | None],
    data: st.DataObject,
    tuning: tuple[int, int, int],
) -> None:
    cal = Calendar.from_dict(config)
    b = data.draw(st.lists(MAYBE_INSTANTS, min_size=len(a), max_size=len(a)))
    expected = [
        NAT if x is None or y is None else scalar(lambda x=x, y=y: cal.elapsed(x, y) // US)
        for x, y in zip(a, b, strict=True)
    ]
    ua = np.array([to_us(x) for x in a], np.int64).view("M8[us]")
    ub = np.array([to_us(y) for y in b], np.int64).view("M8[us]")
    with tuned(tuning):
        check(expected, lambda errors: as_ints(elapsed_many(cal, ua, ub, errors=errors)), NAT)


@given(config=CONFIGS, ts=st.lists(MAYBE_INSTANTS, min_size=1, max_size=10), tuning=TUNINGS)
def test_is_open_many_matches_the_scalar_api(
    config: dict[str, Any], ts: list[datetime | None], tuning: tuple[int, int, int]
) -> None:
    cal = Calendar.from_dict(config)
    expected = [t is not None and cal.is_open(t) for t in ts]
    with tuned(tuning):
        # The aware datetimes themselves, in their own tzinfos, go in this time.
        assert is_open_many(cal, ts).tolist() == expected
