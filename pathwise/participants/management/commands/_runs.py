"""The demo's runs under way: an instructor teaching them, people on them, registers taken.

The two course runs that started most recently, of two courses (in progress on
most days of the year, otherwise just ended), are taught by the `instructor`
login; a few active participants who still need the course hold a seat, taken
the day before the run began, and every meeting held so far but the latest has
its register, with a few absences, so the instructor has one meeting left to
take and outcomes to look at.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.core.errors import PathwiseError
from pathwise.enrollment.actions import take_seat
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m
from pathwise.participants.progress import audit_of
from pathwise.runs.actions import assign_instructor, record_attendance
from pathwise.runs.models import Attendance
from pathwise.runs.read import enrolled, meetings

INSTRUCTOR_USERNAME = "instructor"
PER_RUN = 6
# How far back a run may have started: a course runs seven weeks, and on the days
# between runs the latest one (just ended, outcomes to make final) is shown instead.
RECENT_DAYS = 120


def load_demo_runs(actor: Actor, enrollments: list[m.Enrollment], today: dt.date,
                   password: str, *, spare: set[str]) -> list[Offering]:
    """`spare`: participant ids the demo shows in a state of their own, left as they are."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=INSTRUCTOR_USERNAME).first()
    if user is None:
        user = user_model.objects.create_user(INSTRUCTOR_USERNAME, "instructor@example.org",
                                              password=password)
    else:
        user.password = make_password(password)
        user.save(update_fields=["password"])
    started = Offering.objects.filter(
        starts_on__lte=today, starts_on__gte=today - dt.timedelta(days=RECENT_DAYS),
        private_to="").select_related("program_version").order_by("-starts_on", "code")
    runs: list[Offering] = []
    for run in started:
        component = run.program_version.program.components[run.component]
        if component.kind != "course" or any(r.component == run.component for r in runs):
            continue
        _seat_people(actor, run, enrollments, spare)
        if not enrolled(run):
            continue  # nobody the demo has could have taken it
        assign_instructor(run, INSTRUCTOR_USERNAME, actor)
        _take_registers(actor, run, today)
        runs.append(run)
        if len(runs) == 2:
            break
    return runs


def _seat_people(actor: Actor, run: Offering, enrollments: list[m.Enrollment],
                 spare: set[str]) -> None:
    before = run.starts_on - dt.timedelta(days=1)
    for e in enrollments:
        if Seat.objects.filter(offering=run, status=Seat.ENROLLED).count() >= PER_RUN:
            return
        if e.participant.public_id in spare:
            continue
        audited = audit_of(e, before)
        unmet = {c for r in audited.audit.unmet for c in r.requirement.components}
        if audited.audit.status not in ("on_track", "at_risk") or run.component not in unmet:
            continue
        try:
            take_seat(e.participant, run, actor, today=before)
        except PathwiseError:
            continue  # another course at the time, a prerequisite missing: the next person


def _take_registers(actor: Actor, run: Offering, today: dt.date) -> None:
    now = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    held = [start.date() for start, _ in meetings(run) if start < now][:-1]
    people = enrolled(run)
    if not people:
        return
    for number, day in enumerate(held):
        if Attendance.objects.filter(offering=run, day=day).exists():
            continue
        present = [p.public_id for i, p in enumerate(people) if (i + number) % 5]
        record_attendance(run, day, present, actor, now=now)
