"""The only writers of evaluations: asking (once a run has ended) and answering."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pathwise.auditlog.log import Actor, log
from pathwise.catalog.models import Offering
from pathwise.core.errors import PathwiseError
from pathwise.core.evaluations import checked_text, closes_on, recommend_problem
from pathwise.enrollment.models import Seat
from pathwise.evaluations.models import Evaluation
from pathwise.notifications.mail import tell
from pathwise.participants.models import Participant
from pathwise.runs.read import component_of, meetings

#: How long after a run's last meeting it is still asked about: a run that ended
#: before evaluations existed (or while the worker was down a long time) is not.
LOOK_BACK = dt.timedelta(days=30)


def last_meeting_end(offering: Offering) -> dt.datetime | None:
    found = meetings(offering)
    return found[-1][1] if found else None


def ask_ended_runs(actor: Actor, *, now: dt.datetime | None = None) -> int:
    """Ask everyone who holds a seat on a course run whose last meeting has passed (in
    the last LOOK_BACK) for their evaluation, by e-mail, once per run per person.
    Returns how many were asked."""
    now = now or timezone.now()
    # Under way or ended lately: a meeting moved past `ends_on` still counts as its last.
    candidates = (Offering.objects.select_related("program_version")
                  .filter(starts_on__lte=now.date(),
                          ends_on__gte=(now - LOOK_BACK).date() - dt.timedelta(days=1)))
    asked = 0
    for offering in candidates:
        ended = last_meeting_end(offering)
        if ended is None or not (now - LOOK_BACK <= ended <= now):
            continue
        if component_of(offering).kind != "course":
            continue
        asked += ask_run(offering, actor, now=now)
    return asked


def ask_run(offering: Offering, actor: Actor, *, now: dt.datetime | None = None,
            notify: bool = True) -> int:
    """Ask those on the ended run `offering` who were not asked yet (by e-mail unless
    not `notify`: they find it on their page); how many were."""
    now = now or timezone.now()
    ended = last_meeting_end(offering)
    if ended is None or ended > now:
        raise PathwiseError(f"{offering.code} has not ended yet")
    name = component_of(offering).name
    closing = closes_on(ended.date(), now.date())
    asked = 0
    with transaction.atomic():
        holders = Seat.objects.filter(offering=offering, status=Seat.ENROLLED).values(
            "participant_id")
        people = Participant.objects.select_for_update().filter(pk__in=holders).order_by("pk")
        for participant in people:
            # Asked again after the lock: another pass may have asked them meanwhile.
            if Evaluation.objects.filter(offering=offering, participant=participant).exists():
                continue
            Evaluation.objects.create(offering=offering, participant=participant,
                                      invited_at=now, closes_on=closing)
            log(actor, "evaluation.asked", target_type="offering", target_id=offering.code,
                participant=participant, new={"closes_on": closing.isoformat()})
            if notify:
                tell(participant, f"Tell us about {name}",
                     f"{name} ({offering.code}) has ended. Would you recommend it, and "
                     f"what should we change? Three short questions, until "
                     f"{closing:%-d %B %Y}:\n{settings.BASE_URL}/evaluations/{offering.code}/")
            asked += 1
    return asked


def answer_evaluation(evaluation: Evaluation, actor: Actor, *, recommend: object,
                      worked: object = "", change: object = "",
                      today: dt.date | None = None) -> Evaluation:
    """Record (or change) a participant's answer, until the evaluation closes."""
    problem = recommend_problem(recommend)
    if problem is not None:
        raise PathwiseError(problem)
    worked_text = checked_text("what worked", worked)
    change_text = checked_text("what to change", change)
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=evaluation.participant_id)
        row = Evaluation.objects.select_for_update().select_related("offering").get(
            pk=evaluation.pk)
        day = today or timezone.localdate()
        if day > row.closes_on:
            raise PathwiseError(f"the evaluation of {row.offering.code} closed on "
                                f"{row.closes_on.isoformat()}")
        first = not row.answered
        row.recommend, row.worked, row.change = str(recommend), worked_text, change_text
        if first:
            row.answered_at = timezone.now()
        row.save()
        # What they said stays out of the log: the log names them, the answer must not.
        log(actor, "evaluation.answered" if first else "evaluation.changed",
            target_type="offering", target_id=row.offering.code,
            participant=evaluation.participant)
        return row
