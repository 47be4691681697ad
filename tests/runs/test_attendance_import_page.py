"""The register page's import: upload an export, preview it, assign addresses, save."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pathwise.runs.models import Attendance, RememberedAddress
from tests.conftest import signed_in
from tests.runs.conftest import EXPORT_DAY, EXPORTS, ExportRun

pytestmark = pytest.mark.django_db

REGISTER = f"/runs/PBK-M/meetings/{EXPORT_DAY}/"
IMPORT = f"/runs/PBK-M/meetings/{EXPORT_DAY}/import/"


def export(name: str = "zoom_with_meeting.csv", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else (EXPORTS / name).read_bytes())


def test_the_register_offers_the_import_form(export_run: ExportRun) -> None:
    page = signed_in("ina", "ina-password-1").get(REGISTER).content.decode()
    assert "Import from a Zoom, Teams or Google Meet export" in page
    assert 'enctype="multipart/form-data"' in page


def test_an_upload_is_previewed_and_nothing_saved_until_confirmed(
        export_run: ExportRun) -> None:
    ina = signed_in("ina", "ina-password-1")
    preview = ina.post(IMPORT, {"export": export()})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Present (3)" in page
    assert "Absent (1)" in page
    assert "host@example.org" in page
    assert "Mystery Guest" in page
    assert "Save this register" in page
    assert not Attendance.objects.exists()
    saved = ina.post(IMPORT, {"action": "save", "assign:host@example.org": "P-003"})
    assert saved.status_code == 302
    assert {a.participant.public_id for a in Attendance.objects.filter(present=True)} == {
        "P-001", "P-002", "P-003", "P-004"}
    assert RememberedAddress.objects.get().participant.public_id == "P-003"
    assert ina.get(IMPORT).status_code == 302  # the upload is forgotten once saved


def test_a_bad_file_shows_why_and_saves_nothing(export_run: ExportRun) -> None:
    ina = signed_in("ina", "ina-password-1")
    response = ina.post(IMPORT, {"export": export("report.csv", b"Name,Email\nAda,a@b.org\n")})
    assert response.status_code == 400
    assert "report.csv" in response.content.decode()
    assert not Attendance.objects.exists()
    assert ina.get(IMPORT).status_code == 302  # and not kept for a save


def test_the_instructor_of_another_run_cannot_import_into_it(export_run: ExportRun) -> None:
    ben = signed_in("ben", "ben-password-1")
    assert ben.post(IMPORT, {"export": export()}).status_code == 404
    assert not Attendance.objects.exists()
