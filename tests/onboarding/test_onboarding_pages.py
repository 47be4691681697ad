"""Expressing interest, staff accepting or adding people, and a newcomer's first steps."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import Intake
from pathwise.enrollment.models import Seat
from pathwise.onboarding.models import ExpressionOfInterest, Invitation
from pathwise.participants.models import Enrollment, Participant
from tests.conftest import signed_in
from tests.onboarding.conftest import INTEREST, invitation_link

# Transactional, so that the worker sends the invitation e-mails after a real commit.
pytestmark = pytest.mark.django_db(transaction=True)


def test_anyone_can_express_interest_and_is_thanked(open_intake: Intake) -> None:
    client = Client()
    page = client.get("/interest/").content.decode()
    assert "Content Design (CODE)" in page
    response = client.post("/interest/", INTEREST)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    row = ExpressionOfInterest.objects.get()
    assert (row.name, row.timezone, row.courses, row.payment, row.status) == (
        "Lin Chen", "Europe/Berlin", ["CODE"], "invoice", "pending")
    assert row.availability == [{"days": ["MO", "WE"], "from": "09:00", "to": "20:00"}]
    assert row.client
    assert "127.0.0.1" not in row.client
    assert not mail.outbox


@pytest.mark.parametrize(("change", "message"), [
    ({"timezone": "Mars/Olympus"}, "is not an IANA time zone"),
    ({"email": "two@example.org, three@example.org"}, "is not one e-mail address"),
    ({"name": ""}, "This field is required."),
    ({"w1_from": "21:00", "w1_to": "20:00"}, "is not after from"),
    ({"w1_days": [], "w1_from": "09:00"}, "days"),
    ({"courses": ["NOPE"]}, "Select a valid choice"),
    ({"payment": "gold"}, "Select a valid choice"),
])
def test_bad_interest_is_refused_naming_the_field(open_intake: Intake, change: dict[str, Any],
                                                  message: str) -> None:
    response = Client().post("/interest/", {**INTEREST, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExpressionOfInterest.objects.exists()


def test_the_honeypot_keeps_nothing(open_intake: Intake) -> None:
    response = Client().post("/interest/", {**INTEREST, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not ExpressionOfInterest.objects.exists()


def test_one_address_is_throttled(open_intake: Intake) -> None:
    client = Client()
    for i in range(5):
        assert client.post("/interest/", {**INTEREST, "email": f"p{i}@example.org"}
                           ).status_code == 302
    response = client.post("/interest/", INTEREST)
    assert response.status_code == 429
    assert "too many requests" in response.content.decode()
    assert ExpressionOfInterest.objects.count() == 5
    # Another address is not held back by the first one's.
    assert Client(REMOTE_ADDR="10.0.0.9").post("/interest/", INTEREST).status_code == 302


def test_staff_list_filters_and_pages(open_intake: Intake, staff: Any) -> None:
    for i in range(30):
        Client(REMOTE_ADDR=f"10.0.1.{i}").post(
            "/interest/", {**INTEREST, "name": f"Person {i:02d}", "email": f"p{i}@example.org"})
    client = signed_in("sam", "staff-password-1")
    first = client.get("/staff/interest/").content.decode()
    assert "Page 1 of 2" in first
    assert "30 pending" in first
    found = client.get("/staff/interest/?q=Person 07").content.decode()
    assert "Person 07" in found
    assert "Person 08" not in found
    assert "None match." in client.get("/staff/interest/?status=declined").content.decode()
    assert client.get("/staff/interest/?status=weird").status_code == 400


def test_participants_and_anonymous_cannot_see_the_staff_pages(
        ada: Participant, open_intake: Intake) -> None:
    Client().post("/interest/", INTEREST)
    row = ExpressionOfInterest.objects.get()
    ada_client = signed_in("ada", "ada-password-1")
    for url in ("/staff/interest/", f"/staff/interest/{row.pk}/", "/staff/onboarding/add/",
                "/staff/onboarding/import/", "/staff/onboarding/P-001/invitation/"):
        assert ada_client.get(url).status_code == 403
        assert Client().get(url).status_code == 302  # to sign in
    assert ada_client.post(f"/staff/interest/{row.pk}/", {"intake": "NEW27"}).status_code == 403
    assert ExpressionOfInterest.objects.get().status == "pending"


def test_staff_accept_interest_into_an_intake(open_intake: Intake, ada: Participant,
                                              staff: Any) -> None:
    Client().post("/interest/", INTEREST)
    row = ExpressionOfInterest.objects.get()
    client = signed_in("sam", "staff-password-1")
    assert "NEW27" in client.get(f"/staff/interest/{row.pk}/").content.decode()
    response = client.post(f"/staff/interest/{row.pk}/", {"intake": "NEW27"})
    assert response.status_code == 302
    participant = Participant.objects.get(email="lin@example.org")
    assert participant.public_id == "P-002"  # after ada's P-001
    assert participant.availability == row.availability
    enrollment = Enrollment.objects.get(participant=participant)
    assert enrollment.intake == open_intake
    assert enrollment.program_version == open_intake.program_version
    row.refresh_from_db()
    assert (row.status, row.participant, row.decided_by) == ("accepted", participant, "sam")
    assert AuditEntry.objects.filter(action="interest.accepted", actor_label="sam").exists()
    assert invitation_link("lin@example.org")
    assert "password" not in mail.outbox[-1].body.split("choose your password")[0].lower()
    # Accepting twice is refused, and nothing more is made.
    again = client.post(f"/staff/interest/{row.pk}/", {"intake": "NEW27"})
    assert again.status_code == 400
    assert "already accepted" in again.content.decode()
    assert Participant.objects.count() == 2


def test_an_intake_whose_orientation_began_is_refused_naming_the_day(
        open_intake: Intake, begun_intake: Intake, staff: Any) -> None:
    Client().post("/interest/", INTEREST)
    row = ExpressionOfInterest.objects.get()
    response = signed_in("sam", "staff-password-1").post(f"/staff/interest/{row.pk}/",
                                                          {"intake": "OLD26"})
    assert response.status_code == 400
    assert f"orientation started on {begun_intake.starts_on.isoformat()}" in \
        response.content.decode()
    assert not Participant.objects.exists()
    assert ExpressionOfInterest.objects.get().status == "pending"


def test_staff_decline_on_a_confirmation_page(open_intake: Intake, staff: Any) -> None:
    Client().post("/interest/", INTEREST)
    row = ExpressionOfInterest.objects.get()
    client = signed_in("sam", "staff-password-1")
    assert "Decline the interest" in client.get(
        f"/staff/interest/{row.pk}/decline/").content.decode()
    assert ExpressionOfInterest.objects.get().status == "pending"
    assert client.post(f"/staff/interest/{row.pk}/decline/").status_code == 302
    assert ExpressionOfInterest.objects.get().status == "declined"
    assert not Participant.objects.exists()
    assert client.post(f"/staff/interest/{row.pk}/decline/").status_code == 400


def test_staff_add_one_person(open_intake: Intake, staff: Any) -> None:
    client = signed_in("sam", "staff-password-1")
    response = client.post("/staff/onboarding/add/", {
        "name": "Ravi Iyer", "email": "ravi@example.org", "organization": "",
        "timezone": "Asia/Kolkata", "intake": "NEW27"})
    assert response.status_code == 302
    ravi = Participant.objects.get(public_id="P-001")
    assert (ravi.name, ravi.timezone, ravi.organization) == ("Ravi Iyer", "Asia/Kolkata", None)
    assert invitation_link("ravi@example.org")
    taken = client.post("/staff/onboarding/add/", {
        "name": "Ravi Again", "email": "RAVI@example.org", "timezone": "Asia/Kolkata",
        "intake": "NEW27"})
    assert taken.status_code == 400
    assert "already the address of P-001" in taken.content.decode()
    assert Participant.objects.count() == 1


CSV = ("name,email,organization,timezone,intake\n"
       "Ana Souza,ana@example.org,Marine Observatory,America/Sao_Paulo,NEW27\n"
       "Kofi Mensah,kofi@example.org,,Africa/Accra,\n")


def test_csv_preview_then_save_all(open_intake: Intake, staff: Any) -> None:
    client = signed_in("sam", "staff-password-1")
    preview = client.post("/staff/onboarding/import/", {"text": CSV, "intake": "NEW27"})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Add these 2 people" in page
    assert not Participant.objects.exists()
    saved = client.post("/staff/onboarding/import/", {"text": CSV, "intake": "NEW27",
                                                      "save": "yes"})
    assert saved.status_code == 302
    assert list(Participant.objects.values_list("public_id", "name")) == [
        ("P-001", "Ana Souza"), ("P-002", "Kofi Mensah")]
    assert Enrollment.objects.filter(intake=open_intake).count() == 2
    invitation_link("ana@example.org")
    invitation_link("kofi@example.org")


def test_a_bad_csv_row_is_named_and_nothing_is_saved(open_intake: Intake,
                                                     begun_intake: Intake, staff: Any) -> None:
    bad = CSV + ("Bad Zone,bz@example.org,,Nowhere/City,NEW27\n"
                 "Late Comer,late@example.org,,UTC,OLD26\n"
                 "Ana Twice,ANA@example.org,,UTC,NEW27\n")
    client = signed_in("sam", "staff-password-1")
    preview = client.post("/staff/onboarding/import/", {"text": bad})
    assert preview.status_code == 400
    page = preview.content.decode()
    assert "is not an IANA time zone" in page
    assert "orientation started on" in page
    assert "is also on line 2" in page
    assert "Nothing can be saved" in page
    forced = client.post("/staff/onboarding/import/", {"text": bad, "save": "yes"})
    assert forced.status_code == 400
    assert "nothing imported" in forced.content.decode()
    assert not Participant.objects.exists()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(("text", "message"), [
    ("", "choose a CSV file or paste its text"),
    ("who,what\nx,y\n", "the first line has no name, email, timezone column"),
    ("name,email,timezone,intake\n", "no people"),
    ("name,email,timezone\nA,a@example.org,UTC\n", "say which intake"),
])
def test_a_bad_csv_file_is_refused(open_intake: Intake, staff: Any, text: str,
                                   message: str) -> None:
    response = signed_in("sam", "staff-password-1").post("/staff/onboarding/import/",
                                                         {"text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Participant.objects.exists()


def _newcomer(client: Client) -> Participant:
    client.post("/staff/onboarding/add/", {
        "name": "Lin Chen", "email": "lin@example.org", "timezone": "Europe/Berlin",
        "intake": "NEW27"})
    return Participant.objects.get(email="lin@example.org")


def test_the_invitation_sets_a_password_once(open_intake: Intake, staff: Any) -> None:
    lin = _newcomer(signed_in("sam", "staff-password-1"))
    link = invitation_link("lin@example.org")
    visitor = Client()
    page = visitor.get(link).content.decode()
    assert "p-001" in page
    mismatch = visitor.post(link, {"password1": "a-long-pass-1", "password2": "other-pass-2"})
    assert mismatch.status_code == 400
    assert "the two passwords differ" in \
        mismatch.content.decode()
    weak = visitor.post(link, {"password1": "abc", "password2": "abc"})
    assert weak.status_code == 400
    assert "too short" in weak.content.decode()
    lin.refresh_from_db()
    assert lin.user is None
    done = visitor.post(link, {"password1": "lins-new-pass-1", "password2": "lins-new-pass-1"})
    assert done.status_code == 302
    assert done["Location"] == "/welcome/"
    lin.refresh_from_db()
    assert lin.user is not None
    assert lin.user.username == "p-001"
    used = Client().get(link)
    assert used.status_code == 400
    assert "already used" in used.content.decode()
    assert signed_in("p-001", "lins-new-pass-1")


def test_sending_again_retires_the_old_link(open_intake: Intake, staff: Any) -> None:
    client = signed_in("sam", "staff-password-1")
    _newcomer(client)
    old = invitation_link("lin@example.org")
    assert "waiting" in client.get("/staff/onboarding/P-001/invitation/").content.decode()
    assert client.post("/staff/onboarding/P-001/invitation/").status_code == 302
    new = invitation_link("lin@example.org")
    assert new != old
    stale = Client().get(old)
    assert stale.status_code == 400
    assert "newer invitation was sent" in stale.content.decode()
    assert Client().get(new).status_code == 200
    assert Client().get("/welcome/invitation/not-a-token/").status_code == 400


def test_an_expired_link_says_so(open_intake: Intake, staff: Any) -> None:
    _newcomer(signed_in("sam", "staff-password-1"))
    link = invitation_link("lin@example.org")
    Invitation.objects.update(expires_at="2020-01-01T00:00:00Z")
    response = Client().get(link)
    assert response.status_code == 400
    assert "expired on 2020-01-01" in response.content.decode()


def test_first_sign_in_confirms_zone_and_times_then_takes_the_plan(
        open_intake: Intake, staff: Any) -> None:
    lin = _newcomer(signed_in("sam", "staff-password-1"))
    visitor = Client()
    visitor.post(invitation_link("lin@example.org"),
                 {"password1": "lins-new-pass-1", "password2": "lins-new-pass-1"})
    assert "Europe/Berlin" in visitor.get("/welcome/").content.decode()
    # Leaving before confirming: signing in again leads back to the welcome, not past it.
    assert visitor.get("/")["Location"] == "/welcome/"
    bad = visitor.post("/welcome/", {"timezone": "Europe/Nowhere"})
    assert bad.status_code == 400
    assert "is not an IANA time zone" in bad.content.decode()
    done = visitor.post("/welcome/", {"timezone": "America/New_York", "w1_days": ["MO", "TU",
                                      "WE", "TH", "FR", "SA", "SU"], "w1_from": "08:00",
                                      "w1_to": "18:00"})
    assert done.status_code == 302
    assert done["Location"] == "/welcome/plan/"
    assert visitor.get("/")["Location"] == "/participants/P-001/"
    lin.refresh_from_db()
    assert lin.timezone == "America/New_York"
    assert lin.availability == [{"days": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
                                 "from": "08:00", "to": "18:00"}]
    plan = visitor.get("/welcome/plan/").content.decode()
    assert 'data-offering="ORIENT-NEW27"' in plan
    assert "Skip" in plan
    enrolled = visitor.post("/plan/")
    assert enrolled.status_code == 302
    assert Seat.objects.filter(participant=lin, offering__code="ORIENT-NEW27",
                               status="enrolled").exists()


@pytest.mark.parametrize("change", [
    {"name": "Lin\x00Chen"}, {"email": "lin\x00@example.org"}, {"timezone": "Europe/\x00"},
    {"organization": "Lab\u2028Two"}, {"message": "hello\x1b[31m"},
])
def test_control_characters_are_refused_never_a_500(open_intake: Intake,
                                                    change: dict[str, Any]) -> None:
    response = Client().post("/interest/", {**INTEREST, **change})
    assert response.status_code == 400
    assert not ExpressionOfInterest.objects.exists()


def test_a_message_may_run_over_lines(open_intake: Intake) -> None:
    assert Client().post("/interest/", {**INTEREST, "message": "Two\r\nlines"}
                         ).status_code == 302


@pytest.mark.parametrize(("text", "message"), [
    ("name,email,timezone,intake\nA\x00,a@example.org,UTC,NEW27\n", "NUL"),
    ("name,email,timezone,intake\n\"" + "x" * 200_000 + "\",a@example.org,UTC,NEW27\n",
     "not CSV"),
])
def test_a_csv_that_is_not_text_is_refused(open_intake: Intake, staff: Any, text: str,
                                           message: str) -> None:
    response = signed_in("sam", "staff-password-1").post("/staff/onboarding/import/",
                                                         {"text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Participant.objects.exists()
