"""In a real browser: plan, enroll, land on a waitlist, change a choice and see the fee first."""

from __future__ import annotations

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
    later = publish_run("PBK-LATER", "PBK", starts_in=120)
    soon_full = publish_run("PBK-SOON", "PBK", starts_in=20, capacity=1)
    Seat.objects.create(offering=soon_full, participant=ada, status=Seat.ENROLLED,
                        queue_number=1, created_by="t", updated_by="t")
    sign_in(page, live_server.url, "grace", "grace-password-1")

    # Plan: the full run is skipped, the later one is planned.
    page.get_by_role("link", name="Plan").click()
    assert page.locator('[data-offering="PBK-LATER"]').is_visible()
    assert page.locator('[data-offering="PBK-SOON"]').count() == 0
    page.get_by_role("button", name="Enroll in this plan").click()
    page.wait_for_url(f"{live_server.url}/schedule/")
    assert "PBK-LATER: enrolled" in page.inner_text("main")
    assert page.locator('[data-seat="PBK-LATER"][data-status="enrolled"]').is_visible()

    # The catalogue offers only the waitlist on the full run.
    page.get_by_role("link", name="Catalogue").click()
    page.get_by_role("button", name="Join the waitlist for PBK-SOON").click()
    page.wait_for_url(f"{live_server.url}/schedule/")
    assert "you are number 1 on its waitlist" in page.inner_text("main")
    assert page.locator('[data-seat="PBK-SOON"][data-status="waitlisted"]').is_visible()

    # Changing the run that starts in 20 days costs the change fee, shown before confirming.
    page.get_by_role("link", name="Change or drop PBK-SOON").click()
    fee = page.locator("[data-quote]")
    assert fee.get_attribute("data-quote") == "fee"
    assert "A change fee of USD 100.00 applies" in fee.inner_text()
    page.get_by_label("Drop PBK-SOON without a replacement").check()
    page.get_by_role("button", name="Confirm and pay USD 100.00").click()
    page.wait_for_url(f"{live_server.url}/schedule/")
    assert "a change fee of USD 100.00" in page.inner_text("main")
    assert Seat.objects.get(offering=soon_full, participant=grace).status == Seat.DROPPED
    assert Seat.objects.get(offering=later, participant=grace).status == Seat.ENROLLED
