"""A mail backend whose server is down: the fake at the boundary for the mail-failure tests."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend

SETTING = {"default": {"BACKEND": "tests.notifications.refusing_mail.EmailBackend"}}


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[Any]) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
