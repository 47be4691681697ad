"""Issue 12's "done when", in a real browser: a run taken from roster to badge in the app.

The instructor finds the run on its roster, takes the first meeting's register
from a Zoom participant report, the second from a Microsoft Teams attendance
report (UTF-16, tab-separated) and the other ten by keyboard, and grades the
final deliverable; staff make the outcome final; the worker signs the course's
badge; the participant finds the record and the badge on their page, and the
badge verifies, on its own page and pasted into the public verifier.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.actions import publish_offering, sync_programs
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.credentials.models import Credential
from pathwise.enrollment.actions import take_seat
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants import models as m
from pathwise.runs.actions import assign_instructor
from pathwise.runs.models import Attendance
from pathwise.runs.read import meetings
from tests.browser.conftest import sign_in, tick_first_and_save_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path


def zoom_report(day: dt.date) -> bytes:
    """Zoom's participant report with its meeting block: US dates, 12-hour times in the
    account's zone, one row per join (Grace dropped out and came back; the joins overlap)."""
    us = f"{day:%m/%d/%Y}"
    return (
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
        f"812 3456 7890,PBK session 1,{us} 08:55:02 AM,{us} 10:34:40 AM,ina@example.org,100,3\n"
        "\n"
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,"
        "Recording Consent,In Waiting Room\n"
        f"Ina Instructor,ina@example.org,{us} 08:55:02 AM,{us} 10:34:40 AM,100,No,,No\n"
        f"Grace Hopper (Grace's iPad),grace@example.org,{us} 08:59:10 AM,{us} 09:50:00 AM,51,"
        "No,Yes,No\n"
        f"Grace Hopper,grace@example.org,{us} 09:45:00 AM,{us} 10:30:00 AM,45,No,Yes,No\n"
    ).encode()


def teams_report(day: dt.date) -> bytes:
    """Teams' attendance report: UTF-16LE with its BOM, tabs although it is a .csv,
    a summary section and then the participants, durations written like `1h 31m 2s`."""
    when = f"{day.month}/{day.day}/{day:%y}"
    text = "\r\n".join([
        "1. Summary", "Meeting title\tPBK session 2", "Attended participants\t2",
        f"Start time\t{when}, 8:58:00 AM", f"End time\t{when}, 10:32:00 AM",
        "Meeting duration\t1h 34m 0s", "Average attendance time\t1h 30m 0s", "",
        "2. Participants",
        "Name\tFirst join\tLast leave\tIn-meeting duration\tEmail\tParticipant ID (UPN)\tRole",
        f"Ina Instructor\t{when}, 8:58:00 AM\t{when}, 10:32:00 AM\t1h 34m 0s\t"
        "ina@example.org\tina@example.org\tOrganizer",
        f"Grace Hopper\t{when}, 9:01:00 AM\t{when}, 10:28:00 AM\t1h 27m 0s\t"
        "grace@example.org\tgrace@example.org\tAttendee",
        ""])
    return ("\ufeff" + text).encode("utf-16-le")


def import_register(page: Any, base: str, day: dt.date, name: str, content: bytes) -> None:
    page.goto(f"{base}/runs/PBK-E2E/meetings/{day.isoformat()}/")
    page.get_by_label("Attendance export").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="Preview the register").click()
    page.get_by_role("heading", name="Present (1)").wait_for()
    assert not Attendance.objects.filter(offering__code="PBK-E2E", day=day).exists()
    page.get_by_role("button", name="Save this register").click()
    page.get_by_text(f"meeting is saved from {name}").wait_for()


def instructor_takes_the_run(page: Any, base: str, run: Offering, days: list[dt.date]) -> None:
    """Two registers from exports, ten by keyboard, and the final deliverable graded."""
    sign_in(page, base, "ina", "ina-password-1")
    page.goto(f"{base}/runs/PBK-E2E/")
    assert "Grace Hopper" in page.locator("main").inner_text()
    import_register(page, base, days[0], "zoom-participants.csv", zoom_report(days[0]))
    import_register(page, base, days[1], "teams-attendance.csv", teams_report(days[1]))
    assert Attendance.objects.filter(offering=run, present=True).count() == 2
    page.goto(f"{base}/runs/PBK-E2E/meetings/{days[2].isoformat()}/")
    for number, day in enumerate(days[2:], start=3):
        page.wait_for_url(f"{base}/runs/PBK-E2E/meetings/{day.isoformat()}/")
        assert f"Meeting {number} of 12" in page.inner_text("main")
        tick_first_and_save_by_keyboard(page, last=number == 12)
    page.get_by_text("meeting is saved").wait_for()
    assert Attendance.objects.filter(offering=run, present=True).count() == 12

    page.get_by_role("link", name="Grades").click()
    page.get_by_label("Result").select_option("passed")
    page.get_by_label("Feedback for Grace Hopper").fill("A playbook others can follow.")
    page.get_by_role("button", name="Save the grade of Grace Hopper").click()
    assert "The grade is saved" in page.inner_text("main")
    page.get_by_role("button", name="Sign out").click()


def test_a_run_goes_from_roster_to_a_verified_badge_in_the_app(
    page: Any, live_server: Any, grace: m.Participant, staff: Any,
) -> None:
    sync_programs(Actor("test"))
    m.Participant.objects.filter(pk=grace.pk).update(email="grace@example.org")
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    start = timezone.now().date() - dt.timedelta(days=60)
    start += dt.timedelta(days=(2 - start.weekday()) % 7)  # a Wednesday
    run = publish_offering(Actor("staff"), version, "PBK-E2E", component="PBK",
                           starts_on=start, ends_on=start + dt.timedelta(days=40),
                           capacity=25, meeting_days=["WE", "FR"], meeting_time=dt.time(9),
                           meeting_minutes=90, timezone="America/New_York")
    days = [s.date() for s, _ in meetings(run)]
    assert len(days) == 12
    take_seat(grace, run, Actor("test"), today=start - dt.timedelta(days=1))
    get_user_model().objects.create_user("ina", password="ina-password-1")
    assign_instructor(run, "ina", Actor("staff"))
    base = live_server.url

    instructor_takes_the_run(page, base, run, days)

    sign_in(page, base, "sam", "staff-password-1")
    page.goto(f"{base}/runs/PBK-E2E/outcomes/")
    row = page.locator('[data-participant="P-002"]')
    assert row.get_attribute("data-outcome") == "passed"
    page.get_by_role("button", name="Make final (1 decided, not yet final)").click()
    assert "1 outcome made final" in page.inner_text("main")
    page.get_by_role("button", name="Sign out").click()

    run_ready_tasks()  # the worker signs the badge the record earned
    credential = Credential.objects.get(participant=grace, achievement="PBK")

    sign_in(page, base, "grace", "grace-password-1")
    page.goto(f"{base}/participants/P-002/")
    assert "attended 12 of 12; final-deliverable passed" in page.locator(
        "table.records").inner_text()
    badge = page.locator('[data-badge="PBK"]')
    badge.get_by_role("link", name="Verification page").click()
    assert page.locator("[data-verdict]").get_attribute("data-verdict") == "valid"
    assert "Grace Hopper" in page.inner_text("main")

    document = page.request.get(f"{base}/credentials/{credential.pk}.json").text()
    proofs = json.loads(document)["proof"]
    assert [proof["cryptosuite"] for proof in proofs] == ["eddsa-rdfc-2022"]
    page.goto(f"{base}/verify/")
    page.get_by_label("Credential JSON").fill(document)
    page.get_by_role("button", name="Verify").click()
    assert page.locator("[data-verdict]").get_attribute("data-verdict") == "valid"

    sources = dict(Attendance.objects.filter(offering=run, day__in=days[:2])
                   .values_list("day", "source"))
    assert sources == {days[0]: Attendance.ZOOM, days[1]: Attendance.TEAMS}
    # Every step says who did it: the registers, the grade, the record.
    done = set(AuditEntry.objects.filter(Q(participant=grace) | Q(target_id__startswith=run.code))
               .values_list("actor_label", "action"))
    assert {("ina", "attendance.imported"), ("ina", "attendance.recorded"),
            ("ina", "grade.recorded"), ("sam", "records.course_outcome")} <= done
