"""The demo's evaluated run: the latest course run that has ended, evaluated by most
of those on it.

Those on it are asked and all but one or two answer; when no run that has ended has
people on it, a few who still needed the course take a seat on one first, from the
day before it began. The demo's instructor taught it, so their view of
it (figures and comments, no names) has content.
"""

from __future__ import annotations

import datetime as dt

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.core.evaluations import INSTRUCTOR_MINIMUM
from pathwise.enrollment.actions import refusal_for, take_seat
from pathwise.enrollment.models import Seat
from pathwise.evaluations.actions import answer_evaluation, ask_run
from pathwise.evaluations.models import Evaluation
from pathwise.lms.actions import set_lms_link
from pathwise.participants import models as m
from pathwise.runs.actions import assign_instructor
from pathwise.runs.read import component_of, meetings

PER_RUN = 5
#: How far back the demo looks for a run that has ended.
LOOK_BACK = dt.timedelta(days=400)
LMS_URL = "https://lms.example.org/cscce-cm"
ANSWERS = [
    ("strongly", "The case studies from other communities, and hearing how my cohort "
                 "handles the same problems.", "More time for the final deliverable."),
    ("strongly", "The templates: I used one at work the next week.", ""),
    ("somewhat", "Breakout rooms with the same small group each week.",
     "Shorter readings, or fewer of them in the last two weeks."),
    ("strongly", "", "Record the sessions for those of us in far time zones."),
]


def _run_to_ask(today: dt.date, enrollments: list[m.Enrollment], spare: set[str],
                ) -> tuple[Offering, list[m.Enrollment] | None] | None:
    """The run to evaluate and whom to seat on it first: the latest public course run
    that has ended with people on it (the instructor's, just ended, on some days of the
    year); else the latest that at least three of the demo's people could have taken
    (enrolled by then, still needing it). A run evaluated before comes with None."""
    done = Offering.objects.filter(evaluations__isnull=False).order_by("-ends_on").first()
    if done is not None:
        return done, None
    noon = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
    for run in (Offering.objects.filter(ends_on__lt=today, private_to="",
                                        ends_on__gte=today - LOOK_BACK)
                .select_related("program_version").order_by("-ends_on", "code")):
        found = meetings(run)
        if component_of(run).kind != "course" or not found or found[-1][1] >= noon:
            continue
        if run.seats.filter(status=Seat.ENROLLED).exists():
            return run, []
        before = run.starts_on - dt.timedelta(days=1)
        able = [e for e in enrollments if e.participant.public_id not in spare
                and e.enrolled_on <= before
                and refusal_for(e.participant, run, before) is None][:PER_RUN]
        if len(able) >= INSTRUCTOR_MINIMUM:
            return run, able
    return None


def load_demo_evaluations(actor: Actor, enrollments: list[m.Enrollment], today: dt.date,
                          instructor: str, *, spare: set[str]) -> Offering | None:
    """The evaluated run, or None when the demo has none. Loading the demo again finds
    the run already evaluated and leaves it."""
    set_lms_link(actor, LMS_URL, version=enrollments[0].program_version)
    chosen = _run_to_ask(today, enrollments, spare)
    if chosen is None:
        return None
    run, seat = chosen
    if seat is None:
        return run
    for e in seat:
        # Their outcome is left for staff to make final, as on the instructor's run.
        take_seat(e.participant, run, actor, today=run.starts_on - dt.timedelta(days=1))
    if not run.instructors.filter(user__username=instructor).exists():
        assign_instructor(run, instructor, actor)
    # Asked on the demo's day rather than when it ended, so that it is still open;
    # without e-mail, which the demo would only print.
    ask_run(run, actor, now=dt.datetime.combine(today, dt.time(9), tzinfo=dt.UTC),
            notify=False)
    for row, (recommend, worked, change) in zip(
            Evaluation.objects.filter(offering=run).order_by("participant__public_id"),
            ANSWERS, strict=False):
        answer_evaluation(row, Actor(row.participant.public_id), recommend=recommend,
                          worked=worked, change=change, today=today)
    return run
