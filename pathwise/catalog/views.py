"""Staff views of the catalogue: every offering with its seats, gaps, and meeting changes."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pathwise.catalog.actions import cancel_meeting, move_meeting
from pathwise.catalog.forms import MeetingChangeForm
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.core.errors import PathwiseError
from pathwise.core.offerings import years_without
from pathwise.site.access import staff_actor


@login_required
def staff_catalogue(request: HttpRequest) -> HttpResponse:
    staff_actor(request)
    offerings = list(Offering.objects.select_related("program_version", "intake").annotate(
        taken=Count("seats", filter=Q(seats__status="enrolled")),
        waiting=Count("seats", filter=Q(seats__status="waitlisted"))))
    today = timezone.now().date()
    gaps = []
    for version in ProgramVersion.objects.all():
        mine = [o for o in offerings if o.program_version_id == version.pk]
        if not mine:
            continue
        workshops = [c.code for c in version.program.components.values()
                     if c.kind == "mini-workshop"]
        first = min(o.starts_on.year for o in mine)
        last = max(today.year, *(o.starts_on.year for o in mine))
        for year, missing in years_without(workshops, [o.to_core() for o in mine],
                                           range(first, last + 1)).items():
            if missing:
                gaps.append((version, year, missing))
    return render(request, "catalog/staff_catalogue.html", {
        "offerings": offerings, "gaps": gaps, "today": today,
    })


@login_required
@require_POST
def change_meeting(request: HttpRequest, code: str) -> HttpResponse:
    actor = staff_actor(request)
    offering = get_object_or_404(Offering, code=code)
    form = MeetingChangeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{code}: {error}")
        return redirect("staff-catalogue")
    day = form.cleaned_data["date"]
    try:
        if form.cleaned_data["action"] == "move":
            move_meeting(actor, offering, day, day + dt.timedelta(days=7))
            messages.success(request, f"{code}: the {day:%-d %B} meeting moved a week later.")
        else:
            cancel_meeting(actor, offering, day)
            messages.success(request, f"{code}: the {day:%-d %B} meeting is cancelled.")
    except PathwiseError as exc:
        messages.error(request, str(exc))
    return redirect("staff-catalogue")
