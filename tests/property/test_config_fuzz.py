"""Fuzzing the configuration readers (SPEC §3, §8): any input gives a Calendar or a ConfigError.

Three sources of input: JSON-like junk (with the schema's own words as keys, so that junk gets
past the first checks), near-valid configurations (a valid one with a few mutations: a value
replaced by junk, a key dropped or misspelt, a character changed in a date or a time), and raw
text for ``from_json`` / ``from_toml``.  Whatever comes in, the readers must answer with a
``Calendar`` or a ``ConfigError`` (never another exception, never a hang), and a calendar that
is accepted must survive its own canonical round trip.
"""

from __future__ import annotations

import contextlib
import json
import math
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bizclock import Calendar, ConfigError
from strategies import calendar_configs

# Every word of the schema, and fragments that look like its values.
WORDS = [
    "timezone", "hours", "holidays", "country_holidays", "seasons", "overrides",
    "country", "subdiv", "observed", "categories", "workdays", "from", "to",
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "mon-fri", "fri-mon", "mon,wed",
    "monday", "24/7", "closed", "public", "catholic",
    "09:00-17:00", "22:00-06:00", "00:00-24:00", "24:00-06:00", "09:00-09:00",
    "2026-12-24", "*-12-25", "*-02-29", "2026-12-28..2026-12-31", "*-12-30..*-01-02",
    "Europe/Berlin", "UTC", "DE-BY", "US-CA", "CN", "GB-SCT", "de", "XX-YY",
]  # fmt: skip
SAFE_CODES = ["DE", "DE-BY", "US-CA", "CN", "FR", "GB-SCT", "de-bayern", "USA"]
SEASON_BOUNDS = [
    {"from": "*-06-01", "to": "*-08-31"},
    {"from": "*-12-01", "to": "*-02-28"},
    {"from": "2026-03-01", "to": "2026-03-31"},
    {"from": "2027-01-01"},
    {"to": "2025-12-31"},
]
TIMEOUT_S = 30

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**4000, max_value=10**4400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(WORDS),
)
_keys = st.one_of(st.sampled_from(WORDS), st.text(max_size=12))
junk: st.SearchStrategy[Any] = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.tuples(children, children),
        st.dictionaries(_keys, children, max_size=5),
    ),
    max_leaves=25,
)


def _country_of(value: Any) -> str:
    """The country a code or table names ('USA' and 'us-ca' both name 'US')."""
    code = value["country"] if isinstance(value, dict) else value.split("-")[0]
    return str(code).upper()[:2]


@st.composite
def valid_configs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid calendar config, sometimes with seasons and country holidays."""
    config = draw(calendar_configs())
    if draw(st.booleans()):
        config["seasons"] = [
            {
                **draw(st.sampled_from(SEASON_BOUNDS)),
                "hours": draw(st.sampled_from([{"mon-thu": "08:00-16:00"}, "24/7", {}])),
            }
            for _ in range(draw(st.integers(1, 2)))
        ]
    if draw(st.booleans()):
        config["country_holidays"] = draw(
            st.lists(
                st.one_of(
                    st.sampled_from(SAFE_CODES),
                    st.builds(
                        dict,
                        country=st.sampled_from(["CN", "US", "DE"]),
                        workdays=st.booleans(),
                        observed=st.booleans(),
                    ),
                ),
                max_size=2,
                # One source per country: 'DE-BY' and 'de-bayern' are the same source,
                # and a source listed twice is (rightly) refused.
                unique_by=_country_of,
            )
        )
    return config


def _paths(value: Any, trail: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value inside nested dicts and lists (the root is the empty path)."""
    yield trail
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*trail, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*trail, i))


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


_CHARS = st.sampled_from(list("0123456789:-*.,/ aZé\x00"))


@st.composite
def _mutated_text(draw: st.DrawFn, text: str) -> str:
    op = draw(st.sampled_from(["delete", "insert", "replace", "truncate", "upper", "double"]))
    i = draw(st.integers(0, len(text)))
    if op == "delete":
        return text[:i] + text[i + 1 :]
    if op == "insert":
        return text[:i] + draw(_CHARS) + text[i:]
    if op == "replace":
        return text[:i] + draw(_CHARS) + text[i + 1 :]
    if op == "truncate":
        return text[:i]
    if op == "upper":
        return text.upper()
    return text + text


@st.composite
def near_valid_configs(draw: st.DrawFn) -> Any:
    """A valid config with one to three mutations somewhere inside it."""
    config: Any = draw(valid_configs())
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(config))
        path = draw(st.sampled_from(paths))
        target = _get(config, path)
        op = draw(st.sampled_from(["junk", "text", "drop", "add-key", "wrap", "unwrap"]))
        if op == "text" and isinstance(target, str):
            new: Any = draw(_mutated_text(target))
        elif op == "drop" and path:
            del _get(config, path[:-1])[path[-1]]
            continue
        elif op == "add-key" and isinstance(target, dict):
            target[draw(_keys)] = draw(junk)
            continue
        elif op == "wrap":
            new = [target]
        elif op == "unwrap" and isinstance(target, list | dict) and target:
            new = next(iter(target.values())) if isinstance(target, dict) else target[0]
        else:
            new = draw(junk)
        if path:
            _get(config, path[:-1])[path[-1]] = new
        else:
            config = new
    return config


@contextlib.contextmanager
def watchdog(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the body runs longer than ``seconds``."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"the configuration reader ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def calendar_or_config_error(read: Callable[[Any], Calendar], value: Any) -> None:
    """The contract: a Calendar whose canonical form reads back equal, or a ConfigError."""
    with watchdog(TIMEOUT_S):
        try:
            cal = read(value)
        except ConfigError as exc:
            message = str(exc)
            assert message
            assert len(message) < 1000, message[:200]
            return
        assert isinstance(cal, Calendar)
        canonical = cal.to_dict()
        again = Calendar.from_dict(canonical)
        assert again == cal
        assert hash(again) == hash(cal)
        assert again.to_dict() == canonical


_FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Mutations of valid configurations find the most: they get deep before they go wrong.
_FUZZ_MORE = settings(_FUZZ, max_examples=settings.default.max_examples * 2)


@_FUZZ
@given(config=st.one_of(junk, st.dictionaries(_keys, junk, max_size=7)))
def test_junk(config: Any) -> None:
    calendar_or_config_error(Calendar.from_dict, config)


@_FUZZ_MORE
@given(config=near_valid_configs())
def test_near_valid_configs(config: Any) -> None:
    calendar_or_config_error(Calendar.from_dict, config)


@_FUZZ
@given(config=valid_configs())
def test_valid_configs_are_accepted_and_round_trip(config: dict[str, Any]) -> None:
    cal = Calendar.from_dict(config)
    assert Calendar.from_dict(cal.to_dict()) == cal


def _json_text(value: Any) -> str:
    def default(obj: object) -> str:
        return repr(obj)

    try:
        return json.dumps(value, default=default)
    except (ValueError, TypeError, RecursionError):
        return "{"


def _toml_value(value: Any) -> str:
    """A TOML rendering of JSON-like junk (good enough to reach the validator)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**18 else '"big"'
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if math.isinf(value) else repr(value))
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return "{" + items + "}"
    return '""'


@_FUZZ
@given(config=st.one_of(near_valid_configs(), junk), as_toml=st.booleans())
def test_json_and_toml_text(config: Any, as_toml: bool) -> None:
    if as_toml and isinstance(config, dict):
        text = "\n".join(
            f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in config.items() if v is not None
        )
        calendar_or_config_error(Calendar.from_toml, text)
    else:
        calendar_or_config_error(Calendar.from_json, _json_text(config))


@_FUZZ
@given(text=st.text(max_size=200))
def test_random_text(text: str) -> None:
    calendar_or_config_error(Calendar.from_json, text)
    calendar_or_config_error(Calendar.from_toml, text)
