"""The evaluation pages: a participant's own answer, staff's summary, a run's figures for
who teaches it (never who said what)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.core.errors import PathwiseError
from pathwise.core.evaluations import INSTRUCTOR_MINIMUM, OPEN_DAYS
from pathwise.core.inputs import is_identifier
from pathwise.evaluations.actions import answer_evaluation
from pathwise.evaluations.forms import EvaluationForm
from pathwise.evaluations.models import Evaluation
from pathwise.evaluations.read import run_summary, summaries
from pathwise.runs.access import run_for
from pathwise.runs.read import component_of
from pathwise.site.access import staff_actor


@login_required
def evaluation(request: HttpRequest, run: str) -> HttpResponse:
    """The participant's evaluation of a run they held a seat on; anyone else's is a 404."""
    me = getattr(request.user, "participant", None)
    row = (Evaluation.objects.select_related("offering__program_version")
           .filter(participant=me, offering__code=run).first() if me is not None else None)
    if row is None:
        raise Http404
    closed = timezone.localdate() > row.closes_on
    status = 200
    if request.method == "POST" and not closed:
        form = EvaluationForm(request.POST)
        if form.is_valid():
            try:
                answer_evaluation(row, Actor(request.user.get_username(), row.participant.user),
                                  **form.cleaned_data)
            except PathwiseError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Thank you: your answers are saved. You may change "
                                          f"them until {row.closes_on:%-d %B %Y}.")
                return redirect("evaluation", run=run)
        status = 400
    else:
        form = EvaluationForm(initial={"recommend": row.recommend, "worked": row.worked,
                                       "change": row.change} if row.answered else None)
    return render(request, "evaluations/evaluation.html", {
        "row": row, "name": component_of(row.offering).name, "form": form,
        "closed": closed}, status=status)


def _course_filter(request: HttpRequest) -> str | None:
    course = request.GET.get("course") or None
    return course if course is None or is_identifier(course) else ""


@login_required
def staff_summary(request: HttpRequest) -> HttpResponse:
    staff_actor(request)
    course = _course_filter(request)
    found = summaries(course)
    every = sorted({c.component: c.name for c in summaries()}.items())
    return render(request, "evaluations/staff_summary.html", {
        "courses": found, "course": course, "every": every, "open_days": OPEN_DAYS})


@login_required
def run_evaluations(request: HttpRequest, code: str) -> HttpResponse:
    """A run's figures and comments, for staff and its instructors; instructors see
    them only from INSTRUCTOR_MINIMUM answers."""
    access = run_for(request, code)
    summary = run_summary(access.offering)
    shown = access.staff or summary.tally.shown_to_instructors
    context: dict[str, Any] = {"offering": access.offering, "summary": summary,
                               "component": component_of(access.offering),
                               "shown": shown, "minimum": INSTRUCTOR_MINIMUM,
                               "staff": access.staff}
    return render(request, "evaluations/run.html", context)
