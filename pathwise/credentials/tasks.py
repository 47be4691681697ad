"""Signing in the background: records change in a request, credentials are signed by the worker.

A request never waits on signing. Whoever changes a participant's records
enqueues `issue_credentials` in the same transaction; `db_worker` runs it after
the commit, retried with back-off if it fails (`pathwise.notifications.background`).
"""

from __future__ import annotations

from django.utils import timezone

from pathwise.credentials.actions import issue_earned
from pathwise.notifications.background import retried
from pathwise.participants.models import Participant


@retried
def issue_credentials(participant_id: int) -> list[str]:
    """Sign whatever the participant now earns and lacks (idempotent); returns the achievements."""
    participant = Participant.objects.get(pk=participant_id)
    return [c.achievement for c in issue_earned(participant, timezone.now())]
