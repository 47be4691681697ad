"""Shared helpers for the pure-core tests: the shipped program and records for it.

The records builders live in `tests/builders.py`; tests get them as fixtures
that return the functions, so a test reads as
``audit(records_file(journey), "2024-09-01")``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from pathwise.core.audit import Audit, RequirementResult, evaluate
from pathwise.core.program import Program, ProgramLibrary
from pathwise.core.records import ParticipantRecords, parse_records


@pytest.fixture(scope="session")
def library() -> ProgramLibrary:
    return ProgramLibrary.shipped()


@pytest.fixture(scope="session")
def program(library: ProgramLibrary) -> Program:
    found = library.get("cscce-cm", "2023")
    assert found is not None
    return found


@pytest.fixture(scope="session")
def parse(library: ProgramLibrary) -> Callable[[dict[str, Any]], ParticipantRecords]:
    def _parse(data: dict[str, Any]) -> ParticipantRecords:
        return parse_records(data, source="test.json", library=library)

    return _parse


@pytest.fixture(scope="session")
def audit(program: Program, parse: Callable[[dict[str, Any]], ParticipantRecords]
          ) -> Callable[[dict[str, Any], str], Audit]:
    """Parse a records dict and evaluate it as of an ISO date."""

    def _audit(data: dict[str, Any], as_of: str) -> Audit:
        return evaluate(program, parse(data), dt.date.fromisoformat(as_of))

    return _audit


def find_requirement(result: Audit, req_id: str) -> RequirementResult:
    found = [r for r in result.requirements if r.id == req_id]
    assert len(found) == 1, f"expected one requirement {req_id!r}"
    return found[0]


@pytest.fixture(scope="session")
def requirement() -> Callable[[Audit, str], RequirementResult]:
    return find_requirement
