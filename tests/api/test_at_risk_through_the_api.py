"""The at-risk list and recording a contact, through the API, as the dashboard has them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import Offering
from pathwise.notifications.models import Contact
from pathwise.participants import models as m
from pathwise.standing.actions import refresh_standing
from tests.api.conftest import Api
from tests.builders import ada_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_risk(grace: m.Participant, import_files: Callable[..., list[str]],
            publish_run: Callable[..., Offering]) -> m.Participant:
    import_files(ada_file("P-030", "Long Overdue", enrolled_on="2019-01-01"))
    publish_run("CODE-FAR", "CODE", starts_on=dt.date(2028, 1, 4))
    refresh_standing(grace)
    return grace


def test_staff_list_who_is_at_risk_with_why_since_when_and_the_action(
        at_risk: m.Participant, staff_api: Api) -> None:
    response = staff_api.get("/api/v1/at-risk/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    by_id = {row["participant"]: row for row in body["results"]}
    grace = by_id["P-002"]
    assert (grace["status"], grace["reason_kind"]) == ("at_risk", "no_run")
    assert grace["reason"].startswith("Orientation mini-workshops: no MW-FEEDBACK run")
    assert grace["action"].startswith("Ask for the times they could make")
    assert grace["url"] == "/participants/P-002/"
    assert grace["last_contact"]["summary"] == "Your standing: At risk"
    assert by_id["P-030"]["reason_kind"] == "overdue"
    assert by_id["P-030"]["last_contact"] is None
    only = staff_api.get("/api/v1/at-risk/", {"reason": "overdue"}).json()["results"]
    assert [row["participant"] for row in only] == ["P-030"]


def test_an_unknown_filter_is_a_problem_naming_the_field(at_risk: m.Participant,
                                                         staff_api: Api) -> None:
    response = staff_api.get("/api/v1/at-risk/", {"run": "NOPE", "reason": "bored"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["run", "reason"]


def test_staff_record_a_contact_which_becomes_the_last_contact(
        at_risk: m.Participant, staff_api: Api) -> None:
    response = staff_api.post("/api/v1/participants/P-030/contacts/", {
        "channel": "video", "date": timezone.localdate().isoformat(),
        "note": "Agreed to ask for an extension."})
    assert response.status_code == 201
    body = response.json()
    assert (body["participant"], body["channel"], body["recorded_by"]) == (
        "P-030", "video", "sam")
    assert AuditEntry.objects.filter(action="participant.contacted",
                                     participant__public_id="P-030").count() == 1
    rows = staff_api.get("/api/v1/at-risk/", {"reason": "overdue"}).json()["results"]
    assert rows[0]["last_contact"] == {"on": timezone.localdate().isoformat(), "channel": "video",
                                       "summary": "Agreed to ask for an extension.",
                                       "recorded_by_hand": True}


@pytest.mark.parametrize(("body", "field", "status"), [
    ({"channel": "pigeon"}, "channel", 422),
    ({"date": "2999-01-01"}, "date", 400),
    ({"date": "soon"}, "date", 400),
    ({"note": "bell\x07"}, "note", 422),
    ({"note": "x" * 1001}, "note", 400),
])
def test_a_bad_contact_is_refused_naming_the_field_and_nothing_is_saved(
        at_risk: m.Participant, staff_api: Api, body: dict[str, str], field: str,
        status: int) -> None:
    good = {"channel": "phone", "date": "2026-01-05", "note": "Called."}
    response = staff_api.post("/api/v1/participants/P-002/contacts/", {**good, **body})
    assert response.status_code == status, response.json()
    assert response.json()["errors"][0]["field"] == field
    assert not Contact.objects.exists()


def test_a_contact_with_someone_unknown_is_not_found(staff_api: Api) -> None:
    response = staff_api.post("/api/v1/participants/P-999/contacts/", {
        "channel": "phone", "date": "2026-01-05", "note": "Called."})
    assert response.status_code == 404
