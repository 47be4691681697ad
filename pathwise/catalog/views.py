"""Staff views of the catalogue: every offering with its seats, gaps, and meeting changes."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pathwise.catalog.actions import cancel_meeting, move_meeting
from pathwise.catalog.forms import MeetingChangeForm
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.core.errors import PathwiseError
from pathwise.core.offerings import occurrences, years_without
from pathwise.core.when import day_text
from pathwise.site.access import staff_actor

PAGE_SIZE = 25
WHEN = {"upcoming": "Not ended yet", "past": "Ended", "all": "All"}


def _gaps(today: dt.date) -> list[tuple[ProgramVersion, int, list[str]]]:
    """Per program version and calendar year, the mini-workshops with no run in it."""
    gaps = []
    for version in ProgramVersion.objects.all():
        mine = [o.to_core() for o in Offering.objects.filter(program_version=version)
                .select_related("intake")]
        if not mine:
            continue
        workshops = [c.code for c in version.program.components.values()
                     if c.kind == "mini-workshop"]
        first = min(o.starts_on.year for o in mine)
        last = max(today.year, *(o.starts_on.year for o in mine))
        for year, missing in years_without(workshops, mine, range(first, last + 1)).items():
            if missing:
                gaps.append((version, year, missing))
    return gaps


@login_required
def staff_catalogue(request: HttpRequest) -> HttpResponse:
    """Every run with its seats, a page at a time: by when, component and code."""
    staff_actor(request)
    today = timezone.now().date()
    errors = []
    when = request.GET.get("when", "upcoming")
    if when not in WHEN:
        errors.append(f"Unknown choice {when!r} for when; showing runs not ended yet.")
        when = "upcoming"
    component = request.GET.get("component", "")
    q = request.GET.get("q", "").strip()[:40]
    runs = (Offering.objects.select_related("program_version", "intake")
            .annotate(taken=Count("seats", filter=Q(seats__status="enrolled")),
                      waiting=Count("seats", filter=Q(seats__status="waitlisted")))
            .order_by("starts_on", "code"))
    if when == "upcoming":
        runs = runs.filter(ends_on__gte=today)
    elif when == "past":
        runs = runs.filter(ends_on__lt=today).order_by("-starts_on", "code")
    if component:
        runs = runs.filter(component=component)
    if q:
        runs = runs.filter(code__icontains=q)
    names: dict[str, str] = {}
    for version in ProgramVersion.objects.all():
        names.update({c.code: c.name for c in version.program.components.values()})
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    for run in page.object_list:
        run.component_name = names.get(run.component, run.component)  # type: ignore[attr-defined]
    return render(request, "catalog/staff_catalogue.html", {
        "page": page, "offerings": page.object_list, "gaps": _gaps(today), "today": today,
        "when": when, "whens": WHEN.items(), "component": component, "q": q,
        "components": sorted(names.items(), key=lambda item: item[1]), "errors": errors,
    }, status=400 if errors else 200)


@login_required
def run_meetings(request: HttpRequest, code: str) -> HttpResponse:
    """One run's actual meetings, each to move a week or (after confirming) cancel."""
    staff_actor(request)
    offering = get_object_or_404(Offering.objects.select_related("program_version"), code=code)
    now = timezone.now()
    meetings = list(occurrences(offering.to_core()))
    return render(request, "catalog/run_meetings.html", {
        "offering": offering, "meetings": [m for m in meetings if m[0] > now],
        "held": sum(1 for m in meetings if m[0] <= now),
        "name": _component_name(offering), "holders": _holders(offering),
    })


@login_required
def confirm_cancel(request: HttpRequest, code: str, day: str) -> HttpResponse:
    """What cancelling one meeting does, before it is done."""
    staff_actor(request)
    offering = get_object_or_404(Offering.objects.select_related("program_version"), code=code)
    form = MeetingChangeForm({"date": day, "action": "cancel"})
    if not form.is_valid():
        raise Http404
    when = form.cleaned_data["date"]
    meeting = next(((s, e) for s, e in occurrences(offering.to_core()) if s.date() == when),
                   None)
    if meeting is None:
        raise Http404
    return render(request, "catalog/confirm_cancel.html", {
        "offering": offering, "start": meeting[0], "end": meeting[1], "day": when,
        "name": _component_name(offering), "holders": _holders(offering),
    })


def _component_name(offering: Offering) -> str:
    component = offering.program_version.program.components.get(offering.component)
    return component.name if component else offering.component


def _holders(offering: Offering) -> int:
    return offering.seats.filter(status="enrolled").count()


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
        return redirect("staff-run-meetings", code=code)
    day = form.cleaned_data["date"]
    try:
        if form.cleaned_data["action"] == "move":
            move_meeting(actor, offering, day, day + dt.timedelta(days=7))
            messages.success(request, f"{code}: the {day_text(day)} meeting moved a week "
                                      "later; calendars show the new date.")
        else:
            cancel_meeting(actor, offering, day)
            messages.success(request, f"{code}: the {day_text(day)} meeting is cancelled; "
                                      "calendars drop it.")
    except PathwiseError as exc:
        messages.error(request, str(exc))
    return redirect("staff-run-meetings", code=code)
