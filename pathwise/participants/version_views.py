"""Staff move a participant to another version of their program, seeing first what it changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pathwise.catalog.models import ProgramVersion
from pathwise.core.errors import PathwiseError
from pathwise.enrollment.catalogue_views import today_for
from pathwise.participants.actions import move_to_version, preview_version_move, version_named
from pathwise.participants.progress import current_enrollment
from pathwise.site.access import participant_for, staff_actor


@login_required
def version_move(request: HttpRequest, public_id: str) -> HttpResponse:
    """GET: the audit under both versions side by side (`?to=`, default the newest other one),
    and the button to move; POST: the move, then back to the participant's page."""
    actor = staff_actor(request)
    participant = participant_for(request, public_id)
    enrollment = current_enrollment(participant)
    if enrollment is None:
        raise Http404
    current = enrollment.program_version
    versions = list(ProgramVersion.objects.filter(program_id=current.program_id)
                    .order_by("-version"))
    today = today_for(participant)
    posted = request.method == "POST"
    asked = request.POST.get("version", "") if posted else request.GET.get("to")
    if asked is None:
        asked = next((v.version for v in versions if v.pk != current.pk), current.version)
    context = {"participant": participant, "current": current, "versions": versions,
               "asked": asked[:100], "today": today}
    try:
        if posted and not asked:
            raise PathwiseError("say which version to move to")
        target = version_named(participant, asked)
        preview = preview_version_move(participant, target, today)
    except PathwiseError as exc:
        context["error"] = str(exc)
        return render(request, "participants/version_move.html", context, status=400)
    context.update(target=target, preview=preview,
                   met_before=sum(1 for r in preview.before.requirements if r.met),
                   met_after=(sum(1 for r in preview.after.requirements if r.met)
                              if preview.after is not None else None))
    if posted:
        try:
            move_to_version(participant, target, actor, today)
        except PathwiseError as exc:
            context["error"] = str(exc)
            return render(request, "participants/version_move.html", context, status=400)
        messages.success(request, f"{participant.public_id} is now on {target.program_id} "
                                  f"version {target.version}; their records are kept.")
        return redirect("progress", public_id=participant.public_id)
    return render(request, "participants/version_move.html", context)
