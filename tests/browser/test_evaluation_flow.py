"""In a real browser: a run ends, its participant is asked, answers on a phone, and staff
find the answer counted; the evaluation page passes axe."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.enrollment.actions import take_seat
from pathwise.participants import models as m
from pathwise.standing.tasks import refresh_standing_hourly, this_hour
from tests.browser.conftest import sign_in
from tests.browser.test_page_gate import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_participant_answers_an_evaluation_and_staff_see_it_counted(
    browser: Any, page: Any, live_server: Any, grace: m.Participant, *, staff: Any,
    publish_run: Any,
) -> None:
    run: Offering = publish_run("PBK-E", "PBK",
                                starts_on=timezone.now().date() - dt.timedelta(days=60))
    take_seat(grace, run, Actor("test"), today=run.starts_on - dt.timedelta(days=1))
    refresh_standing_hourly.call(this_hour(timezone.now()).isoformat())  # the run has ended

    sign_in(page, live_server.url, "grace", "grace-password-1")
    page.get_by_role("link", name="Tell us about Community Playbooks").click()
    page.wait_for_url(f"{live_server.url}/evaluations/PBK-E/")
    assert check_page(page, page.url) == []
    page.get_by_label("Yes, strongly").check()
    page.get_by_label("What worked well for you? (optional)").fill(
        "Writing the playbook alongside people from other communities.")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(f"{live_server.url}/evaluations/PBK-E/")
    assert "your answers are saved" in page.inner_text("main")

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    staff_page = context.new_page()
    sign_in(staff_page, live_server.url, "sam", "staff-password-1")
    # Evaluations is one of the staff pages behind "More" in the header.
    staff_page.locator("summary", has_text="More").click()
    staff_page.get_by_role("link", name="Evaluations", exact=True).click()
    row = staff_page.locator('tr[data-run="PBK-E"]')
    assert "100%" in row.inner_text()
    assert "1 of 1" in row.inner_text()
    row.get_by_role("link", name="PBK-E").click()
    assert "Writing the playbook alongside people" in staff_page.inner_text("main")
    assert "Grace" not in staff_page.inner_text("main")
    context.close()
