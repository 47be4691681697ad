"""What a run's pages show: its actual meetings, its roster, its register, its grades."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.utils import timezone

from pathwise.catalog.models import Offering
from pathwise.core.offerings import occurrences
from pathwise.core.outcomes import Grade as GradeResult
from pathwise.core.outcomes import RunOutcome, run_outcomes
from pathwise.core.program import Component
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m
from pathwise.participants.models import CompletionRecord
from pathwise.runs.models import Attendance, Grade


def meetings(offering: Offering) -> list[tuple[dt.datetime, dt.datetime]]:
    """The run's actual meetings (cancellations and moves applied), in its own zone."""
    return list(occurrences(offering.to_core()))


def component_of(offering: Offering) -> Component:
    return offering.program_version.program.components[offering.component]


def enrolled(offering: Offering) -> list[m.Participant]:
    """Who holds a seat on the run, by name."""
    return [s.participant for s in Seat.objects.filter(offering=offering, status=Seat.ENROLLED)
            .select_related("participant").order_by("participant__name",
                                                    "participant__public_id")]


def in_progress(offering: Offering, now: dt.datetime | None = None) -> bool:
    found = meetings(offering)
    now = now or timezone.now()
    return bool(found) and found[0][0] <= now < found[-1][1]


@dataclass(frozen=True)
class ParticipantOutcome:
    participant: m.Participant
    outcome: RunOutcome
    final: CompletionRecord | None  # the record already written for this run, if any


def outcomes(offering: Offering, now: dt.datetime | None = None) -> list[ParticipantOutcome]:
    """Each enrolled person's outcome on the run as things stand, and any record written."""
    now = now or timezone.now()
    found = meetings(offering)
    days = [start.date() for start, _ in found]
    held = [start.date() for start, _ in found if start <= now]
    people = enrolled(offering)
    ids = {p.pk: p.public_id for p in people}
    present: dict[str, set[dt.date]] = {}
    presenters: set[str] = set()
    for row in Attendance.objects.filter(offering=offering, present=True,
                                         participant__in=people):
        present.setdefault(ids[row.participant_id], set()).add(row.day)
        if row.presented:
            presenters.add(ids[row.participant_id])
    grades: dict[str, dict[str, GradeResult]] = {}
    for grade in Grade.objects.filter(offering=offering, participant__in=people):
        # The model's constraint keeps a result to passed or failed.
        grades.setdefault(ids[grade.participant_id], {})[grade.assessment] = cast(
            "GradeResult", grade.result)
    decided = run_outcomes(offering.program_version.program, offering.component,
                           offering=offering.code, meetings=days, held=held, present=present,
                           presenters=presenters, grades=grades,
                           people=[p.public_id for p in people])
    finals = {r.enrollment.participant_id: r for r in CompletionRecord.objects
              .filter(offering=offering.code, component=offering.component,
                      enrollment__participant__in=people).select_related("enrollment")}
    return [ParticipantOutcome(p, decided[p.public_id], finals.get(p.pk)) for p in people]


def grades_for(participant: m.Participant) -> list[Grade]:
    """The participant's grades with their feedback, newest first (their progress page)."""
    return list(Grade.objects.filter(participant=participant).select_related("offering")
                .order_by("-graded_at"))
