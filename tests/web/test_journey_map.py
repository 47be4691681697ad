"""The progress page over HTTP: the journey map (the main line as an ordered list ending at the
deadline, rows alongside, each stop's state and dates, held runs, the current step), badge
pictures, and the certificate first for a certified participant."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.test.html import Element, parse_html

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.core.when import day_text
from pathwise.enrollment.actions import take_seat
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants import models as m
from pathwise.participants.actions import give_login
from tests.builders import make_records_file
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def elements(node: Element | str) -> Iterator[Element]:
    if isinstance(node, str):
        return
    yield node
    for child in node.children:
        yield from elements(child)


def attr(node: Element, name: str) -> str | None:
    return dict(node.attributes).get(name)


def text(node: Element | str) -> str:
    if isinstance(node, str):
        return node
    return " ".join(text(child) for child in node.children)


def find(root: Element, **wanted: str) -> list[Element]:
    """Elements whose attributes have the wanted values (`data_stop="code"` for data-stop)."""
    want = {k.rstrip("_").replace("_", "-"): v for k, v in wanted.items()}
    return [e for e in elements(root)
            if all(attr(e, k) == v or (k == "class" and v in (attr(e, k) or "").split())
                   for k, v in want.items())]


def progress(client: Client, public_id: str) -> Element:
    response = client.get(f"/participants/{public_id}/")
    assert response.status_code == 200
    return parse_html(response.content.decode())


def test_the_main_line_is_an_ordered_list_in_the_programs_order_ending_at_the_deadline(
    grace: m.Participant, grace_client: Client, publish_run: Callable[..., Offering],
) -> None:
    publish_run("PBK-A", "PBK", starts_in=30)
    page = progress(grace_client, "P-002")
    [line] = find(page, **{"aria-label": "The main line, in order"})
    assert line.name == "ol"
    stops = [attr(li, "data-stop") for li in line.children if isinstance(li, Element)]
    assert stops == ["orientation", "orientation-mini-workshops", "code", "pbk", "elective",
                     "capstone"]
    [end] = find(page, data_journey_end="")
    assert "Deadline" in text(end)
    assert "Thu 30 Sep 2027" in text(end)  # two years from October 2025
    # The rows alongside are labelled, one per requirement off the main line.
    [rows] = find(page, **{"aria-labelledby": "alongside-h"})
    assert [attr(li, "data-stop") for li in rows.children if isinstance(li, Element)] == [
        "mini-workshops", "skills-share", "lightning-talk"]
    [label] = find(page, id="alongside-h")
    assert text(label).strip() == "Alongside the main line"


def test_each_stop_says_its_state_and_the_day_done_or_the_days_planned(
    grace: m.Participant, grace_client: Client, publish_run: Callable[..., Offering],
) -> None:
    run = publish_run("PBK-A", "PBK", starts_in=30)
    page = progress(grace_client, "P-002")
    stop = {attr(e, "data-stop"): e for e in find(page, class_="stop")}
    code = stop["code"]
    assert attr(code, "data-state") == "done"
    assert "Content Design" in text(code)  # the course's name, not only its code
    assert "passed Tue 5 Dec 2023" in " ".join(text(code).split())
    elective = " ".join(text(stop["elective"]).split())
    assert "credited Thu 1 Feb 2024" in elective
    pbk = stop["pbk"]
    assert attr(pbk, "data-state") == "planned"
    [planned] = find(pbk, data_offering="PBK-A")
    assert attr(planned, "data-item-state") == "planned"
    words = " ".join(text(planned).split())
    assert day_text(run.starts_on) in words
    assert day_text(run.ends_on) in words
    assert "Planned" in text(pbk)
    # Nothing is published for the second orientation workshop: said so.
    assert attr(stop["orientation-mini-workshops"], "data-state") == "unplanned"
    assert "Not planned yet" in text(stop["orientation-mini-workshops"])
    [workshops] = find(page, class_="map-row", data_stop="mini-workshops")
    assert "1 of 6" in text(workshops)
    assert "5 more needed, not planned yet" in text(workshops)


def test_a_held_run_is_shown_enrolled_and_its_stop_is_the_current_step(
    grace: m.Participant, grace_client: Client, publish_run: Callable[..., Offering],
    staff: Any,
) -> None:
    run = publish_run("PBK-A", "PBK", starts_in=30)
    take_seat(grace, run, Actor("grace"))
    page = progress(grace_client, "P-002")
    [current] = find(page, **{"aria-current": "step"})
    assert attr(current, "data-stop") == "pbk"
    assert attr(current, "data-state") == "held"
    assert "You are here" in text(current)
    [held] = find(current, data_offering="PBK-A")
    assert attr(held, "data-item-state") == "held"
    assert "enrolled in" in text(held)
    # The run the next step names is marked on the map too.
    assert "next step" in text(held)
    # Staff looking at the page see the same step, named for them.
    staff_page = progress(signed_in("sam", "staff-password-1"), "P-002")
    [theirs] = find(staff_page, **{"aria-current": "step"})
    assert "Current step" in text(theirs)


def test_badges_earned_are_pictured_with_alt_text_naming_them(
    grace: m.Participant, grace_client: Client,
) -> None:
    page = progress(grace_client, "P-002")
    pictures = {attr(img, "alt"): attr(img, "src") for img in find(page, class_="badge-image")}
    assert pictures == {
        "Badge: Content Design": "/achievements/cscce-cm/CODE/image.png",
        "Badge: Nurturing and Stewarding Engaged Online Communities":
            "/achievements/cscce-cm/NOC/image.png",
    }
    # The map shows each course's badge on its stop.
    [code] = find(page, class_="stop", data_stop="code")
    [on_map] = [e for e in elements(code) if e.name == "img"]
    assert attr(on_map, "alt") == "Badge: Content Design"
    image = Client().get("/achievements/cscce-cm/CODE/image.png")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"


@pytest.fixture
def certified(import_files: Callable[..., list[str]], settings: Any,
              tmp_path: Any) -> m.Participant:
    settings.DATA_DIR = tmp_path
    data = make_records_file(participant={"id": "P-100", "name": "Rosalind Franklin",
                                          "timezone": "Europe/London"})
    import_files(data)
    run_ready_tasks()
    person = m.Participant.objects.get(public_id="P-100")
    give_login(person, "rosalind", "rosalind-password-1", Actor("test"))
    return person


# Transactional: the worker that signs the credentials closes the connection it ran on.
@pytest.mark.django_db(transaction=True)
def test_a_certified_participant_sees_the_certificate_first_and_no_deadline_card(
    certified: m.Participant,
) -> None:
    html = signed_in("rosalind", "rosalind-password-1").get("/participants/P-100/")
    body = html.content.decode()
    page = parse_html(body)
    final = certified.credentials.get(achievement="cscce-cm")
    [block] = find(page, data_certificate="")
    assert attr(block, "data-next") == "certified"
    words = " ".join(text(block).split())
    assert "You are certified since Thu 1 Aug 2024" in words
    assert "CSCCE-certified scientific community manager, Thu 1 Aug 2024" in words
    links = {attr(a, "href") for a in elements(block) if a.name == "a"}
    assert f"/credentials/{final.pk}/certificate.pdf" in links
    [picture] = [e for e in elements(block) if e.name == "img"]
    assert attr(picture, "alt") == "Badge: CSCCE-certified scientific community manager"
    assert attr(picture, "src") == "/achievements/cscce-cm/cscce-cm/image.png"
    # First: before the journey map and everything else; the deadline is only a small note.
    assert body.index("data-certificate") < body.index("data-journey")
    assert 'id="deadline-h"' not in body
    [end] = find(page, data_journey_end="")
    assert "Certified" in text(end)
    assert "deadline Sun 31 Aug 2025" in " ".join(text(end).split())


def test_a_participant_still_on_the_way_has_no_certificate_block(
    grace: m.Participant, grace_client: Client,
) -> None:
    body = grace_client.get("/participants/P-002/").content.decode()
    assert "data-certificate" not in body
    assert 'id="deadline-h"' in body


def test_the_records_name_each_component_and_say_what_the_graduation_rule_decided(
    grace: m.Participant, grace_client: Client,
) -> None:
    page = progress(grace_client, "P-002")
    [table] = find(page, class_="records")
    rows = [[" ".join(text(td).split()) for td in tr.children if isinstance(td, Element)]
            for tr in elements(table) if tr.name == "tr"]
    # CODE was recorded with attendance and an assessment: the rule passed it.
    assert ["Tue 5 Dec 2023", "Content Design CODE", "passed",
            "attended 11 of 12; final-deliverable passed"] in rows
    assert ["Thu 21 Sep 2023", "Orientation ORIENT", "attended", ""] in rows


def test_a_plan_step_past_the_deadline_is_marked(
    grace: m.Participant, grace_client: Client, publish_run: Callable[..., Offering],
) -> None:
    # Grace's deadline is 30 Sep 2027; a PBK run ending after it is the only one.
    run = publish_run("PBK-LATE", "PBK", starts_on=dt.date(2027, 9, 1))
    take_seat(grace, run, Actor("grace"))
    page = progress(grace_client, "P-002")
    [held] = find(page, data_offering="PBK-LATE")
    assert "after the deadline" in text(held)


def test_a_withdrawn_participants_map_says_what_was_not_done_and_when_they_left(
    import_files: Callable[..., list[str]], publish_run: Callable[..., Offering],
) -> None:
    publish_run("PBK-A", "PBK", starts_in=30)
    data = make_records_file([{"component": "ORIENT", "date": "2025-10-01",
                               "outcome": "attended"}],
                             enrolled_on="2025-10-01", withdrawn_on="2026-01-15",
                             participant={"id": "P-200", "name": "Mae Jemison",
                                          "timezone": "UTC"})
    import_files(data)
    person = m.Participant.objects.get(public_id="P-200")
    give_login(person, "mae", "mae-password-1", Actor("test"))
    body = signed_in("mae", "mae-password-1").get("/participants/P-200/").content.decode()
    page = parse_html(body)
    [pbk] = find(page, class_="stop", data_stop="pbk")
    assert "Not done" in text(pbk)
    assert not find(pbk, data_item_state="planned")  # nothing is planned for someone gone
    assert not find(page, **{"aria-current": "step"})
    [end] = find(page, data_journey_end="")
    assert "withdrew Thu 15 Jan 2026" in " ".join(text(end).split())
    assert "tell us the times you could make" not in body
