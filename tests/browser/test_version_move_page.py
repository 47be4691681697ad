"""In a real browser: a second program version is synced from a folder, and staff move a
participant to it after reading the two audits side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pathwise.auditlog.models import AuditEntry
from pathwise.cli import main
from pathwise.participants import models as m
from tests.browser.conftest import sign_in
from tests.builders import version_with_three_shares

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_sync_a_version_from_a_folder_compare_and_move_a_participant_to_it(
    page: Any, live_server: Any, ada: m.Participant, staff: Any, *, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "programs"
    folder.mkdir()
    (folder / "cscce-cm-2026.toml").write_text(version_with_three_shares("2026"),
                                               encoding="utf-8")
    monkeypatch.setenv("PATHWISE_PROGRAMS_DIR", str(folder))
    assert main(["programs", "sync", "--actor", "ops"]) == 0

    sign_in(page, live_server.url, "sam", "staff-password-1")
    page.goto(f"{live_server.url}/participants/P-001/")
    page.get_by_role("link", name="Move to another program version").click()
    page.get_by_label("Version to move to").select_option("2026")
    page.get_by_role("button", name="Show what the move changes").click()

    share = page.locator('[data-requirement="skills-share"]')
    assert "changes" in share.inner_text()
    cells = share.locator("td")
    assert "Not yet met (1 of 2)" in cells.nth(0).inner_text()
    assert "Not yet met (1 of 3)" in cells.nth(1).inner_text()
    assert "Three Quarterly Skills Shares" in share.inner_text()
    summary = page.locator("[data-summary]").inner_text()
    assert "Version 2023 (now)" in summary
    assert "Version 2026" in summary

    page.get_by_role("button", name="Move P-001 to version 2026").click()
    page.wait_for_url(f"{live_server.url}/participants/P-001/")
    assert "P-001 is now on cscce-cm version 2026" in page.inner_text("body")
    assert "version 2026" in page.locator("header.page-head").inner_text()
    assert m.Enrollment.objects.get(participant=ada).program_version.version == "2026"
    assert AuditEntry.objects.filter(action="enrollment.version_moved",
                                     actor_label="sam").exists()
    assert AuditEntry.objects.filter(action="program.loaded", actor_label="ops",
                                     target_id="cscce-cm/2026").exists()
