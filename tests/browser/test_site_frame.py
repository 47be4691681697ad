"""In a real browser: the sign-in page names the program, every page's footer leads to
verification, and a verified credential says whose it is and when it was earned."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import sync_programs
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants import models as m
from tests.builders import make_records_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sign_in_page_names_the_program(page: Any, live_server: Any) -> None:
    sync_programs(Actor("test"))
    page.goto(f"{live_server.url}/login/")
    named = page.locator("[data-programs]")
    assert named.is_visible()
    assert named.inner_text() == "CSCCE Community Manager Certification Program"
    box = named.bounding_box()
    heading = page.get_by_role("heading", name="Sign in", level=1).bounding_box()
    assert box["y"] < heading["y"]  # above the form, where a visitor looks first
    assert "CSCCE Community Manager Certification Program" in page.title()


@pytest.fixture
def rosalind(import_files: Callable[..., list[str]], settings: Any,
             tmp_path: Any) -> m.Participant:
    settings.DATA_DIR = tmp_path
    import_files(make_records_file(participant={"id": "P-100", "name": "Rosalind Franklin",
                                                "timezone": "America/Los_Angeles"}))
    run_ready_tasks()
    return m.Participant.objects.get(public_id="P-100")


def test_from_any_footer_a_visitor_verifies_a_credential_and_learns_whose_it_is(
    page: Any, live_server: Any, rosalind: m.Participant,
) -> None:
    code = rosalind.credentials.get(achievement="CODE")
    page.goto(f"{live_server.url}/login/")
    page.locator("footer").get_by_role("link", name="Verify a badge or certificate").click()
    page.wait_for_url(f"{live_server.url}/verify/")
    page.get_by_label("Credential JSON").fill(code.document)
    page.get_by_role("button", name="Verify").click()
    verdict = page.locator("[data-verdict]")
    assert verdict.get_attribute("data-verdict") == "valid"
    assert verdict.locator("[data-whose]").inner_text() == (
        "Content Design, earned by Rosalind Franklin on Tue 5 Dec 2023.")
    # The footer of the result page leads back to the same place.
    assert page.locator("footer").get_by_role(
        "link", name="Verify a badge or certificate").get_attribute("href") == "/verify/"
