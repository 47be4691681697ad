"""Issue 13's "done when", in one browser session after another: staff open an intake (its
orientation runs come with it); a person expresses interest on the public program page,
staff accept them into that new intake, the invitation's link sets their password, and they
confirm their zone and times, see their first plan and enroll."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import sync_programs
from pathwise.enrollment.models import Seat
from pathwise.participants.models import Participant
from tests.browser.conftest import sign_in
from tests.onboarding.conftest import invitation_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _weekday(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def staff_open_an_intake(page: Any, base: str, monday: dt.date) -> None:
    page.goto(f"{base}/staff/catalogue/")
    page.get_by_role("link", name="New intake").click()
    page.get_by_label("Code").fill("SPRING")
    page.get_by_label("Starts on (the live orientation meeting)").fill(monday.isoformat())
    page.get_by_label("Time zone").fill("America/Chicago")
    page.get_by_role("button", name="Open the intake").click()
    assert "Intake SPRING is open, with its 3 orientation runs" in page.inner_text("main")


def test_staff_open_an_intake_a_person_joins_it_and_takes_their_first_plan(
        page: Any, browser: Any, live_server: Any, staff: Any) -> None:
    sync_programs(Actor("test"))
    base = live_server.url
    monday = _weekday(timezone.now().date() + dt.timedelta(days=30), 0)
    staff_context = browser.new_context(viewport={"width": 1280, "height": 800})
    staff_page = staff_context.new_page()
    sign_in(staff_page, base, "sam", "staff-password-1")
    staff_open_an_intake(staff_page, base, monday)

    page.goto(f"{base}/programs/cscce-cm/")
    page.get_by_role("link", name="Express interest").click()
    page.get_by_label("Name", exact=True).fill("Lin Chen")
    page.get_by_label("E-mail").fill("lin@example.org")
    page.get_by_label("Time zone", exact=True).fill("America/Chicago")
    page.get_by_label("Content Design (CODE)").check()
    page.get_by_label("How you would like to pay").select_option("invoice")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(f"{base}/interest/thanks/")

    staff_page.goto(f"{base}/staff/interest/")
    staff_page.get_by_role("link", name="Lin Chen").click()
    staff_page.get_by_label("Intake").select_option("SPRING")
    staff_page.get_by_role("button", name="Accept").click()
    staff_page.wait_for_url(f"{base}/staff/interest/")
    assert "in intake SPRING" in staff_page.inner_text("main")
    staff_context.close()

    page.goto(base + invitation_link("lin@example.org"))
    page.get_by_label("Password", exact=True).fill("lins-first-pass-1")
    page.get_by_label("The same password again").fill("lins-first-pass-1")
    page.get_by_role("button", name="Set my password").click()
    page.wait_for_url(f"{base}/welcome/")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        page.locator("fieldset.window").first.get_by_label(day).check()
    page.get_by_label("From (window 1) (your time zone)").fill("07:00")
    page.get_by_label("To (window 1) (your time zone)").fill("21:00")
    page.get_by_role("button", name="Confirm and see my plan").click()
    page.wait_for_url(f"{base}/welcome/plan/")
    page.get_by_role("button", name="Accept this plan and enroll").click()
    page.wait_for_url(f"{base}/plan/")
    lin = Participant.objects.get(email="lin@example.org")
    held = set(Seat.objects.filter(participant=lin, status="enrolled")
               .values_list("offering__code", flat=True))
    assert {"ORIENT-SPRING"} <= held, held
    assert "ORIENT-SPRING: enrolled" in page.inner_text("main")
