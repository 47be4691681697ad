"""In a real browser: plan, enroll, land on a waitlist, change a choice and see the fee first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from pathwise.catalog.models import Offering
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_enroll_waitlist_and_change_with_the_fee_shown_first(
    page: Any, live_server: Any, ada: m.Participant, grace: m.Participant,
    publish_run: Callable[..., Offering],
) -> None:
    soon = publish_run("PBK-SOON", "PBK", starts_in=20)
    later = publish_run("PBK-LATER", "PBK", starts_in=120)
    # A workshop in the afternoon (no clash with PBK at noon), full: Ada has its one seat.
    full = publish_run("MW-FULL", "MW-ROLES", starts_in=30, capacity=1,
                       meeting_time=dt.time(15))
    Seat.objects.create(offering=full, participant=ada, status=Seat.ENROLLED,
                        queue_number=1, created_by="t", updated_by="t")
    sign_in(page, live_server.url, "grace", "grace-password-1")

    # Plan: the full workshop is skipped, the earliest PBK is planned.
    page.get_by_role("link", name="Plan", exact=True).click()
    page.wait_for_url(f"{live_server.url}/plan/")
    assert page.locator('[data-offering="PBK-SOON"]').is_visible()
    assert page.locator('[data-offering="MW-FULL"]').count() == 0
    page.get_by_role("button", name="Enroll in this plan").click()
    page.wait_for_url(f"{live_server.url}/plan/")
    assert "PBK-SOON: enrolled" in page.inner_text("main")
    # The plan now shows the seat as held.
    assert page.locator('[data-offering="PBK-SOON"][data-held]').is_visible()
    page.get_by_role("link", name="Schedule").click()
    page.wait_for_url(f"{live_server.url}/schedule/")
    assert page.locator('[data-seat="PBK-SOON"][data-status="enrolled"]').is_visible()

    # The catalogue offers only the waitlist on the full workshop.
    page.get_by_role("link", name="Catalogue").click()
    page.get_by_role("button", name="Join the waitlist for MW-FULL").click()
    page.wait_for_url(f"{live_server.url}/schedule/")
    assert "you are number 1 on its waitlist" in page.inner_text("main")
    assert page.locator('[data-seat="MW-FULL"][data-status="waitlisted"]').is_visible()

    # Moving from the run that starts in 20 days costs the change fee, shown before confirming.
    page.get_by_role("link", name="Change or drop PBK-SOON").click()
    fee = page.locator("[data-quote]")
    assert fee.get_attribute("data-quote") == "fee"
    assert "A change fee of USD 100.00 applies" in fee.inner_text()
    page.get_by_label("PBK-LATER", exact=False).check()
    page.get_by_role("button", name="Confirm and pay USD 100.00").click()
    page.wait_for_url(f"{live_server.url}/schedule/")
    assert "a change fee of USD 100.00" in page.inner_text("main")
    assert Seat.objects.get(offering=soon, participant=grace).status == Seat.DROPPED
    assert Seat.objects.get(offering=later, participant=grace).status == Seat.ENROLLED
