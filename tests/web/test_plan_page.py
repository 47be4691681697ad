"""The planner page and turning a plan into enrollments in one step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from pathwise.catalog.models import Offering
from pathwise.enrollment.models import Seat

pytestmark = pytest.mark.django_db


def test_the_plan_lists_steps_and_enrolls_in_one_go_checking_each(
    grace_client: Client, publish_run: Callable[..., Offering]
) -> None:
    publish_run("PBK-A", "PBK", starts_in=30)
    # The workshops and the skills share meet at 15:00, after PBK's noon meetings:
    # nobody is planned into two meetings at once.
    for i, code in enumerate(("MW-FEEDBACK", "MW-MEETINGS", "MW-ROLES", "MW-METRICS",
                              "MW-CONFLICT")):
        publish_run(f"{code}-X", code, starts_in=40 + i, meeting_time=dt.time(15))
    publish_run("QSS-X", "QSS", starts_in=60, meeting_time=dt.time(15))
    page = grace_client.get("/plan/").content.decode()
    assert 'data-feasible="yes"' in page
    assert 'data-offering="PBK-A"' in page
    assert 'data-offering="QSS-X"' in page

    response = grace_client.post("/plan/", follow=True)
    text = response.content.decode()
    assert "PBK-A: enrolled" in text
    assert Seat.objects.filter(participant__public_id="P-002",
                               status=Seat.ENROLLED).count() >= 6


def test_a_plan_that_cannot_finish_says_which_requirement_lacks_a_run(
    grace_client: Client, publish_run: Callable[..., Offering],
) -> None:
    publish_run("QSS-X", "QSS", starts_in=60)  # runs are published, but no PBK
    page = grace_client.get("/plan/").content.decode()
    assert 'data-feasible="no"' in page
    assert "pbk" in page.lower()


def test_with_no_runs_published_the_page_says_so(grace_client: Client) -> None:
    page = grace_client.get("/plan/").content.decode()
    assert "No runs are published yet" in page
    assert "Enroll in this plan" not in page
