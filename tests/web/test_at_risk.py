"""The at-risk dashboard: who is at risk or overdue, why, since when, the last contact and
the action to take, longest first; and staff recording a contact by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.actions import publish_intake
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.enrollment.actions import take_seat
from pathwise.notifications.mail import tell
from pathwise.notifications.models import Contact
from pathwise.participants import models as m
from pathwise.standing.actions import refresh_standing
from pathwise.standing.models import StandingRow
from tests.builders import ada_file, make_records_file
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
IN_FIVE_DAYS = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=5)).isoformat()


@pytest.fixture
def world(grace: m.Participant, import_files: Callable[..., list[str]],
          publish_run: Callable[..., Offering], staff: Any) -> dict[str, Any]:
    """Grace at risk (no PBK run before her deadline), P-030 overdue since its deadline in
    2021, P-040 on track; Grace holds a seat on QSS-SOON and is of intake 2025-10."""
    import_files(ada_file("P-030", "Long Overdue", enrolled_on="2019-01-01"),
                 make_records_file(participant={"id": "P-040", "name": "Done Already",
                                                "timezone": "Europe/London"}))
    run = publish_run("CODE-FAR", "CODE", starts_on=dt.date(2028, 1, 4))
    publish_run("QSS-SOON", "QSS", starts_in=20)
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    intake = publish_intake(Actor("staff"), version, "2025-10", dt.date(2025, 10, 1))
    m.Enrollment.objects.filter(participant=grace).update(intake=intake)
    take_seat(grace, Offering.objects.get(code="QSS-SOON"), Actor("test"))
    refresh_standing(grace)
    # Grace has been at risk for a while, though not as long as P-030 has been overdue.
    StandingRow.objects.filter(participant=grace).update(
        status_since=timezone.localdate() - dt.timedelta(days=40))
    return {"run": run, "client": signed_in("sam", "staff-password-1")}


def rows(page: str) -> list[str]:
    return [part.split('"', 1)[0] for part in page.split('data-participant="')[1:]]


def test_the_dashboard_lists_who_is_at_risk_longest_first_with_why_and_what_to_do(
    world: dict[str, Any],
) -> None:
    response = world["client"].get("/staff/at-risk/")
    assert response.status_code == 200
    page = response.content.decode()
    assert rows(page) == ["P-030", "P-002"]  # not P-040, who is certified
    assert 'data-reason="no_run"' in page
    assert 'data-reason="overdue"' in page
    assert "No run open in time" in page
    assert "Orientation mini-workshops: no MW-FEEDBACK run open to you is still to start" in page
    assert "Ask for the times they could make" in page
    assert "Offer an extension" in page
    assert "(40 days)" in page
    assert "holds QSS-SOON" in page
    assert 'href="/participants/P-002/"' in page
    assert 'href="/staff/participants/P-002/contact/"' in page
    # Grace was told she became at risk; nobody has been in touch with P-030.
    assert "e-mail<br><small>Your standing: At risk</small>" in page
    assert "None yet" in page


@pytest.mark.parametrize(("query", "expected"), [
    ("intake=2025-10", ["P-002"]), ("run=QSS-SOON", ["P-002"]), ("reason=overdue", ["P-030"]),
    ("reason=no_run&intake=2025-10", ["P-002"]), ("reason=held_run", []),
])
def test_the_dashboard_filters_by_intake_run_and_reason(
    world: dict[str, Any], query: str, expected: list[str],
) -> None:
    page = world["client"].get(f"/staff/at-risk/?{query}").content.decode()
    assert rows(page) == expected


@pytest.mark.parametrize(("query", "message"), [
    ("intake=1999-01", "There is no intake &#x27;1999-01&#x27;"),
    ("run=NOPE", "There is no run &#x27;NOPE&#x27;"),
    ("reason=bored", "Unknown reason &#x27;bored&#x27;"),
])
def test_an_unknown_filter_is_refused_naming_it_and_everyone_is_shown(
    world: dict[str, Any], query: str, message: str,
) -> None:
    response = world["client"].get(f"/staff/at-risk/?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert rows(page) == ["P-030", "P-002"]


def test_the_dashboard_pages_through_many(world: dict[str, Any],
                                          import_files: Callable[..., list[str]]) -> None:
    import_files(*(ada_file(f"P-{n:03d}", f"Late {n}", enrolled_on="2019-01-01")
                   for n in range(100, 130)))
    first = world["client"].get("/staff/at-risk/").content.decode()
    assert len(rows(first)) == 25
    assert "Page 1 of 2" in first
    second = world["client"].get("/staff/at-risk/?page=2").content.decode()
    assert len(rows(second)) == 7


def test_the_last_contact_is_the_newest_message_or_contact_recorded_by_hand(
    world: dict[str, Any], grace: m.Participant,
) -> None:
    client = world["client"]
    tell(grace, "About your plan", "…")
    assert "About your plan" in client.get("/staff/at-risk/").content.decode()
    response = client.post("/staff/participants/P-002/contact/", {
        "channel": "phone", "contacted_on": timezone.localdate().isoformat(),
        "note": "Talked through the options;\r\nshe will send the times she could make."})
    assert response.status_code == 302
    assert response["Location"] == "/participants/P-002/#messages"
    contact = Contact.objects.get()
    assert (contact.participant, contact.channel, contact.recorded_by) == (grace, "phone", "sam")
    assert contact.note == "Talked through the options;\nshe will send the times she could make."
    entry = AuditEntry.objects.get(action="participant.contacted")
    assert (entry.actor_label, entry.participant) == ("sam", grace)
    page = client.get("/staff/at-risk/").content.decode()
    assert "phone <small>(recorded)</small>" in page
    assert "Talked through the options" in page
    progress = client.get("/participants/P-002/").content.decode()
    assert f'data-contact="{contact.pk}"' in progress


@pytest.mark.parametrize(("fields", "message"), [
    ({"channel": "pigeon"}, "Select a valid choice"),
    ({"contacted_on": "2999-01-01"}, "outside the plausible range"),
    ({"contacted_on": IN_FIVE_DAYS}, "in the future"),
    ({"note": "   "}, "This field is required"),
    ({"note": "x" * 1001}, "at most 1000 characters"),
    ({"note": "bell\x07"}, "control character"),
])
def test_a_bad_contact_is_refused_naming_the_problem_and_nothing_is_saved(
    world: dict[str, Any], fields: dict[str, str], message: str,
) -> None:
    good = {"channel": "email", "contacted_on": timezone.localdate().isoformat(),
            "note": "Wrote to her."}
    response = world["client"].post("/staff/participants/P-002/contact/", {**good, **fields})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Contact.objects.exists()
    assert not AuditEntry.objects.filter(action="participant.contacted").exists()


def test_only_staff_open_the_dashboard_and_record_contacts(
    world: dict[str, Any], grace_client: Client,
) -> None:
    assert grace_client.get("/staff/at-risk/").status_code == 403
    assert grace_client.post("/staff/participants/P-002/contact/", {
        "channel": "phone", "contacted_on": "2026-01-01", "note": "Me"}).status_code == 403
    assert Client().get("/staff/at-risk/").status_code == 302
    assert world["client"].get("/staff/participants/P-999/contact/").status_code == 404
    assert not Contact.objects.exists()
