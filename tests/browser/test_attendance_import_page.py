"""In a real browser, on a phone: an instructor imports a Zoom export into a meeting's
register, assigns the host's address to a participant, and saves; the preview passes axe."""

from __future__ import annotations

from typing import Any

import pytest

from pathwise.runs.models import Attendance, RememberedAddress
from tests.browser.conftest import sign_in
from tests.browser.test_page_gate import AXE, WIDTHS, check_page
from tests.runs.conftest import EXPORT_DAY, EXPORTS, ExportRun, export_run  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_instructor_previews_an_export_assigns_an_address_and_saves_the_register(
        browser: Any, live_server: Any, export_run: ExportRun) -> None:  # noqa: F811
    assert AXE.exists(), "the test command installs axe-core with npm ci"
    width, height = WIDTHS["phone"]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server.url, "ina", "ina-password-1")
    page.goto(f"{live_server.url}/runs/PBK-M/meetings/{EXPORT_DAY}/")
    page.get_by_label("Attendance export").set_input_files(EXPORTS / "zoom_with_meeting.csv")
    page.get_by_role("button", name="Preview the register").click()
    page.get_by_role("heading", name="Present (3)").wait_for()
    assert not Attendance.objects.exists()

    preview = f"{live_server.url}/runs/PBK-M/meetings/{EXPORT_DAY}/import/"
    for size in ("phone", "desktop"):
        page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[size], strict=True)))
        assert check_page(page, preview) == [], size
    page.get_by_label("Host Person").select_option("P-003")
    page.get_by_role("button", name="Save this register").click()
    page.get_by_text("meeting is saved from zoom_with_meeting.csv").wait_for()
    assert Attendance.objects.filter(present=True).count() == 4
    assert RememberedAddress.objects.get().email == "host@example.org"
    context.close()
