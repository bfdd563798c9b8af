"""Answer checks: every peer against bizclock (and both against the reference) first.

A timing means something only if the computation is right, so before anything is timed
each peer answers the shared inputs and its answers are compared, exactly, with bizclock's
answers under the same rules (pandas' "closing instant moves to the next opening" is
compared with ``boundary="next_open"``). Every disagreement is tagged with what the input
looks like and with which side the slow reference agrees, so a report can say *why*.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from _inputs import ZONE, Inputs, Reference, Variant, Work

__all__ = ["CheckRow", "Mismatch", "compare", "group_mismatches"]


@dataclass(frozen=True)
class Mismatch:
    """One input on which a library's answer differs from the expected one."""

    index: int
    start: datetime
    end: datetime | None
    expected: Any
    got: Any
    tags: tuple[str, ...]


@dataclass
class CheckRow:
    """A library's answers on one check set, calendar and work item."""

    check_set: str
    library: str
    variant: Variant
    work: Work
    compared_with: str
    boundary: str
    checked: int
    total: int
    agree: int
    mismatches: list[Mismatch] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)
    #: For a ``next_open`` peer: checked inputs whose exact answer differs from next_open's.
    convention_differs: int = 0
    note: str = ""


def _tags(
    reference: Reference,
    closed: frozenset[date],
    work: Work,
    start: datetime,
    end: datetime | None,
    expected: Any,
    got: Any,
    arbiter: Any,
    expected_name: str,
) -> tuple[str, ...]:
    tags = [f"start {reference.position(start)}"]
    if start.astimezone(ZONE).date() in closed:
        tags.append("start on a holiday")
    if work.kind == "add" and isinstance(expected, datetime):
        if reference.position(expected) == "at closing":
            tags.append(f"{expected_name} on a closing instant")
        if expected.astimezone(ZONE).utcoffset() != start.astimezone(ZONE).utcoffset():
            tags.append("crosses a DST change")
    elif end is not None and end.astimezone(ZONE).utcoffset() != start.astimezone(ZONE).utcoffset():
        tags.append("crosses a DST change")
    if got is None:
        tags.append("raised")
    elif isinstance(got, datetime) and isinstance(expected, datetime):
        tags.append("answer later" if got > expected else "answer earlier")
    elif isinstance(got, timedelta) and isinstance(expected, timedelta):
        tags.append("answer longer" if got > expected else "answer shorter")
    if expected_name == "bizclock":
        if arbiter == expected:
            tags.append("reference agrees with bizclock")
        elif arbiter == got:
            tags.append("reference agrees with the peer")
        else:
            tags.append("reference agrees with neither")
    return tuple(tags)


def compare(
    *,
    check_set: str,
    library: str,
    variant: Variant,
    work: Work,
    inputs: Inputs,
    answers: Sequence[Any],
    errors: dict[int, str],
    expected: Sequence[Any],
    expected_name: str,
    arbiter: Sequence[Any],
    reference: Reference,
    closed: frozenset[date],
    boundary: str,
    exact_answers: Sequence[Any] | None = None,
) -> CheckRow:
    """Compare ``answers`` (a prefix of the inputs) with ``expected``, exactly."""
    ends = inputs.ends.get(work.key)
    row = CheckRow(
        check_set,
        library,
        variant,
        work,
        expected_name,
        boundary,
        checked=len(answers),
        total=len(inputs),
        agree=0,
        errors=dict(errors),
    )
    for i, got in enumerate(answers):
        want = expected[i]
        if exact_answers is not None and exact_answers[i] != want:
            row.convention_differs += 1
        if got is not None and got == want:
            row.agree += 1
            continue
        start = inputs.starts[i]
        end = ends[i] if ends is not None else None
        row.mismatches.append(
            Mismatch(
                i,
                start,
                end,
                want,
                got,
                _tags(reference, closed, work, start, end, want, got, arbiter[i], expected_name),
            )
        )
    return row


def group_mismatches(row: CheckRow) -> list[tuple[tuple[str, ...], int, Mismatch]]:
    """Mismatches grouped by their tags: ``(tags, count, first example)``, largest first."""
    counts = Counter(m.tags for m in row.mismatches)
    first: dict[tuple[str, ...], Mismatch] = {}
    for m in row.mismatches:
        first.setdefault(m.tags, m)
    return [(tags, n, first[tags]) for tags, n in counts.most_common()]
