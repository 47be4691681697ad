"""Grades with feedback, outcomes by the program's rule, and making them final as records."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.actions import publish_offering
from pathwise.catalog.models import Offering
from pathwise.core.errors import PathwiseError
from pathwise.credentials.models import Credential
from pathwise.enrollment.actions import give_up_seat
from pathwise.enrollment.models import Seat
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants.exports import export_one
from pathwise.runs.actions import (
    correct_outcome,
    finalise_outcomes,
    record_attendance,
    record_grade,
)
from pathwise.runs.models import Grade
from pathwise.runs.read import meetings, outcomes
from pathwise.standing.models import StandingRow
from tests.runs.conftest import Runs, seat_before_start

pytestmark = pytest.mark.django_db

STAFF = Actor("sam")
PBK_TITLE = "PBK course"


@pytest.fixture
def ended(runs: Runs, publish_run: Callable[..., Offering], settings: Any,
          tmp_path: Path) -> Offering:
    """A PBK run of 12 meetings that ended one to two weeks ago: Grace came to all, Linus to 9."""
    settings.DATA_DIR = tmp_path
    start = timezone.now().date() - dt.timedelta(days=50)
    start -= dt.timedelta(days=start.weekday())  # a Monday, so MO/WE meet 12 times
    run = publish_offering(Actor("staff"), runs.a.program_version, "PBK-C", component="PBK",
                           starts_on=start, ends_on=start + dt.timedelta(days=40),
                           capacity=25, meeting_days=["MO", "WE"], meeting_time=dt.time(16),
                           meeting_minutes=90, timezone="America/New_York")
    assert len(meetings(run)) == 12
    for seat in Seat.objects.filter(offering=runs.a):
        give_up_seat(seat, Actor("test"))
    for person in runs.people:
        seat_before_start(person, run)
    for i, (start, _) in enumerate(meetings(run)):
        record_attendance(run, start.date(), ["P-002", *(["P-003"] if i < 9 else [])],
                          Actor("ina"))
    return run


def by_id(run: Offering) -> dict[str, Any]:
    return {row.participant.public_id: row for row in outcomes(run)}


# Transactional: the worker closes its connection after running the tasks (PostgreSQL).
@pytest.mark.django_db(transaction=True)
def test_a_grade_is_saved_with_feedback_and_the_participant_is_emailed(
        ina: Client, runs: Runs) -> None:
    run_ready_tasks()  # the badges their imported records earn, and the mail telling of them
    mail.outbox.clear()
    response = ina.post("/runs/PBK-A/grades/", {
        "participant": "P-002", "assessment": "final-deliverable", "result": "passed",
        "feedback": "A clear playbook.\r\nWell structured."})
    assert response.status_code == 302
    grade = Grade.objects.get()
    assert (grade.result, grade.feedback, grade.graded_by) == (
        "passed", "A clear playbook.\nWell structured.", "ina")
    assert AuditEntry.objects.filter(action="grade.recorded").count() == 1
    run_ready_tasks()
    assert [m.to for m in mail.outbox] == [["p-002@example.org"]]
    assert "Grade and feedback posted" in mail.outbox[0].subject


def test_the_participant_reads_their_grade_and_feedback_on_their_progress_page(
        runs: Runs) -> None:
    record_grade(runs.a, "P-002", "final-deliverable", "failed", Actor("ina"),
                 feedback="Needs a section on onboarding.")
    from tests.conftest import signed_in

    page = signed_in("grace", "grace-password-1").get("/participants/P-002/").content.decode()
    assert 'data-grade="PBK-A/final-deliverable"' in page
    assert "Needs a section on onboarding." in page


@pytest.mark.parametrize(("assessment", "result", "feedback", "message"), [
    ("quiz-9", "passed", "", "PBK has no assessment 'quiz-9' (it has final-deliverable)"),
    ("final-deliverable", "excellent", "", "'excellent' is not a result"),
    ("final-deliverable", "passed", "x" * 4001, "the feedback is 4001 characters"),
    ("final-deliverable", "passed", "bell\x07", "control character (U+0007)"),
])
def test_bad_grades_are_refused_naming_the_problem_and_nothing_is_saved(
        runs: Runs, assessment: str, result: str, feedback: str, message: str) -> None:
    with pytest.raises(PathwiseError, match=re.escape(message)):
        record_grade(runs.a, "P-002", assessment, result, Actor("ina"), feedback=feedback)
    assert not Grade.objects.exists()
    assert not mail.outbox


def test_outcomes_wait_for_meetings_to_come_and_ungraded_work(runs: Runs) -> None:
    row = by_id(runs.a)["P-002"]
    assert row.outcome.result == "incomplete"
    assert any("still to come" in r for r in row.outcome.reasons)
    assert "final-deliverable not graded yet" in row.outcome.reasons


def test_an_ended_run_passes_and_fails_by_the_program_rule_with_reasons(
        ended: Offering) -> None:
    record_grade(ended, "P-002", "final-deliverable", "passed", STAFF)
    record_grade(ended, "P-003", "final-deliverable", "passed", STAFF)
    rows = by_id(ended)
    assert rows["P-002"].outcome.result == "passed"
    assert rows["P-002"].outcome.reasons == ("attended 12 of 12 sessions, 11 needed",
                                             "final-deliverable passed")
    assert rows["P-003"].outcome.result == "failed"
    assert "attended 9 of 12" in " ".join(rows["P-003"].outcome.reasons)


# Transactional: the worker closes its connection after running the tasks (PostgreSQL).
@pytest.mark.django_db(transaction=True)
def test_making_outcomes_final_writes_records_as_an_import_would_and_issues_the_badge(
        ended: Offering, staff_client: Client) -> None:
    record_grade(ended, "P-002", "final-deliverable", "passed", STAFF)
    record_grade(ended, "P-003", "final-deliverable", "passed", STAFF)
    assert staff_client.post("/runs/PBK-C/outcomes/final/").status_code == 302
    grace = [r for r in export_one("P-002")["records"] if r.get("offering") == "PBK-C"]
    assert grace == [{"component": "PBK", "offering": "PBK-C",
                      "date": meetings(ended)[-1][0].date().isoformat(),
                      "attendance": {"attended": 12, "of": 12},
                      "assessments": {"final-deliverable": "passed"}}]
    linus = [r for r in export_one("P-003")["records"] if r.get("offering") == "PBK-C"]
    assert linus[0]["attendance"] == {"attended": 9, "of": 12}
    assert PBK_TITLE not in StandingRow.objects.get(participant__public_id="P-002").left
    assert PBK_TITLE in StandingRow.objects.get(participant__public_id="P-003").left
    run_ready_tasks()
    assert Credential.objects.filter(participant__public_id="P-002",
                                     achievement="PBK").exists()
    assert not Credential.objects.filter(participant__public_id="P-003",
                                         achievement="PBK").exists()
    assert AuditEntry.objects.filter(action="records.course_outcome").count() == 2


def test_making_final_leaves_the_ungraded_and_changes_nothing_already_final(
        ended: Offering) -> None:
    # Linus's nine sessions settle his outcome before any grade; Grace waits for hers.
    assert [p.public_id for p, _ in finalise_outcomes(ended, STAFF)] == ["P-003"]
    assert finalise_outcomes(ended, STAFF) == []
    record_grade(ended, "P-002", "final-deliverable", "passed", STAFF)
    assert [p.public_id for p, _ in finalise_outcomes(ended, STAFF)] == ["P-002"]


def test_staff_correct_a_final_outcome_with_a_reason_kept_in_the_audit(
        ended: Offering) -> None:
    record_grade(ended, "P-003", "final-deliverable", "passed", STAFF)
    finalise_outcomes(ended, STAFF)
    correct_outcome(ended, "P-003", "passed", "attended the three missed meetings' makeups",
                    STAFF)
    record = next(r for r in export_one("P-003")["records"] if r.get("offering") == "PBK-C")
    assert record["outcome"] == "passed"
    entry = AuditEntry.objects.get(action="records.course_corrected")
    assert "outcome" not in entry.old_value  # the rule decided it: too few sessions
    assert entry.new_value["reason"] == "attended the three missed meetings' makeups"
    assert len([r for r in export_one("P-003")["records"]
                if r.get("offering") == "PBK-C"]) == 1


@pytest.mark.parametrize(("result", "reason", "message"), [
    ("passed", "", "reason: expected a non-empty string"),
    ("passed", "two\nlines", "reason: .*control character"),
    ("attended", "fine", "'attended' is not an outcome of PBK"),
])
def test_a_bad_correction_is_refused_and_the_record_kept(ended: Offering, result: str,
                                                         reason: str, message: str) -> None:
    record_grade(ended, "P-003", "final-deliverable", "passed", STAFF)
    finalise_outcomes(ended, STAFF)
    with pytest.raises(PathwiseError, match=message):
        correct_outcome(ended, "P-003", result, reason, STAFF)
    record = next(r for r in export_one("P-003")["records"] if r.get("offering") == "PBK-C")
    assert "outcome" not in record


def test_an_outcome_not_final_cannot_be_corrected(ended: Offering) -> None:
    with pytest.raises(PathwiseError, match="not final yet"):
        correct_outcome(ended, "P-002", "passed", "because", STAFF)
