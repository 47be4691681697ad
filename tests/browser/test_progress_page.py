"""A participant signs in with a real browser and sees their progress; others' pages are refused."""

from __future__ import annotations

from typing import Any

import pytest

from pathwise.participants import models as m
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_participant_signs_in_and_sees_their_requirements(
    page: Any, live_server: Any, ada: m.Participant
) -> None:
    sign_in(page, live_server.url, "ada", "ada-password-1")

    assert page.url == f"{live_server.url}/participants/P-001/"
    assert page.get_by_role("heading", name="Ada Lovelace").is_visible()
    requirements = page.locator("[data-requirement]")
    assert requirements.count() == 9
    mini = page.locator('[data-requirement="mini-workshops"]')
    assert "Not yet met" in mini.inner_text()
    assert "1 of 6 distinct mini-workshops: MW-CORE-VALUES; 5 more needed." in mini.inner_text()
    assert "Met" in page.locator('[data-requirement="code"]').inner_text()
    assert "Europe/London" in page.locator(".deadline").inner_text()
    # The journey map lists the main path in order.
    main_line = page.get_by_role("list", name="The main line, in order")
    steps = main_line.locator(":scope > li .stop-title").all_inner_texts()
    assert steps[:5] == ["Orientation", "Orientation mini-workshops", "CODE course",
                         "PBK course", "Elective course (NOC or COP)"]
    # Nothing on a phone-width page scrolls sideways except tables in their wrappers.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_second_participants_page_is_refused(
    page: Any, live_server: Any, ada: m.Participant, grace: m.Participant
) -> None:
    sign_in(page, live_server.url, "grace", "grace-password-1")
    response = page.goto(f"{live_server.url}/participants/P-001/")

    assert response.status == 404
    assert "nothing at this address that you can see" in page.inner_text("main")
    assert "Ada Lovelace" not in page.content()


def test_the_sign_in_form_works_from_the_keyboard_alone(
    page: Any, live_server: Any, ada: m.Participant
) -> None:
    page.goto(f"{live_server.url}/login/")
    # The username field takes focus on load, so typing starts there.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_username'")
    page.keyboard.type("ada")
    page.keyboard.press("Tab")
    page.keyboard.type("ada-password-1")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/participants/P-001/")
