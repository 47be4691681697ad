"""The public program and course pages a prospective participant reads before expressing
interest: no login, everything from the program data, runs in the visitor's chosen zone."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import publish_offering
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.enrollment.actions import take_seat
from pathwise.participants import models as m
from pathwise.site.middleware import ZONE_COOKIE

pytestmark = pytest.mark.django_db


def text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_program_page_shows_the_journey_the_window_and_the_fee(
        publish_run: Callable[..., Offering]) -> None:
    page = text(Client(), "/programs/cscce-cm/")
    assert "CSCCE Community Manager Certification Program" in page
    main_line = page.index("The main line, in order")
    for title in ("Orientation", "CODE course", "PBK course", "Elective course (NOC, COP or EVAL)",
                  "Capstone"):
        assert page.index(title, main_line) > main_line
    assert "Complete 6 different mini-workshops (a repeat of the same one counts once)" in page
    assert "Present a lightning talk at a Quarterly Skills Share (QSS) session" in page
    assert "within 2 years of enrolling" in page
    assert "enrolled in September 2023, the deadline is Sun 31 Aug 2025" in page
    assert "USD 3600.00" in page
    assert 'href="/interest/"' in Client().get("/programs/cscce-cm/").content.decode()
    assert Client().get("/programs/").status_code == 200


def test_a_course_page_says_what_it_asks_in_words(publish_run: Callable[..., Offering]) -> None:
    page = text(Client(), "/programs/cscce-cm/NOC/")
    assert "Nurturing and Stewarding Engaged Online Communities" in page
    assert "Attend at least 11 of the 12 sessions and pass the final deliverable." in page
    assert "12 sessions over 7 weeks" in page
    assert "About 4 hours a week, class included, while it runs" in page
    assert "Requires a textbook you may need to buy." in page
    assert "Pass Content Design (CODE) and Community Playbooks (PBK) first." in page
    assert "Optional office hours" in page
    workshop = text(Client(), "/programs/cscce-cm/MW-METRICS/")
    assert "The first 6 mini-workshops are included in the program fee; each one after that " \
           "is USD 150.00." in workshop
    assert "Weekly load" not in workshop
    assert "Free: attend as many as you like." in text(Client(), "/programs/cscce-cm/QSS/")


def newest_run(code: str, *, starts_in: int = 30, **fields: object) -> Offering:
    """A PBK run of the newest version, the one a visitor would join."""
    version = ProgramVersion.objects.filter(program_id="cscce-cm").order_by("version").last()
    assert version is not None
    start = timezone.now().date() + dt.timedelta(days=starts_in)
    return publish_offering(Actor("staff"), version, code, component="PBK", starts_on=start,
                            ends_on=start + dt.timedelta(days=48), capacity=25,
                            meeting_days=["TU", "TH"], meeting_time=dt.time(12),
                            meeting_minutes=90, timezone="America/New_York", **fields)


def test_a_visitor_sees_the_newest_versions_upcoming_public_runs(
        publish_run: Callable[..., Offering]) -> None:
    newest_run("PBK-NEW")
    newest_run("PBK-ACME", starts_in=60, private_to="Acme Labs")
    newest_run("PBK-PAST", starts_in=-3)
    publish_run("PBK-OLD", "PBK", starts_in=30)  # of the earlier version
    page = text(Client(), "/programs/cscce-cm/PBK/")
    assert "PBK-NEW" in page
    assert "PBK-ACME" not in page
    assert "PBK-PAST" not in page
    assert "PBK-OLD" not in page


def test_a_participant_sees_their_own_versions_runs_with_the_seats_left(
        publish_run: Callable[..., Offering], grace: m.Participant,
        grace_client: Client) -> None:
    soon = publish_run("PBK-SOON", "PBK", starts_in=30)
    publish_run("PBK-LATER", "PBK", starts_in=120, capacity=1)
    newest_run("PBK-NEW")
    take_seat(grace, soon, Actor("test"))
    page = text(grace_client, "/programs/cscce-cm/PBK/")
    assert "PBK-NEW" not in page
    row = grace_client.get("/programs/cscce-cm/PBK/").content.decode()
    soon_row = row[row.index('data-run="PBK-SOON"'):].split("</tr>")[0]
    assert f"<td>{soon.capacity - 1}</td>" in soon_row
    later_row = row[row.index('data-run="PBK-LATER"'):].split("</tr>")[0]
    assert "<td>1</td>" in later_row


def test_a_visitor_sees_runs_in_the_zone_they_choose_and_it_is_remembered(
        publish_run: Callable[..., Offering]) -> None:
    newest_run("PBK-SOON")  # noon in New York
    client = Client()
    assert "Meets (UTC)" in text(client, "/programs/cscce-cm/PBK/")
    response = client.get("/programs/cscce-cm/PBK/?zone=Asia/Tokyo")
    assert response.cookies[ZONE_COOKIE].value == "Asia/Tokyo"
    page = text(client, "/programs/cscce-cm/PBK/")  # the cookie, no parameter
    assert "Meets (Asia/Tokyo)" in page
    # Noon in New York is 1 or 2 in the morning in Tokyo, with daylight saving or not.
    assert re.search(r"\b0[12]:00\N{EN DASH}0[34]:30\b", page)
    assert "Times are shown in Asia/Tokyo" in page


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "x" * 80, ""])
def test_a_zone_that_is_not_one_is_ignored(zone: str,
                                           publish_run: Callable[..., Offering]) -> None:
    newest_run("PBK-SOON")
    response = Client().get("/programs/cscce-cm/PBK/", {"zone": zone})
    assert response.status_code == 200
    assert ZONE_COOKIE not in response.cookies
    assert "Meets (UTC)" in response.content.decode()


def test_a_participant_sees_their_own_zone_whatever_the_address_says(
        grace_client: Client, grace: m.Participant, publish_run: Callable[..., Offering],
) -> None:
    publish_run("PBK-SOON", "PBK", starts_in=30)
    page = text(grace_client, "/programs/cscce-cm/PBK/?zone=Asia/Tokyo")
    assert f"Meets ({grace.timezone})" in page
    assert "Enroll from your catalogue" in page


@pytest.mark.parametrize("url", ["/programs/no-such/", "/programs/cscce-cm/NOPE/",
                                 "/programs/cscce-cm/%20/"])
def test_what_does_not_exist_is_not_found(url: str,
                                          publish_run: Callable[..., Offering]) -> None:
    assert Client().get(url).status_code == 404
