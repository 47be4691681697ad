"""In a real browser: a participant sends their capstone as a file from their page; staff
find it in the queue, download it and pass it; the capstone record is on the participant's
page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
from pathwise.participants import models as m
from pathwise.participants.actions import give_login
from tests.browser.conftest import sign_in
from tests.builders import ready_for_capstone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAPSTONE = b"# What the program changed\n\nOur community call doubled in a year.\n"


def test_a_participant_sends_a_file_and_staff_pass_it(
    page: Any, live_server: Any, *, staff: Any, settings: Any, tmp_path: Path,
    import_files: Callable[..., list[str]],
) -> None:
    settings.DATA_DIR = tmp_path
    import_files(ready_for_capstone("P-050", "Lin Chen"))
    give_login(m.Participant.objects.get(public_id="P-050"), "lin", "lin-password-1",
               Actor("test"))
    upload = tmp_path / "my capstone.md"
    upload.write_bytes(CAPSTONE)

    sign_in(page, live_server.url, "lin", "lin-password-1")
    section = page.locator("[data-capstone]")
    assert section.get_attribute("data-capstone") == "open"
    section.get_by_label("A file (optional)").set_input_files(str(upload))
    section.get_by_label("Your capstone (or a note about the file)").fill("My reflection.")
    section.get_by_role("button", name="Send my capstone for review").click()
    page.wait_for_url(f"{live_server.url}/participants/P-050/")
    assert page.locator("[data-capstone]").get_attribute("data-capstone") == "waiting"
    assert "waiting for review" in page.locator("[data-capstone]").inner_text()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "sam", "staff-password-1")
    page.get_by_role("link", name="Capstones", exact=True).click()
    page.wait_for_url(f"{live_server.url}/staff/capstones/")
    page.get_by_role("link", name="Lin Chen").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="my capstone.md").click()
    assert Path(download.value.path()).read_bytes() == CAPSTONE
    assert download.value.suggested_filename == "my_capstone.md"
    page.get_by_label("Passed: record the capstone as passed today").check()
    page.get_by_label("Feedback the participant reads").fill("Thoughtful and concrete.")
    page.get_by_role("button", name="Save the review").click()
    page.wait_for_url(f"{live_server.url}/staff/capstones/")
    assert "Nothing is waiting for review." in page.inner_text("main")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "lin", "lin-password-1")
    assert page.locator("[data-capstone]").get_attribute("data-capstone") == "passed"
    requirement = page.locator('[data-requirement="capstone"]')
    assert "Met" in requirement.inner_text()
    records = page.locator("table.records").inner_text()
    assert "Capstone" in records
    assert "passed" in records
    page.get_by_role("link", name="Every submission and review (1)").click()
    assert "Thoughtful and concrete." in page.inner_text("main")
