"""Where a participant's capstone stands, as the pages, the API and the CLI read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from pathwise.capstone.models import Submission
from pathwise.core.capstone import capstone_component, capstone_passed_on, submission_refusal
from pathwise.core.program import Component
from pathwise.participants import models as m
from pathwise.participants.convert import to_core
from pathwise.participants.progress import current_enrollment
from pathwise.standing.read import local_today


@dataclass(frozen=True)
class CapstoneState:
    participant: m.Participant
    component: Component
    submissions: list[Submission]  # oldest first
    refusal: str | None  # why they may not submit today; None when they may
    passed_on: dt.date | None  # the day a pass that counts was recorded (reviewed or imported)

    @property
    def may_submit(self) -> bool:
        return self.refusal is None

    @property
    def waiting(self) -> Submission | None:
        return next((s for s in self.submissions if s.status == Submission.WAITING), None)

    @property
    def passed(self) -> Submission | None:
        """The submission reviewed as passed, if the pass came from one."""
        return next((s for s in self.submissions if s.status == Submission.PASSED), None)

    @property
    def label(self) -> str:
        """passed, waiting (for review), open (they may submit) or closed (not now)."""
        return ("passed" if self.passed_on is not None else "waiting" if self.waiting
                else "open" if self.may_submit else "closed")

    @property
    def latest(self) -> Submission | None:
        return self.submissions[-1] if self.submissions else None


def capstone_of(participant: m.Participant, *, now: dt.datetime | None = None,
                enrollment: m.Enrollment | None = None) -> CapstoneState | None:
    """None when they are not enrolled, or their program has no capstone. `enrollment` is
    their current one with its records, when the caller has read it already."""
    enrollment = enrollment or current_enrollment(participant)
    if enrollment is None:
        return None
    program = enrollment.program_version.program
    component = capstone_component(program)
    if component is None:
        return None
    submissions = list(enrollment.capstone_submissions.order_by("submitted_at", "id"))
    waiting = any(s.status == Submission.WAITING for s in submissions)
    today = local_today(participant, now or timezone.now())
    records = to_core(enrollment)
    refusal = submission_refusal(program, records, today, waiting=waiting)
    return CapstoneState(participant, component, submissions, refusal,
                         capstone_passed_on(program, records, today))


def waiting_queue() -> QuerySet[Submission]:
    """Submissions waiting for review, oldest first."""
    return (Submission.objects.filter(status=Submission.WAITING)
            .select_related("enrollment__participant").order_by("submitted_at", "id"))
