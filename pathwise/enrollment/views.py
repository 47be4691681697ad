"""Catalogue-facing pages: registering unmet demand, and the staff demand table."""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import ProgramVersion
from pathwise.core.demand import WEEKDAYS, Window, aggregate
from pathwise.enrollment.actions import register_demand
from pathwise.enrollment.forms import DAY_NAMES, DemandForm
from pathwise.enrollment.models import DemandRequest
from pathwise.participants.progress import current_enrollment
from pathwise.site.access import staff_actor


@login_required
def demand(request: HttpRequest) -> HttpResponse:
    participant = getattr(request.user, "participant", None)
    enrollment = current_enrollment(participant) if participant is not None else None
    if participant is None or enrollment is None:
        raise PermissionDenied("Only enrolled participants can register the times they could do.")
    program = enrollment.program_version.program
    form = DemandForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        register_demand(participant, data["component"], days=list(data["days"]),
                        start=data["start"], end=data["end"],
                        actor=Actor(request.user.get_username(), participant.user))
        messages.success(request, "Thank you — staff will see these times when planning runs.")
        return redirect("demand")
    mine = DemandRequest.objects.filter(participant=participant)
    return render(request, "enrollment/demand.html", {
        "form": form, "mine": mine, "zone": participant.timezone, "day_names": DAY_NAMES,
    }, status=400 if form.errors else 200)


@login_required
def staff_demand(request: HttpRequest) -> HttpResponse:
    staff_actor(request)
    zone = request.GET.get("zone") or "UTC"
    error = None
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        error = f"{zone!r} is not a known time zone; showing UTC."
        zone = "UTC"
    windows = [Window(d.component, tuple(d.days), d.start, d.end, d.timezone,
                      who=d.participant.public_id)
               for d in DemandRequest.objects.select_related("participant")]
    today = timezone.now().date()
    tables = [(z, aggregate(windows, z, today)) for z in dict.fromkeys(["UTC", zone])]
    components = sorted({w.component for w in windows})
    names = {}
    for version in ProgramVersion.objects.all():
        names.update({c.code: c.name for c in version.program.components.values()})
    return render(request, "enrollment/staff_demand.html", {
        "tables": [(z, t, [(c, names.get(c, c), [
            (band, [t.count(c, day, band) for day in WEEKDAYS]) for band in t.bands()
        ]) for c in components]) for z, t in tables],
        "weekdays": WEEKDAYS, "zone": zone, "error": error,
        "people": DemandRequest.objects.values("participant").distinct().count(),
    }, status=400 if error else 200)
