"""Signing in the background: records change in a request, credentials are signed by the worker.

A request never waits on signing. Whoever changes a participant's records
enqueues `issue_credentials` in the same transaction; `db_worker` runs it after
the commit, retried with back-off if it fails (`pathwise.notifications.background`).
An import of many participants queues one task per `CHUNK` of them: claiming a
task and recording its result cost about what signing one credential does.
"""

from __future__ import annotations

from django.utils import timezone

from pathwise.core.errors import PathwiseError
from pathwise.credentials.actions import issue_earned
from pathwise.notifications.background import retried
from pathwise.participants.models import Participant

#: Participants per signing task when many are queued at once.
CHUNK = 50


class SigningFailedError(PathwiseError):
    """Signing failed for some of a task's participants (the others were signed)."""


@retried
def issue_credentials(*participant_ids: int) -> list[str]:
    """Sign whatever each participant now earns and lacks; returns the achievements.

    Idempotent (one credential per participant and achievement), so a retry of
    the whole task after one participant failed signs only what is still missing.
    Each participant is signed in transactions of their own: one that fails does
    not stop the others.
    """
    signed: list[str] = []
    failed: list[tuple[int, Exception]] = []
    for participant_id in participant_ids:
        try:
            participant = Participant.objects.get(pk=participant_id)
            signed.extend(c.achievement for c in issue_earned(participant, timezone.now()))
        except Exception as exc:  # the others are still signed; the task is retried
            failed.append((participant_id, exc))
    if len(failed) == len(participant_ids) == 1:
        raise failed[0][1]
    if failed:
        first = failed[0][1]
        raise SigningFailedError(
            f"signing failed for {len(failed)} of {len(participant_ids)} participants "
            f"(ids {', '.join(str(i) for i, _ in failed)}): {first}") from first
    return signed
