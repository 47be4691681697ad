"""The standing refresh, every hour, in the background.

Statuses move with the date (a deadline passes, a run starts), so each
participant's stored standing is recomputed once their own date has moved on:
every hour, those whose midnight has just passed. The task for each hour
schedules the next one when it has finished, so the chain runs once however
many workers share the queue (`hourly_pass` claims the hour first).

The same pass asks the participants of course runs that have just ended for their
evaluation (`pathwise.evaluations.actions.ask_ended_runs`, once per run per person).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.evaluations.actions import ask_ended_runs
from pathwise.notifications.background import enqueue, retried
from pathwise.standing.actions import hourly_pass

HOUR = dt.timedelta(hours=1)


def this_hour(now: dt.datetime) -> dt.datetime:
    return now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


@retried
def refresh_standing_hourly(slot: str) -> int | None:
    """Refresh the standing of everyone whose date moved on; then schedule the next hour."""
    hour = dt.datetime.fromisoformat(slot)
    with transaction.atomic():
        done = hourly_pass(hour)
        if done is not None:
            ask_ended_runs(Actor("hourly"), now=hour)
            following = hour + HOUR
            enqueue(refresh_standing_hourly.using(run_after=following), following.isoformat())
    return done


def start_hourly_refresh(now: dt.datetime | None = None) -> None:
    """Enqueue this hour's pass (which schedules the next); harmless to call again."""
    slot = this_hour(now or timezone.now())
    enqueue(refresh_standing_hourly, slot.isoformat())
