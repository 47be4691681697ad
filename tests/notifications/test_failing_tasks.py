"""A side effect that fails never fails the action: it is retried, then shown to staff.

The worker runs for real (`run_ready_tasks` is `db_worker --batch` in this
process) against committed rows, and the mail server is a fake that is down.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import Offering
from pathwise.enrollment.actions import take_seat
from pathwise.enrollment.models import Seat
from pathwise.notifications.background import run_ready_tasks
from pathwise.notifications.mail import send_email
from pathwise.participants import models as m
from tests.builders import ada_file, make_records_file
from tests.conftest import signed_in
from tests.notifications import refusing_mail

pytestmark = pytest.mark.django_db(transaction=True)
WORKING_MAIL = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def katherine(import_files: Callable[..., list[str]]) -> m.Participant:
    data = ada_file("P-003", "Katherine Johnson", enrolled_on="2025-10-01")
    data["participant"]["email"] = "katherine@example.org"
    import_files(data)
    return m.Participant.objects.get(public_id="P-003")


def wait_until(moment: dt.datetime) -> None:
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()))


def staff_page() -> str:
    return signed_in("sam", "staff-password-1").get("/staff/tasks/").content.decode()


def test_a_drop_whose_seat_opened_mail_fails_is_saved_and_the_mail_follows_later(
    grace_client: Client, katherine: m.Participant, publish_run: Callable[..., Offering],
    staff: Any, settings: Any,
) -> None:
    settings.TASK_RETRY_SECONDS = 0.5
    run = publish_run("PBK-ONE", capacity=1)
    grace_client.post("/catalogue/PBK-ONE/enroll/")
    take_seat(katherine, run, Actor("P-003"))
    seat = Seat.objects.get(offering=run, participant__public_id="P-002")
    run_ready_tasks()  # the badges their imported records earn, and the mail telling of them
    mail.outbox.clear()
    settings.MAILERS = refusing_mail.SETTING

    response = grace_client.post(f"/schedule/{seat.pk}/change/", {"to": "drop"})

    assert response.status_code == 302
    assert response["Location"] == "/schedule/"
    assert Seat.objects.get(pk=seat.pk).status == Seat.DROPPED
    assert Seat.objects.get(offering=run, participant=katherine).status == Seat.ENROLLED
    assert AuditEntry.objects.filter(action="enrollment.promoted", participant=katherine).exists()

    run_ready_tasks()  # the mail server is down
    assert mail.outbox == []
    failed = DBTaskResult.objects.get(task_path="pathwise.notifications.mail.send_email",
                                      status="FAILED")
    assert failed.exception_class_path == "smtplib.SMTPServerDisconnected"
    retry = DBTaskResult.objects.get(task_path="pathwise.notifications.mail.send_email",
                                     status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > failed.finished_at
    page = staff_page()
    assert 'data-task="send_email"' in page
    assert "katherine@example.org" in page
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in page

    settings.MAILERS = WORKING_MAIL  # the server is back
    wait_until(retry.run_after)
    run_ready_tasks()
    assert [message.to for message in mail.outbox] == [["katherine@example.org"]]
    assert mail.outbox[0].subject == "A seat opened for you: PBK-ONE"
    assert "Nothing is failing." in staff_page()


def test_mail_that_keeps_failing_waits_longer_each_time_then_staff_see_it_gave_up(
    staff: Any, settings: Any,
) -> None:
    settings.MAILERS = refusing_mail.SETTING
    settings.TASK_ATTEMPTS, settings.TASK_RETRY_SECONDS = 4, 0.1
    send_email.enqueue(to="ada@example.org", subject="Hello", body="Hello Ada")

    run_ready_tasks()
    while (pending := DBTaskResult.objects.filter(status="READY").first()) is not None:
        wait_until(pending.run_after)
        run_ready_tasks()

    attempts = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [a.status for a in attempts] == ["FAILED"] * 4
    assert [a.args_kwargs["kwargs"].get("attempt", 1) for a in attempts] == [1, 2, 3, 4]
    waits = [(a.run_after - a.enqueued_at).total_seconds() for a in attempts[1:]]
    assert waits == pytest.approx([0.1, 0.2, 0.4], abs=0.05)
    assert mail.outbox == []
    page = staff_page()
    assert 'data-task="send_email"' in page
    assert "<td>4</td>" in page
    assert "none left: gave up" in page


def test_signing_that_fails_is_retried_and_the_badges_are_issued_once_it_works(
    import_files: Callable[..., list[str]], settings: Any, tmp_path: Any,
) -> None:
    # Long enough that on a busy machine the retry cannot fall due within the first pass.
    settings.TASK_RETRY_SECONDS = 2.0
    unusable = tmp_path / "not-a-folder"
    unusable.write_text("the key store cannot live under a file")
    settings.DATA_DIR = unusable
    import_files(make_records_file())

    run_ready_tasks()
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.task_path == "pathwise.credentials.tasks.issue_credentials"
    assert not m.Participant.objects.get(public_id="P-001").credentials.exists()

    settings.DATA_DIR = tmp_path / "var"
    wait_until(DBTaskResult.objects.get(status="READY").run_after)
    run_ready_tasks()
    held = m.Participant.objects.get(public_id="P-001").credentials
    assert sorted(held.values_list("achievement", flat=True)) == ["CODE", "NOC", "PBK",
                                                                  "cscce-cm"]


def test_the_task_page_is_for_staff_only(grace_client: Client) -> None:
    assert grace_client.get("/staff/tasks/").status_code == 403
    assert Client().get("/staff/tasks/").status_code == 302
