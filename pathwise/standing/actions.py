"""Keeping each participant's stored standing true: the only writer of `StandingRow`.

`refresh_standing` runs inside the transaction of whatever changed the
participant (records, seats, deadline), so the list never shows a standing the
database no longer supports; `refresh_all` runs daily, because statuses move
with the date even when nothing else changes.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from pathwise.catalog.models import Offering
from pathwise.catalog.read import Catalogue, catalogue_for
from pathwise.core.standing import reason_text
from pathwise.notifications.webhooks import notify
from pathwise.participants import models as m
from pathwise.standing.models import RefreshRun, StandingRow
from pathwise.standing.read import local_today, standing_of


def refresh_standing(participant: m.Participant, *, now: dt.datetime | None = None,
                     catalogue: Catalogue | None = None) -> StandingRow | None:
    """Recompute and store where `participant` stands; None (and no row) if not enrolled."""
    found = standing_of(participant, now=now, catalogue=catalogue)
    with transaction.atomic():
        if found is None:
            StandingRow.objects.filter(participant=participant).delete()
            return None
        s = found.standing
        audit = s.audit
        plan = s.plan
        old = StandingRow.objects.filter(participant=participant).first()
        since = old.status_since if old is not None and old.status == s.status else found.today
        row, _ = StandingRow.objects.update_or_create(participant=participant, defaults={
            "enrollment": found.enrollment,
            "status": s.status,
            "status_since": since,
            "deadline": audit.deadline,
            "certified_on": audit.certified_on,
            "left": [r.title for r in audit.unmet],
            "left_count": len(audit.unmet),
            "plan_feasible": plan.feasible if plan is not None else None,
            "plan_finishes_on": plan.finishes_on if plan is not None else None,
            "reason": (reason_text(found.program, s.reasons[0]) if s.reasons else ""),
            "next_step": found.next.text,
            "as_of": found.today,
            "public_id": participant.public_id,
            "name": participant.name,
            "organization": participant.organization or "",
            "timezone": participant.timezone,
            "extended": found.enrollment.deadline_extended_to is not None,
            "stale": False,
        })
        if old is None or (old.status, old.next_step) != (row.status, row.next_step):
            notify("standing.changed", f"/api/v1/participants/{participant.public_id}/standing/",
                   participant=participant.public_id)
        return row


def refresh_all(*, now: dt.datetime | None = None, stale_only: bool = False) -> int:
    """Recompute every enrolled participant's standing; how many were.

    With `stale_only`, only those whose stored standing is for a day before
    their own today (their date moved on, or they have none) or was marked
    stale by a change to the catalogue: the hourly pass.
    """
    now = now or timezone.now()
    catalogues: dict[int, Catalogue] = {}
    stored = {pid: (as_of, stale) for pid, as_of, stale in
              StandingRow.objects.values_list("participant_id", "as_of", "stale")}
    count = 0
    for participant in m.Participant.objects.filter(enrollments__isnull=False).distinct():
        if stale_only:
            as_of, stale = stored.get(participant.pk, (None, True))
            if not stale and as_of is not None and as_of >= local_today(participant, now):
                continue
        enrollment = participant.enrollments.order_by("enrolled_on").last()
        assert enrollment is not None
        version_id = enrollment.program_version_id
        if version_id not in catalogues:
            catalogues[version_id] = catalogue_for(enrollment.program_version)
        if refresh_standing(participant, now=now, catalogue=catalogues[version_id]):
            count += 1
    return count


def hourly_pass(slot: dt.datetime, *, now: dt.datetime | None = None) -> int | None:
    """The refresh for one hour, done once however many workers ask: the first to lock
    the hour's row does it; the others find it finished. None if it already was."""
    with transaction.atomic():
        RefreshRun.objects.get_or_create(slot=slot)
        run = RefreshRun.objects.select_for_update().get(slot=slot)
        if run.finished_at is not None:
            return None
        run.refreshed = refresh_all(now=now, stale_only=True)
        run.finished_at = timezone.now()
        run.save(update_fields=["refreshed", "finished_at"])
        return run.refreshed


def catalogue_changed(offering: Offering) -> None:
    """A run was published or its meetings changed: whoever holds a place on it stands
    anew now, in the change's transaction; everyone else of its program version at the
    next hourly pass (their plans may use it, and a whole version is too many to redo
    in one request)."""
    StandingRow.objects.filter(enrollment__program_version_id=offering.program_version_id,
                               stale=False).update(stale=True)
    holders = m.Participant.objects.filter(seats__offering=offering,
                                           seats__status__in=("enrolled", "waitlisted"))
    for participant in holders.distinct():
        refresh_standing(participant)
