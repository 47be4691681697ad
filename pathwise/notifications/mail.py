"""E-mail, sent by the worker after the change that wrote it has committed.

The action composes the message in its transaction (what it says is true of
what was committed) and enqueues it; a mail server that is down delays the
message, retried with back-off, and never undoes or fails the action.
"""

from __future__ import annotations

from django.core.mail import send_mail

from pathwise.notifications.background import retried


@retried
def send_email(to: str, subject: str, body: str) -> None:
    """Send one message from DEFAULT_FROM_EMAIL; raises (and so is retried) when it cannot."""
    send_mail(subject, body, None, [to])
