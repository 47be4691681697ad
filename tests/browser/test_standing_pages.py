"""In a real browser: the progress page and the plan tell the same story, with held runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.enrollment.actions import take_seat
from pathwise.participants import models as m
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_held_run_is_the_next_step_on_the_progress_page_and_a_held_step_of_the_plan(
    page: Any, live_server: Any, grace: m.Participant, publish_run: Callable[..., Offering],
) -> None:
    held = publish_run("PBK-A", "PBK", starts_in=30)
    publish_run("QSS-X", "QSS", starts_in=50, meeting_time=dt.time(15))
    take_seat(grace, held, Actor("grace"))
    sign_in(page, live_server.url, "grace", "grace-password-1")

    page.wait_for_url(f"{live_server.url}/participants/P-002/")
    top = page.locator("[data-next]")
    assert top.get_attribute("data-next") == "held"
    assert "Your Community Playbooks run, PBK-A, starts" in top.inner_text()
    assert "your time" in top.inner_text()
    assert page.locator('[data-held="PBK-A"]').is_visible()
    seat = page.locator('[data-seat="PBK-A"]')
    assert "enrolled in PBK-A" in seat.inner_text()

    page.get_by_role("link", name="Plan", exact=True).click()
    # A click waits for the next page to start, not to load; is_visible() does not wait.
    page.wait_for_url(f"{live_server.url}/plan/")
    step = page.locator('[data-offering="PBK-A"][data-held]')
    assert step.is_visible()
    assert "You hold a seat." in step.inner_text()
    # A phone-wide page does not scroll sideways.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_an_at_risk_participant_is_told_why_and_can_ask_for_more_time(
    page: Any, live_server: Any, grace: m.Participant, publish_run: Callable[..., Offering],
) -> None:
    publish_run("CODE-FAR", "CODE", starts_on=dt.date(2028, 1, 4))  # runs reach her deadline
    from pathwise.standing.actions import refresh_standing

    refresh_standing(grace)
    sign_in(page, live_server.url, "grace", "grace-password-1")
    assert page.locator("[data-status]").first.get_attribute("data-status") == "at_risk"
    assert "No plan finishes before your deadline" in page.locator("[data-next]").inner_text()
    page.get_by_label("Why you need more time").fill("No PBK run fits my hours")
    page.get_by_role("button", name="Send the request to staff").click()
    page.wait_for_load_state()
    assert "Your request for more time is with staff" in page.inner_text("main")
    assert page.locator('[data-extension="open"]').is_visible()


def test_on_a_phone_the_at_risk_list_reads_as_cards_not_a_table_to_scroll(
    page: Any, live_server: Any, staff: Any, grace: m.Participant,
    publish_run: Callable[..., Offering],
) -> None:
    publish_run("CODE-FAR", "CODE", starts_on=dt.date(2028, 1, 4))
    from pathwise.standing.actions import refresh_standing

    refresh_standing(grace)
    sign_in(page, live_server.url, "sam", "staff-password-1")
    page.goto(f"{live_server.url}/staff/at-risk/")
    row = page.locator('tr[data-participant="P-002"]')
    why = row.locator('td[data-label="Why"]')
    assert why.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Why: "'
    assert "is still to start" in why.inner_text()
    # One cell under another, the width of the screen: nothing to scroll sideways.
    assert why.evaluate("cell => getComputedStyle(cell).display") == "block"
    region = page.locator(".scroll")
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth")
