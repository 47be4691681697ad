"""Participants are told by e-mail, through the outbox, when a meeting of theirs is
cancelled or moved, when they pass a course and when their badges are issued; a mail
server that is down delays the message and never undoes what it tells of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import publish_offering
from pathwise.catalog.models import Offering
from pathwise.core.when import moment_text
from pathwise.credentials.models import Credential
from pathwise.enrollment.actions import give_up_seat
from pathwise.enrollment.models import CalendarFeed, Seat
from pathwise.notifications.background import run_ready_tasks
from pathwise.notifications.models import OutboxMessage
from pathwise.participants import models as m
from pathwise.runs.actions import finalise_outcomes, record_attendance, record_grade
from pathwise.runs.read import meetings
from tests.builders import ada_file
from tests.conftest import signed_in
from tests.notifications import refusing_mail
from tests.runs.conftest import Runs, seat_before_start

# Transactional: the worker runs after real commits (and closes its connection).
pytestmark = pytest.mark.django_db(transaction=True)
STAFF = Actor("sam")


@pytest.fixture
def quiet(runs: Runs, settings: Any, tmp_path: Path) -> Runs:
    """The runs, with the badges the imported records earn issued and their mail sent."""
    settings.DATA_DIR = tmp_path
    run_ready_tasks()
    mail.outbox.clear()
    OutboxMessage.objects.all().delete()
    return runs


def told(kind: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=kind).select_related("participant")
                .order_by("participant__public_id"))


def next_meeting(run: Offering) -> dt.datetime:
    now = timezone.now()
    return next(start for start, _ in meetings(run) if start > now + dt.timedelta(days=1))


def test_everyone_enrolled_is_told_of_a_cancelled_meeting_on_their_own_clock(
    quiet: Runs, staff: Any, import_files: Callable[..., list[str]],
) -> None:
    waiting = ada_file("P-009", "Waiting Person", enrolled_on="2025-10-01")
    waiting["participant"]["email"] = "waiting@example.org"
    import_files(waiting)
    on_list = m.Participant.objects.get(public_id="P-009")
    Seat.objects.create(offering=quiet.a, participant=on_list, status=Seat.WAITLISTED,
                        queue_number=1000, created_by="t", updated_by="t")
    start = next_meeting(quiet.a)
    client = signed_in("sam", "staff-password-1")
    client.post(f"/staff/catalogue/{quiet.a.code}/meeting/",
                {"date": start.date().isoformat(), "action": "cancel"})
    quiet.a.refresh_from_db()
    assert quiet.a.cancelled == [start.date().isoformat()]
    messages = told("meeting.cancelled")
    assert [(t.participant.public_id, t.to) for t in messages] == [
        ("P-002", "p-002@example.org"), ("P-003", "p-003@example.org")]  # not the waitlist
    grace = messages[0]
    assert grace.subject.startswith("Meeting cancelled: PBK-A on ")
    assert moment_text(start, "Europe/London") in grace.body
    assert "is cancelled" in grace.body
    run_ready_tasks()
    assert sorted(e.to[0] for e in mail.outbox if e.subject == grace.subject) == [
        "p-002@example.org", "p-003@example.org"]


def test_a_moved_meeting_is_told_with_its_new_time_and_the_schedule_and_calendar_show_it(
    quiet: Runs, staff: Any,
) -> None:
    start = next_meeting(quiet.a)
    client = signed_in("sam", "staff-password-1")
    client.post(f"/staff/catalogue/{quiet.a.code}/meeting/",
                {"date": start.date().isoformat(), "action": "move"})
    moved_to = start + dt.timedelta(days=7)
    grace = told("meeting.moved")[0]
    assert grace.to == "p-002@example.org"
    assert (f"moves to {moment_text(moved_to, 'Europe/London')}") in grace.body

    grace_client = signed_in("grace", "grace-password-1")
    schedule = grace_client.get("/schedule/").content.decode()
    assert "data-meeting-changes" in schedule
    assert (f"{moment_text(start, 'Europe/London')}: moved to "
            f"{moment_text(moved_to, 'Europe/London')}") in schedule
    grace_client.post("/schedule/calendar/", {"action": "new"})
    feed = Client().get(f"/calendar/{CalendarFeed.objects.get().token}.ics").content.decode()
    assert f"DTSTART;TZID=America/New_York:{moved_to:%Y%m%dT%H%M%S}" in feed
    assert f"DTSTART;TZID=America/New_York:{start:%Y%m%dT%H%M%S}" not in feed


def test_a_cancelled_meeting_leaves_the_calendar_and_shows_on_the_schedule(
    quiet: Runs, staff: Any,
) -> None:
    start = next_meeting(quiet.a)
    grace_client = signed_in("grace", "grace-password-1")
    grace_client.post("/schedule/calendar/", {"action": "new"})
    token = CalendarFeed.objects.get().token
    stamp = f"DTSTART;TZID=America/New_York:{start:%Y%m%dT%H%M%S}"
    assert stamp in Client().get(f"/calendar/{token}.ics").content.decode()
    signed_in("sam", "staff-password-1").post(
        f"/staff/catalogue/{quiet.a.code}/meeting/",
        {"date": start.date().isoformat(), "action": "cancel"})
    assert stamp not in Client().get(f"/calendar/{token}.ics").content.decode()
    schedule = grace_client.get("/schedule/").content.decode()
    assert f"{moment_text(start, 'Europe/London')}: cancelled" in schedule


def test_a_mail_server_that_is_down_does_not_undo_a_cancellation(
    quiet: Runs, staff: Any, settings: Any,
) -> None:
    settings.MAILERS = refusing_mail.SETTING
    start = next_meeting(quiet.a)
    response = signed_in("sam", "staff-password-1").post(
        f"/staff/catalogue/{quiet.a.code}/meeting/",
        {"date": start.date().isoformat(), "action": "cancel"})
    assert response.status_code == 302
    run_ready_tasks()
    quiet.a.refresh_from_db()
    assert quiet.a.cancelled == [start.date().isoformat()]
    assert {t.state for t in told("meeting.cancelled")} == {"failing"}


@pytest.fixture
def ended(quiet: Runs) -> Offering:
    """A PBK run of 12 meetings that ended one to two weeks ago: Grace came to all, Linus to 9; both
    handed in a final deliverable that passed."""
    start = timezone.now().date() - dt.timedelta(days=50)
    start -= dt.timedelta(days=start.weekday())  # a Monday, so MO/WE meet 12 times
    run = publish_offering(Actor("staff"), quiet.a.program_version, "PBK-C", component="PBK",
                           starts_on=start, ends_on=start + dt.timedelta(days=40),
                           capacity=25, meeting_days=["MO", "WE"], meeting_time=dt.time(16),
                           meeting_minutes=90, timezone="America/New_York")
    for seat in Seat.objects.filter(offering=quiet.a):
        give_up_seat(seat, Actor("test"))
    for person in quiet.people:
        seat_before_start(person, run)
    for i, (begins, _) in enumerate(meetings(run)):
        record_attendance(run, begins.date(), ["P-002", *(["P-003"] if i < 9 else [])],
                          Actor("ina"))
    for pid in ("P-002", "P-003"):
        record_grade(run, pid, "final-deliverable", "passed", Actor("ina"))
    run_ready_tasks()
    OutboxMessage.objects.all().delete()
    mail.outbox.clear()
    return run


def test_passing_a_course_when_outcomes_are_made_final_is_told_and_the_badge_follows(
    ended: Offering,
) -> None:
    finalise_outcomes(ended, STAFF)
    passed = told("course.passed")
    assert [(t.participant.public_id, t.to) for t in passed] == [
        ("P-002", "p-002@example.org")]  # Linus came to 9 of 12: not passed
    assert passed[0].subject == "You passed Community Playbooks"
    assert "You passed Community Playbooks (PBK-C)" in passed[0].body
    run_ready_tasks()  # signs the PBK badge: one more message, naming it, with its page
    badge = told("badge.issued")
    assert [t.participant.public_id for t in badge] == ["P-002"]
    credential = Credential.objects.get(participant__public_id="P-002", achievement="PBK")
    assert badge[0].subject == "Badge issued: Community Playbooks"
    assert f"/credentials/{credential.pk}" in badge[0].body
    assert sorted(e.subject for e in mail.outbox) == [
        "Badge issued: Community Playbooks", "You passed Community Playbooks"]
    finalise_outcomes(ended, STAFF)  # nothing new is final: nobody is told again
    assert len(told("course.passed")) == 1


def test_a_mail_server_that_is_down_does_not_undo_passing(ended: Offering,
                                                          settings: Any) -> None:
    settings.MAILERS = refusing_mail.SETTING
    finalise_outcomes(ended, STAFF)
    run_ready_tasks()
    grace = m.Participant.objects.get(public_id="P-002")
    assert grace.enrollments.get().records.filter(offering="PBK-C").exists()
    assert Credential.objects.filter(participant=grace, achievement="PBK").exists()
    assert {t.state for t in OutboxMessage.objects.filter(participant=grace)} == {"failing"}
    assert mail.outbox == []


def test_badges_issued_in_one_signing_are_named_in_one_message(
    import_files: Callable[..., list[str]], settings: Any, tmp_path: Path,
) -> None:
    settings.DATA_DIR = tmp_path
    data = ada_file("P-020", "Rosalind Franklin", enrolled_on="2025-10-01")
    data["participant"]["email"] = "rosalind@example.org"
    import_files(data)
    run_ready_tasks()
    issued = Credential.objects.filter(participant__public_id="P-020")
    assert issued.count() >= 2
    [message] = told("badge.issued")
    assert message.to == "rosalind@example.org"
    assert message.subject.startswith("Badges issued: ")
    for credential in issued:
        assert f"{settings.BASE_URL}/credentials/{credential.pk}" in message.body

