"""E-mail, sent by the worker after the change that wrote it has committed.

The action composes the message in its transaction (what it says is true of
what was committed) and enqueues it; a mail server that is down delays the
message, retried with back-off, and never undoes or fails the action.

Every message to a participant goes through `tell`, which also keeps it in the
outbox (`OutboxMessage`) in the same transaction: staff see what each
participant was told, when, and whether it reached them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone

from pathwise.core.inputs import one_line
from pathwise.notifications.background import enqueue, retried
from pathwise.notifications.models import OutboxMessage

if TYPE_CHECKING:
    from pathwise.participants.models import Participant

KINDS = OutboxMessage.KINDS
ERROR_MAX = 300
SUBJECT_MAX = 300  # the outbox column's length


@retried
def send_email(to: str, subject: str, body: str, outbox: int | None = None) -> None:
    """Send one message from DEFAULT_FROM_EMAIL; raises (and so is retried) when it cannot.

    With `outbox`, the message is that outbox row: once sent it is marked so (and
    not sent again by a repeated task), and each failure is counted on it.
    """
    if outbox is not None and OutboxMessage.objects.filter(
            pk=outbox, sent_at__isnull=False).exists():
        return
    try:
        send_mail(subject, body, None, [to])
    except Exception as exc:
        if outbox is not None:
            error = one_line(f"{type(exc).__name__}: {exc}")[:ERROR_MAX]
            OutboxMessage.objects.filter(pk=outbox).update(
                failures=F("failures") + 1, last_error=error, failed_at=timezone.now())
        raise
    if outbox is not None:
        OutboxMessage.objects.filter(pk=outbox).update(sent_at=timezone.now())


def tell(participant: Participant, subject: str, body: str, *,
         kind: str = "message") -> OutboxMessage:
    """E-mail a participant (when we have their address), after this transaction commits.

    Every message to a participant goes through here, so that there is one place
    that knows how participants are written to, and one record of what they were
    told. Without an address the message is kept, unsent, for staff to see.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    message = OutboxMessage.objects.create(
        participant=participant, to=participant.email or "", subject=subject[:SUBJECT_MAX],
        body=f"Hello {participant.name},\n\n{body}\n\n— Pathwise", kind=kind)
    if message.to:
        enqueue(send_email, to=message.to, subject=message.subject, body=message.body,
                outbox=message.pk)
    return message
