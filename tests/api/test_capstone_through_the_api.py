"""The capstone through the API: a multipart upload, the staff queue and the review."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pathwise.auditlog.log import Actor
from pathwise.capstone.models import Submission
from pathwise.participants import models as m
from pathwise.participants.actions import give_login
from pathwise.participants.exports import export_one
from tests.api.conftest import Api, token_for
from tests.builders import ready_for_capstone
from tests.capstone.conftest import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def lin_api(import_files: Callable[..., list[str]], settings: Any, tmp_path: Path) -> Api:
    settings.DATA_DIR = tmp_path
    import_files(ready_for_capstone("P-050", "Lin Chen"))
    participant = m.Participant.objects.get(public_id="P-050")
    give_login(participant, "lin", "lin-password-1", Actor("test"))
    participant.refresh_from_db()
    return Api(token_for(participant.user))


def upload(api: Api, path: str, **fields: Any) -> Any:
    """A real multipart request, with the bearer token."""
    return Client().post(path, fields, HTTP_AUTHORIZATION=f"Bearer {api.token}")


def test_a_file_is_submitted_as_multipart_and_staff_pass_it(lin_api: Api,
                                                             staff_api: Api) -> None:
    before = lin_api.get("/api/v1/participants/P-050/capstone/").json()
    assert (before["state"], before["refusal"], before["submissions"]) == ("open", None, [])
    response = upload(lin_api, "/api/v1/participants/P-050/capstone/", text="A note.",
                      file=SimpleUploadedFile("capstone.pdf", PDF, "application/pdf"))
    assert response.status_code == 201, response.content
    sent = response.json()
    assert sent["file"]["name"] == "capstone.pdf"
    assert sent["file"]["kind"] == "pdf"
    assert (sent["status"], sent["size"]) == ("waiting", len(PDF) + len("A note."))
    queue = staff_api.get("/api/v1/capstone-submissions/").json()["results"]
    assert [q["id"] for q in queue] == [sent["id"]]
    got = Client().get(sent["file"]["url"], HTTP_AUTHORIZATION=f"Bearer {staff_api.token}")
    assert got.content == PDF
    assert got["Content-Disposition"] == 'attachment; filename="capstone.pdf"'
    reviewed = staff_api.post(f"/api/v1/capstone-submissions/{sent['id']}/review/",
                              {"result": "passed", "feedback": "Well done."})
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["status"] == "passed"
    assert export_one("P-050")["records"][-1]["component"] == "CAPSTONE"
    assert staff_api.get("/api/v1/capstone-submissions/").json()["results"] == []
    after = lin_api.get("/api/v1/participants/P-050/capstone/").json()
    assert after["state"] == "passed"
    assert "already passed" in after["refusal"]
    again = staff_api.post(f"/api/v1/capstone-submissions/{sent['id']}/review/",
                           {"result": "passed"})
    assert again.status_code == 422
    assert "already reviewed" in again.json()["detail"]


def test_json_text_only_and_needs_changes(lin_api: Api, staff_api: Api) -> None:
    sent = lin_api.post("/api/v1/participants/P-050/capstone/", {"text": "Draft."}).json()
    no_feedback = staff_api.post(f"/api/v1/capstone-submissions/{sent['id']}/review/",
                                 {"result": "needs_changes"})
    assert no_feedback.status_code == 422
    assert no_feedback.json()["errors"][0]["field"] == "feedback"
    staff_api.post(f"/api/v1/capstone-submissions/{sent['id']}/review/",
                   {"result": "needs_changes", "feedback": "More, please."})
    state = lin_api.get("/api/v1/participants/P-050/capstone/").json()
    assert state["state"] == "open"
    assert state["submissions"][0]["feedback"] == "More, please."
    assert lin_api.post("/api/v1/participants/P-050/capstone/",
                        {"text": "Final."}).status_code == 201
    assert Submission.objects.count() == 2


@pytest.mark.parametrize(("fields", "field", "says"), [
    ({"text": ""}, "text", "the submission is empty"),
    ({"file": ("fake.pdf", b"\x00\x01binary")}, "file", "not a file we accept"),
    ({"file": ("x.docx", b"PK\x03\x04broken")}, "file", "not a file we accept"),
])
def test_bad_uploads_are_problems_and_nothing_is_saved(
        lin_api: Api, fields: dict[str, Any], field: str, says: str) -> None:
    if "file" in fields:
        fields = {"file": SimpleUploadedFile(*fields["file"])}
    response = upload(lin_api, "/api/v1/participants/P-050/capstone/", **fields)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field
    assert says in response.json()["detail"]
    assert not Submission.objects.exists()


def test_not_yet_eligible_is_a_problem(grace_api: Api) -> None:
    state = grace_api.get("/api/v1/participants/P-002/capstone/").json()
    assert state["state"] == "closed"
    response = grace_api.post("/api/v1/participants/P-002/capstone/", {"text": "Hello"})
    assert response.status_code == 422
    assert "may be submitted once" in response.json()["detail"]


def test_a_file_over_the_limit_and_a_missing_submission(lin_api: Api, staff_api: Api,
                                                       settings: Any) -> None:
    settings.CAPSTONE_MAX_BYTES = 1000
    response = upload(lin_api, "/api/v1/participants/P-050/capstone/",
                      file=SimpleUploadedFile("big.md", b"#" * 1001))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"
    assert "at most 1000 bytes" in response.json()["detail"]
    assert not Submission.objects.exists()
    for missing in ("99999", "abc"):
        got = staff_api.post(f"/api/v1/capstone-submissions/{missing}/review/",
                             {"result": "passed"})
        assert got.status_code == 404
