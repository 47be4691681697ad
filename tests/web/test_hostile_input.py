"""Hostile or careless input through HTTP, import and export: refused at the door, never a 500.

The NUL-byte cases matter on PostgreSQL, which cannot hold a NUL in a string:
without the shared refusal they reached a query there and failed with a 500
(on SQLite they quietly found nothing). The suite runs on both.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.actions import publish_intake, publish_offering, sync_programs
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.cli import main
from pathwise.core.errors import PathwiseError
from pathwise.credentials.actions import issue_earned
from pathwise.participants import models as m
from pathwise.site.downloads import download
from tests.builders import ada_file, make_records_file
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def one_line_refusal(capsys: Any, command: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    assert err.startswith(f"pathwise {command}: ")
    return err


# -- identifiers -------------------------------------------------------------------


@pytest.mark.parametrize(("participant_id", "name"), [
    ("../../x", "Ada Lovelace"), ("..", "Ada Lovelace"), ("P-001", "Ada\x00Lovelace"),
    ("P-001", "Ada\r\nBcc: eve@example.org"),
])
def test_import_refuses_ids_and_names_that_would_break_files_and_headers(
    tmp_path: Path, capsys: Any, participant_id: str, name: str,
) -> None:
    data = ada_file(participant_id, name)
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["import", str(path)]) == 2
    line = one_line_refusal(capsys, "import")
    assert "participant.id" in line or "participant.name" in line
    assert not m.Participant.objects.exists()


@pytest.mark.parametrize("top", [{"enrolled_on": "9999-12-31", "records": []},
                                 {"deadline_extended_to": "9999-12-31"}])
def test_a_far_date_is_refused_at_import_and_the_staff_list_keeps_working(
    tmp_path: Path, capsys: Any, staff: Any, top: dict[str, Any],
) -> None:
    path = tmp_path / "far.json"
    path.write_text(json.dumps(make_records_file(**top)), encoding="utf-8")
    assert main(["import", str(path)]) == 2
    assert "9999-12-31 is outside the plausible range" in one_line_refusal(capsys, "import")
    assert signed_in("sam", "staff-password-1").get("/staff/participants/").status_code == 200


def _stored_before_the_rule(public_id: str) -> None:
    """A participant row holding an id from before ids were checked at the door."""
    sync_programs(Actor("test"))
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    participant = m.Participant.objects.create(public_id=public_id, name="Eve",
                                               timezone="UTC", updated_by="legacy")
    m.Enrollment.objects.create(participant=participant, program_version=version,
                                enrolled_on=dt.date(2024, 1, 10), updated_by="legacy")


def test_export_never_writes_outside_its_folder_even_for_an_old_hostile_id(
    tmp_path: Path, capsys: Any,
) -> None:
    key = tmp_path / "keys" / "1.json"
    key.parent.mkdir()
    key.write_text("the signing key", encoding="utf-8")
    _stored_before_the_rule("../keys/1")
    out = tmp_path / "out"

    assert main(["export", "--out", str(out)]) == 2

    assert "participant id '../keys/1' is not an identifier" in one_line_refusal(
        capsys, "export")
    assert key.read_text(encoding="utf-8") == "the signing key"
    assert list(out.iterdir()) == []


def test_export_refuses_a_link_in_its_folder_that_leads_elsewhere(
    tmp_path: Path, capsys: Any, import_files: Callable[..., list[str]],
) -> None:
    import_files(ada_file())
    key = tmp_path / "signing-key.json"
    key.write_text("the signing key", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "P-001.json").symlink_to(key)

    assert main(["export", "--out", str(out)]) == 2

    assert "leads outside the folder" in one_line_refusal(capsys, "export")
    assert key.read_text(encoding="utf-8") == "the signing key"


def test_export_to_a_folder_that_cannot_be_made_is_one_line(
    tmp_path: Path, capsys: Any, import_files: Callable[..., list[str]],
) -> None:
    import_files(ada_file())
    taken = tmp_path / "a-file"
    taken.write_text("", encoding="utf-8")
    assert main(["export", "--out", str(taken / "out")]) == 2
    assert "cannot write" in one_line_refusal(capsys, "export")


@pytest.mark.parametrize("argv", [
    ["export", "--participant", "../x"], ["enroll", "../x", "CODE30W"],
    ["enroll", "P-001", "CODE 30W"],
])
def test_identifiers_given_on_the_command_line_are_checked_first(
    capsys: Any, argv: list[str],
) -> None:
    assert main(argv) == 2
    assert "is not an identifier" in one_line_refusal(capsys, argv[0])


def test_the_catalogue_actions_refuse_bad_codes_and_far_dates() -> None:
    sync_programs(Actor("test"))
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    run = {"component": "MW-ROLES", "starts_on": dt.date(2030, 3, 6),
           "ends_on": dt.date(2030, 3, 6), "capacity": 20, "meeting_days": ["WE"],
           "meeting_time": dt.time(16), "meeting_minutes": 90, "timezone": "Europe/London"}
    with pytest.raises(PathwiseError, match=r"offering '\.\./x': code: '\.\./x' is not an id"):
        publish_offering(Actor("sam"), version, "../x", **run)
    with pytest.raises(PathwiseError, match="private_to: 'Acme\\\\r\\\\n' contains a control"):
        publish_offering(Actor("sam"), version, "MW-ROLES-30", **run, private_to="Acme\r\n")
    with pytest.raises(PathwiseError, match="starts_on: 9999-12-31 is outside the plausible"):
        publish_offering(Actor("sam"), version, "MW-ROLES-30",
                         **{**run, "starts_on": dt.date(9999, 12, 31),
                            "ends_on": dt.date(9999, 12, 31)})
    with pytest.raises(PathwiseError, match="intake 'CERT 30': 'CERT 30' is not an identifier"):
        publish_intake(Actor("sam"), version, "CERT 30", dt.date(2030, 1, 7))
    with pytest.raises(PathwiseError, match="intake 'CERT30': 0001-01-01 is outside"):
        publish_intake(Actor("sam"), version, "CERT30", dt.date(1, 1, 1))
    assert not Offering.objects.exists()
    assert not AuditEntry.objects.filter(action__endswith=".published").exists()


# -- NUL bytes and other control characters in addresses -----------------------------


@pytest.mark.parametrize("url", [
    "/participants/%00/", "/staff/participants/?status=%00", "/staff/demand/?zone=UTC%00",
    "/catalogue/?component=%00", "/catalogue/?component=PBK&%00=1", "/calendar/%00.ics",
    "/staff/catalogue/?x=%0d%0aSet-Cookie:%20a=b", "/credentials/%00",
])
def test_a_control_character_in_an_address_is_a_400_not_a_500(
    ada: m.Participant, staff: Any, url: str,
) -> None:
    for client in (signed_in("ada", "ada-password-1"), signed_in("sam", "staff-password-1"),
                   Client()):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "control character" in response.content.decode()


@pytest.mark.parametrize("url", ["/participants/../", "/participants/..%2Fx/",
                                 "/participants/P%20001/", f"/participants/{'x' * 41}/"])
def test_an_address_naming_what_cannot_exist_is_a_404(staff: Any, url: str) -> None:
    assert signed_in("sam", "staff-password-1").get(url).status_code == 404


# -- the staff meeting form ----------------------------------------------------------


@pytest.mark.parametrize(("date", "words"), [
    ("9999-12-31", "9999-12-31 is outside the plausible range 1900-01-01 to 2200-12-31"),
    ("0001-01-01", "0001-01-01 is outside the plausible range"),
    ("2030-13-01", "2030-13-01&#x27; is not a date (YYYY-MM-DD)"),
])
def test_the_meeting_form_refuses_a_far_date_and_changes_nothing(
    publish_run: Callable[..., Offering], staff: Any, date: str, words: str,
) -> None:
    run = publish_run("PBK30", "PBK", starts_on=dt.date(2030, 1, 8))
    client = signed_in("sam", "staff-password-1")
    for action in ("move", "cancel"):
        response = client.post("/staff/catalogue/PBK30/meeting/",
                               {"date": date, "action": action}, follow=True)
        assert response.status_code == 200
        assert words in response.content.decode()
    run.refresh_from_db()
    assert (run.cancelled, run.moved) == ([], [])
    assert not AuditEntry.objects.filter(action__startswith="offering.meeting_").exists()


# -- downloads -----------------------------------------------------------------------


@pytest.fixture
def badge(import_files: Callable[..., list[str]], settings: Any, tmp_path: Path) -> Any:
    settings.DATA_DIR = tmp_path
    import_files(make_records_file(participant={"id": "P-100", "name": "Rosalind Franklin",
                                                "timezone": "Europe/London"}))
    issue_earned(m.Participant.objects.get(public_id="P-100"), timezone.now())
    return m.Participant.objects.get(public_id="P-100").credentials.get(achievement="CODE")


@pytest.mark.parametrize("tail", ["badge.exe", "badge.png%0d%0aSet-Cookie:%20a=b",
                                  "badge.png.html", "badge.", "badge.PNG"])
def test_a_badge_is_only_a_png_or_an_svg(badge: Any, tail: str) -> None:
    assert Client().get(f"/credentials/{badge.pk}/{tail}").status_code in (400, 404)


@pytest.mark.parametrize(("kind", "content_type"), [("png", "image/png"),
                                                    ("svg", "image/svg+xml")])
def test_a_badge_downloads_under_a_safe_name(badge: Any, kind: str, content_type: str) -> None:
    response = Client().get(f"/credentials/{badge.pk}/badge.{kind}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="CODE-P-100.{kind}"'


@pytest.mark.parametrize(("name", "header"), [
    ("x.png\r\nSet-Cookie: a=b", 'attachment; filename="x.png_Set-Cookie_a_b"'),
    ("../../keys/1.json", 'attachment; filename="_.._keys_1.json"'),
    ('a"b.json', 'attachment; filename="a_b.json"'),
    ("Zoë.pdf", 'attachment; filename="Zo_.pdf"'),
    ("", 'attachment; filename="download"'),
])
def test_every_download_name_is_made_safe_in_one_place(name: str, header: str) -> None:
    assert download(b"", content_type="application/octet-stream",
                    filename=name)["Content-Disposition"] == header


def test_a_nul_in_a_posted_form_is_a_400_and_changes_nothing(badge: Any, staff: Any) -> None:
    response = signed_in("sam", "staff-password-1").post(
        f"/staff/credentials/{badge.pk}/", {"action": "revoke", "reason": "issued\x00 in error"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    badge.refresh_from_db()
    assert not badge.revoked
    assert not AuditEntry.objects.filter(action="credential.revoked").exists()


def test_a_session_cookie_with_a_nul_is_ignored_not_a_500(ada: m.Participant) -> None:
    client = Client()
    client.cookies["sessionid"] = "abcdefghijklmnop\x00qrstuvwx"
    assert client.get("/login/").status_code == 200
    assert client.get("/catalogue/").status_code == 302  # to the login page, as for anyone
