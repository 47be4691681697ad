"""Staff views of the catalogue: every offering with its seats, gaps, and meeting changes."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pathwise.catalog.actions import (
    ImportRefusedError,
    OrientationPlan,
    cancel_meeting,
    export_offerings,
    import_offerings,
    instructors_of,
    move_intake,
    move_meeting,
    newest_version,
    open_intake,
    publish_offering,
    set_published,
    unknown_version,
    version_named,
    versions_with_runs,
)
from pathwise.catalog.forms import (
    IntakeForm,
    IntakeMoveForm,
    MeetingChangeForm,
    MoveMeetingForm,
    OfferingsUploadForm,
    RunForm,
    run_initial,
)
from pathwise.catalog.models import Intake, Offering, ProgramVersion
from pathwise.core.catalogue import term_warnings
from pathwise.core.errors import PathwiseError
from pathwise.core.offerings import occurrences
from pathwise.core.when import day_text
from pathwise.site.access import staff_actor

PAGE_SIZE = 25
WHEN = {"upcoming": "Not ended yet", "past": "Ended", "all": "All"}


def _gaps(today: dt.date) -> list[tuple[ProgramVersion, int, list[str]]]:
    """Per program version and calendar year, what its published runs leave out of the
    program's cadences (`core.catalogue.term_warnings`)."""
    gaps: list[tuple[ProgramVersion, int, list[str]]] = []
    for version in ProgramVersion.objects.all():
        mine = [o.to_core() for o in Offering.objects.filter(program_version=version,
                                                             published=True)
                .select_related("intake")]
        if not mine:
            continue
        first = min(o.starts_on.year for o in mine)
        last = max(today.year, *(o.starts_on.year for o in mine))
        by_year: dict[int, list[str]] = {}
        for warning in term_warnings(version.program, mine, range(first, last + 1)):
            year, what = warning.split(": ", 1)
            by_year.setdefault(int(year), []).append(what)
        gaps.extend((version, year, what) for year, what in sorted(by_year.items()))
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
        "export_versions": versions_with_runs(),
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


@login_required
def move_to(request: HttpRequest, code: str) -> HttpResponse:
    """Move one meeting to any other day; those enrolled are told."""
    actor = staff_actor(request)
    offering = get_object_or_404(Offering.objects.select_related("program_version"), code=code)
    form = MoveMeetingForm(request.POST or None, initial={"date": request.GET.get("date", "")})
    error = None
    if request.method == "POST" and form.is_valid():
        day, to = form.cleaned_data["date"], form.cleaned_data["to"]
        try:
            told = move_meeting(actor, offering, day, to)
        except PathwiseError as exc:
            error = str(exc)
        else:
            messages.success(request, f"{code}: the {day_text(day)} meeting moved to "
                                      f"{day_text(to)}; {told} enrolled told, calendars "
                                      "show the new day.")
            return redirect("staff-run-meetings", code=code)
    bad = request.method == "POST"
    return render(request, "catalog/move_meeting.html", {
        "offering": offering, "form": form, "error": error, "name": _component_name(offering),
        "holders": _holders(offering),
    }, status=400 if bad else 200)


@login_required
def intake_new(request: HttpRequest) -> HttpResponse:
    """A new intake, opening with its orientation runs."""
    actor = staff_actor(request)
    form = IntakeForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            intake = open_intake(actor, d["program_version"], d["code"], d["starts_on"],
                                 OrientationPlan(d["time"], d["minutes"], d["timezone"],
                                                 d["capacity"]))
        except PathwiseError as exc:
            error = str(exc)
        else:
            count = intake.offerings.count()
            messages.success(request, f"Intake {intake.code} is open, with its {count} "
                                      "orientation runs.")
            return redirect(f"{_catalogue_url()}?q={intake.code}")
    return render(request, "catalog/intake_form.html", {
        "form": form, "error": error, "intake": None,
    }, status=400 if request.method == "POST" else 200)


@login_required
def intake_edit(request: HttpRequest, intake: str) -> HttpResponse:
    """Start an intake on another day; its orientation runs move with it."""
    actor = staff_actor(request)
    found = get_object_or_404(Intake, code=intake)
    form = IntakeMoveForm(request.POST or None, initial={"starts_on": found.starts_on})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            move_intake(actor, found, form.cleaned_data["starts_on"])
        except PathwiseError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Intake {found.code} now starts on "
                                      f"{day_text(form.cleaned_data['starts_on'])}.")
            return redirect(f"{_catalogue_url()}?q={found.code}")
    return render(request, "catalog/intake_form.html", {
        "form": form, "error": error, "intake": found,
        "runs": found.offerings.order_by("starts_on"),
    }, status=400 if request.method == "POST" else 200)


def _catalogue_url() -> str:
    return reverse("staff-catalogue")


@login_required
def run_new(request: HttpRequest) -> HttpResponse:
    """A new run, unpublished until staff publish it."""
    return _run_form(request, None)


@login_required
def run_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Change a run; one with seats keeps its dates, meetings and their seats."""
    offering = get_object_or_404(Offering.objects.select_related("program_version", "intake"),
                                 code=code)
    return _run_form(request, offering)


def _run_form(request: HttpRequest, offering: Offering | None) -> HttpResponse:
    actor = staff_actor(request)
    initial = run_initial(offering, instructors_of(offering)) if offering else {}
    form = RunForm(request.POST or None, initial=initial, editing=offering)
    error = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = form.run_fields()
        if offering is None:
            fields["published"] = False
        try:
            run = publish_offering(actor, d["program_version"], d["code"],
                                   instructors=d["instructors"], **fields)
        except PathwiseError as exc:
            error = str(exc)
        else:
            state = "published" if run.published else "not published yet"
            messages.success(request, f"{run.code} is saved ({state}).")
            return redirect(f"{_catalogue_url()}?q={run.code}&when=all")
    return render(request, "catalog/run_form.html", {
        "form": form, "error": error, "offering": offering,
        "holders": _holders(offering) if offering else 0,
    }, status=400 if request.method == "POST" else 200)


@login_required
def run_publish(request: HttpRequest, code: str) -> HttpResponse:
    """Publish a run, or (after confirming) take it out of participants' catalogues."""
    actor = staff_actor(request)
    offering = get_object_or_404(Offering.objects.select_related("program_version"), code=code)
    error = None
    if request.method == "POST":
        publish = request.POST.get("published") == "yes"
        try:
            set_published(actor, offering, publish)
        except PathwiseError as exc:
            error = str(exc)
        else:
            messages.success(request, f"{code} is published: participants see it." if publish
                             else f"{code} is unpublished: participants no longer see it.")
            return redirect(f"{_catalogue_url()}?q={code}&when=all")
    return render(request, "catalog/run_publish.html", {
        "offering": offering, "error": error, "name": _component_name(offering),
        "holders": _holders(offering),
    }, status=400 if error else 200)


MAX_OFFERINGS_BYTES = 2_000_000
_IMPORT_KEY = "offerings-import"


@login_required
def offerings_import(request: HttpRequest) -> HttpResponse:
    """An offerings file: uploaded, previewed (what it adds and changes, what the term
    leaves out), then imported all or nothing. The file is kept in the session between
    the preview and "Import", so what is imported is what was previewed."""
    actor = staff_actor(request)
    form = OfferingsUploadForm()
    problems: list[str] = []
    report = None
    upload = request.FILES.get("file") if request.method == "POST" else None
    if upload is not None:
        data = upload.read(MAX_OFFERINGS_BYTES + 1)
        name = (upload.name or "offerings.json")[:200]
        if len(data) > MAX_OFFERINGS_BYTES:
            request.session.pop(_IMPORT_KEY, None)
            problems = [f"{name}: larger than {MAX_OFFERINGS_BYTES:,} bytes"]
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                request.session.pop(_IMPORT_KEY, None)
                problems = [f"{name}: not UTF-8 text"]
            else:
                request.session[_IMPORT_KEY] = {"name": name, "text": text}
    elif request.method == "POST" and request.POST.get("action") != "import":
        problems = ["Choose the offerings file to preview."]
    kept = request.session.get(_IMPORT_KEY) if not problems else None
    if kept is not None and request.method == "POST":
        importing = request.POST.get("action") == "import"
        try:
            report = import_offerings(actor, kept["text"], source=kept["name"],
                                      dry_run=not importing)
        except ImportRefusedError as exc:
            problems = exc.problems
        except PathwiseError as exc:
            problems = [str(exc)]
        else:
            if importing:
                request.session.pop(_IMPORT_KEY, None)
                counts = report.counts()
                messages.success(request, f"{kept['name']} is imported: {counts['new']} new, "
                                          f"{counts['changed']} changed, {counts['unchanged']} "
                                          "unchanged.")
                return redirect("staff-catalogue")
    elif request.method == "POST" and not problems:
        problems = ["Choose the offerings file to preview."]
    return render(request, "catalog/offerings_import.html", {
        "form": form, "problems": problems, "report": report,
        "name": kept["name"] if kept else None,
    }, status=400 if problems else 200)


@login_required
def offerings_export(request: HttpRequest) -> HttpResponse:
    """A program version's offerings file (`?version=PROGRAM/VERSION`, the newest with
    runs by default), to download."""
    staff_actor(request)
    named = request.GET.get("version", "")
    if named:
        found = version_named(named)
        if found is None:
            return HttpResponse(f"version: {unknown_version(named)}\n", status=400,
                                content_type="text/plain; charset=utf-8")
    else:
        found = newest_version()
        if found is None:
            raise Http404("No runs to export yet.")
    version = found
    response = HttpResponse(export_offerings(version), content_type="application/json")
    response["Content-Disposition"] = (
        f'attachment; filename="offerings-{version.program_id}-{version.version}.json"')
    return response
