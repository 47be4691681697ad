"""`pathwise credit`, `extend`, `withdraw` and `reinstate`: staff's actions on a participant,
for operators, by the same actions as the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from pathwise.auditlog.models import AuditEntry
from pathwise.participants import models as m
from pathwise.standing.models import StandingRow
from tests.cli.conftest import Run

pytestmark = pytest.mark.django_db

#: A deadline Ada may be given: past hers, within three years of today.
NEW_DEADLINE = dt.date.today() + dt.timedelta(days=700)  # noqa: DTZ011


def enrollment(public_id: str) -> m.Enrollment:
    return m.Enrollment.objects.get(participant__public_id=public_id)


def test_credit_records_a_credited_course_as_the_actor(
        ada: m.Participant, pathwise: Callable[..., Run]) -> None:
    run = pathwise("credit", "P-001", "PBK", "--basis", "PBK pilot 2022", "--date",
                   "2026-03-01", "--assessment", "final-deliverable=passed", "--actor", "ops")
    assert run.code == 0, run.err
    assert run.json()["credited"] == "PBK"
    record = m.CompletionRecord.objects.get(enrollment__participant=ada, component="PBK")
    assert (record.outcome, record.basis, record.conditions_met, record.assessments) == (
        "credited", "PBK pilot 2022", True, {"final-deliverable": "passed"})
    assert AuditEntry.objects.get(action="records.credited").actor_label == "ops"
    assert "PBK course" not in StandingRow.objects.get(participant=ada).left


def test_credit_with_conditions_pending_and_no_assessment(
        ada: m.Participant, pathwise: Callable[..., Run]) -> None:
    run = pathwise("credit", "P-001", "PBK", "--basis", "pilot")
    assert run.code == 0, run.err
    record = m.CompletionRecord.objects.get(enrollment__participant=ada, component="PBK")
    assert (record.conditions_met, record.date) == (False, dt.date.today())  # noqa: DTZ011


@pytest.mark.parametrize(("argv", "message"), [
    (("P-001", "PBK", "--basis", "x", "--assessment", "final-deliverable"),
     "--assessment: 'final-deliverable' is not NAME=passed or NAME=failed"),
    (("P-001", "PBK", "--basis", "x", "--assessment", "final-deliverable=failed",
      "--conditions-met"), "final-deliverable failed, so the conditions are not met"),
    (("P-001", "CODE", "--basis", "x", "--conditions-met"), "P-001 already has CODE"),
    (("P-001", "NOPE", "--basis", "x"), "'NOPE' is not a course of cscce-cm"),
    (("P-999", "PBK", "--basis", "x"), "no participant 'P-999'"),
    (("P-001", "PBK", "--basis", "x", "--date", "someday"), "--date: 'someday' is not a date"),
])
def test_a_bad_credit_is_refused_in_one_line_and_nothing_saved(
        argv: tuple[str, ...], message: str, *, ada: m.Participant,
        pathwise: Callable[..., Run], refused: Callable[..., str]) -> None:
    before = m.CompletionRecord.objects.count()
    assert message in refused(pathwise("credit", *argv), "credit")
    assert m.CompletionRecord.objects.count() == before


def test_extend_moves_the_deadline(ada: m.Participant, pathwise: Callable[..., Run]) -> None:
    run = pathwise("extend", "P-001", NEW_DEADLINE.isoformat(), "--reason", "Illness in 2025.")
    assert run.code == 0, run.err
    assert run.json()["deadline"] == NEW_DEADLINE.isoformat()
    assert enrollment("P-001").deadline_extended_to == NEW_DEADLINE
    entry = AuditEntry.objects.get(action="deadline.extended")
    assert entry.new_value["reason"] == "Illness in 2025."


@pytest.mark.parametrize(("argv", "message"), [
    (("P-001", "2025-01-01", "--reason", "x"), "must come after the current one, 2025-08-31"),
    (("P-001", NEW_DEADLINE.isoformat(), "--reason", " "), "reason: say why"),
    (("P-001", "31/01/2027", "--reason", "x"), "DATE: '31/01/2027' is not a date"),
])
def test_a_bad_extension_is_refused_in_one_line_and_nothing_saved(
        argv: tuple[str, ...], message: str, *, ada: m.Participant,
        pathwise: Callable[..., Run], refused: Callable[..., str]) -> None:
    assert message in refused(pathwise("extend", *argv), "extend")
    assert enrollment("P-001").deadline_extended_to is None


def test_withdraw_then_reinstate(grace: m.Participant, pathwise: Callable[..., Run],
                                 refused: Callable[..., str]) -> None:
    run = pathwise("withdraw", "P-002", "--date", "2026-01-15", "--reason", "Left the field.")
    assert run.code == 0, run.err
    assert run.json() | {"deadline": None} == {
        "participant": "P-002", "status": "withdrawn", "deadline": None,
        "withdrawn_on": "2026-01-15", "seats_dropped": []}
    assert enrollment("P-002").withdrawn_on == dt.date(2026, 1, 15)
    assert "P-002 already withdrew on 2026-01-15" in refused(
        pathwise("withdraw", "P-002", "--reason", "again"), "withdraw")

    run = pathwise("reinstate", "P-002", "--reason", "Back from leave.")
    assert run.code == 0, run.err
    assert run.json()["status"] != "withdrawn"
    assert enrollment("P-002").withdrawn_on is None
    assert "P-002 is not withdrawn" in refused(
        pathwise("reinstate", "P-002", "--reason", "again"), "reinstate")


def test_a_certified_participant_cannot_be_withdrawn(
        import_files: Callable[..., list[str]], records_file: Callable[..., dict[str, object]],
        pathwise: Callable[..., Run], refused: Callable[..., str]) -> None:
    import_files(records_file(participant={"id": "P-009", "name": "Mae Jemison",
                                           "timezone": "America/Chicago"}))
    assert "P-009 is certified: there is nothing to withdraw from" in refused(
        pathwise("withdraw", "P-009", "--reason", "x"), "withdraw")
    assert enrollment("P-009").withdrawn_on is None
