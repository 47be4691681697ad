"""Staff move a participant to another version of their program: the page shows both
audits side by side first; the move is one audited action, refused with a reason naming
what is wrong (nothing changed) for the same version, another program, records the target
cannot hold, or seats on the old version's runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.actions import file_library, sync_programs
from pathwise.catalog.models import Offering
from pathwise.enrollment.actions import take_seat
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants import models as m
from pathwise.participants.actions import give_login
from pathwise.standing.models import StandingRow
from tests.builders import ada_file, version_with_three_shares
from tests.cli.conftest import SECOND_PROGRAMS_DIR
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

PAGE = "/staff/participants/{}/version/"


@pytest.fixture
def version_2026(tmp_path: Path, db: None) -> Path:
    """A version 2026 needing three skills shares, synced from its own folder."""
    folder = tmp_path / "programs"
    folder.mkdir()
    (folder / "2026.toml").write_text(version_with_three_shares("2026"), encoding="utf-8")
    sync_programs(Actor("test"), file_library([folder]))
    return folder


@pytest.fixture
def ada(import_files: Callable[..., list[str]]) -> m.Participant:
    """Ada with an e-mail address, so that the move tells her."""
    data = ada_file()
    data["participant"]["email"] = "ada@example.org"
    import_files(data)
    participant = m.Participant.objects.get(public_id="P-001")
    give_login(participant, "ada", "ada-password-1", Actor("test"))
    return participant


@pytest.fixture
def staff_client(staff: Any) -> Client:
    return signed_in("sam", "staff-password-1")


def version_of(public_id: str) -> str:
    return m.Enrollment.objects.get(participant__public_id=public_id).program_version.version


def test_the_page_shows_both_audits_side_by_side_then_the_move_is_made_and_recorded(
        ada: m.Participant, version_2026: Path, staff_client: Client) -> None:
    page = staff_client.get(PAGE.format("P-001"), {"to": "2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Version 2023 (now)" in html
    assert "Version 2026" in html
    row = html[html.index('data-requirement="skills-share"'):]
    row = row[:row.index("</tr>")]
    assert "data-changes" in row
    assert "Three Quarterly Skills Shares" in row
    assert "Not yet met (1 of 2)" in row
    assert "Not yet met (1 of 3)" in row
    assert "data-move" in html

    moved = staff_client.post(PAGE.format("P-001"), {"version": "2026"})
    assert moved.status_code == 302
    assert moved["Location"] == "/participants/P-001/"
    assert version_of("P-001") == "2026"
    entry = AuditEntry.objects.get(action="enrollment.version_moved")
    assert (entry.actor_label, entry.target_id) == ("sam", "P-001")
    assert (entry.old_value, entry.new_value) == ({"program": "cscce-cm", "version": "2023"},
                                      {"program": "cscce-cm", "version": "2026"})
    assert "Three Quarterly Skills Shares" in StandingRow.objects.get(participant=ada).left
    assert DBTaskResult.objects.filter(
        task_path="pathwise.credentials.tasks.issue_credentials").exists()
    progress = staff_client.get("/participants/P-001/").content.decode()
    assert "version 2026" in progress


# Transactional: the worker that sends the e-mail closes its connection.
@pytest.mark.django_db(transaction=True)
def test_the_participant_is_told_of_the_move(ada: m.Participant, staff_client: Client) -> None:
    assert staff_client.post(PAGE.format("P-001"), {"version": "2025"}).status_code == 302
    run_ready_tasks()
    assert [message.subject for message in mail.outbox] == [
        "Your program is now cscce-cm version 2025"]
    assert mail.outbox[0].to == ["ada@example.org"]


def test_the_participants_page_links_staff_to_the_move_and_nobody_else(
        ada: m.Participant, staff_client: Client) -> None:
    assert PAGE.format("P-001") in staff_client.get("/participants/P-001/").content.decode()
    own = signed_in("ada", "ada-password-1")
    assert PAGE.format("P-001") not in own.get("/participants/P-001/").content.decode()
    assert own.get(PAGE.format("P-001")).status_code == 403
    assert own.post(PAGE.format("P-001"), {"version": "2025"}).status_code == 403
    assert version_of("P-001") == "2023"


def test_without_a_choice_the_page_previews_the_newest_other_version(
        ada: m.Participant, staff_client: Client) -> None:
    html = staff_client.get(PAGE.format("P-001")).content.decode()
    assert '<option value="2025" selected>' in html
    assert "Elective course (NOC, COP or EVAL)" in html


def refused_on_the_page(client: Client, public_id: str, version: str, message: str) -> None:
    before = version_of(public_id)
    entries = AuditEntry.objects.count()
    response = client.post(PAGE.format(public_id), {"version": version})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert version_of(public_id) == before
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize(("version", "message"), [
    ("2023", "P-001 is already on cscce-cm 2023"),
    ("", "say which version to move to"),
    ("2099", "cscce-cm has no version &#x27;2099&#x27; (its versions: 2023, 2025"),
    ("../../x", "is not a program version such as 2025"),
    ("x" * 500, "is not a program version such as 2025"),
    ("field-facilitator/2025.1", "a version move stays within the program"),
])
def test_a_move_that_is_no_move_is_refused_naming_why(
        version: str, message: str, ada: m.Participant, staff_client: Client) -> None:
    sync_programs(Actor("test"), file_library([SECOND_PROGRAMS_DIR]))
    refused_on_the_page(staff_client, "P-001", version, message)


def test_records_the_target_cannot_hold_are_refused_naming_the_record(
        import_files: Callable[..., list[str]], staff: Any, staff_client: Client) -> None:
    data = ada_file("P-003", "Mary Somerville", program_version="2025")
    data["records"].append({"component": "EVAL", "date": "2024-09-01", "outcome": "passed"})
    import_files(data)
    refused_on_the_page(staff_client, "P-003", "2023",
                        "the records do not validate: P-003&#x27;s records under cscce-cm "
                        "2023: records[6].component: unknown component &#x27;EVAL&#x27;")
    page = staff_client.get(PAGE.format("P-003"), {"to": "2023"}).content.decode()
    assert "This move cannot be made" in page
    assert "data-move" not in page


def test_a_seat_on_a_run_of_the_old_version_blocks_the_move(
        grace: m.Participant, publish_run: Callable[..., Offering],
        staff_client: Client) -> None:
    take_seat(grace, publish_run("QSS-V", "QSS", starts_in=30), Actor("test"))
    refused_on_the_page(staff_client, "P-002", "2025",
                        "P-002 holds a seat or waitlist place on QSS-V, run(s) of version 2023")
