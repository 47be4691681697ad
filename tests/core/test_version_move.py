"""The pure core of a version move: the same records audited under two versions, side by
side, and the refusals (same version, another program, records the target cannot hold)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from pathwise.core.errors import PathwiseError
from pathwise.core.program import Program, ProgramLibrary, parse_program
from pathwise.core.records import ParticipantRecords, parse_records
from pathwise.core.version_move import check_move, preview
from tests.builders import version_with_three_shares
from tests.cli.conftest import SECOND_PROGRAM_FILE

AS_OF = dt.date(2024, 9, 1)


@pytest.fixture(scope="session")
def later(library: ProgramLibrary) -> Program:
    found = library.get("cscce-cm", "2025")
    assert found is not None
    return found


def records_on(library: ProgramLibrary, data: dict[str, Any]) -> ParticipantRecords:
    return parse_records(data, source="test", library=library)


def test_every_requirement_is_set_side_by_side_and_what_differs_is_marked(
        program: Program, library: ProgramLibrary, records_file: Callable[..., Any]) -> None:
    target = parse_program(version_with_three_shares("2026"), source="2026")
    found = preview(program, target, records_on(library, records_file()), AS_OF)
    assert found.problem is None
    assert found.after is not None
    assert [r.id for r in found.rows] == [r.id for r in target.requirements]
    changed = {r.id for r in found.rows if r.changes}
    assert changed == {"skills-share"}
    share = next(r for r in found.rows if r.id == "skills-share")
    assert share.before.result is not None
    assert share.before.result.met
    assert share.after.result is not None
    assert not share.after.result.met
    assert (found.before.status, found.after.status) == ("certified", "on_track")
    assert found.badges_lost == ["cscce-cm"]
    assert found.badges_gained == []
    assert found.to_json()["requirements"][-1]["target"]["id"] == "capstone"


def test_a_requirement_only_the_current_version_has_shows_as_absent_from_the_target(
        program: Program, library: ProgramLibrary, records_file: Callable[..., Any]) -> None:
    text = version_with_three_shares("2026")
    start = text.index('[[requirements]]\nid = "lightning-talk"')
    end = text.index("[[requirements]]", start + 1)
    target = parse_program(text[:start] + text[end:], source="2026")
    found = preview(program, target, records_on(library, records_file()), AS_OF)
    talk = next(r for r in found.rows if r.id == "lightning-talk")
    assert found.rows[-1] is talk
    assert talk.before.result is not None
    assert talk.after.result is None
    assert talk.changes
    assert found.to_json()["requirements"][-1]["target"] is None


def test_a_move_that_is_no_move_is_refused(
        program: Program, later: Program, library: ProgramLibrary,
        records_file: Callable[..., Any]) -> None:
    records = records_on(library, records_file())
    assert preview(program, later, records, AS_OF).problem is None
    with pytest.raises(PathwiseError, match="P-001 is already on cscce-cm 2023"):
        check_move(program, program, records)
    other = parse_program(SECOND_PROGRAM_FILE.read_text(encoding="utf-8"), source="ff")
    found = preview(program, other, records, AS_OF)
    assert found.after is None
    assert found.problem is not None
    assert "a version move stays within the program" in found.problem
    assert [r.id for r in found.rows] == [r.id for r in program.requirements]


def test_records_the_target_cannot_hold_are_refused_naming_the_record(
        program: Program, later: Program, library: ProgramLibrary,
        records_file: Callable[..., Any]) -> None:
    data = records_file(program_version="2025")
    data["records"].append({"component": "EVAL", "date": "2024-07-01", "outcome": "passed"})
    records = records_on(library, data)
    found = preview(later, program, records, AS_OF)
    assert found.problem is not None
    assert "records[13].component: unknown component 'EVAL' in cscce-cm 2023" in found.problem
    with pytest.raises(PathwiseError, match="cannot move to cscce-cm 2023"):
        check_move(later, program, records)
