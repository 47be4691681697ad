"""E-mail, sent by the worker after the change that wrote it has committed.

The action composes the message in its transaction (what it says is true of
what was committed) and enqueues it; a mail server that is down delays the
message, retried with back-off, and never undoes or fails the action.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.mail import send_mail

from pathwise.notifications.background import enqueue, retried

if TYPE_CHECKING:
    from pathwise.participants.models import Participant


@retried
def send_email(to: str, subject: str, body: str) -> None:
    """Send one message from DEFAULT_FROM_EMAIL; raises (and so is retried) when it cannot."""
    send_mail(subject, body, None, [to])


def tell(participant: Participant, subject: str, body: str) -> None:
    """E-mail a participant (when we have their address), after this transaction commits.

    Every message to a participant goes through here, so that there is one place
    that knows how participants are written to.
    """
    if participant.email:
        enqueue(send_email, to=participant.email, subject=subject,
                body=f"Hello {participant.name},\n\n{body}\n\n— Pathwise")
