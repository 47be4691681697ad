"""A run's pages: the index, its roster, a meeting's register, its grades and its outcomes.

Every view first asks `pathwise.runs.access` who may see the run, then reads
(`pathwise.runs.read`, the stored standing) and calls actions; none writes.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.core.attendance import MAX_BYTES
from pathwise.core.errors import AttendanceFileError, PathwiseError
from pathwise.core.fees import Money
from pathwise.core.when import day_text
from pathwise.enrollment.actions import (
    FeeNotAcceptedError,
    change_seat,
    give_up_seat,
    promote_from_waitlist,
    quote_change,
    seat_quote,
    take_seat,
)
from pathwise.enrollment.models import Seat
from pathwise.participants.models import Participant
from pathwise.runs import actions
from pathwise.runs.access import RunAccess, run_for, runs_visible, staff_run_for
from pathwise.runs.models import Attendance, Grade
from pathwise.runs.read import component_of, enrolled, meetings, outcomes
from pathwise.site.downloads import download, safe_filename
from pathwise.standing.models import StandingRow

PAGE_SIZE = 25
WHEN = {"current": "In progress, upcoming or just ended", "past": "Ended", "all": "All"}
# Grading and outcomes come after a run's last meeting: it stays among the current ones
# this long after it ends, so whoever still has to grade it finds it first.
JUST_ENDED = dt.timedelta(weeks=8)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The runs this viewer works on, those in progress first, a page at a time."""
    today = timezone.now().date()
    runs = runs_visible(request)
    when = request.GET.get("when", "current")
    errors = []
    if when not in WHEN:
        errors.append(f"Unknown choice {when[:20]!r} for runs; showing the current ones.")
        when = "current"
    q = request.GET.get("q", "").strip()[:40]
    component = request.GET.get("component", "")[:40]
    runs = runs.annotate(
        taken=Count("seats", filter=Q(seats__status=Seat.ENROLLED)),
        waiting=Count("seats", filter=Q(seats__status=Seat.WAITLISTED)),
        phase=Case(When(starts_on__lte=today, ends_on__gte=today, then=Value(0)),
                   When(starts_on__gt=today, then=Value(1)), default=Value(2),
                   output_field=IntegerField()),
    ).order_by("phase", "starts_on", "code")
    if when == "current":
        runs = runs.filter(ends_on__gte=today - JUST_ENDED)
    elif when == "past":
        runs = runs.filter(ends_on__lt=today).order_by("-ends_on", "code")
    if q:
        runs = runs.filter(code__icontains=q)
    if component:
        runs = runs.filter(component=component)
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    for run in page.object_list:
        run.component_name = component_of(run).name  # type: ignore[attr-defined]
    components = sorted(_components(request), key=lambda c: c[1])
    return render(request, "runs/index.html", {
        "page": page, "runs": page.object_list, "q": q, "when": when, "whens": WHEN.items(),
        "component": component, "components": components, "errors": errors, "today": today,
    }, status=400 if errors else 200)


def _components(request: HttpRequest) -> set[tuple[str, str]]:
    """The components of the runs this viewer sees, with their names, for the filter."""
    versions = {v.pk: v.program for v in ProgramVersion.objects.all()}
    pairs = runs_visible(request).order_by().values_list("component",
                                                         "program_version").distinct()
    return {(code, versions[version].components[code].name) for code, version in pairs}


def _roster_rows(offering: Offering) -> list[dict[str, Any]]:
    seats = list(Seat.objects.filter(offering=offering, status__in=[Seat.ENROLLED,
                                                                    Seat.WAITLISTED])
                 .select_related("participant").order_by("status", "queue_number"))
    standing = {r.participant_id: r for r in StandingRow.objects.filter(
        participant__in=[s.participant_id for s in seats])}
    now = timezone.now()
    rows = []
    place = 0
    for seat in seats:
        row = standing.get(seat.participant_id)
        waiting = seat.status == Seat.WAITLISTED
        place += waiting
        rows.append({"seat": seat, "participant": seat.participant,
                     "left": row.left if row else [], "status": row.status if row else "",
                     "place": place if waiting else None,
                     "quote": None if waiting else quote_change(seat, now)})
    return rows


def _roster_context(access: RunAccess) -> dict[str, Any]:
    offering = access.offering
    now = timezone.now()
    rows = _roster_rows(offering)
    context: dict[str, Any] = {
        "offering": offering, "component": component_of(offering), "staff": access.staff,
        "enrolled": [r for r in rows if r["seat"].status == Seat.ENROLLED],
        "waiting": [r for r in rows if r["seat"].status == Seat.WAITLISTED],
        "meetings": [{"start": s, "end": e, "held": s <= now} for s, e in meetings(offering)],
        "instructors": list(offering.instructors.select_related("user")),
        "zone": offering.timezone,
    }
    if access.staff:
        context["other_runs"] = list(Offering.objects.filter(
            component=offering.component, program_version=offering.program_version)
            .exclude(pk=offering.pk).filter(ends_on__gte=now.date()).order_by("starts_on"))
    return context


@login_required
def roster(request: HttpRequest, code: str) -> HttpResponse:
    access = run_for(request, code)
    return render(request, "runs/roster.html", _roster_context(access))


@login_required
def roster_csv(request: HttpRequest, code: str) -> HttpResponse:
    access = run_for(request, code)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["participant", "name", "email", "timezone", "status", "place",
                     "still needs"])
    for row in _roster_rows(access.offering):
        p = row["participant"]
        writer.writerow([p.public_id, _cell(p.name), p.email or "", p.timezone,
                         row["seat"].status, row["place"] or "",
                         _cell("; ".join(row["left"]))])
    return download(out.getvalue(), content_type="text/csv; charset=utf-8",
                    filename=safe_filename(f"roster-{access.offering.code}.csv"))


def _cell(text: str) -> str:
    # A spreadsheet runs a cell starting with these as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _back(code: str) -> HttpResponse:
    return redirect("run-roster", code=code)


@login_required
@require_POST
def instructors(request: HttpRequest, code: str) -> HttpResponse:
    access = staff_run_for(request, code)
    username = request.POST.get("username", "")
    try:
        if request.POST.get("action") == "remove":
            actions.remove_instructor(access.offering, username, access.actor)
            messages.success(request, f"{username} no longer teaches {code}.")
        else:
            actions.assign_instructor(access.offering, username, access.actor)
            messages.success(request, f"{username.strip()} teaches {code}.")
    except PathwiseError as exc:
        messages.error(request, str(exc))
    return _back(code)


def _seat(offering: Offering, seat_id: str) -> Seat:
    if not seat_id.isdigit():
        raise PathwiseError("choose someone on this run")
    seat = Seat.objects.filter(pk=int(seat_id), offering=offering,
                               status__in=[Seat.ENROLLED, Seat.WAITLISTED]).first()
    if seat is None:
        raise PathwiseError("that place on this run was already given up")
    return seat


@login_required
@require_POST
def seats(request: HttpRequest, code: str) -> HttpResponse:
    """Staff change the run's seats: enroll, drop, move to another run, promote by hand."""
    access = staff_run_for(request, code)
    offering, actor = access.offering, access.actor
    action = request.POST.get("action", "")
    now = timezone.now()
    try:
        if action == "enroll":
            public_id = request.POST.get("participant", "").strip()
            person = Participant.objects.filter(public_id=public_id).first()
            if person is None:
                raise PathwiseError(f"nobody has the participant id {public_id[:40]!r}")
            quoted = seat_quote(person, offering, now.date())
            accept: Money | None = quoted.fee if request.POST.get("accept_fee") else None
            result = take_seat(person, offering, actor, accept_fee=accept)
            where = ("a seat" if result.waitlist_position is None
                     else f"place {result.waitlist_position} on the waitlist")
            messages.success(request, f"{person.name} ({public_id}) has {where} on {code}.")
        elif action == "drop":
            seat = _seat(offering, request.POST.get("seat", ""))
            promoted = give_up_seat(seat, actor)
            messages.success(request, f"{seat.participant.name} no longer holds a place on "
                             f"{code}." + (f" {promoted.participant.name} has the freed seat."
                                           if promoted else ""))
        elif action == "move":
            seat = _seat(offering, request.POST.get("seat", ""))
            to = Offering.objects.filter(code=request.POST.get("to", "")[:40]).first()
            if to is None:
                raise PathwiseError("choose the run to move to")
            waive = request.POST.get("waive", "").strip() or None
            change = change_seat(seat, to, actor, now=now, waive_fee=waive)
            cost = ("free" if change.quote.free else
                   f"fee {change.quote.fee} waived: {waive}" if waive else
                   f"fee {change.quote.fee} charged")
            messages.success(request, f"{seat.participant.name} moved to {to.code} ({cost}).")
        elif action == "promote":
            seat = _seat(offering, request.POST.get("seat", ""))
            promote_from_waitlist(seat, actor)
            messages.success(request, f"{seat.participant.name} has a seat on {code}.")
        else:
            raise PathwiseError(f"{action[:20]!r} is not something to do with a seat")
    except FeeNotAcceptedError as exc:
        messages.error(request, f"{exc} (tick “Accept the fee” to enroll at it).")
    except PathwiseError as exc:
        messages.error(request, str(exc))
    return _back(code)


def _day(day: str) -> dt.date:
    try:
        return dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None


@login_required
def register(request: HttpRequest, code: str, day: str) -> HttpResponse:
    """One meeting's register: present or absent per person, saved in one go."""
    access = run_for(request, code)
    offering = access.offering
    when = _day(day)
    component = component_of(offering)
    error = None
    if request.method == "POST":
        presenter = request.POST.get("presenter") or None
        try:
            actions.record_attendance(offering, when, request.POST.getlist("present"),
                                      access.actor, presenter=presenter)
        except PathwiseError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Attendance for the {day_text(when)} meeting is saved.")
            following = next((s.date() for s, _ in meetings(offering)
                              if s.date() > when and s <= timezone.now()), None)
            if following is not None and request.POST.get("next"):
                return redirect("run-register", code=code, day=following.isoformat())
            return redirect("run-register", code=code, day=day)
    problem = actions.meeting_problem(offering, when, timezone.now())
    all_meetings = meetings(offering)
    meeting = next(((s, e) for s, e in all_meetings if s.date() == when), None)
    if meeting is None and error is None:
        error = problem
    marks = {a.participant_id: a for a in Attendance.objects.filter(offering=offering,
                                                                     day=when)}
    people = [{"participant": p, "mark": marks.get(p.pk)} for p in enrolled(offering)]
    held = [s for s, _ in all_meetings if s <= timezone.now()]
    index = next((i for i, s in enumerate(held) if s.date() == when), None)
    return render(request, "runs/register.html", {
        "offering": offering, "component": component, "day": when, "meeting": meeting,
        "people": people, "error": error, "problem": problem, "recorded": bool(marks),
        "skills_share": component.kind == "skills-share", "zone": offering.timezone,
        "has_next": index is not None and index + 1 < len(held),
        "number": index + 1 if index is not None else None, "count": len(all_meetings),
    }, status=400 if error else 200)


def _import_key(offering: Offering, day: dt.date) -> str:
    return f"attendance-import:{offering.code}:{day.isoformat()}"


def _upload(request: HttpRequest) -> tuple[str, bytes] | None:
    """The export uploaded with this request, read no further than an export can be long."""
    upload = request.FILES.get("export")
    if upload is None:
        return None
    return (upload.name or "export")[:200], upload.read(MAX_BYTES + 1)


@login_required
def register_import(request: HttpRequest, code: str, day: str) -> HttpResponse:
    """A meeting's register from a video-call export: previewed, assigned, then saved.

    The uploaded file is kept in the session between the preview and "Save", so
    the register saved is the one previewed; an upload too large is refused unkept.
    """
    access = run_for(request, code)
    offering = access.offering
    when = _day(day)
    key = _import_key(offering, when)
    error = None
    uploaded = _upload(request) if request.method == "POST" else None
    if uploaded is not None:
        name, data = uploaded
        if len(data) > MAX_BYTES:
            request.session.pop(key, None)
            error = (f"{name}: the file is larger than {MAX_BYTES:,} bytes; an attendance "
                     "export is smaller")
        else:
            request.session[key] = {"name": name, "data": base64.b64encode(data).decode()}
    kept = request.session.get(key)
    if kept is None:
        if error is None and request.method == "POST":
            error = "Choose the export file to import."
        if error is None:
            return redirect("run-register", code=code, day=day)
        return render(request, "runs/register_import.html", {
            "offering": offering, "day": when, "error": error, "result": None},
            status=400)
    name, data = kept["name"], base64.b64decode(kept["data"])
    assignments = {k.removeprefix("assign:"): request.POST.get(k, "") for k in request.POST
                   if k.startswith("assign:") and request.POST.get(k)}
    saving = request.method == "POST" and request.POST.get("action") == "save"
    result = None
    try:
        result = actions.import_attendance(offering, when, data, access.actor,
                                           dry_run=not saving, assignments=assignments,
                                           source=name)
    except AttendanceFileError as exc:
        request.session.pop(key, None)  # a file that cannot be read is not kept
        error = str(exc)
    except PathwiseError as exc:
        error = str(exc)
    else:
        if saving:
            request.session.pop(key, None)
            messages.success(request, f"Attendance for the {day_text(when)} meeting is saved "
                                      f"from {name}.")
            return redirect("run-register", code=code, day=day)
    people = {p.public_id: p for p in enrolled(offering)}
    return render(request, "runs/register_import.html", {
        "offering": offering, "day": when, "error": error, "result": result, "name": name,
        "people": people.values(), "assignments": assignments,
        "present": [(people[i], result.minutes.get(i)) for i in result.present]
        if result else [],
        "absent": [(people[i], result.minutes.get(i)) for i in result.absent] if result else [],
    }, status=400 if error else 200)


@login_required
def grades(request: HttpRequest, code: str) -> HttpResponse:
    """Each enrolled person's assessments (as the program names them): result and feedback."""
    access = run_for(request, code)
    offering = access.offering
    component = component_of(offering)
    error = None
    if request.method == "POST":
        try:
            actions.record_grade(offering, request.POST.get("participant", ""),
                                 request.POST.get("assessment", ""),
                                 request.POST.get("result", ""), access.actor,
                                 feedback=request.POST.get("feedback", ""))
        except PathwiseError as exc:
            error = str(exc)
        else:
            messages.success(request, "The grade is saved; the participant is e-mailed.")
            return redirect("run-grades", code=code)
    given = {(g.participant_id, g.assessment): g for g in Grade.objects.filter(
        offering=offering)}
    rows = [{"participant": p, "grades": [{"assessment": a, "grade": given.get((p.pk, a))}
                                          for a in component.known_assessments]}
            for p in enrolled(offering)]
    return render(request, "runs/grades.html", {
        "offering": offering, "component": component, "rows": rows, "error": error,
        "results": Grade.RESULT_CHOICES,
    }, status=400 if error else 200)


@login_required
def outcome_list(request: HttpRequest, code: str) -> HttpResponse:
    """Per person, passed / failed / incomplete and why, before and after it is final."""
    access = staff_run_for(request, code)
    offering = access.offering
    rows = outcomes(offering)
    course = component_of(offering).graduation is not None
    return render(request, "runs/outcomes.html", {
        "offering": offering, "component": component_of(offering), "rows": rows,
        "pending": sum(1 for r in rows if r.final is None and r.outcome.record is not None),
        "corrections": actions.CORRECTIONS[:2] if course else actions.CORRECTIONS[2:],
    })


@login_required
@require_POST
def make_final(request: HttpRequest, code: str) -> HttpResponse:
    access = staff_run_for(request, code)
    try:
        done = actions.finalise_outcomes(access.offering, access.actor)
    except PathwiseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{len(done)} outcome{'s' if len(done) != 1 else ''} made "
                         "final: their records are written.")
    return redirect("run-outcomes", code=code)


@login_required
@require_POST
def correct(request: HttpRequest, code: str) -> HttpResponse:
    access = staff_run_for(request, code)
    public_id = request.POST.get("participant", "")
    try:
        actions.correct_outcome(access.offering, public_id, request.POST.get("result", ""),
                                request.POST.get("reason", ""), access.actor)
    except PathwiseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{public_id}'s outcome on {code} is corrected.")
    return redirect("run-outcomes", code=code)
