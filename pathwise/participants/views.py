"""Staff's actions on a participant (credit, extensions, withdrawal, job changes) and a
participant's own change of employer. Each page shows a small form and calls one action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.core.errors import PathwiseError
from pathwise.core.when import day_text
from pathwise.onboarding.actions import open_intakes, orientation_day, place_in_intake
from pathwise.participants import actions
from pathwise.participants import forms as f
from pathwise.participants import models as m
from pathwise.participants.progress import current_enrollment
from pathwise.site.access import participant_for, staff_actor


def _form_page(request: HttpRequest, form: forms.Form, act: Callable[[], str], *,
               back: str, context: dict[str, Any]) -> HttpResponse:
    """Show the form; on a valid POST call `act` (its message on success), else say why."""
    if request.method == "POST" and form.is_valid():
        try:
            done = act()
        except PathwiseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect(back)
    return render(request, "participants/action_form.html", {"form": form, "back": back,
                                                             **context},
                  status=400 if request.method == "POST" else 200)


def _staff_and_participant(request: HttpRequest, public_id: str,
                           ) -> tuple[Actor, m.Participant, m.Enrollment]:
    actor = staff_actor(request)
    participant = participant_for(request, public_id)
    enrollment = current_enrollment(participant)
    if enrollment is None:
        raise Http404
    return actor, participant, enrollment


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
def credit(request: HttpRequest, public_id: str) -> HttpResponse:
    actor, participant, enrollment = _staff_and_participant(request, public_id)
    form = f.CreditForm(enrollment.program_version.program, _data(request))

    def act() -> str:
        data = form.cleaned_data
        actions.grant_credit(participant, data["component"], basis=data["basis"],
                             on=data["date"], actor=actor,
                             assessments=form.assessment_results(),
                             conditions_met=data["conditions_met"])
        return f"Credited {data['component']} to {participant.name}."

    return _form_page(request, form, act, back=reverse("progress", args=[public_id]), context={
        "participant": participant, "title": f"Grant prior-learning credit to {participant.name}",
        "intro": "The credit becomes a “credited” record in their records file. It counts "
                 "towards certification (and earns the course's badge) once its conditions "
                 "are met; a credit still waiting for its conditions is replaced by a new one "
                 "for the same course.",
        "submit": "Grant the credit"})


@login_required
def extend(request: HttpRequest, public_id: str) -> HttpResponse:
    actor, participant, enrollment = _staff_and_participant(request, public_id)
    form = f.ExtendForm(_data(request))

    def act() -> str:
        data = form.cleaned_data
        actions.extend_deadline(participant, data["until"], data["reason"], actor)
        return f"{participant.name}'s deadline is now {day_text(data['until'])}; they are told."

    return _form_page(request, form, act, back=reverse("progress", args=[public_id]), context={
        "participant": participant, "title": f"Extend {participant.name}'s deadline",
        "intro": f"Their deadline is {day_text(actions.current_deadline(enrollment))}. The "
                 "new one must be later, and at most three years after it (or after today, "
                 "once it has passed). They are e-mailed the new date and your reason; an "
                 "open request of theirs is granted by it.",
        "submit": "Extend the deadline"})


@login_required
def withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    actor, participant, _ = _staff_and_participant(request, public_id)
    form = f.WithdrawForm(_data(request))

    def act() -> str:
        data = form.cleaned_data
        actions.withdraw(participant, data["reason"], actor, on=data["on"])
        return f"{participant.name} is withdrawn; they are told."

    seats = actions.seats_to_drop(participant, actions.today())
    return _form_page(request, form, act, back=reverse("progress", args=[public_id]), context={
        "participant": participant, "title": f"Withdraw {participant.name}?", "danger": True,
        "seats": seats,
        "intro": "They leave the program: their standing becomes “withdrawn” and they are "
                 "e-mailed. Their records are kept, and they can be reinstated later.",
        "submit": "Withdraw them"})


@login_required
def reinstate(request: HttpRequest, public_id: str) -> HttpResponse:
    actor, participant, _ = _staff_and_participant(request, public_id)
    form = f.ReinstateForm(_data(request))

    def act() -> str:
        actions.reinstate(participant, form.cleaned_data["reason"], actor)
        return f"{participant.name} is back in the program; they are told."

    return _form_page(request, form, act, back=reverse("progress", args=[public_id]), context={
        "participant": participant, "title": f"Reinstate {participant.name}",
        "intro": "Their withdrawal is undone and their standing is worked out again. Seats "
                 "given up when they withdrew are not given back: they enroll again.",
        "submit": "Reinstate them"})


def _job_page(request: HttpRequest, participant: m.Participant, actor: Actor, *,
              own: bool) -> HttpResponse:
    form = f.JobForm(_data(request))

    def act() -> str:
        data = form.cleaned_data
        actions.change_job(participant, data["organization"], actor, on=data["on"],
                           role=data["role"] or None)
        return f"Recorded the job at {data['organization']}."

    jobs = list(participant.employment.all())
    return _form_page(request, form, act,
                      back=reverse("progress", args=[participant.public_id]), context={
        "participant": participant, "jobs": jobs,
        "title": "Update your employer" if own else f"Record a job change for "
                                                    f"{participant.name}",
        "intro": ("A job change keeps you in the program: your employment history keeps "
                  "every job, and the runs your new employer holds privately are open to you."
                  if own else "The current job ends on the day the new one starts; their "
                  "organization (and the private runs they may take) follows the new job."),
        "submit": "Save the new job"})


@login_required
def job(request: HttpRequest, public_id: str) -> HttpResponse:
    actor, participant, _ = _staff_and_participant(request, public_id)
    return _job_page(request, participant, actor, own=False)


@login_required
def own_employer(request: HttpRequest, public_id: str) -> HttpResponse:
    participant = participant_for(request, public_id)
    if getattr(request.user, "participant", None) != participant:
        raise Http404
    return _job_page(request, participant, Actor(request.user.get_username(), participant.user),
                     own=True)


@login_required
def extension_requests(request: HttpRequest) -> HttpResponse:
    staff_actor(request)
    rows = (m.ExtensionRequest.objects.select_related("enrollment__participant")
            .order_by("created_at", "pk"))
    return render(request, "participants/extension_requests.html", {
        "open": [r for r in rows if r.status == m.ExtensionRequest.OPEN],
        "decided": sorted((r for r in rows if r.status != m.ExtensionRequest.OPEN),
                          key=lambda r: r.decided_at or r.created_at, reverse=True)[:50]})


def _request(request: HttpRequest, request_id: int) -> tuple[Actor, m.ExtensionRequest]:
    actor = staff_actor(request)
    try:
        return actor, actions.find_extension_request(request_id)
    except PathwiseError:
        raise Http404 from None


def _request_context(found: m.ExtensionRequest, title: str, submit: str) -> dict[str, Any]:
    participant = found.enrollment.participant
    return {"participant": participant, "title": title, "submit": submit, "ext_request": found,
            "intro": f"Their deadline is "
                     f"{day_text(actions.current_deadline(found.enrollment))}. They are "
                     "e-mailed the decision."}


@login_required
def grant_request(request: HttpRequest, request_id: int) -> HttpResponse:
    actor, found = _request(request, request_id)
    form = f.GrantForm(_data(request), initial={"until": found.wanted_until})

    def act() -> str:
        data = form.cleaned_data
        actions.grant_extension(found, actor, until=data["until"], reason=data["reason"])
        return f"Granted {found.enrollment.participant.name}'s request; they are told."

    participant = found.enrollment.participant
    return _form_page(request, form, act, back=reverse("staff-extension-requests"),
                      context=_request_context(found, f"Grant {participant.name} more time",
                                               "Grant the extension"))


@login_required
def refuse_request(request: HttpRequest, request_id: int) -> HttpResponse:
    actor, found = _request(request, request_id)
    form = f.RefuseForm(_data(request))

    def act() -> str:
        actions.refuse_extension(found, form.cleaned_data["reason"], actor)
        return f"Refused {found.enrollment.participant.name}'s request; they are told."

    participant = found.enrollment.participant
    return _form_page(request, form, act, back=reverse("staff-extension-requests"),
                      context=_request_context(found, f"Refuse {participant.name}'s request",
                                               "Refuse the request"))


@login_required
def intake(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record the intake of someone enrolled without one (an import), until it starts."""
    actor, participant, enrollment = _staff_and_participant(request, public_id)
    today = timezone.localdate()
    version = enrollment.program_version_id
    choices = [(i.code, f"{i.code} (orientation from {day_text(orientation_day(i))})")
               for i in open_intakes(today) if i.program_version_id == version]
    form = f.IntakeForm(choices, _data(request))

    def act() -> str:
        place_in_intake(participant, form.cleaned_data["intake"], actor, today=today)
        return f"{participant.name} is in intake {form.cleaned_data['intake']}; they are told."

    now = enrollment.intake.code if enrollment.intake else "none recorded"
    return _form_page(request, form, act, back=reverse("progress", args=[public_id]), context={
        "participant": participant, "title": f"Place {participant.name} in an intake",
        "intro": f"Their intake now: {now}. The runs of an intake (its orientation) are open "
                 "only to its people; an intake is joined until its orientation starts, so "
                 "only those still open for their program version are offered.",
        "submit": "Place them in this intake"})
