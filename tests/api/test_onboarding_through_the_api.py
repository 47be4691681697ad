"""Onboarding through the API: interest from anyone (throttled), staff accepting, declining,
adding a participant and sending an invitation again; bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from pathwise.catalog.models import Intake
from pathwise.onboarding.models import ExpressionOfInterest, Invitation
from pathwise.participants.models import Enrollment, Participant
from tests.api.conftest import Api
from tests.onboarding.conftest import begun_intake, invitation_link, open_intake

# Transactional, so that the worker sends the invitation e-mails after a real commit.
pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["begun_intake", "open_intake"]  # fixtures, used by name

LIN = {"name": "Lin Chen", "email": "lin@example.org", "timezone": "Europe/Berlin",
       "courses": ["CODE"], "payment": "card",
       "availability": [{"days": ["MO", "WE"], "from": "18:00", "to": "21:00"}]}


def test_anyone_expresses_interest_and_staff_accept_it(open_intake: Intake, anonymous: Api,
                                                       staff_api: Api) -> None:
    sent = anonymous.post("/api/v1/interest/", LIN)
    assert sent.status_code == 201, sent.content
    assert sent.json() == {"status": "received"}
    listed = staff_api.get("/api/v1/interest/", {"status": "pending"}).json()["results"]
    assert [(r["name"], r["availability"]) for r in listed] == [
        ("Lin Chen", LIN["availability"])]
    accepted = staff_api.post(f"/api/v1/interest/{listed[0]['id']}/accept/",
                              {"intake": "NEW27"})
    assert accepted.status_code == 200, accepted.content
    assert (accepted.json()["id"], accepted.json()["intake"]) == ("P-001", "NEW27")
    assert Enrollment.objects.get().intake == open_intake
    assert invitation_link("lin@example.org")
    again = staff_api.post(f"/api/v1/interest/{listed[0]['id']}/accept/", {"intake": "NEW27"})
    assert again.status_code == 422
    assert "already accepted" in again.json()["detail"]


def test_staff_decline_once(open_intake: Intake, anonymous: Api, staff_api: Api) -> None:
    anonymous.post("/api/v1/interest/", LIN)
    row = ExpressionOfInterest.objects.get()
    assert staff_api.post(f"/api/v1/interest/{row.pk}/decline/").json()["status"] == "declined"
    assert staff_api.post(f"/api/v1/interest/{row.pk}/decline/").status_code == 409
    assert staff_api.post("/api/v1/interest/999/decline/").status_code == 404
    assert not Participant.objects.exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"timezone": "Mars/Base"}, "timezone"),
    ({"email": "a@b.org\nBcc: c@d.org"}, "email"),
    ({"courses": ["NOPE"]}, "courses"),
    ({"availability": [{"days": ["MO"], "from": "21:00", "to": "20:00"}]}, "availability"),
    ({"payment": "gold"}, "payment"),
])
def test_bad_interest_names_the_field(open_intake: Intake, anonymous: Api,
                                      change: dict[str, Any], field: str) -> None:
    response = anonymous.post("/api/v1/interest/", {**LIN, **change})
    assert response.status_code in (400, 422), response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in {e["field"].split(".")[0].split("[")[0] for e in response.json()["errors"]}
    assert not ExpressionOfInterest.objects.exists()


def test_interest_is_throttled_per_address(open_intake: Intake, anonymous: Api) -> None:
    for i in range(5):
        assert anonymous.post("/api/v1/interest/", {**LIN, "email": f"p{i}@example.org"}
                              ).status_code == 201
    refused = anonymous.post("/api/v1/interest/", LIN)
    assert refused.status_code == 429
    assert "too many requests" in refused.json()["detail"]
    assert ExpressionOfInterest.objects.count() == 5


def test_accepting_into_a_begun_intake_is_refused(open_intake: Intake, begun_intake: Intake,
                                                  anonymous: Api, staff_api: Api) -> None:
    anonymous.post("/api/v1/interest/", LIN)
    row = ExpressionOfInterest.objects.get()
    refused = staff_api.post(f"/api/v1/interest/{row.pk}/accept/", {"intake": "OLD26"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "intake"
    assert begun_intake.starts_on.isoformat() in refused.json()["detail"]
    assert ExpressionOfInterest.objects.get().status == "pending"
    assert not Participant.objects.exists()


def test_staff_add_a_participant_and_send_the_invitation_again(open_intake: Intake,
                                                               staff_api: Api) -> None:
    made = staff_api.post("/api/v1/participants/", {
        "name": "Ravi Iyer", "email": "ravi@example.org", "timezone": "Asia/Kolkata",
        "intake": "NEW27"})
    assert made.status_code == 201, made.content
    assert made.json()["id"] == "P-001"
    first = invitation_link("ravi@example.org")
    again = staff_api.post("/api/v1/participants/P-001/invitation/")
    assert again.status_code == 201
    assert again.json()["username"] == "p-001"
    assert invitation_link("ravi@example.org") != first
    assert Invitation.objects.count() == 2
    bad = staff_api.post("/api/v1/participants/", {
        "name": "Ravi Again", "email": "ravi@example.org", "timezone": "Asia/Kolkata",
        "intake": "NEW27"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "email"
    unknown = staff_api.post("/api/v1/participants/", {
        "name": "X", "email": "x@example.org", "timezone": "UTC", "intake": "NOPE"})
    assert unknown.status_code == 422
    assert Participant.objects.count() == 1
