"""The journey planner on a page, and turning a plan into enrollments in one step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pathwise.catalog.models import Offering
from pathwise.core.errors import PathwiseError
from pathwise.core.offerings import OfferingsFile
from pathwise.core.planner import Plan, plan
from pathwise.enrollment.actions import EnrollmentRefusedError, take_seat
from pathwise.enrollment.catalogue_views import actor_for, participant_of, today_for, when
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m
from pathwise.participants.convert import to_core
from pathwise.participants.progress import current_enrollment


def _plan_for(enrollment: m.Enrollment, today: dt.date) -> tuple[Plan, dict[str, Offering]]:
    """Plan from every later offering of the participant's program version, seats counted now."""
    rows: dict[str, Offering] = {}
    cores = []
    for o in Offering.objects.filter(
        program_version=enrollment.program_version, starts_on__gt=today,
    ).select_related("intake").annotate(
            taken=Count("seats", filter=Q(seats__status=Seat.ENROLLED))):
        rows[o.code] = o
        cores.append(o.to_core(seats_left=max(o.capacity - o.taken, 0)))
    offerings = OfferingsFile(tuple(cores))
    result = plan(enrollment.program_version.program, to_core(enrollment), offerings, today,
                  intake=enrollment.intake.code if enrollment.intake else None,
                  records_source=f"participant {enrollment.participant.public_id}",
                  offerings_source="the catalogue")
    return result, rows


@login_required
def planner(request: HttpRequest) -> HttpResponse:
    participant = participant_of(request)
    enrollment = current_enrollment(participant)
    if enrollment is None:
        raise PermissionDenied("You are not enrolled in a program.")
    today = today_for(participant)
    try:
        result, rows = _plan_for(enrollment, today)
    except PathwiseError as exc:
        return render(request, "enrollment/plan.html", {"error": str(exc)}, status=400)

    if request.method == "POST":
        outcomes = []
        for step in result.steps:
            if step.offering is None:
                continue
            offering = rows[step.offering.id]
            try:
                seat = take_seat(participant, offering, actor_for(request, participant),
                                 today=today)
            except EnrollmentRefusedError as refused:
                outcomes.append(f"{offering.code}: not yet — {refused}")
            else:
                outcomes.append(f"{offering.code}: enrolled" if seat.waitlist_position is None
                                else f"{offering.code}: full, you are number "
                                     f"{seat.waitlist_position} on the waitlist")
        for line in outcomes:
            messages.info(request, line)
        return redirect("schedule")

    program = enrollment.program_version.program
    steps: list[dict[str, Any]] = []
    for step in result.steps:
        component = program.components[step.component]
        run = rows.get(step.offering.id) if step.offering is not None else None
        steps.append({"step": step, "name": component.name, "offering": run,
                      "when": when(run, participant.timezone) if run else None})
    return render(request, "enrollment/plan.html", {
        "plan": result, "steps": steps, "zone": participant.timezone,
        "availability": participant.availability,
    })
