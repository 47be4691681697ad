"""The capstone pages: the participant's own (submit, history), the file, and staff's
queue and review page. Views read and call actions; they never write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from pathwise.auditlog.log import Actor
from pathwise.capstone import actions
from pathwise.capstone.forms import ReviewForm, SubmissionForm
from pathwise.capstone.models import Submission
from pathwise.capstone.read import CapstoneState, capstone_of, waiting_queue
from pathwise.core.capstone import BY_ID, size_text
from pathwise.core.errors import PathwiseError
from pathwise.site.access import participant_for, staff_actor
from pathwise.site.downloads import download


def _state(request: HttpRequest, public_id: str) -> tuple[CapstoneState, bool]:
    participant = participant_for(request, public_id)
    state = capstone_of(participant)
    if state is None:
        raise Http404
    return state, getattr(request.user, "participant", None) == participant


@login_required
def capstone(request: HttpRequest, public_id: str) -> HttpResponse:
    """A participant's capstone: every submission with its review, and the form to send it
    (their own page, once they may)."""
    state, own = _state(request, public_id)
    form = SubmissionForm()
    if request.method == "POST":
        if not own:
            raise Http404
        form = SubmissionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                upload = form.cleaned_data["file"]
                actions.submit_capstone(
                    state.participant,
                    Actor(request.user.get_username(), state.participant.user),
                    text=form.cleaned_data["text"],
                    upload=actions.read_upload(upload) if upload else None)
            except PathwiseError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Your {state.component.name.lower()} is sent; "
                                          "staff will review it and write to you.")
                return redirect("progress", public_id=public_id)
        state, own = _state(request, public_id)
    return render(request, "capstone/capstone.html", {
        "state": state, "participant": state.participant, "own": own, "form": form,
    }, status=400 if form.errors else 200)


@login_required
def capstone_file(request: HttpRequest, submission_id: int) -> HttpResponse:
    """The submitted file, to its participant and to staff only, always as a download."""
    row = get_object_or_404(Submission.objects.select_related("enrollment__participant"),
                            pk=submission_id)
    participant_for(request, row.enrollment.participant.public_id)
    if not row.file_path:
        raise Http404
    try:
        with actions.storage().open(row.file_path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError as exc:
        raise Http404 from exc
    kind = BY_ID.get(row.file_kind)
    response = download(data, filename=row.file_name,
                        content_type=kind.content_type if kind else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    """Staff: the submissions waiting for review, oldest first."""
    staff_actor(request)
    rows = list(waiting_queue())
    return render(request, "capstone/queue.html", {
        "rows": [{"submission": r, "size": size_text(r.size)} for r in rows]})


@login_required
def staff_review(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Staff: one submission, the participant's earlier ones, and the review form."""
    actor = staff_actor(request)
    row = get_object_or_404(Submission.objects.select_related("enrollment__participant"),
                            pk=submission_id)
    form = ReviewForm()
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                actions.review_capstone(row, form.cleaned_data["result"], actor,
                                        feedback=form.cleaned_data["feedback"])
            except PathwiseError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Reviewed; {row.enrollment.participant.name} is "
                                          "e-mailed.")
                return redirect("staff-capstones")
        row.refresh_from_db()
    state = capstone_of(row.enrollment.participant)
    return render(request, "capstone/review.html", {
        "submission": row, "participant": row.enrollment.participant, "state": state,
        "size": size_text(row.size), "file_size": size_text(row.file_size or 0),
        "form": form, "kind": BY_ID.get(row.file_kind),
    }, status=400 if form.errors else 200)
