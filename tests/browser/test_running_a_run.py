"""In a real browser: an instructor takes twelve registers by keyboard and grades; staff make
the outcome final; the participant finds the course record and the feedback on their page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import publish_offering, sync_programs
from pathwise.catalog.models import ProgramVersion
from pathwise.core.when import day_text
from pathwise.enrollment.actions import take_seat
from pathwise.participants import models as m
from pathwise.runs.actions import assign_instructor
from pathwise.runs.models import Attendance
from pathwise.runs.read import meetings
from tests.browser.conftest import sign_in, tick_first_and_save_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path  # making the outcome final signs the PBK badge


def test_an_instructor_takes_twelve_registers_by_keyboard_grades_and_staff_make_it_final(
    page: Any, live_server: Any, grace: m.Participant, staff: Any,
) -> None:
    sync_programs(Actor("test"))
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    start = timezone.now().date() - dt.timedelta(days=60)
    start += dt.timedelta(days=(1 - start.weekday()) % 7)  # a Tuesday
    run = publish_offering(Actor("staff"), version, "PBK-RUN", component="PBK",
                           starts_on=start, ends_on=start + dt.timedelta(days=40),
                           capacity=25, meeting_days=["TU", "TH"], meeting_time=dt.time(12),
                           meeting_minutes=90, timezone="America/New_York")
    days = [s.date() for s, _ in meetings(run)]
    assert len(days) == 12
    take_seat(grace, run, Actor("test"), today=start - dt.timedelta(days=1))
    get_user_model().objects.create_user("ina", password="ina-password-1")
    assign_instructor(run, "ina", Actor("test"))

    sign_in(page, live_server.url, "ina", "ina-password-1")
    page.get_by_role("link", name="Runs", exact=True).click()
    page.get_by_label("Runs", exact=True).select_option("past")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="Community Playbooks PBK-RUN").click()
    page.get_by_role("link", name=f"Register of {days[0]:%-d %b}").click()
    for number, day in enumerate(days, start=1):
        page.wait_for_url(f"{live_server.url}/runs/PBK-RUN/meetings/{day.isoformat()}/")
        assert f"Meeting {number} of 12" in page.inner_text("main")
        tick_first_and_save_by_keyboard(page, last=number == 12)
    page.get_by_text(f"Attendance for the {day_text(days[-1])} meeting is saved").wait_for()
    assert Attendance.objects.filter(offering=run, present=True).count() == 12

    page.get_by_role("link", name="Grades").click()
    page.get_by_label("Result").select_option("passed")
    page.get_by_label("Feedback for Grace Hopper").fill("A playbook others can follow.")
    page.get_by_role("button", name="Save the grade of Grace Hopper").click()
    assert "The grade is saved" in page.inner_text("main")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "sam", "staff-password-1")
    page.goto(f"{live_server.url}/runs/PBK-RUN/outcomes/")
    row = page.locator('[data-participant="P-002"]')
    assert row.get_attribute("data-outcome") == "passed"
    assert "attended 12 of 12 sessions, 11 needed" in row.inner_text()
    page.get_by_role("button", name="Make final (1 decided, not yet final)").click()
    assert "1 outcome made final" in page.inner_text("main")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "grace", "grace-password-1")
    page.goto(f"{live_server.url}/participants/P-002/")
    records = page.locator("table.records").inner_text()
    assert "Community Playbooks" in records
    assert "attended 12 of 12; final-deliverable passed" in records
    assert "A playbook others can follow." in page.inner_text("main")
