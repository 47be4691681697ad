"""The API's version move: a staff preview of both audits, and the move (problems as
problem+json, nothing changed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import file_library, sync_programs
from pathwise.participants import models as m
from tests.api.conftest import Api
from tests.builders import version_with_three_shares

pytestmark = pytest.mark.django_db


@pytest.fixture
def version_2026(tmp_path: Path, db: None) -> None:
    folder = tmp_path / "programs"
    folder.mkdir()
    (folder / "2026.toml").write_text(version_with_three_shares("2026"), encoding="utf-8")
    sync_programs(Actor("test"), file_library([folder]))


def version_of(public_id: str) -> str:
    return m.Enrollment.objects.get(participant__public_id=public_id).program_version.version


def test_the_api_previews_both_audits_and_moves(
        ada: m.Participant, version_2026: None, staff_api: Api) -> None:
    preview = staff_api.get("/api/v1/participants/P-001/version-preview/", {"to": "2026"})
    assert preview.status_code == 200, preview.content
    data = preview.json()
    assert data["allowed"] is True
    assert (data["current"]["program_version"], data["target"]["program_version"]) == (
        "2023", "2026")
    share = next(r for r in data["requirements"] if r["id"] == "skills-share")
    assert share["changes"] is True
    assert (share["current"]["progress"], share["target"]["progress"]) == (
        {"done": 1, "of": 2}, {"done": 1, "of": 3})
    moved = staff_api.post("/api/v1/participants/P-001/version/", {"version": "2026"})
    assert moved.status_code == 200, moved.content
    assert moved.json()["program_version"] == "2026"
    assert version_of("P-001") == "2026"


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"version": "2023"}, 422, "P-001 is already on cscce-cm 2023"),
    ({"version": "2099"}, 422, "cscce-cm has no version '2099'"),
    ({}, 400, "version"),
    ({"version": "a\nb"}, 400, "version"),
])
def test_the_api_refuses_a_bad_move_as_a_problem_and_changes_nothing(
        body: dict[str, Any], status: int, message: str, ada: m.Participant,
        staff_api: Api) -> None:
    response = staff_api.post("/api/v1/participants/P-001/version/", body)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert message in json.dumps(response.json())
    assert version_of("P-001") == "2023"


def test_the_api_preview_needs_a_target(ada: m.Participant, staff_api: Api) -> None:
    response = staff_api.get("/api/v1/participants/P-001/version-preview/")
    assert response.status_code == 400
    assert "?to=2025" in response.json()["detail"]
