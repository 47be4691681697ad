"""`pathwise grade` and `pathwise attendance record`: the runs pages' actions, for operators."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pathwise.auditlog.models import AuditEntry
from pathwise.runs.models import Attendance, Grade
from tests.cli.conftest import Run
from tests.runs.conftest import Runs, runs  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def test_grade_records_the_result_and_feedback_as_the_actor(
        runs: Runs, pathwise: Callable[..., Run]) -> None:  # noqa: F811
    run = pathwise("grade", "PBK-A", "P-002", "final-deliverable", "passed",
                   "--feedback", "A clear playbook.", "--actor", "ina")
    assert run.code == 0, run.err
    assert run.json()["result"] == "passed"
    grade = Grade.objects.get()
    assert (grade.participant.public_id, grade.feedback, grade.graded_by) == (
        "P-002", "A clear playbook.", "ina")
    assert AuditEntry.objects.filter(action="grade.recorded", actor_label="ina").exists()


@pytest.mark.parametrize(("argv", "message"), [
    (("NOPE", "P-002", "final-deliverable", "passed"), "no offering 'NOPE'"),
    (("PBK-A", "P-002", "final-deliverable", "excellent"), "'excellent' is not a result"),
    (("PBK-A", "P-002", "quiz-9", "passed"), "PBK has no assessment 'quiz-9'"),
    (("PBK-A", "P-999", "final-deliverable", "passed"), "P-999 is not enrolled on PBK-A"),
])
def test_a_bad_grade_is_refused_in_one_line_and_nothing_saved(
        argv: tuple[str, ...], message: str, *, runs: Runs,  # noqa: F811
        pathwise: Callable[..., Run], refused: Callable[..., str]) -> None:
    assert message in refused(pathwise("grade", *argv), "grade")
    assert not Grade.objects.exists()


def test_attendance_record_saves_the_register_those_not_named_absent(
        runs: Runs, pathwise: Callable[..., Run]) -> None:  # noqa: F811
    day = runs.held_days()[0].isoformat()
    run = pathwise("attendance", "record", "PBK-A", day, "P-003")
    assert run.code == 0, run.err
    assert run.json()["marks"] == {"P-002": "absent", "P-003": "present"}
    assert {a.participant.public_id: a.present for a in Attendance.objects.all()} == {
        "P-002": False, "P-003": True}
    assert AuditEntry.objects.filter(action="attendance.recorded",
                                     target_id=f"PBK-A/{day}").exists()


@pytest.mark.parametrize(("day", "ids", "message"), [
    ("2001-01-01", ("P-002",), "PBK-A has no meeting on 2001-01-01"),
    ("yesterday", ("P-002",), "DAY: 'yesterday' is not a date"),
    (None, ("P-999",), "P-999 is not enrolled on PBK-A"),
])
def test_a_bad_register_is_refused_in_one_line_and_nothing_saved(
        day: str | None, ids: tuple[str, ...], message: str, *, runs: Runs,  # noqa: F811
        pathwise: Callable[..., Run], refused: Callable[..., str]) -> None:
    when = day or runs.held_days()[0].isoformat()
    assert message in refused(pathwise("attendance", "record", "PBK-A", when, *ids),
                              "attendance")
    assert not Attendance.objects.exists()
