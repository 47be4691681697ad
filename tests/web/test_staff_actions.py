"""Staff's actions on a participant, through the pages: credit, deadline extensions and
requests for them, withdrawal and reinstatement, job changes (and a participant's own)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import Offering
from pathwise.core.when import day_text
from pathwise.enrollment.actions import take_seat
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m
from pathwise.participants.actions import request_extension
from pathwise.standing.models import StandingRow
from tests.builders import ada_file
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()  # noqa: DTZ011  (what the site calls today, in UTC)
LATER = (TODAY + dt.timedelta(days=30)).isoformat()
#: A deadline any participant here may be given: past theirs, within three years of today.
NEW_DEADLINE = TODAY + dt.timedelta(days=700)


def mails_to(address: str) -> list[tuple[str, str]]:
    """(subject, body) of each message queued for `address`."""
    rows = DBTaskResult.objects.filter(task_path="pathwise.notifications.mail.send_email")
    return [(r.args_kwargs["kwargs"]["subject"], r.args_kwargs["kwargs"]["body"])
            for r in rows if r.args_kwargs["kwargs"]["to"] == address]


@pytest.fixture
def sam(staff: Any) -> Client:
    return signed_in("sam", "staff-password-1")


@pytest.fixture
def ada_mail(ada: m.Participant) -> m.Participant:
    m.Participant.objects.filter(pk=ada.pk).update(email="ada@example.org")
    ada.refresh_from_db()
    return ada


def records_of(participant: m.Participant) -> list[tuple[str, str | None, bool | None]]:
    return [(r.component, r.outcome, r.conditions_met)
            for r in m.CompletionRecord.objects.filter(enrollment__participant=participant)]


def enrollment_of(participant: m.Participant) -> m.Enrollment:
    return m.Enrollment.objects.get(participant=participant)


# -- the panel ------------------------------------------------------------------


def test_staff_see_the_staff_actions_on_a_participants_page_and_the_participant_does_not(
    ada: m.Participant, sam: Client,
) -> None:
    html = sam.get("/participants/P-001/").content.decode()
    assert "data-staff-actions" in html
    for link in ("/staff/participants/P-001/credit/", "/staff/participants/P-001/extend/",
                 "/staff/participants/P-001/withdraw/", "/staff/participants/P-001/job/"):
        assert link in html
    own = signed_in("ada", "ada-password-1").get("/participants/P-001/").content.decode()
    assert "data-staff-actions" not in own
    assert "/participants/P-001/employer/" in own


@pytest.mark.parametrize("page", ["credit", "extend", "withdraw", "reinstate", "job"])
def test_a_participant_cannot_open_the_staff_pages_even_for_themself(
    page: str, ada: m.Participant,
) -> None:
    client = signed_in("ada", "ada-password-1")
    assert client.get(f"/staff/participants/P-001/{page}/").status_code == 403
    assert client.post(f"/staff/participants/P-001/{page}/", {"reason": "x"}).status_code == 403
    assert not AuditEntry.objects.filter(actor_label="ada").exists()


# -- 1. prior-learning credit -------------------------------------------------------


def test_credit_with_its_assessment_passed_counts_and_is_audited(ada: m.Participant,
                                                                 sam: Client) -> None:
    page = sam.get("/staff/participants/P-001/credit/")
    assert page.status_code == 200
    assert "Assessment “final-deliverable”" in page.content.decode()

    response = sam.post("/staff/participants/P-001/credit/", {
        "component": "PBK", "basis": "PBK taught at Genome Society 2022", "date": "2026-01-10",
        "assessment_final-deliverable": "passed"})

    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/participants/P-001/"
    record = m.CompletionRecord.objects.get(enrollment__participant=ada, component="PBK")
    assert (record.outcome, record.basis, record.conditions_met, record.assessments) == (
        "credited", "PBK taught at Genome Society 2022", True, {"final-deliverable": "passed"})
    assert record.date == dt.date(2026, 1, 10)
    entry = AuditEntry.objects.get(action="records.credited")
    assert (entry.actor_label, entry.participant, entry.new_value["component"]) == (
        "sam", ada, "PBK")
    # The credit counts in the standing: the PBK requirement is met.
    assert "PBK course" not in StandingRow.objects.get(participant=ada).left
    # …and its badge is queued for signing, as any new record's is.
    assert DBTaskResult.objects.filter(task_path__endswith="issue_credentials").exists()


def test_a_credit_waiting_for_its_conditions_is_replaced_once_they_are_met(
    ada: m.Participant, sam: Client,
) -> None:
    sam.post("/staff/participants/P-001/credit/", {
        "component": "PBK", "basis": "PBK pilot", "date": "2026-01-10"})
    assert ("PBK", "credited", False) in records_of(ada)
    assert "PBK course" in StandingRow.objects.get(participant=ada).left

    sam.post("/staff/participants/P-001/credit/", {
        "component": "PBK", "basis": "PBK pilot", "date": "2026-02-10",
        "conditions_met": "on"})

    assert [r for r in records_of(ada) if r[0] == "PBK"] == [("PBK", "credited", True)]
    assert "PBK course" not in StandingRow.objects.get(participant=ada).left


@pytest.mark.parametrize(("form", "message"), [
    ({"component": "PBK", "basis": "pilot", "date": "2026-01-10",
      "assessment_final-deliverable": "failed", "conditions_met": "on"},
     "final-deliverable failed, so the conditions are not met"),
    ({"component": "CODE", "basis": "pilot", "date": "2026-01-10", "conditions_met": "on"},
     "P-001 already has CODE"),
    ({"component": "PBK", "basis": "pilot", "date": LATER, "conditions_met": "on"},
     "is after today"),
    ({"component": "ORIENT", "basis": "pilot", "date": "2026-01-10"},
     "Select a valid choice"),
    ({"component": "PBK", "basis": "", "date": "2026-01-10"}, "This field is required"),
])
def test_a_bad_credit_is_refused_with_a_message_and_changes_nothing(
    form: dict[str, str], message: str, ada: m.Participant, sam: Client,
) -> None:
    before = records_of(ada)
    response = sam.post("/staff/participants/P-001/credit/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert records_of(ada) == before
    assert not AuditEntry.objects.filter(action="records.credited").exists()


# -- 2. extending the deadline ------------------------------------------------------


def test_extending_the_deadline_moves_it_tells_them_and_is_audited(ada_mail: m.Participant,
                                                                   sam: Client) -> None:
    assert StandingRow.objects.get(participant=ada_mail).status == "overdue"
    response = sam.post("/staff/participants/P-001/extend/", {
        "until": NEW_DEADLINE.isoformat(), "reason": "Caring for a relative in 2025."})
    assert response.status_code == 302
    assert enrollment_of(ada_mail).deadline_extended_to == NEW_DEADLINE
    row = StandingRow.objects.get(participant=ada_mail)
    assert row.deadline == NEW_DEADLINE
    assert row.status != "overdue"
    entry = AuditEntry.objects.get(action="deadline.extended")
    assert entry.old_value["deadline"] == "2025-08-31"
    assert entry.new_value == {"deadline": NEW_DEADLINE.isoformat(),
                               "reason": "Caring for a relative in 2025."}
    [(subject, body)] = mails_to("ada@example.org")
    assert subject == "Your deadline has been extended"
    assert day_text(NEW_DEADLINE) in body
    assert "Caring for a relative" in body
    page = sam.get("/participants/P-001/").content.decode()
    assert f"deadline extended by staff to {day_text(NEW_DEADLINE)}" in page


@pytest.mark.parametrize(("form", "message"), [
    ({"until": "2025-08-01", "reason": "x"},
     "the new deadline 2025-08-01 must come after the current one, 2025-08-31"),
    ({"until": "2025-12-01", "reason": "x"}, "the new deadline 2025-12-01 has already passed"),
    ({"until": (TODAY + dt.timedelta(days=4 * 366)).isoformat(), "reason": "x"},
     f"is more than three years after {TODAY.isoformat()}"),
    ({"until": LATER, "reason": "   "}, "This field is required"),
    ({"until": LATER, "reason": "bad\x07byte"}, "control character"),
    ({"until": "soon", "reason": "x"}, "Enter a valid date"),
])
def test_a_bad_extension_is_refused_with_a_message_and_changes_nothing(
    form: dict[str, str], message: str, ada_mail: m.Participant, sam: Client,
) -> None:
    response = sam.post("/staff/participants/P-001/extend/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert enrollment_of(ada_mail).deadline_extended_to is None
    assert not AuditEntry.objects.filter(action="deadline.extended").exists()
    assert mails_to("ada@example.org") == []


# -- 3. extension requests ----------------------------------------------------------


@pytest.fixture
def asked(ada_mail: m.Participant) -> m.ExtensionRequest:
    return request_extension(enrollment_of(ada_mail), "My lab closed for a year.",
                             Actor("ada"), wanted_until=NEW_DEADLINE)


def test_staff_see_open_requests_and_grant_one_on_the_day_asked_for(
    asked: m.ExtensionRequest, sam: Client,
) -> None:
    listing = sam.get("/staff/extension-requests/").content.decode()
    assert f'data-extension-request="{asked.pk}"' in listing
    assert "My lab closed for a year." in listing
    page = sam.get("/participants/P-001/").content.decode()
    assert f"/staff/extension-requests/{asked.pk}/grant/" in page
    form = sam.get(f"/staff/extension-requests/{asked.pk}/grant/").content.decode()
    assert f'value="{NEW_DEADLINE.isoformat()}"' in form

    response = sam.post(f"/staff/extension-requests/{asked.pk}/grant/", {"until": ""})

    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == ("granted", "sam")
    assert asked.decided_at is not None
    entry = AuditEntry.objects.get(action="extension.granted")
    assert (entry.actor_label, entry.new_value) == (
        "sam", {"request": asked.pk, "status": "granted", "deadline": NEW_DEADLINE.isoformat()})
    assert enrollment_of(asked.enrollment.participant).deadline_extended_to == NEW_DEADLINE
    assert [s for s, _ in mails_to("ada@example.org")] == ["Your deadline has been extended"]
    own = signed_in("ada", "ada-password-1").get("/participants/P-001/").content.decode()
    assert 'data-extension="granted"' in own


def test_refusing_a_request_needs_a_reason_and_tells_them(asked: m.ExtensionRequest,
                                                          sam: Client) -> None:
    blank = sam.post(f"/staff/extension-requests/{asked.pk}/refuse/", {"reason": ""})
    assert blank.status_code == 400
    asked.refresh_from_db()
    assert asked.status == "open"

    response = sam.post(f"/staff/extension-requests/{asked.pk}/refuse/",
                        {"reason": "The 2023 version closes this year."})

    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == ("refused", "sam")
    entry = AuditEntry.objects.get(action="extension.refused")
    assert entry.new_value["reason"] == "The 2023 version closes this year."
    [(subject, body)] = mails_to("ada@example.org")
    assert subject == "Your request for more time"
    assert "The 2023 version closes this year." in body
    assert enrollment_of(asked.enrollment.participant).deadline_extended_to is None
    # Decided once: a second decision is refused and changes nothing.
    again = sam.post(f"/staff/extension-requests/{asked.pk}/grant/", {"until": LATER})
    assert again.status_code == 400
    assert "was already refused" in again.content.decode()
    assert enrollment_of(asked.enrollment.participant).deadline_extended_to is None


def test_a_request_without_a_date_needs_one_to_be_granted(ada: m.Participant,
                                                          sam: Client) -> None:
    asked = request_extension(enrollment_of(ada), "More time please.", Actor("ada"))
    response = sam.post(f"/staff/extension-requests/{asked.pk}/grant/", {"until": ""})
    assert response.status_code == 400
    assert "the request names no date" in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == "open"


def test_an_unknown_request_is_not_found(staff: Any, sam: Client) -> None:
    assert sam.get("/staff/extension-requests/999/grant/").status_code == 404


# -- 4. withdrawal and reinstatement -------------------------------------------------


@pytest.fixture
def grace_seated(grace: m.Participant, import_files: Callable[..., list[str]],
                 publish_run: Callable[..., Offering]) -> dict[str, Any]:
    """Grace holds the only seat of a run that someone else waits for."""
    import_files(ada_file("P-003", "Katherine Johnson", enrolled_on="2025-10-01"))
    katherine = m.Participant.objects.get(public_id="P-003")
    run = publish_run("QSS-ONE", "QSS", starts_in=30, capacity=1)
    seat = take_seat(grace, run, Actor("test")).seat
    waiting = take_seat(katherine, run, Actor("test")).seat
    assert waiting.status == Seat.WAITLISTED
    return {"seat": seat, "waiting": waiting}


def test_withdrawing_asks_first_then_gives_up_their_seats_so_the_waitlist_moves(
    grace_seated: dict[str, Any], sam: Client,
) -> None:
    confirm = sam.get("/staff/participants/P-002/withdraw/")
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert 'data-confirm="withdraw"' in html
    assert 'data-seat="QSS-ONE"' in html
    assert "next person on its waitlist" in html

    response = sam.post("/staff/participants/P-002/withdraw/", {"reason": "Left the field."})

    assert response.status_code == 302
    grace = m.Participant.objects.get(public_id="P-002")
    assert enrollment_of(grace).withdrawn_on == timezone.localdate()
    assert Seat.objects.get(pk=grace_seated["seat"].pk).status == Seat.DROPPED
    assert Seat.objects.get(pk=grace_seated["waiting"].pk).status == Seat.ENROLLED
    assert StandingRow.objects.get(participant=grace).status == "withdrawn"
    entry = AuditEntry.objects.get(action="participant.withdrawn")
    assert entry.new_value["reason"] == "Left the field."
    assert entry.new_value["seats_dropped"] == ["QSS-ONE"]
    page = sam.get("/participants/P-002/").content.decode()
    assert "/staff/participants/P-002/reinstate/" in page

    again = sam.post("/staff/participants/P-002/withdraw/", {"reason": "Twice."})
    assert again.status_code == 400
    assert "P-002 already withdrew on" in again.content.decode()

    back = sam.post("/staff/participants/P-002/reinstate/", {"reason": "Came back."})
    assert back.status_code == 302
    assert enrollment_of(grace).withdrawn_on is None
    assert StandingRow.objects.get(participant=grace).status != "withdrawn"
    assert AuditEntry.objects.get(action="participant.reinstated").new_value["reason"] == (
        "Came back.")
    # Seats given up stay given up.
    assert Seat.objects.get(pk=grace_seated["seat"].pk).status == Seat.DROPPED


@pytest.mark.parametrize(("form", "message"), [
    ({"reason": ""}, "This field is required"),
    ({"reason": "x", "on": LATER}, "is after today"),
    ({"reason": "x", "on": "2020-01-01"}, "is before they enrolled, 2025-10-01"),
])
def test_a_bad_withdrawal_is_refused_and_changes_nothing(
    form: dict[str, str], message: str, grace_seated: dict[str, Any], sam: Client,
) -> None:
    response = sam.post("/staff/participants/P-002/withdraw/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert enrollment_of(m.Participant.objects.get(public_id="P-002")).withdrawn_on is None
    assert Seat.objects.get(pk=grace_seated["seat"].pk).status == Seat.ENROLLED


def test_reinstating_someone_not_withdrawn_is_refused(grace: m.Participant, sam: Client) -> None:
    response = sam.post("/staff/participants/P-002/reinstate/", {"reason": "x"})
    assert response.status_code == 400
    assert "P-002 is not withdrawn" in response.content.decode()


# -- 5. job changes -----------------------------------------------------------------


def test_staff_record_a_job_change_and_the_organization_follows(ada: m.Participant,
                                                               sam: Client) -> None:
    first = sam.post("/staff/participants/P-001/job/", {
        "organization": "Open Science Lab", "role": "Coordinator", "on": "2026-01-05"})
    assert first.status_code == 302
    second = sam.post("/staff/participants/P-001/job/", {
        "organization": "Genome Society", "role": "", "on": "2026-06-01"})
    assert second.status_code == 302

    jobs = [(e.organization, e.role, e.started_on, e.ended_on)
            for e in m.Employment.objects.filter(participant=ada)]
    assert jobs == [("Open Science Lab", "Coordinator", dt.date(2026, 1, 5), dt.date(2026, 6, 1)),
                    ("Genome Society", None, dt.date(2026, 6, 1), None)]
    ada.refresh_from_db()
    assert ada.organization == "Genome Society"
    entry = AuditEntry.objects.filter(action="participant.job_changed").order_by("pk").last()
    assert entry is not None
    assert entry.actor_label == "sam"
    assert entry.old_value["organization"] == "Open Science Lab"
    page = signed_in("ada", "ada-password-1").get("/participants/P-001/").content.decode()
    assert "Genome Society" in page
    assert "Open Science Lab, Coordinator" in page


def test_a_participant_updates_their_own_employer_and_no_one_elses(
    ada: m.Participant, grace: m.Participant,
) -> None:
    client = signed_in("grace", "grace-password-1")
    assert client.get("/participants/P-002/employer/").status_code == 200
    response = client.post("/participants/P-002/employer/", {
        "organization": "Climate Data Network", "role": "Community lead", "on": "2026-03-01"})
    assert response.status_code == 302
    grace.refresh_from_db()
    assert grace.organization == "Climate Data Network"
    assert AuditEntry.objects.get(action="participant.job_changed").actor_label == "grace"

    assert client.get("/participants/P-001/employer/").status_code == 404
    assert client.post("/participants/P-001/employer/", {
        "organization": "Elsewhere", "on": "2026-03-01"}).status_code == 404
    ada.refresh_from_db()
    assert ada.organization != "Elsewhere"


@pytest.mark.parametrize(("form", "message"), [
    ({"organization": "Elsewhere", "on": LATER}, "record a job change once it has"),
    ({"organization": "", "on": "2026-03-01"}, "This field is required"),
    ({"organization": "Bad\x07Org", "on": "2026-03-01"}, "control character"),
])
def test_a_bad_job_change_is_refused_and_changes_nothing(
    form: dict[str, str], message: str, grace: m.Participant,
) -> None:
    response = signed_in("grace", "grace-password-1").post("/participants/P-002/employer/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not m.Employment.objects.filter(participant=grace).exists()


def test_a_job_change_before_the_last_one_is_refused(ada: m.Participant, sam: Client) -> None:
    sam.post("/staff/participants/P-001/job/", {"organization": "A", "on": "2026-05-01"})
    response = sam.post("/staff/participants/P-001/job/", {"organization": "B",
                                                           "on": "2026-04-01"})
    assert response.status_code == 400
    assert "must come after the last date in their employment history, 2026-05-01" in (
        response.content.decode())
    assert m.Employment.objects.filter(participant=ada).count() == 1


def test_extending_directly_grants_the_request_waiting(asked: m.ExtensionRequest,
                                                       sam: Client) -> None:
    response = sam.post("/staff/participants/P-001/extend/", {
        "until": LATER, "reason": "Spoke on the phone."})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == ("granted", "sam")
    assert enrollment_of(asked.enrollment.participant).deadline_extended_to == (
        dt.date.fromisoformat(LATER))
