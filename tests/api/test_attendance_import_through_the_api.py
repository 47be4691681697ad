"""POST a video-call export to a meeting's register: the same JSON as the CLI, refusals named."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pathwise.runs.models import Attendance, RememberedAddress
from tests.api.conftest import token_for
from tests.runs.conftest import EXPORT_DAY, EXPORTS, ExportRun, export_run  # noqa: F401

pytestmark = pytest.mark.django_db

PATH = f"/api/v1/runs/PBK-M/meetings/{EXPORT_DAY}/attendance/import/"


def upload(username: str, name: str, data: bytes | None = None, path: str = PATH,
           **fields: Any) -> Any:
    from django.contrib.auth import get_user_model

    token = token_for(get_user_model().objects.get(username=username))
    content = data if data is not None else (EXPORTS / name).read_bytes()
    return Client().post(path, {"file": SimpleUploadedFile(name, content), **fields},
                         HTTP_AUTHORIZATION=f"Bearer {token}")


def test_an_instructor_imports_a_teams_export_into_their_runs_meeting(
        export_run: ExportRun) -> None:  # noqa: F811
    response = upload("ina", "teams_with_activities.csv")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "offering": "PBK-M", "meeting": "2026-03-11", "format": "teams",
        "present": ["P-001", "P-002"], "absent": ["P-003", "P-004"],
        "unmatched": [{"name": "Guest Viewer", "email": None, "minutes": 11.0}]}
    assert {a.source for a in Attendance.objects.all()} == {"teams"}


def test_a_dry_run_answers_the_same_and_saves_nothing(export_run: ExportRun) -> None:  # noqa: F811
    response = upload("ina", "zoom_with_meeting.csv", dry_run="true")
    assert response.status_code == 200, response.content
    assert response.json()["present"] == ["P-001", "P-002", "P-004"]
    assert not Attendance.objects.exists()


def test_a_file_that_is_not_an_export_is_a_problem_naming_the_file_field(
        export_run: ExportRun) -> None:  # noqa: F811
    response = upload("ina", "report.csv", b"Name (Original Name),User Email\nAda,a@b.org\n")
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["field"], error["rule"]) == ("file", "attendance-export")
    assert "report.csv: line 1: the Zoom participants table has no 'Join time'" in error[
        "message"]
    assert not Attendance.objects.exists()


def test_the_instructor_of_another_run_is_answered_as_if_it_did_not_exist(
        export_run: ExportRun) -> None:  # noqa: F811
    response = upload("ben", "zoom_with_meeting.csv")
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_a_day_the_run_does_not_meet_is_a_problem_naming_the_day(
        export_run: ExportRun) -> None:  # noqa: F811
    path = PATH.replace("2026-03-11", "2026-03-12")
    response = upload("ina", "zoom_with_meeting.csv", path=path)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "day"


def test_an_address_assigned_in_the_request_counts_and_is_remembered_once_saved(
        export_run: ExportRun) -> None:  # noqa: F811
    response = upload("ina", "zoom_with_meeting.csv", assign=["host@example.org=P-003"])
    assert response.status_code == 200, response.content
    assert "P-003" in response.json()["present"]
    assert RememberedAddress.objects.get().participant.public_id == "P-003"
    refused = upload("ina", "zoom_with_meeting.csv", assign=["ada@example.org=P-003"])
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "assign"
