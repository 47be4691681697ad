"""Participant progress and the staff overview. Views read; they never write."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from pathwise.credentials.models import Credential
from pathwise.credentials.views import linkedin_for
from pathwise.participants import models as m
from pathwise.participants.progress import Standing, current_enrollment, standing
from pathwise.site.access import participant_for

STATUS_LABELS = {
    "certified": "Certified",
    "on_track": "On track",
    "at_risk": "At risk",
    "overdue": "Overdue",
    "withdrawn": "Withdrawn",
}


def _is_staff(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and request.user.is_staff)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if _is_staff(request):
        return redirect("staff-participants")
    participant = getattr(request.user, "participant", None)
    if participant is None:
        raise PermissionDenied("This account is not linked to a participant.")
    return redirect("progress", public_id=participant.public_id)


def deadline_moment(day: dt.date, zone: str) -> dt.datetime:
    """The deadline is the end of its day in the participant's own time zone."""
    return dt.datetime.combine(day, dt.time(23, 59), tzinfo=zoneinfo.ZoneInfo(zone))


@login_required
def progress(request: HttpRequest, public_id: str) -> HttpResponse:
    participant = participant_for(request, public_id)
    own = getattr(request.user, "participant", None) == participant
    enrollment = current_enrollment(participant)
    if enrollment is None:
        raise Http404("This participant is not enrolled in a program.")
    zone = zoneinfo.ZoneInfo(participant.timezone)
    today = timezone.now().astimezone(zone).date()
    s = standing(enrollment, today)
    results = {r.id: r for r in s.audit.requirements}
    main = [results[r.id] for r in s.program.requirements if r.track == "main"]
    alongside = [results[r.id] for r in s.program.requirements if r.track != "main"]
    context: dict[str, Any] = {
        "participant": participant,
        "enrollment": enrollment,
        "program": s.program,
        "audit": s.audit,
        "status_label": STATUS_LABELS[s.audit.status],
        "main_track": main,
        "alongside": alongside,
        "badges": _badges(s, participant),
        "deadline_at": deadline_moment(s.audit.deadline, participant.timezone),
        "days_left": (s.audit.deadline - today).days,
        "zone": participant.timezone,
        "today": today,
        "own": own,
        "employment": list(participant.employment.all()),
        "records": list(enrollment.records.all()),
    }
    return render(request, "participants/progress.html", context)


def _badges(s: Standing, participant: m.Participant) -> list[dict[str, Any]]:
    """Each badge earned, with its signed credential (once the worker has issued it)."""
    issued = {c.achievement: c for c in Credential.objects.filter(participant=participant)}
    out = []
    for badge in s.audit.badges:
        credential = issued.get(badge.achievement)
        name = (s.program.final_badge.name if badge.achievement == s.program.id
                else s.program.components[badge.achievement].name)
        entry: dict[str, Any] = {"badge": badge, "name": name, "credential": credential,
                                 "final": badge.achievement == s.program.id}
        if credential is not None and not credential.revoked:
            entry.update(linkedin_for(credential, name, s.program.issuer))
        out.append(entry)
    return out
