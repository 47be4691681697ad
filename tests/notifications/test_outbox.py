"""The outbox: every message to a participant is kept with the change that wrote it, sent
by the worker after the commit, and shown to staff with whether it reached them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from pathwise.notifications.background import run_ready_tasks
from pathwise.notifications.mail import tell
from pathwise.notifications.models import OutboxMessage
from pathwise.participants import models as m
from tests.builders import ada_file
from tests.conftest import signed_in
from tests.notifications import refusing_mail

pytestmark = pytest.mark.django_db(transaction=True)  # the worker runs after real commits


@pytest.fixture
def katherine(import_files: Callable[..., list[str]]) -> m.Participant:
    data = ada_file("P-003", "Katherine Johnson", enrolled_on="2025-10-01")
    data["participant"]["email"] = "katherine@example.org"
    import_files(data)
    run_ready_tasks()  # the badges her records earn, and the mail telling of them
    mail.outbox.clear()
    OutboxMessage.objects.all().delete()
    return m.Participant.objects.get(public_id="P-003")


@pytest.fixture
def staff_client(staff: Any) -> Client:
    return signed_in("sam", "staff-password-1")


def test_a_message_is_kept_with_the_change_and_marked_sent_once_the_worker_sends_it(
    katherine: m.Participant,
) -> None:
    with transaction.atomic():
        tell(katherine, "Hello", "A word from the program.", kind="message")
    message = OutboxMessage.objects.get()
    assert (message.participant, message.to, message.subject, message.kind) == (
        katherine, "katherine@example.org", "Hello", "message")
    assert message.body == "Hello Katherine Johnson,\n\nA word from the program.\n\n— Pathwise"
    assert message.state == "queued"
    assert message.sent_at is None
    run_ready_tasks()
    message.refresh_from_db()
    assert message.state == "sent"
    assert message.sent_at is not None
    assert [(e.to, e.subject) for e in mail.outbox] == [(["katherine@example.org"], "Hello")]
    run_ready_tasks()  # nothing left to do: it is not sent twice
    assert len(mail.outbox) == 1


def test_a_change_rolled_back_leaves_no_message_and_nothing_to_send(
    katherine: m.Participant,
) -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            tell(katherine, "Hello", "Never sent.")
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not OutboxMessage.objects.exists()
    run_ready_tasks()
    assert mail.outbox == []


def test_without_an_address_the_message_is_kept_unsent_for_staff_to_see(
    grace: m.Participant,
) -> None:
    run_ready_tasks()
    mail.outbox.clear()
    tell(grace, "Hello", "No address to send it to.")
    message = OutboxMessage.objects.get(subject="Hello")
    assert (message.to, message.state) == ("", "no_address")
    run_ready_tasks()
    assert mail.outbox == []


def test_an_unknown_kind_is_a_programming_error_not_a_message(
    katherine: m.Participant,
) -> None:
    with pytest.raises(ValueError, match="unknown message kind"):
        tell(katherine, "Hello", "…", kind="gossip")
    assert not OutboxMessage.objects.exists()


def test_failures_are_counted_on_the_message_and_staff_see_them_until_it_is_sent(
    katherine: m.Participant, staff_client: Client, settings: Any,
) -> None:
    settings.MAILERS = refusing_mail.SETTING
    settings.TASK_ATTEMPTS, settings.TASK_RETRY_SECONDS = 2, 0
    tell(katherine, "Your grade", "Passed.", kind="grade.posted")
    run_ready_tasks()
    message = OutboxMessage.objects.get()
    assert (message.state, message.failures) in {("failing", 1), ("gave_up", 2)}
    run_ready_tasks()
    message.refresh_from_db()
    assert (message.state, message.failures, message.sent_at) == ("gave_up", 2, None)
    assert message.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    page = staff_client.get("/staff/messages/?state=gave_up").content.decode()
    assert f'data-message="{message.pk}"' in page
    assert "Gave up" in page
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in page
    page = staff_client.get(f"/participants/{katherine.public_id}/").content.decode()
    assert 'data-state="gave_up"' in page


def test_staff_search_filter_and_page_through_the_outbox_newest_first(
    katherine: m.Participant, grace: m.Participant, staff_client: Client,
) -> None:
    for n in range(30):
        tell(katherine, f"Note {n:02d}", "…")
    tell(grace, "Your grade", "Passed.", kind="grade.posted")
    first = staff_client.get("/staff/messages/")
    assert first.status_code == 200
    page = first.content.decode()
    assert page.index("Your grade") < page.index("Note 29") < page.index("Note 06")
    assert "Note 05" not in page  # on page 2
    assert "Page 1 of 2" in page
    assert "Note 05" in staff_client.get("/staff/messages/?page=2").content.decode()
    found = staff_client.get("/staff/messages/?q=grace").content.decode()
    assert "Your grade" in found
    assert "Note 29" not in found
    kind = staff_client.get("/staff/messages/?kind=grade.posted").content.decode()
    assert kind.count("data-message=") == 1
    hers = staff_client.get("/staff/messages/?participant=P-002").content.decode()
    assert hers.count("data-message=") == 1
    assert 'href="/staff/messages/?participant=P-003"' in staff_client.get(
        "/participants/P-003/").content.decode()


@pytest.mark.parametrize(("query", "message"), [
    ("kind=gossip", "Unknown kind"), ("state=lost", "Unknown state"),
    ("q=" + "x" * 101, "at most 100"), ("participant=%3Cb%3E", "is not a participant id"),
])
def test_a_bad_outbox_filter_is_refused_naming_it(staff_client: Client, query: str,
                                                  message: str) -> None:
    response = staff_client.get(f"/staff/messages/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_only_staff_see_the_outbox_and_the_messages_on_a_participants_page(
    katherine: m.Participant, grace_client: Client, staff_client: Client,
) -> None:
    tell(katherine, "Hello", "…")
    assert grace_client.get("/staff/messages/").status_code == 403
    assert Client().get("/staff/messages/").status_code == 302
    staff_page = staff_client.get("/participants/P-003/").content.decode()
    assert "data-messages" in staff_page
    assert "Hello" in staff_page
    own = grace_client.get("/participants/P-002/").content.decode()
    assert "data-messages" not in own
