"""Shared helpers for the CLI tests: write input files, run `pathwise`, read what it said.

The command runs in-process (`pathwise.cli.main`) with its real argument
parsing, files and output; a few tests also run the installed console script.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pathwise.cli import main

#: A second program, different from the shipped one in every name, count and window.
SECOND_PROGRAMS_DIR = Path(__file__).resolve().parent / "programs"
SECOND_PROGRAM_FILE = SECOND_PROGRAMS_DIR / "field-facilitator" / "2025.1.toml"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def pathwise(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run `pathwise ARGS...` in-process; return its exit status and output."""

    def _run(*argv: str | Path) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return _run


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[..., Path]:
    """Write an object as a JSON file under tmp_path and return its path."""
    counter = iter(range(1_000_000))

    def _write(data: Any, name: str | None = None) -> Path:
        path = tmp_path / (name or f"records-{next(counter)}.json")
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def evaluate(pathwise: Callable[..., Run], write_json: Callable[..., Path]
             ) -> Callable[..., dict[str, Any]]:
    """`pathwise [--programs DIR] evaluate FILE --as-of DATE` on a records dict; its JSON."""

    def _evaluate(data: dict[str, Any], as_of: str, *, programs: Path | None = None
                  ) -> dict[str, Any]:
        path = write_json(data)
        prefix = ["--programs", programs] if programs else []
        run = pathwise(*prefix, "evaluate", path, "--as-of", as_of)
        assert run.err == ""
        assert run.code == 0
        result: dict[str, Any] = run.json()
        return result

    return _evaluate


def assert_one_line_refusal(run: Run, command: str = "evaluate") -> str:
    """Bad input: exit status 2, nothing on stdout, one line on stderr, no traceback."""
    assert run.code == 2, run
    assert run.out == ""
    assert "Traceback" not in run.err
    assert run.err.endswith("\n")
    assert run.err.count("\n") == 1, run.err
    line = run.err.rstrip("\n")
    assert line.startswith(f"pathwise {command}: ")
    return line


@pytest.fixture(scope="session")
def refused() -> Callable[..., str]:
    return assert_one_line_refusal


def requirement_of(result: dict[str, Any], req_id: str) -> dict[str, Any]:
    found = [r for r in result["requirements"] if r["id"] == req_id]
    assert len(found) == 1, f"expected one requirement {req_id!r}"
    return found[0]


@pytest.fixture(scope="session")
def requirement() -> Callable[[dict[str, Any], str], dict[str, Any]]:
    return requirement_of
