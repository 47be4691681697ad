"""Staff's actions on a participant through the API: what each answers, and that a bad
request is a problem naming its field, with nothing changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import Offering
from pathwise.enrollment.actions import take_seat
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m
from pathwise.participants.actions import request_extension
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()  # noqa: DTZ011  (what the site calls today, in UTC)
#: Deadlines any participant here may be given: past theirs, within three years of today.
SOONER, LATER = TODAY + dt.timedelta(days=500), TODAY + dt.timedelta(days=700)


def enrollment(public_id: str) -> m.Enrollment:
    return m.Enrollment.objects.get(participant__public_id=public_id)


def problem(response: Any, status: int, field: str) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [field], body
    message: str = body["detail"]
    return message


def test_staff_credit_a_course_and_it_counts(ada: m.Participant, staff_api: Api) -> None:
    response = staff_api.post("/api/v1/participants/P-001/credit/", {
        "component": "PBK", "basis": "PBK pilot 2022", "date": "2026-02-01",
        "assessments": {"final-deliverable": "passed"}})
    assert response.status_code == 200, response.content
    assert response.json()["id"] == "P-001"
    record = m.CompletionRecord.objects.get(enrollment__participant=ada, component="PBK")
    assert (record.outcome, record.conditions_met, record.date) == (
        "credited", True, dt.date(2026, 2, 1))
    records = staff_api.get("/api/v1/participants/P-001/records/").json()["records"]
    assert {"component": "PBK", "date": "2026-02-01", "outcome": "credited",
            "basis": "PBK pilot 2022", "conditions_met": True,
            "assessments": {"final-deliverable": "passed"}} in records


@pytest.mark.parametrize(("body", "status", "field", "words"), [
    ({"component": "PBK", "basis": "pilot", "assessments": {"quiz": "passed"}}, 422,
     "assessments", "PBK has no assessment 'quiz'"),
    ({"component": "PBK", "basis": "pilot", "assessments": {"final-deliverable": "maybe"}},
     400, "assessments.final-deliverable", "not a valid choice"),
    ({"component": "MW-FEEDBACK", "basis": "pilot"}, 422, "component",
     "'MW-FEEDBACK' is not a course of cscce-cm"),
    ({"component": "PBK", "basis": "two\nlines"}, 400, "basis", "one line"),
    ({"component": "PBK", "basis": "pilot", "date": "1800-01-01"}, 400, "date",
     "outside the plausible range"),
])
def test_a_bad_credit_is_a_problem_naming_the_field_and_changes_nothing(
    body: dict[str, Any], status: int, field: str, words: str, *, ada: m.Participant,
    staff_api: Api,
) -> None:
    before = m.CompletionRecord.objects.filter(enrollment__participant=ada).count()
    assert words in problem(staff_api.post("/api/v1/participants/P-001/credit/", body),
                            status, field)
    assert m.CompletionRecord.objects.filter(enrollment__participant=ada).count() == before


def test_staff_extend_a_deadline_and_the_standing_shows_it(ada: m.Participant,
                                                           staff_api: Api) -> None:
    response = staff_api.post("/api/v1/participants/P-001/extend/",
                              {"until": LATER.isoformat(), "reason": "Illness."})
    assert response.status_code == 200, response.content
    assert response.json()["deadline"] == LATER.isoformat()
    assert enrollment("P-001").deadline_extended_to == LATER

    earlier = staff_api.post("/api/v1/participants/P-001/extend/",
                             {"until": SOONER.isoformat(), "reason": "Oops."})
    assert f"must come after the current one, {LATER.isoformat()}" in problem(earlier, 422,
                                                                             "until")
    assert enrollment("P-001").deadline_extended_to == LATER
    missing = staff_api.post("/api/v1/participants/P-001/extend/",
                             {"until": (LATER + dt.timedelta(days=1)).isoformat()})
    problem(missing, 400, "reason")


def test_staff_grant_and_refuse_extension_requests(ada: m.Participant, grace: m.Participant,
                                                   staff_api: Api) -> None:
    ada_asks = request_extension(enrollment("P-001"), "Lab closed.", Actor("ada"),
                                 wanted_until=LATER)
    grace_asks = request_extension(enrollment("P-002"), "New baby.", Actor("grace"))

    listed = staff_api.get("/api/v1/extension-requests/").json()["results"]
    assert {r["id"]: r["status"] for r in listed} == {ada_asks.pk: "open", grace_asks.pk: "open"}

    granted = staff_api.post(f"/api/v1/extension-requests/{ada_asks.pk}/grant/", {})
    assert granted.status_code == 200, granted.content
    assert (granted.json()["status"], granted.json()["decided_by"]) == ("granted", "sam")
    assert enrollment("P-001").deadline_extended_to == LATER

    no_date = staff_api.post(f"/api/v1/extension-requests/{grace_asks.pk}/grant/", {})
    assert "the request names no date" in problem(no_date, 422, "until")
    refused = staff_api.post(f"/api/v1/extension-requests/{grace_asks.pk}/refuse/",
                             {"reason": "The version closes."})
    assert refused.status_code == 200, refused.content
    assert refused.json()["status"] == "refused"
    assert refused.json()["decided_at"] is not None
    again = staff_api.post(f"/api/v1/extension-requests/{grace_asks.pk}/grant/",
                           {"until": LATER.isoformat()})
    assert "was already refused" in problem(again, 422, "until")
    assert enrollment("P-002").deadline_extended_to is None
    assert staff_api.post("/api/v1/extension-requests/99999/grant/", {}).status_code == 404
    assert staff_api.post("/api/v1/extension-requests/nope/grant/", {}).status_code == 404


def test_staff_withdraw_and_reinstate(grace: m.Participant, staff_api: Api,
                                      publish_run: Callable[..., Offering]) -> None:
    seat = take_seat(grace, publish_run("QSS-X", "QSS", starts_in=20), Actor("test")).seat
    response = staff_api.post("/api/v1/participants/P-002/withdraw/", {"reason": "Left."})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    assert Seat.objects.get(pk=seat.pk).status == Seat.DROPPED
    twice = staff_api.post("/api/v1/participants/P-002/withdraw/", {"reason": "Again."})
    assert "already withdrew" in problem(twice, 422, "on")

    back = staff_api.post("/api/v1/participants/P-002/reinstate/", {"reason": "Back."})
    assert back.status_code == 200, back.content
    assert back.json()["status"] != "withdrawn"
    assert enrollment("P-002").withdrawn_on is None


def test_a_participant_changes_their_own_job_and_staff_anyones(
    ada: m.Participant, grace: m.Participant, grace_api: Api, staff_api: Api,
) -> None:
    own = grace_api.post("/api/v1/participants/P-002/job-change/",
                         {"organization": "Astro Commons", "role": "Manager",
                          "on": "2026-04-01"})
    assert own.status_code == 200, own.content
    assert own.json()["organization"] == "Astro Commons"
    assert AuditEntry.objects.get(action="participant.job_changed").actor_label == "grace"

    by_staff = staff_api.post("/api/v1/participants/P-001/job-change/",
                              {"organization": "Marine Observatory"})
    assert by_staff.status_code == 200, by_staff.content
    assert m.Employment.objects.get(participant=ada).started_on == dt.date.today()  # noqa: DTZ011

    same = grace_api.post("/api/v1/participants/P-002/job-change/",
                          {"organization": "Astro Commons", "role": "Manager"})
    assert "already works there" in problem(same, 422, "organization")
    assert m.Employment.objects.filter(participant=grace).count() == 1
