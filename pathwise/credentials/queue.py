"""The issuing queue: records change in a request, credentials are signed in the worker.

A request never waits on signing. Whoever changes a participant's records
calls `request_issuing` in the same transaction; `credentials_worker` (started
by the README's commands) picks requests up within seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from pathwise.credentials.models import IssueRequest
from pathwise.participants.models import Participant


def request_issuing(participant: Participant) -> None:
    """Ask the worker to issue whatever the participant now earns (idempotent downstream)."""
    IssueRequest.objects.create(participant=participant)


def process_pending(issue: Callable[[Participant, dt.datetime], object], *,
                    limit: int = 50) -> int:
    """Handle up to `limit` waiting requests; returns how many were handled.

    Rows are claimed with SKIP LOCKED on PostgreSQL, so several workers can run;
    SQLite serialises writers anyway. A failure is kept on the request, not lost.
    """
    handled = 0
    with transaction.atomic():
        pending = list(IssueRequest.objects.select_for_update(skip_locked=True)
                       .filter(done_at__isnull=True).select_related("participant")
                       .order_by("requested_at")[:limit])
        seen: set[int] = set()
        now = timezone.now()
        for request in pending:
            if request.participant_id not in seen:
                seen.add(request.participant_id)
                try:
                    with transaction.atomic():
                        issue(request.participant, now)
                except Exception as exc:
                    request.error = f"{type(exc).__name__}: {exc}"
            request.done_at = now
            request.save(update_fields=["done_at", "error"])
            handled += 1
    return handled
