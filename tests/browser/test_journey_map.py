"""The journey map in a real browser: one line on a desktop, one column on a phone, arrows
between the boxes, an ordered list to a screen reader; badge pictures; certificate first."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.core.when import day_text
from pathwise.enrollment.actions import take_seat
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants import models as m
from pathwise.participants.actions import give_login
from tests.browser.conftest import sign_in
from tests.browser.test_page_gate import AXE, check_page
from tests.builders import make_records_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAIN = "The main line, in order"


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def held_pbk(grace: m.Participant, publish_run: Callable[..., Offering]) -> Offering:
    run = publish_run("PBK-A", "PBK", starts_in=30)
    take_seat(grace, run, Actor("grace"))
    return run


def arrows(page: Any, side: str) -> list[tuple[float, float, float]]:
    """Per box after the first (and the deadline): where its arrow starts and ends, and where
    the box starts, along `side` ("left" across a desktop, "top" down a phone)."""
    return page.eval_on_selector_all("ol.map-main > li + li, [data-journey-end]", """
        (els, side) => els.map(e => {
          const across = side === 'left', px = v => parseFloat(v);
          const box = e.getBoundingClientRect(), own = getComputedStyle(e);
          const inner = box[side] + px(across ? own.borderLeftWidth : own.borderTopWidth);
          const along = p => {
            const s = getComputedStyle(e, p), start = inner + px(s[side]);
            const size = across
              ? px(s.width) + px(s.borderLeftWidth) + px(s.borderRightWidth)
              : px(s.height) + px(s.borderTopWidth) + px(s.borderBottomWidth);
            return [start, start + size];
          };
          const [a, b] = along('::before'), [c, d] = along('::after');
          return [Math.min(a, c), Math.max(b, d), box[side]];
        })""", side)


def boxes(page: Any) -> list[dict[str, float]]:
    return page.eval_on_selector_all(
        "ol.map-main > li", "els => els.map(e => e.getBoundingClientRect().toJSON())")


def test_a_screen_reader_hears_the_main_line_as_an_ordered_list_with_the_current_step(
    desktop: Any, live_server: Any, held_pbk: Offering,
) -> None:
    sign_in(desktop, live_server.url, "grace", "grace-password-1")
    line = desktop.get_by_role("list", name=MAIN)
    assert line.evaluate("e => e.tagName") == "OL"
    items = line.locator(":scope > li")
    assert items.count() == 6
    tree = line.aria_snapshot()
    # In order, each with its state and dates in words.
    for text in ("Orientation", "Done", "CODE course", "Content Design",
                 "passed Tue 5 Dec 2023", "PBK course", "Enrolled",
                 f"enrolled in PBK-A: {day_text(held_pbk.starts_on)} \N{EN DASH} "
                 f"{day_text(held_pbk.ends_on)}", "Capstone"):
        assert text in tree, text
    assert tree.index("CODE course") < tree.index("PBK course") < tree.index("Capstone")
    current = desktop.locator('[aria-current="step"]')
    assert current.count() == 1
    assert current.get_attribute("data-stop") == "pbk"
    assert current.locator(".stop-now").inner_text() == "You are here"
    # No arrow characters for a screen reader to read out.
    assert "→" not in line.inner_text()
    rows = desktop.get_by_role("list", name="Alongside the main line")
    assert rows.locator(":scope > li").count() == 3
    assert "Six mini-workshops" in rows.aria_snapshot()


def test_on_a_desktop_the_main_line_is_one_row_ending_at_the_deadline_with_arrows_between(
    desktop: Any, live_server: Any, held_pbk: Offering,
) -> None:
    sign_in(desktop, live_server.url, "grace", "grace-password-1")
    rects = boxes(desktop)
    assert len({round(r["top"]) for r in rects}) == 1  # one line, nothing wrapped
    assert [r["left"] for r in rects] == sorted(r["left"] for r in rects)
    end = desktop.locator("[data-journey-end]")
    end_box = end.bounding_box()
    assert round(end_box["y"]) == round(rects[0]["top"])  # the deadline on the same line
    assert end_box["x"] > rects[-1]["right"]
    assert "Deadline" in end.inner_text()
    assert "Thu 30 Sep 2027" in end.inner_text()
    # Every arrow, line and head, lies in the gap before its box, not inside either box.
    for (left, right, box), before in zip(arrows(desktop, "left"), [r["right"] for r in rects],
                                          strict=True):
        assert before < left < right < box


def test_on_a_phone_the_map_is_one_column_that_fits_and_passes_axe(
    page: Any, live_server: Any, held_pbk: Offering, browser: Any,
) -> None:
    sign_in(page, live_server.url, "grace", "grace-password-1")
    rects = boxes(page)
    assert len({round(r["left"]) for r in rects}) == 1
    assert all(a["bottom"] < b["top"] for a, b in itertools.pairwise(rects))
    end_box = page.locator("[data-journey-end]").bounding_box()
    assert end_box["y"] > rects[-1]["bottom"]
    for (top, bottom, box), before in zip(arrows(page, "top"), [r["bottom"] for r in rects],
                                          strict=True):
        assert before < top < bottom < box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: the test command installs it with npm ci")
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    checked = context.new_page()
    sign_in(checked, live_server.url, "grace", "grace-password-1")
    assert check_page(checked, f"{live_server.url}/participants/P-002/") == []
    context.close()


def test_badges_earned_are_pictures_that_load_with_alt_text(
    desktop: Any, live_server: Any, grace: m.Participant,
) -> None:
    sign_in(desktop, live_server.url, "grace", "grace-password-1")
    for name in ("Content Design", "Nurturing and Stewarding Engaged Online Communities"):
        pictures = desktop.get_by_role("img", name=f"Badge: {name}")
        assert pictures.count() == 2  # on the map's stop, and among the badges earned
        for index in range(2):
            picture = pictures.nth(index)
            picture.scroll_into_view_if_needed()
            assert picture.evaluate("img => img.complete && img.naturalWidth") > 0


@pytest.fixture
def rosalind(import_files: Callable[..., list[str]], settings: Any,
             tmp_path: Any) -> m.Participant:
    settings.DATA_DIR = tmp_path
    import_files(make_records_file(participant={"id": "P-100", "name": "Rosalind Franklin",
                                                "timezone": "Europe/London"}))
    run_ready_tasks()
    person = m.Participant.objects.get(public_id="P-100")
    give_login(person, "rosalind", "rosalind-password-1", Actor("test"))
    return person


@pytest.mark.parametrize("width", [1280, 390])
def test_a_certified_participant_sees_the_certificate_first(
    browser: Any, live_server: Any, rosalind: m.Participant, width: int,
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    sign_in(page, live_server.url, "rosalind", "rosalind-password-1")
    block = page.locator("[data-certificate]")
    box = block.bounding_box()
    assert box["y"] + min(box["height"], 300) < 800  # on the first screen
    assert block.get_by_role("heading").first.inner_text() == "Your certificate"
    download = block.get_by_role("link", name="Download the certificate (PDF)")
    assert download.is_visible()
    final = rosalind.credentials.get(achievement="cscce-cm")
    assert download.get_attribute("href") == f"/credentials/{final.pk}/certificate.pdf"
    picture = block.get_by_role("img", name="Badge: CSCCE-certified scientific community manager")
    assert picture.evaluate("img => img.complete && img.naturalWidth") > 0
    # The deadline is past and met: a small note at the end of the map, not a card.
    assert page.get_by_role("heading", name="Deadline").count() == 0
    assert box["y"] < page.locator("[data-journey]").bounding_box()["y"]
    assert "Certified" in page.locator("[data-journey-end]").inner_text()
    assert page.locator('[aria-current="step"]').count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
