"""Every response carries the site's Content-Security-Policy: every page a visitor, a
participant and staff reach by following links, and the non-HTML and error answers."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pathwise.catalog.models import Offering
from pathwise.enrollment.models import CalendarFeed, Seat
from pathwise.participants import models as m
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

POLICY = ("default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          "frame-ancestors 'none'")
LINK = re.compile(r'href="(/[^"#]*)"')
NOT_CRAWLED = ("/static/", "/admin/")


def crawl(client: Client, *start: str) -> dict[str, Any]:
    """GET every same-site page linked or redirected to from `start`, transitively;
    path -> response."""
    seen: dict[str, Any] = {}
    queue = list(start)
    while queue and len(seen) < 400:
        path = queue.pop(0)
        if path in seen or path.startswith(NOT_CRAWLED):
            continue
        response = seen[path] = client.get(path)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
        elif response.get("Content-Type", "").startswith("text/html"):
            queue.extend(html.unescape(p) for p in LINK.findall(response.content.decode()))
    return seen


def assert_policy_on_all(responses: dict[str, Any]) -> None:
    missing = [path for path, r in responses.items()
               if r.get("Content-Security-Policy") != POLICY]
    assert missing == []


@pytest.fixture
def grace_with_a_seat(grace: m.Participant, grace_client: Client,
                      publish_run: Callable[..., Offering]) -> Seat:
    publish_run("PBK-A")
    publish_run("PBK-B", starts_in=200)
    grace_client.post("/catalogue/PBK-A/enroll/")
    grace_client.post("/schedule/calendar/")
    return Seat.objects.get(participant=grace)


def test_every_page_a_participant_reaches_carries_the_policy(
    grace_with_a_seat: Seat, grace_client: Client
) -> None:
    pages = crawl(grace_client, "/")
    for path in ("/participants/P-002/", "/plan/", "/catalogue/", "/schedule/",
                 f"/schedule/{grace_with_a_seat.pk}/change/", "/demand/",
                 "/password/change/"):
        assert pages[path].status_code == 200, path
    token = CalendarFeed.objects.get(participant=grace_with_a_seat.participant).token
    feed = f"/calendar/{token}.ics"
    pages[feed] = Client().get(feed)  # shown as an address to copy, not a link
    assert pages[feed]["Content-Type"].startswith("text/calendar")
    assert_policy_on_all(pages)


def test_every_page_staff_reach_carries_the_policy(
    ada: m.Participant, grace_with_a_seat: Seat, staff: Any
) -> None:
    pages = crawl(signed_in("sam", "staff-password-1"), "/")
    for path in ("/staff/participants/", "/staff/catalogue/", "/staff/demand/",
                 "/staff/credentials/", "/participants/P-001/"):
        assert pages[path].status_code == 200, path
    assert_policy_on_all(pages)


def test_every_public_page_and_every_kind_of_refusal_carries_the_policy(
    ada: m.Participant,
) -> None:
    visitor = Client()
    pages = crawl(visitor, "/", "/login/", "/verify/", "/password/reset/")
    assert {"/login/", "/password/reset/", "/verify/"} <= pages.keys()
    pages |= {
        "a redirect to sign in": visitor.get("/schedule/"),
        "a page that does not exist": visitor.get("/no-such-page/"),
        "a credential that does not exist":
            visitor.get("/credentials/00000000-0000-0000-0000-000000000000.json"),
        "a rejected verification (POST)": visitor.post("/verify/", {"credential": "{"}),
        "the admin's sign-in": visitor.get("/admin/login/"),
        "a refused staff page": signed_in("ada", "ada-password-1").get("/staff/catalogue/"),
    }
    assert pages["a rejected verification (POST)"].status_code == 400
    assert pages["a refused staff page"].status_code == 403
    assert_policy_on_all(pages)
