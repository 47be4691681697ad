"""Runs through the API: the runs pages' access for each role, the register saved and read
back, a grade reaching the progress page, and outcomes made final into records."""

from __future__ import annotations

from typing import Any

import pytest

from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import Offering
from pathwise.runs.actions import record_grade
from pathwise.runs.read import meetings
from tests.api.conftest import Api, token_for
from tests.conftest import signed_in
from tests.runs.conftest import Runs, runs  # noqa: F401  (a fixture)
from tests.runs.test_grades_and_outcomes import STAFF, ended  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "participant", "instructor", "other-instructor", "staff", "reader")


@pytest.fixture
def apis(runs: Runs, staff: Any, django_user_model: Any) -> dict[str, Api]:  # noqa: F811
    user = django_user_model.objects.get
    return {"anonymous": Api(None), "participant": Api(token_for(runs.people[0].user)),
            "instructor": Api(token_for(user(username="ina"))),
            "other-instructor": Api(token_for(user(username="ben"))),
            "staff": Api(token_for(staff)), "reader": Api(token_for(staff, "read"))}


def _day(runs: Runs) -> str:  # noqa: F811
    return runs.held_days()[0].isoformat()


READS: list[tuple[str, tuple[int, ...]]] = [
    # path, status for: anonymous, participant, instructor of PBK-A, of PBK-B, staff, reader
    ("/api/v1/runs/", (401, 403, 200, 200, 200, 200)),
    ("/api/v1/runs/PBK-A/", (401, 403, 200, 404, 200, 200)),
    ("/api/v1/runs/NOPE/", (401, 403, 404, 404, 404, 404)),
    ("/api/v1/runs/PBK-A/meetings/{day}/attendance/", (401, 403, 200, 404, 200, 200)),
    ("/api/v1/runs/PBK-A/grades/", (401, 403, 200, 404, 200, 200)),
    ("/api/v1/runs/PBK-A/outcomes/", (401, 403, 403, 403, 200, 200)),
]


@pytest.mark.parametrize(("template", "expected"), READS, ids=[r[0] for r in READS])
def test_each_role_reads_the_runs_it_may_as_the_pages_allow(
        template: str, expected: tuple[int, ...], runs: Runs,  # noqa: F811
        apis: dict[str, Api]) -> None:
    path = template.format(day=_day(runs))
    got = tuple(apis[role].get(path).status_code for role in ROLES)
    assert got == expected, f"{path}: {dict(zip(ROLES, got, strict=True))}"


WRITES: list[tuple[str, str, str, dict[str, Any], tuple[int, ...]]] = [
    # what, method, path, body, status for the six roles
    ("save a register", "PUT", "/api/v1/runs/PBK-A/meetings/{day}/attendance/",
     {"present": ["P-002"]}, (401, 403, 200, 404, 200, 403)),
    ("grade", "POST", "/api/v1/runs/PBK-A/grades/",
     {"participant": "P-002", "assessment": "final-deliverable", "result": "passed"},
     (401, 403, 201, 404, 201, 403)),
    ("make outcomes final", "POST", "/api/v1/runs/PBK-A/outcomes/finalise/", {},
     (401, 403, 403, 403, 200, 403)),
    ("correct an outcome", "POST", "/api/v1/runs/PBK-A/outcomes/P-002/correct/",
     {"result": "passed", "reason": "late work"}, (401, 403, 403, 403, 422, 403)),
    ("add an instructor", "POST", "/api/v1/runs/PBK-A/instructors/", {"username": "ben"},
     (401, 403, 403, 403, 201, 403)),
    ("remove an instructor", "DELETE", "/api/v1/runs/PBK-A/instructors/?username=ina", {},
     (401, 403, 403, 403, 200, 403)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("what", "method", "template", "body", "expected"), WRITES,
                         ids=[w[0] for w in WRITES])
def test_each_role_acts_on_the_runs_it_may_and_a_read_token_on_none(
        role: str, what: str, method: str, template: str, body: dict[str, Any], *,
        expected: tuple[int, ...], runs: Runs, apis: dict[str, Api]) -> None:  # noqa: F811
    before = AuditEntry.objects.count()
    response = apis[role].call(method, template.format(day=_day(runs)), body)
    assert response.status_code == expected[ROLES.index(role)], response.content
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert AuditEntry.objects.count() == before


def test_a_register_saved_by_put_reads_back_and_is_audited(
        runs: Runs, apis: dict[str, Api]) -> None:  # noqa: F811
    path = f"/api/v1/runs/PBK-A/meetings/{_day(runs)}/attendance/"
    saved = apis["instructor"].call("PUT", path, {"present": ["P-002"], "presenter": None})
    assert saved.status_code == 200, saved.content
    marks = {p["participant"]: p["mark"] for p in apis["instructor"].get(path).json()["people"]}
    assert marks == {"P-002": "present", "P-003": "absent"}
    entry = AuditEntry.objects.get(action="attendance.recorded")
    assert (entry.actor_label, entry.target_id) == ("ina", f"PBK-A/{_day(runs)}")
    assert entry.new_value == {"P-002": "present", "P-003": "absent"}


def test_a_register_naming_someone_off_the_roster_is_refused_naming_the_field(
        runs: Runs, apis: dict[str, Api]) -> None:  # noqa: F811
    path = f"/api/v1/runs/PBK-A/meetings/{_day(runs)}/attendance/"
    refused = apis["instructor"].call("PUT", path, {"present": ["P-099"]})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "present", "rule": "on-roster",
                                         "message": "P-099 is not enrolled on PBK-A"}]
    assert not AuditEntry.objects.filter(action="attendance.recorded").exists()


def test_a_day_the_run_does_not_meet_has_no_register(runs: Runs,  # noqa: F811
                                                     apis: dict[str, Api]) -> None:
    response = apis["instructor"].get("/api/v1/runs/PBK-A/meetings/2001-01-01/attendance/")
    assert response.status_code == 404
    assert "has no meeting on 2001-01-01" in response.json()["detail"]


def test_the_roster_lists_the_enrolled_with_what_they_still_need_and_the_meetings(
        runs: Runs, apis: dict[str, Api]) -> None:  # noqa: F811
    run = apis["instructor"].get("/api/v1/runs/PBK-A/").json()
    assert [p["participant"] for p in run["roster"]] == ["P-002", "P-003"]
    assert run["instructors"] == ["ina"]
    assert len(run["meetings"]) == len(meetings(runs.a))
    assert [r["code"] for r in apis["instructor"].get("/api/v1/runs/").json()["results"]] == [
        "PBK-A"]


def test_a_grade_through_the_api_shows_on_the_participants_progress_page(
        runs: Runs, apis: dict[str, Api]) -> None:  # noqa: F811
    response = apis["instructor"].post("/api/v1/runs/PBK-A/grades/", {
        "participant": "P-002", "assessment": "final-deliverable", "result": "failed",
        "feedback": "Needs a section on onboarding."})
    assert response.status_code == 201, response.content
    assert response.json()["graded_by"] == "ina"
    page = signed_in("grace", "grace-password-1").get("/participants/P-002/").content.decode()
    assert 'data-grade="PBK-A/final-deliverable"' in page
    assert "Needs a section on onboarding." in page


def test_a_bad_grade_is_refused_with_the_pages_sentence_under_its_field(
        runs: Runs, apis: dict[str, Api]) -> None:  # noqa: F811
    response = apis["instructor"].post("/api/v1/runs/PBK-A/grades/", {
        "participant": "P-002", "assessment": "quiz-9", "result": "passed"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{
        "field": "assessment", "rule": "assessment",
        "message": "PBK has no assessment 'quiz-9' (it has final-deliverable)"}]


def test_finalising_writes_the_record_the_participant_records_show(
        ended: Offering, apis: dict[str, Api]) -> None:  # noqa: F811
    record_grade(ended, "P-002", "final-deliverable", "passed", STAFF)
    response = apis["staff"].post("/api/v1/runs/PBK-C/outcomes/finalise/")
    assert response.status_code == 200, response.content
    assert sorted(response.json()["finalised"]) == ["P-002", "P-003"]
    records = apis["staff"].get("/api/v1/participants/P-002/records/").json()
    assert any(r.get("offering") == "PBK-C" for r in records["records"]), records
    corrected = apis["staff"].post("/api/v1/runs/PBK-C/outcomes/P-003/correct/",
                                   {"result": "passed", "reason": "attendance was mis-typed"})
    assert corrected.status_code == 200, corrected.content
    people = {p["participant"]: p for p in corrected.json()["people"]}
    assert people["P-003"]["recorded"] == "passed"
