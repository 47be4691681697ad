"""Shared helpers for the pure-core tests: the shipped program and records for it.

The plain builders (`complete_journey`, `make_records_file`, ...) are also used
by the CLI tests. Tests get them as fixtures that return the functions, so a
test reads as ``audit(records_file(journey), "2024-09-01")``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from pathwise.core.audit import Audit, RequirementResult, evaluate
from pathwise.core.program import Program, ProgramLibrary
from pathwise.core.records import ParticipantRecords, parse_records

#: The default program's requirement ids, in the order the definition lists them.
DEFAULT_REQUIREMENT_IDS = (
    "orientation", "orientation-mini-workshops", "code", "pbk", "elective",
    "mini-workshops", "skills-share", "lightning-talk", "capstone",
)


def complete_journey() -> list[dict[str, Any]]:
    """A complete, certifying journey for someone enrolled on 2023-09-21.

    The last requirement met is the capstone on 2024-08-01; the sixth distinct
    mini-workshop comes on 2024-05-15.
    """
    return [
        {"component": "ORIENT", "date": "2023-09-21", "outcome": "attended"},
        {"component": "MW-CORE-VALUES", "date": "2023-09-28", "outcome": "attended"},
        {"component": "MW-FEEDBACK", "date": "2023-10-05", "outcome": "attended"},
        {"component": "CODE", "offering": "CODE23F", "date": "2023-12-05",
         "attendance": {"attended": 11, "of": 12},
         "assessments": {"final-deliverable": "passed"}},
        {"component": "QSS", "date": "2023-12-14", "outcome": "attended"},
        {"component": "MW-MEETINGS", "date": "2024-01-15", "outcome": "attended"},
        {"component": "MW-FACILITATION", "date": "2024-02-15", "outcome": "attended"},
        {"component": "PBK", "offering": "PBK24W", "date": "2024-03-12", "outcome": "passed"},
        {"component": "QSS", "date": "2024-03-14", "outcome": "attended", "role": "presenter"},
        {"component": "MW-ONBOARDING", "date": "2024-04-15", "outcome": "attended"},
        {"component": "MW-METRICS", "date": "2024-05-15", "outcome": "attended"},
        {"component": "NOC", "offering": "NOC24S", "date": "2024-06-25", "outcome": "passed"},
        {"component": "CAPSTONE", "date": "2024-08-01", "outcome": "passed"},
    ]


def drop_components(records: Iterable[dict[str, Any]], *codes: str) -> list[dict[str, Any]]:
    """The records minus every record of the given components."""
    return [r for r in records if r["component"] not in codes]


def make_records_file(records: list[dict[str, Any]] | None = None, **top: Any) -> dict[str, Any]:
    """A records file (as parsed JSON) for the default program; `top` overrides top-level keys."""
    data: dict[str, Any] = {
        "program": "cscce-cm",
        "program_version": "2023",
        "participant": {"id": "P-001", "name": "Ada Lovelace", "timezone": "Europe/London"},
        "enrolled_on": "2023-09-21",
        "deadline_extended_to": None,
        "records": complete_journey() if records is None else records,
    }
    data.update(top)
    return data


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


@pytest.fixture
def journey() -> list[dict[str, Any]]:
    """A fresh copy of the complete journey, free to change in the test."""
    return complete_journey()


@pytest.fixture(scope="session")
def records_file() -> Callable[..., dict[str, Any]]:
    return make_records_file


@pytest.fixture(scope="session")
def without() -> Callable[..., list[dict[str, Any]]]:
    return drop_components


@pytest.fixture(scope="session")
def requirement() -> Callable[[Audit, str], RequirementResult]:
    return find_requirement
