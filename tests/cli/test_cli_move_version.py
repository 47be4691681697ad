"""`pathwise move-version PARTICIPANT VERSION [--dry-run]`: the staff page's move, for operators."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pathwise.auditlog.models import AuditEntry
from pathwise.participants import models as m
from tests.cli.conftest import Run

pytestmark = pytest.mark.django_db


def version_of(public_id: str) -> str:
    return m.Enrollment.objects.get(participant__public_id=public_id).program_version.version


def test_a_dry_run_prints_both_audits_and_changes_nothing(
        ada: m.Participant, pathwise: Callable[..., Run]) -> None:
    run = pathwise("move-version", "P-001", "2025", "--dry-run", "--as-of", "2025-01-15")
    assert run.code == 0, run.err
    data = run.json()
    assert (data["moved"], data["allowed"]) == (False, True)
    assert (data["current"]["program_version"], data["target"]["program_version"]) == (
        "2023", "2025")
    assert data["current"]["as_of"] == "2025-01-15"
    elective = next(r for r in data["requirements"] if r["id"] == "elective")
    assert elective["title"] == "Elective course (NOC, COP or EVAL)"
    assert elective["changes"] is True
    assert version_of("P-001") == "2023"
    assert not AuditEntry.objects.filter(action="enrollment.version_moved").exists()


def test_the_move_is_made_as_the_actor(ada: m.Participant, pathwise: Callable[..., Run]) -> None:
    run = pathwise("move-version", "P-001", "cscce-cm/2025", "--actor", "ina")
    assert run.code == 0, run.err
    assert run.json()["moved"] is True
    assert version_of("P-001") == "2025"
    assert AuditEntry.objects.filter(action="enrollment.version_moved", actor_label="ina",
                                     new_value={"program": "cscce-cm", "version": "2025"}
                                     ).exists()


@pytest.mark.parametrize(("argv", "message"), [
    (("P-001", "2023"), "P-001 is already on cscce-cm 2023"),
    (("P-001", "2099"), "cscce-cm has no version '2099' (its versions: 2023, 2025"),
    (("P-001", "20 25"), "is not a program version such as 2025"),
    (("P-999", "2025"), "no participant 'P-999'"),
    (("P 1", "2025"), "PARTICIPANT: 'P 1' is not an identifier"),
    (("P-001", "2025", "--dry-run", "--as-of", "soon"), "soon"),
])
def test_a_bad_move_is_refused_in_one_line_and_nothing_changes(
        argv: tuple[str, ...], message: str, *, ada: m.Participant,
        pathwise: Callable[..., Run], refused: Callable[..., str]) -> None:
    assert message in refused(pathwise("move-version", *argv), "move-version")
    assert version_of("P-001") == "2023"
