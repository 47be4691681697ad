"""The progress page tells one truth: records, held seats and the catalogue together, the next
step in words, why a plan cannot finish, and a request for more time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import Offering
from pathwise.enrollment.actions import take_seat
from pathwise.participants import models as m
from pathwise.standing.actions import refresh_standing
from pathwise.standing.models import StandingRow
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def page(client: Client, public_id: str = "P-002") -> str:
    response = client.get(f"/participants/{public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_held_run_shows_on_the_page_and_in_the_requirement_it_covers(
    grace: m.Participant, grace_client: Client, publish_run: Callable[..., Offering]
) -> None:
    run = publish_run("PBK-A", "PBK", starts_in=30)
    take_seat(grace, run, Actor("grace"))
    html = page(grace_client)
    first = run.starts_on
    words = f"{('Mon','Tue','Wed','Thu','Fri','Sat','Sun')[first.weekday()]} {first.day} "
    assert 'data-seat="PBK-A" data-status="enrolled"' in html
    assert "Community Playbooks</strong>:\n      enrolled in PBK-A" in html
    assert "starts " + words in html
    # The PBK requirement is not "not taken yet" any more: it is in progress with that run.
    assert 'data-held="PBK-A"' in html
    assert "In progress" in html
    # Grace is in Europe/London: PBK meets at noon in New York, 17:00 (or 16:00) hers.
    assert ":00 your time" in html


def test_the_next_step_is_one_sentence_at_the_top(grace_client: Client,
                                                  publish_run: Callable[..., Offering]) -> None:
    publish_run("PBK-A", "PBK", starts_in=30)
    html = page(grace_client)
    assert 'data-next="' in html
    assert html.index('data-next="') < html.index('data-requirement="orientation"')


def test_a_plan_that_cannot_finish_says_why_and_what_to_do(
    grace: m.Participant, grace_client: Client, publish_run: Callable[..., Offering],
    settings: Any,
) -> None:
    # A catalogue that reaches beyond Grace's deadline (2027-09-30) but has no PBK run.
    publish_run("CODE-FAR", "CODE", starts_on=dt.date(2028, 1, 4))
    refresh_standing(grace)
    assert StandingRow.objects.get(participant=grace).status == "at_risk"
    html = page(grace_client)
    assert 'data-status="at_risk"' in html
    assert 'data-next="at-risk"' in html
    assert "PBK course: no PBK run open to you is still to start" in html
    assert 'href="/demand/"' in html
    assert "Ask for more time" in html


def test_asking_for_more_time_is_recorded_once_with_who_and_when(
    grace: m.Participant, grace_client: Client, publish_run: Callable[..., Offering],
) -> None:
    publish_run("CODE-FAR", "CODE", starts_on=dt.date(2028, 1, 4))
    url = "/participants/P-002/extension/"
    empty = grace_client.post(url, {"reason": "  "})
    assert empty.status_code == 400
    assert "This field is required." in empty.content.decode()
    assert not m.ExtensionRequest.objects.exists()

    done = grace_client.post(url, {"reason": "No PBK run fits my hours",
                                   "wanted_until": "2028-03-31"}, follow=True)
    assert "Your request for more time is with staff" in done.content.decode()
    request = m.ExtensionRequest.objects.get()
    assert request.reason == "No PBK run fits my hours"
    assert request.wanted_until == dt.date(2028, 3, 31)
    entry = AuditEntry.objects.get(action="extension.requested")
    assert entry.actor_label == "grace"
    assert 'data-extension="open"' in done.content.decode()

    again = grace_client.post(url, {"reason": "Again"})
    assert again.status_code == 400
    assert "already have an extension request waiting" in again.content.decode()
    assert m.ExtensionRequest.objects.count() == 1


def test_only_the_participant_asks_for_their_own_extension(
    ada: m.Participant, grace: m.Participant, staff: Any
) -> None:
    url = "/participants/P-002/extension/"
    assert signed_in("ada", "ada-password-1").post(url, {"reason": "x"}).status_code == 404
    assert signed_in("sam", "staff-password-1").post(url, {"reason": "x"}).status_code == 404
    assert not m.ExtensionRequest.objects.exists()


def test_staff_see_the_same_standing_as_the_participant(
    grace: m.Participant, grace_client: Client, staff: Any,
    publish_run: Callable[..., Offering],
) -> None:
    publish_run("CODE-FAR", "CODE", starts_on=dt.date(2028, 1, 4))
    refresh_standing(grace)
    mine = page(grace_client)
    theirs = page(signed_in("sam", "staff-password-1"))
    listed = signed_in("sam", "staff-password-1").get("/staff/participants/").content.decode()
    for html in (mine, theirs):
        assert 'data-status="at_risk"' in html
    assert 'data-participant="P-002" data-status="at_risk"' in listed
