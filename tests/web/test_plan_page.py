"""The planner page and turning a plan into enrollments in one step."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import cancel_meeting
from pathwise.catalog.models import Offering
from pathwise.catalog.read import catalogue_for
from pathwise.enrollment.actions import take_seat
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m
from tests.builders import ada_file
from tests.conftest import signed_in

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


# -- the catalogue kept between requests, and every change seen at once -----------------
# Outside a test transaction (transaction=True): the catalogue is kept only then.


def planned(page: str) -> list[str]:
    return re.findall(r'data-offering="([^"]+)"', page)


@pytest.mark.django_db(transaction=True)
def test_the_catalogue_is_read_once_until_a_run_or_a_seat_changes(
    grace: m.Participant, publish_run: Callable[..., Offering]
) -> None:
    run = publish_run("PBK-A", "PBK", starts_in=30)
    version = run.program_version
    first = catalogue_for(version)
    assert catalogue_for(version) is first
    cancel_meeting(Actor("staff"), run, run.starts_on)
    changed = catalogue_for(version)
    assert changed is not first
    assert run.starts_on in changed.offerings.offerings[0].meetings.cancelled  # type: ignore[union-attr]
    take_seat(grace, run, Actor("grace"))
    assert catalogue_for(version) is not changed


@pytest.mark.django_db(transaction=True)
def test_a_cancelled_meeting_shows_in_the_plan_at_once(
    grace: m.Participant, publish_run: Callable[..., Offering]
) -> None:
    client = signed_in("grace", "grace-password-1")
    pbk = publish_run("PBK-A", "PBK", starts_in=30)
    # A skills share at the time of PBK-A's first meeting clashes with it; a later one does not.
    publish_run("QSS-X", "QSS", starts_on=pbk.starts_on)
    publish_run("QSS-Y", "QSS", starts_in=70, meeting_time=dt.time(15))
    page = client.get("/plan/").content.decode()
    assert 'data-offering="PBK-A"' in page
    assert 'data-offering="QSS-X"' not in page
    again = client.get("/plan/").content.decode()  # the kept catalogue: the same plan
    assert planned(again) == planned(page)

    cancel_meeting(Actor("staff"), pbk, pbk.starts_on)
    page = client.get("/plan/").content.decode()
    assert 'data-offering="QSS-X"' in page


@pytest.mark.django_db(transaction=True)
def test_a_run_made_full_by_a_seat_taken_leaves_the_plan_at_once(
    grace: m.Participant, import_files: Callable[..., list[str]],
    publish_run: Callable[..., Offering]
) -> None:
    client = signed_in("grace", "grace-password-1")
    full_soon = publish_run("PBK-A", "PBK", starts_in=30, capacity=1)
    publish_run("PBK-B", "PBK", starts_in=100)
    page = client.get("/plan/").content.decode()
    assert 'data-offering="PBK-A"' in page

    import_files(ada_file("P-077", "Someone Else", enrolled_on="2025-10-01"))
    take_seat(m.Participant.objects.get(public_id="P-077"), full_soon, Actor("staff"))
    page = client.get("/plan/").content.decode()
    assert 'data-offering="PBK-A"' not in page
    assert 'data-offering="PBK-B"' in page
