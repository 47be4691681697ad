"""A participant sends in their capstone on their page; staff review it from a queue."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pathwise.auditlog.models import AuditEntry
from pathwise.capstone.models import Submission
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants import models as m
from pathwise.participants.exports import export_one
from pathwise.standing.models import StandingRow
from tests.builders import make_records_file
from tests.capstone.conftest import PDF, docx
from tests.conftest import signed_in
from tests.web.test_not_found_is_the_same import body

pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def send(client: Client, **fields: Any) -> Any:
    return client.post("/participants/P-050/capstone/", fields)


def test_the_progress_page_offers_the_form_once_the_courses_are_complete(
        lin_client: Client) -> None:
    page = lin_client.get("/participants/P-050/").content.decode()
    assert 'data-capstone="open"' in page
    assert 'enctype="multipart/form-data"' in page


def test_a_file_is_sent_with_a_note_and_kept_under_the_data_directory(
        lin_client: Client, tmp_path: Path) -> None:
    response = send(lin_client, text="My reflection on the program.",
                    file=upload("../My capstone.pdf", PDF))
    assert response.status_code == 302
    row = Submission.objects.get()
    assert (row.status, row.file_name, row.file_size, row.file_kind, row.submitted_by) == (
        "waiting", "My capstone.pdf", len(PDF), "pdf", "lin")
    assert (tmp_path / "capstones" / row.file_path).read_bytes() == PDF
    assert not row.file_path.endswith("My capstone.pdf")  # stored under a name of ours
    assert AuditEntry.objects.filter(action="capstone.submitted").count() == 1
    page = lin_client.get("/participants/P-050/").content.decode()
    assert 'data-capstone="waiting"' in page


@pytest.mark.parametrize(("fields", "says"), [
    ({"text": "   "}, "the submission is empty"),
    ({"text": "bell\x07"}, "control character"),
    ({"file": ("notes.pdf", b"MZ\x90\x00binary")}, "not a file we accept"),
    ({"file": ("essay.pdf", b"plain words")}, "plain text by its content"),
    ({"file": ("empty.txt", b"")}, "empty.txt is empty"),
])
def test_bad_submissions_are_refused_and_nothing_is_saved(
        lin_client: Client, tmp_path: Path, fields: dict[str, Any], says: str) -> None:
    if "file" in fields:
        fields = {"file": upload(*fields["file"])}
    response = send(lin_client, **fields)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Submission.objects.exists()
    assert not (tmp_path / "capstones").exists() or not any((tmp_path / "capstones").rglob("*.*"))


def test_a_file_over_the_limit_is_refused(lin_client: Client, settings: Any) -> None:
    settings.CAPSTONE_MAX_BYTES = 1000
    response = send(lin_client, file=upload("big.txt", b"a" * 1001, "text/plain"))
    assert response.status_code == 400
    assert "big.txt is 1001 bytes; at most 1000 bytes" in response.content.decode()
    assert not Submission.objects.exists()


def test_not_before_the_three_courses_are_complete(early: m.Participant) -> None:
    client = signed_in("noor", "noor-password-1")
    page = client.get("/participants/P-051/").content.decode()
    assert 'data-capstone="closed"' in page
    assert "NOC or COP is not complete yet" in page
    response = client.post("/participants/P-051/capstone/", {"text": "Early"})
    assert response.status_code == 400
    assert "may be submitted once" in response.content.decode()
    assert not Submission.objects.exists()


def test_one_waiting_at_a_time(lin_client: Client) -> None:
    assert send(lin_client, text="First").status_code == 302
    response = send(lin_client, text="Second")
    assert response.status_code == 400
    assert "already waiting for review" in response.content.decode()
    assert Submission.objects.count() == 1


def test_only_the_participant_and_staff_may_download_the_file(
        lin_client: Client, staff_client: Client, grace_client: Client) -> None:
    send(lin_client, file=upload("reflection.docx", docx()))
    row = Submission.objects.get()
    for client in (lin_client, staff_client):
        response = client.get(f"/capstones/{row.pk}/file/")
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="reflection.docx"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response.content == docx()
    assert grace_client.get(f"/capstones/{row.pk}/file/").status_code == 404
    assert grace_client.post("/participants/P-050/capstone/", {"text": "x"}).status_code == 404
    assert Client().get(f"/capstones/{row.pk}/file/").status_code == 302  # to sign in


# Transactional: the worker closes its connection after running the tasks (PostgreSQL).
@pytest.mark.django_db(transaction=True)
def test_staff_pass_it_and_it_becomes_the_capstone_record(
        lin_client: Client, staff_client: Client, grace_client: Client) -> None:
    send(lin_client, text="My reflection.", file=upload("reflection.pdf", PDF))
    row = Submission.objects.get()
    assert grace_client.get("/staff/capstones/").status_code == 403
    queue = staff_client.get("/staff/capstones/").content.decode()
    assert f'data-submission="{row.pk}"' in queue
    assert "Lin Chen" in queue
    assert f"{len(PDF) + len('My reflection.')} bytes" in queue
    page = staff_client.get(f"/staff/capstones/{row.pk}/").content.decode()
    assert "reflection.pdf" in page
    assert "My reflection." in page
    mail.outbox.clear()
    response = staff_client.post(f"/staff/capstones/{row.pk}/",
                                 {"result": "passed", "feedback": "Thoughtful."})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.reviewed_by, row.feedback) == ("passed", "sam", "Thoughtful.")
    records = export_one("P-050")["records"]
    today = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=-6))).date()
    assert records[-1]["component"] == "CAPSTONE"
    assert records[-1]["outcome"] == "passed"
    assert abs((dt.date.fromisoformat(records[-1]["date"]) - today).days) <= 1
    assert "capstone" not in StandingRow.objects.get(participant__public_id="P-050").left
    run_ready_tasks()
    [message] = [e for e in mail.outbox if e.to == ["p-050@example.org"]]
    assert "was reviewed: passed" in message.subject
    assert "Thoughtful." in message.body
    page = lin_client.get("/participants/P-050/").content.decode()
    assert 'data-capstone="passed"' in page
    assert 'class="requirement met" data-requirement="capstone"' in page
    again = staff_client.post(f"/staff/capstones/{row.pk}/", {"result": "needs_changes",
                                                              "feedback": "x"})
    assert again.status_code == 400
    assert "already reviewed" in again.content.decode()
    assert send(lin_client, text="Another").status_code == 400
    assert AuditEntry.objects.filter(action="capstone.reviewed").count() == 1


def test_needs_changes_lets_them_send_it_again_and_keeps_the_history(
        lin_client: Client, staff_client: Client) -> None:
    send(lin_client, text="First try.")
    first = Submission.objects.get()
    response = staff_client.post(f"/staff/capstones/{first.pk}/", {"result": "needs_changes"})
    assert response.status_code == 400
    assert "say what needs to change" in response.content.decode()
    staff_client.post(f"/staff/capstones/{first.pk}/",
                      {"result": "needs_changes", "feedback": "Say more about QSS."})
    page = lin_client.get("/participants/P-050/").content.decode()
    assert "Say more about QSS." in page
    assert 'data-capstone="open"' in page
    assert send(lin_client, text="Second try, with QSS.").status_code == 302
    assert not any(r["component"] == "CAPSTONE" for r in export_one("P-050")["records"])
    history = lin_client.get("/participants/P-050/capstone/").content.decode()
    assert len(re.findall(r"data-submission=", history)) == 2
    assert "Say more about QSS." in history
    second = Submission.objects.latest("id")
    review = staff_client.get(f"/staff/capstones/{second.pk}/").content.decode()
    assert "Every submission and review" in review
    assert "First try." in review


def test_staff_see_the_waiting_one_on_the_participants_page_with_a_link_to_review(
        lin_client: Client, staff_client: Client) -> None:
    send(lin_client, text="Mine.")
    row = Submission.objects.get()
    page = staff_client.get("/participants/P-050/").content.decode()
    assert 'data-capstone="waiting"' in page
    assert f'href="/staff/capstones/{row.pk}/"' in page
    assert "/staff/capstones/" not in lin_client.get("/participants/P-050/").content.decode()


def test_pages_of_others_answer_as_if_they_did_not_exist(
        lin_client: Client, grace_client: Client) -> None:
    send(lin_client, text="Mine.")
    row = Submission.objects.get()
    assert grace_client.get("/participants/P-050/capstone/").status_code == 404
    assert grace_client.get("/participants/P-999/capstone/").status_code == 404
    existing = grace_client.get(f"/staff/capstones/{row.pk}/")
    missing = grace_client.get("/staff/capstones/99999/")
    assert existing.status_code == missing.status_code == 403
    assert body(existing) == body(missing)


def test_an_imported_pass_shows_as_passed_and_an_early_one_does_not(
        import_files: Any, staff_client: Client, grace: m.Participant) -> None:
    import_files(make_records_file(participant={"id": "P-060", "name": "Tu Youyou",
                                                "timezone": "Asia/Tokyo"}))
    page = staff_client.get("/participants/P-060/").content.decode()
    assert 'data-capstone="passed"' in page
    assert "Passed on Thu 1 Aug 2024" in page
    # Grace's capstone came before her courses were complete: it does not count.
    page = staff_client.get("/participants/P-002/").content.decode()
    assert 'data-capstone="closed"' in page
