"""Reading the outbox: every message to participants, newest first, filtered for staff."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from pathwise.notifications.models import OutboxMessage

STATES = OutboxMessage.STATES


def in_state(rows: QuerySet[OutboxMessage], state: str) -> QuerySet[OutboxMessage]:
    """The messages of `rows` in `state` (the same test as `OutboxMessage.state`)."""
    unsent = rows.filter(sent_at__isnull=True).exclude(to="")
    if state == "sent":
        return rows.filter(sent_at__isnull=False)
    if state == "no_address":
        return rows.filter(sent_at__isnull=True, to="")
    if state == "queued":
        return unsent.filter(failures=0)
    if state == "failing":
        return unsent.filter(failures__gt=0, failures__lt=settings.TASK_ATTEMPTS)
    if state == "gave_up":
        return unsent.filter(failures__gte=settings.TASK_ATTEMPTS)
    raise ValueError(state)


def search(rows: QuerySet[OutboxMessage], q: str) -> QuerySet[OutboxMessage]:
    """Each word in the participant's id, name or address, or the subject."""
    for word in q.split():
        rows = rows.filter(Q(participant__public_id__icontains=word)
                           | Q(participant__name__icontains=word) | Q(to__icontains=word)
                           | Q(subject__icontains=word))
    return rows
