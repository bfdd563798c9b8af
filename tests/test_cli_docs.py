"""The shell examples of the README and the docs, run for real.

Python examples in Markdown are doctests (``--doctest-glob=*.md``). Shell examples are
``console`` blocks that start with ``$ ``: every ``$ `` line must be a ``bizclock``
command (optionally after ``VAR=value`` settings, or after ``pip install -e . &&`` in the
README); the lines up to the next ``$ `` are its exact output, stdout and stderr together
(blank lines at the end of an output are layout, not output).
A ``toml`` or ``json`` block whose first line is a comment naming a file, ``# office.toml``
(for JSON, a ``// office.json`` line that is not written out), is saved under that name
before the commands that follow it run, in a fresh directory per document.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [
    ROOT / "README.md",
    *(
        ROOT / "docs" / name
        for name in (
            "index.md",
            "tutorial.md",
            "semantics.md",
            "guide-schedules.md",
            "guide-holidays.md",
            "guide-timezones.md",
            "reference.md",
            "coming-from.md",
        )
    ),
]
SCRIPT = Path(sys.executable).with_name("bizclock")
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
_FILE_COMMENT = re.compile(r"^(?:#|//) ([\w.-]+\.(?:toml|json))\s*$")
_ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=")


@dataclass(frozen=True)
class Step:
    """A file to write, or a command to run and the output it must print."""

    line: int
    file: str | None = None
    content: str = ""
    command: str = ""
    expected: str = ""


def steps(path: Path) -> list[Step]:
    """The files and shell examples of a Markdown document, in order."""
    text = path.read_text(encoding="utf-8")
    found: list[Step] = []
    for match in _FENCE.finditer(text):
        lang, body = match.group(1), match.group(2)
        line = text.count("\n", 0, match.start()) + 1
        first, _, rest = body.partition("\n")
        named = _FILE_COMMENT.match(first)
        if lang in ("toml", "json") and named:
            content = rest if first.startswith("//") else body
            found.append(Step(line, file=named.group(1), content=content))
        elif lang == "console" and body.startswith("$ "):
            command: str | None = None
            output: list[str] = []
            line_of_command = line
            for offset, row in enumerate(body.splitlines()):
                if row.startswith("$ "):
                    if command is not None:
                        found.append(Step(line_of_command, command=command, expected=_out(output)))
                    command, output = row[2:], []
                    line_of_command = line + 1 + offset
                else:
                    output.append(row + "\n")
            assert command is not None
            found.append(Step(line_of_command, command=command, expected=_out(output)))
    return found


def _out(lines: list[str]) -> str:
    """Expected output; blank lines before the next command or the closing fence are layout."""
    while lines and lines[-1] == "\n":
        lines = lines[:-1]
    return "".join(lines)


def argv_and_env(command: str) -> tuple[list[str], dict[str, str]]:
    """Split a documented command into the argv to run and the environment to run it in."""
    words = shlex.split(command)
    if words[:4] == ["pip", "install", "-e", "."] and words[4:5] == ["&&"]:
        words = words[5:]  # the README's first command: the install is already done
    env = {k: v for k, v in os.environ.items() if k not in ("BIZCLOCK_CALENDAR", "NO_COLOR")}
    env["PYTHONTZPATH"] = ""
    while words and _ASSIGNMENT.match(words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    assert words[:1] == ["bizclock"], f"not a bizclock command: {command!r}"
    return [str(SCRIPT), *words[1:]], env


CASES = [(path, step) for path in DOCUMENTS if path.exists() for step in steps(path)]


def test_every_document_exists() -> None:
    missing = [str(path.relative_to(ROOT)) for path in DOCUMENTS if not path.exists()]
    assert missing == []


def test_the_readme_starts_with_the_deadline() -> None:
    first = next(step for path, step in CASES if path.name == "README.md" and step.command)
    assert first.command == "pip install -e . && bizclock add 2026-11-20T16:00+01:00 4h"
    assert "built-in default" in first.expected


@pytest.mark.parametrize(
    "path",
    [path for path in DOCUMENTS if path.exists()],
    ids=[path.name for path in DOCUMENTS if path.exists()],
)
def test_shell_examples(path: Path, tmp_path: Path) -> None:
    for step in steps(path):
        where = f"{path.name}:{step.line}"
        if step.file is not None:
            (tmp_path / step.file).write_text(step.content, encoding="utf-8")
            continue
        argv, env = argv_and_env(step.command)
        proc = subprocess.run(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
            check=False,
        )
        assert proc.stdout == step.expected, f"{where}: $ {step.command}"


def test_the_parser_reads_commands_outputs_and_files(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "```toml\n# a.toml\nx = 1\n```\n\n"
        "```json\n// b.json\n{}\n```\n\n"
        "```console\n$ NO_COLOR=1 bizclock one\nout 1\n\n$ bizclock two\n\n```\n\n"
        "```console\nnot run\n```\n",
        encoding="utf-8",
    )
    got = steps(doc)
    assert [s.file for s in got] == ["a.toml", "b.json", None, None]
    assert got[0].content == "# a.toml\nx = 1\n"
    assert got[1].content == "{}\n"
    assert (got[2].command, got[2].expected) == ("NO_COLOR=1 bizclock one", "out 1\n")
    assert (got[3].command, got[3].expected) == ("bizclock two", "")
    argv, env = argv_and_env(got[2].command)
    assert argv == [str(SCRIPT), "one"]
    assert env["NO_COLOR"] == "1"


def _static_all(module: str) -> list[str]:
    """A module's ``__all__``, read from its source (its optional dependencies stay unloaded)."""
    source = (ROOT / "src" / "bizclock" / f"{module}.py").read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            return [str(value) for value in ast.literal_eval(node.value)]
    return []  # pragma: no cover - every public module declares __all__


def public_names() -> list[str]:
    """Every public name a user can reach: the package, Calendar, sla, cli, and the modules
    with optional dependencies (batch, dask, ical), whose names are read from their source."""
    import bizclock
    from bizclock import cli, sla

    names = [*bizclock.__all__, *sla.__all__, *cli.__all__]
    names += [name for name in dir(bizclock.Calendar) if not name.startswith("_")]
    for module in ("batch", "dask", "ical"):
        if (ROOT / "src" / "bizclock" / f"{module}.py").exists():
            names += _static_all(module)
    return sorted(set(names))


def test_the_reference_names_every_public_name() -> None:
    text = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    prose = _FENCE.sub("", text)  # names count where the prose quotes them, not in examples
    quoted = " ".join(re.findall(r"`([^`\n]+)`", prose))
    missing = [name for name in public_names() if not re.search(rf"\b{name}\b", quoted)]
    assert missing == [], f"add these to docs/reference.md: {missing}"
