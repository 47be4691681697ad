"""Onboarding pages: the public interest form, staff accepting and adding people, and a
new participant's first steps (password, zone and times, first plan)."""

from __future__ import annotations

import dataclasses

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from pathwise.accounts.throttle import client_address
from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Intake
from pathwise.core.errors import PathwiseError
from pathwise.core.fees import Money, enrollment_fee
from pathwise.enrollment.actions import enrollee
from pathwise.enrollment.catalogue_views import when
from pathwise.onboarding import actions
from pathwise.onboarding.forms import (
    AcceptForm,
    CsvForm,
    InterestForm,
    PasswordForm,
    PersonForm,
    WelcomeForm,
)
from pathwise.onboarding.models import ExpressionOfInterest
from pathwise.participants.models import Participant
from pathwise.site.access import staff_actor
from pathwise.standing.read import standing_of

PAGE_SIZE = 25
MAX_CSV_BYTES = 1_000_000


def _refused(form: forms.Form, error: PathwiseError) -> None:
    """Show an action's refusal against the field it names, or over the form."""
    name = getattr(error, "field", None)
    if name in form.fields:
        form.add_error(name, getattr(error, "message", str(error)))
    else:
        form.add_error(None, str(error))


def _zones() -> list[str]:
    return sorted(actions.known_zones())


def interest(request: HttpRequest) -> HttpResponse:
    form = InterestForm(request.POST or None, courses=actions.course_choices())
    status = 200
    if request.method == "POST":
        if form.is_valid() and form.cleaned_data["website"]:
            # A robot filled the hidden field: thank it as a person, keep nothing.
            return redirect("interest-thanks")
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.express_interest(
                    name=data["name"], email=data["email"], timezone_name=data["timezone"],
                    organization=data["organization"], courses=data["courses"],
                    availability=form.windows(), payment=data["payment"],
                    message=data["message"], client=client_address(request))
            except actions.ThrottledError as exc:
                form.add_error(None, str(exc))
                status = 429
            except PathwiseError as exc:
                _refused(form, exc)
            else:
                return redirect("interest-thanks")
        if status == 200:
            status = 400
    return render(request, "onboarding/interest.html", {
        "form": form, "zones": _zones(), "windows": form.window_rows()}, status=status)


def interest_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "onboarding/interest_thanks.html")


STATUSES = [("pending", "Pending"), ("accepted", "Accepted"), ("declined", "Declined"),
            ("all", "All")]


@login_required
def staff_interest(request: HttpRequest) -> HttpResponse:
    staff_actor(request)
    wanted = request.GET.get("status", "pending")
    errors = []
    if wanted not in dict(STATUSES):
        errors.append(f"{wanted[:40]!r} is not a status; showing pending ones.")
        wanted = "pending"
    q = request.GET.get("q", "").strip()[:100]
    rows = ExpressionOfInterest.objects.select_related("participant", "intake")
    if wanted != "all":
        rows = rows.filter(status=wanted)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(email__icontains=q)
                           | Q(organization__icontains=q))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = {key: ExpressionOfInterest.objects.filter(status=key).count()
              for key, _ in STATUSES[:3]}
    return render(request, "onboarding/staff_interest.html", {
        "page": page, "rows": page.object_list, "statuses": STATUSES, "wanted": wanted,
        "q": q, "counts": counts, "errors": errors},
        status=400 if errors else 200)


@login_required
def interest_detail(request: HttpRequest, interest_id: int) -> HttpResponse:
    actor = staff_actor(request)
    row = get_object_or_404(ExpressionOfInterest, pk=interest_id)
    today = timezone.localdate()
    form = AcceptForm(request.POST or None, intakes=actions.open_intakes(today))
    if request.method == "POST" and form.is_valid():
        try:
            participant = actions.accept_interest(row, form.cleaned_data["intake"], actor,
                                                  today=today)
        except PathwiseError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"{participant.name} is now {participant.public_id} in "
                                      f"intake {form.cleaned_data['intake'].code}; their "
                                      "invitation e-mail is on its way.")
            return redirect("staff-interest")
    return render(request, "onboarding/interest_detail.html", {
        "row": row, "form": form,
        "courses": dict(actions.course_choices())},
        status=400 if form.errors else 200)


@login_required
def decline(request: HttpRequest, interest_id: int) -> HttpResponse:
    actor = staff_actor(request)
    row = get_object_or_404(ExpressionOfInterest, pk=interest_id)
    error = None
    if request.method == "POST":
        try:
            actions.decline_interest(row, actor)
        except PathwiseError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Declined the interest of {row.name}.")
            return redirect("staff-interest")
    return render(request, "onboarding/decline.html", {"row": row, "error": error},
                  status=400 if error else 200)


@login_required
def add_person(request: HttpRequest) -> HttpResponse:
    actor = staff_actor(request)
    today = timezone.localdate()
    form = PersonForm(request.POST or None, intakes=actions.open_intakes(today))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            participant = actions.add_participant(
                name=data["name"], email=data["email"], timezone_name=data["timezone"],
                organization=data["organization"], intake=data["intake"], actor=actor,
                today=today)
        except PathwiseError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Added {participant.public_id} {participant.name}; "
                                      "their invitation e-mail is on its way.")
            return redirect("staff-add-participant")
    return render(request, "onboarding/add_person.html", {"form": form, "zones": _zones()},
                  status=400 if form.errors else 200)


def _csv_text(form: CsvForm) -> str:
    upload = form.cleaned_data.get("file")
    if upload is not None:
        if upload.size > MAX_CSV_BYTES:
            raise PathwiseError(f"the file is {upload.size} bytes; at most {MAX_CSV_BYTES}")
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise PathwiseError("the file is not UTF-8 text: save it as CSV UTF-8") from None
    text = str(form.cleaned_data.get("text") or "")
    if not text.strip():
        raise PathwiseError("choose a CSV file or paste its text")
    return text


@login_required
def import_people(request: HttpRequest) -> HttpResponse:
    """Upload, see every row checked, then save them all (or, any row wrong, none)."""
    actor = staff_actor(request)
    today = timezone.localdate()
    form = CsvForm(request.POST or None, request.FILES or None,
                   intakes=actions.open_intakes(today))
    checked = None
    text = ""
    if request.method == "POST" and form.is_valid():
        intake: Intake | None = form.cleaned_data.get("intake")
        try:
            text = _csv_text(form)
            if request.POST.get("save") == "yes":
                added = actions.import_csv(text, actor, intake=intake, today=today)
                messages.success(request, f"Added {len(added)} people "
                                          f"({', '.join(p.public_id for p in added)}); each is "
                                          "sent an invitation e-mail.")
                return redirect("staff-import-participants")
            checked = actions.check_csv(text, intake=intake, today=today)
        except PathwiseError as exc:
            form.add_error(None, str(exc))
            if text:
                checked = actions.check_csv(text, intake=intake, today=today)
    bad = form.errors or (checked is not None and not checked.ok)
    return render(request, "onboarding/import.html", {
        "form": form, "checked": checked, "text": text}, status=400 if bad else 200)


@login_required
def invitation(request: HttpRequest, public_id: str) -> HttpResponse:
    """A participant's invitations, and sending a new one (the older links stop working)."""
    actor = staff_actor(request)
    participant = get_object_or_404(Participant, public_id=public_id)
    error = None
    if request.method == "POST":
        try:
            sent = actions.send_invitation(participant, actor)
        except PathwiseError as exc:
            error = str(exc)
        else:
            messages.success(request, f"A new invitation is on its way to {participant.email}; "
                                      f"it works until {sent.expires_at:%Y-%m-%d %H:%M} UTC.")
            return redirect("staff-invitation", public_id=participant.public_id)
    return render(request, "onboarding/invitation.html", {
        "participant": participant, "invitations": participant.invitations.all()[:10],
        "error": error, "now": timezone.now(), "username": actions.username_of(participant)},
        status=400 if error else 200)


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: choose a password, then go on to confirm zone and times."""
    try:
        found = actions.invitation_for(token)
    except actions.InvitationError as exc:
        return render(request, "onboarding/set_password.html", {"invalid": str(exc)},
                      status=400)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.accept_invitation(token, form.cleaned_data["password1"],
                                             form.cleaned_data["password2"])
        except actions.InvitationError as exc:
            return render(request, "onboarding/set_password.html", {"invalid": str(exc)},
                          status=400)
        except PathwiseError as exc:
            _refused(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("welcome")
    return render(request, "onboarding/set_password.html", {
        "form": form, "participant": found.participant,
        "username": actions.username_of(found.participant)},
        status=400 if form.errors else 200)


def _own(request: HttpRequest) -> Participant:
    participant = getattr(request.user, "participant", None)
    if not isinstance(participant, Participant):
        raise PermissionDenied("Only participants confirm their own zone and times.")
    return participant


@login_required
def welcome(request: HttpRequest) -> HttpResponse:
    """First sign-in: confirm the zone and the weekly times the planner plans within."""
    participant = _own(request)
    form = WelcomeForm(request.POST or None, initial={"timezone": participant.timezone})
    if request.method != "POST":
        form.initial_windows(participant.availability)
    if request.method == "POST" and form.is_valid():
        try:
            actions.confirm_welcome(participant, form.cleaned_data["timezone"], form.windows(),
                                    Actor(request.user.get_username(), participant.user))
        except PathwiseError as exc:
            _refused(form, exc)
        else:
            return redirect("welcome-plan")
    return render(request, "onboarding/welcome.html", {
        "form": form, "zones": _zones(), "windows": form.window_rows(),
        "participant": participant}, status=400 if form.errors else 200)


@login_required
def welcome_plan(request: HttpRequest) -> HttpResponse:
    """Their first plan, to take in one step (by the planner page's own action) or skip."""
    participant = _own(request)
    found = standing_of(participant)
    if found is None:
        raise PermissionDenied("You are not enrolled in a program.")
    plan = found.standing.plan
    program = found.program
    who = enrollee(participant, found.today)
    steps = []
    total = Money.zero(program.fees.currency if program.fees else "USD")
    for step in plan.steps if plan is not None else ():
        run = found.catalogue.rows.get(step.offering.id) if step.offering is not None else None
        fee = None
        if step.offering is not None and not step.held:
            quoted = enrollment_fee(program, who, step.offering)
            who = dataclasses.replace(who, runs=(*who.runs, step.offering))
            if not quoted.free:
                fee = quoted
                total = total + quoted.fee
        steps.append({"step": step, "name": program.components[step.component].name,
                      "offering": run, "fee": fee,
                      "when": when(run, participant.timezone) if run is not None else None})
    return render(request, "onboarding/welcome_plan.html", {
        "participant": participant, "found": found, "plan": plan, "steps": steps,
        "total_fee": total if total.amount else None, "zone": participant.timezone,
        "to_enroll": any(s.offering is not None and not s.held
                         for s in (plan.steps if plan is not None else ())),
    })
