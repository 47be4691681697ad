"""In a real browser: a person expresses interest, staff accept them into an intake, the
invitation's link sets their password, they confirm zone and times, and take their plan."""

from __future__ import annotations

from typing import Any

import pytest

from pathwise.catalog.models import Intake
from pathwise.enrollment.models import Seat
from pathwise.participants.models import Participant
from tests.browser.conftest import sign_in
from tests.onboarding.conftest import invitation_link, open_intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["open_intake"]  # a fixture, used by name


def test_from_interest_to_a_first_plan(page: Any, browser: Any, live_server: Any,
                                       open_intake: Intake, staff: Any) -> None:
    # A visitor fills in the public form.
    page.goto(f"{live_server.url}/interest/")
    page.get_by_label("Name", exact=True).fill("Lin Chen")
    page.get_by_label("E-mail").fill("lin@example.org")
    page.get_by_label("Organization").fill("Open Science Lab")
    page.get_by_label("Time zone", exact=True).fill("America/Chicago")
    page.get_by_label("Content Design (CODE)").check()
    page.get_by_label("How you would like to pay").select_option("invoice")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(f"{live_server.url}/interest/thanks/")
    assert "We have your request" in page.inner_text("main")

    # Staff find it in their list and accept it into the open intake.
    staff_context = browser.new_context(viewport={"width": 1280, "height": 800})
    staff_page = staff_context.new_page()
    sign_in(staff_page, live_server.url, "sam", "staff-password-1")
    staff_page.goto(f"{live_server.url}/staff/interest/")
    staff_page.get_by_role("link", name="Lin Chen").click()
    staff_page.get_by_label("Intake").select_option("NEW27")
    staff_page.get_by_role("button", name="Accept").click()
    staff_page.wait_for_url(f"{live_server.url}/staff/interest/")
    assert "is now P-001 in intake NEW27" in staff_page.inner_text("main")
    staff_context.close()

    # The invitation e-mail's link sets their password and signs them in.
    page.goto(live_server.url + invitation_link("lin@example.org"))
    assert "p-001" in page.inner_text("main")
    page.get_by_label("Password", exact=True).fill("lins-first-pass-1")
    page.get_by_label("The same password again").fill("lins-first-pass-1")
    page.get_by_role("button", name="Set my password").click()
    page.wait_for_url(f"{live_server.url}/welcome/")

    # They confirm their zone and the times they can meet, and see their first plan.
    assert page.get_by_label("Your time zone", exact=True).input_value() == "America/Chicago"
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        page.locator("fieldset.window").first.get_by_label(day).check()
    page.get_by_label("From (window 1) (your time zone)").fill("08:00")
    page.get_by_label("To (window 1) (your time zone)").fill("18:00")
    page.get_by_role("button", name="Confirm and see my plan").click()
    page.wait_for_url(f"{live_server.url}/welcome/plan/")
    assert page.locator('[data-offering="ORIENT-NEW27"]').is_visible()
    assert page.get_by_role("link", name="Skip — browse the catalogue instead").is_visible()
    page.get_by_role("button", name="Accept this plan and enroll").click()
    page.wait_for_url(f"{live_server.url}/plan/")
    assert "ORIENT-NEW27: enrolled" in page.inner_text("main")
    lin = Participant.objects.get(public_id="P-001")
    assert lin.timezone == "America/Chicago"
    assert Seat.objects.filter(participant=lin, offering__code="ORIENT-NEW27",
                               status="enrolled").exists()
