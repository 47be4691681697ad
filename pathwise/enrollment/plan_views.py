"""The journey planner on a page, and turning a plan into enrollments in one step.

The plan is the one in the participant's standing (`pathwise.standing.read`),
so this page, the progress page and the staff list never disagree.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from pathwise.core.enrollment import Enrollee
from pathwise.core.fees import Money, SeatFee, change_quote, enrollment_fee
from pathwise.core.planner import Step
from pathwise.core.program import Program
from pathwise.core.standing import reason_text
from pathwise.enrollment.actions import (
    EnrollmentRefusedError,
    FeeNotAcceptedError,
    enrollee,
    take_seat,
)
from pathwise.enrollment.catalogue_views import actor_for, participant_of, when
from pathwise.standing.read import ParticipantStanding, standing_of


def _fees(program: Program, who: Enrollee, steps: tuple[Step, ...]) -> dict[str, SeatFee]:
    """Each planned run's seat fee, counting the runs planned before it (the seventh
    workshop in the plan is the one that costs the extra fee)."""
    fees: dict[str, SeatFee] = {}
    for step in steps:
        if step.offering is None or step.held:
            continue
        fees[step.offering.id] = enrollment_fee(program, who, step.offering)
        who = dataclasses.replace(who, runs=(*who.runs, step.offering))
    return fees


def _rows(found: ParticipantStanding, fees: dict[str, SeatFee]) -> list[dict[str, Any]]:
    program = found.program
    zone = found.participant.timezone
    now = timezone.now()
    plan = found.standing.plan
    rows: list[dict[str, Any]] = []
    for step in plan.steps if plan is not None else ():
        run = found.catalogue.rows.get(step.offering.id) if step.offering is not None else None
        component = program.components[step.component]
        free_until = None
        if run is not None and not step.held and program.fees is not None:
            quote = change_quote(program, run.to_core(), now)
            free_until = quote.free_until
        fee = fees.get(run.code) if run is not None else None
        rows.append({"step": step, "name": component.name, "offering": run,
                     "when": when(run, zone) if run is not None else None,
                     "fee": fee if fee is not None and not fee.free else None,
                     "free_until": free_until})
    return rows


@login_required
def planner(request: HttpRequest) -> HttpResponse:
    participant = participant_of(request)
    found = standing_of(participant)
    if found is None:
        raise PermissionDenied("You are not enrolled in a program.")
    plan = found.standing.plan
    fees = (_fees(found.program, enrollee(participant, found.today), plan.steps)
            if plan is not None else {})
    total = sum((f.fee for f in fees.values() if not f.free),
                Money.zero(found.program.fees.currency if found.program.fees else "USD"))
    if request.method == "POST" and plan is not None:
        accepted = request.POST.get("accept_fees") == "yes"
        for step in plan.steps:
            if step.offering is None or step.held:
                continue
            run = found.catalogue.rows[step.offering.id]
            fee = fees[run.code]
            try:
                seat = take_seat(participant, run, actor_for(request, participant),
                                 today=found.today,
                                 accept_fee=fee.fee if accepted and not fee.free else None)
            except EnrollmentRefusedError as refused:
                messages.warning(request, f"{run.code}: not enrolled — {refused}")
            except FeeNotAcceptedError as unpaid:
                messages.warning(request, f"{run.code}: not enrolled — it costs "
                                          f"{unpaid.fee.fee}; tick the box to accept the fees "
                                          "shown, then enroll again.")
            else:
                if seat.waitlist_position is None:
                    messages.success(request, f"{run.code}: enrolled")
                else:
                    messages.info(request, f"{run.code}: full, you are number "
                                           f"{seat.waitlist_position} on the waitlist")
        return redirect("plan")
    return render(request, "enrollment/plan.html", {
        "found": found, "plan": plan, "steps": _rows(found, fees),
        "reasons": [reason_text(found.program, r) for r in found.standing.reasons],
        "zone": participant.timezone, "availability": participant.availability,
        "total_fee": total if total.amount else None,
        "to_enroll": sum(1 for s in plan.steps if s.offering is not None and not s.held)
        if plan is not None else 0,
    })
