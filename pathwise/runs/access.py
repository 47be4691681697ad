"""Who may work on a run: staff on every run, an instructor on their own runs, nobody else.

Every runs view asks `run_for` (or `staff_run_for` for what only staff do) before
it reads anything else. Someone who teaches no run at all is refused outright,
as on every staff page; an instructor asking for a run they do not teach is
answered exactly as for a run that does not exist, so codes cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.runs.models import Instructor
from pathwise.site.access import staff_actor


@dataclass(frozen=True)
class RunAccess:
    offering: Offering
    actor: Actor
    staff: bool  # staff may also change seats, instructors and outcomes


def _is_staff(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and request.user.is_staff)


def runs_visible(request: HttpRequest) -> QuerySet[Offering]:
    """The runs this viewer works on: every one for staff, their own for an instructor."""
    runs = Offering.objects.select_related("program_version", "intake")
    if _is_staff(request):
        return runs.all()
    if not (request.user.is_authenticated
            and Instructor.objects.filter(user_id=request.user.pk).exists()):
        raise PermissionDenied("Staff and instructors only.")
    return runs.filter(instructors__user_id=request.user.pk)


def run_for(request: HttpRequest, code: str) -> RunAccess:
    """The run `code` names, if this viewer teaches it or is staff; otherwise 403 or 404."""
    offering = runs_visible(request).filter(code=code).first()
    if offering is None:
        raise Http404
    return RunAccess(offering, Actor.of(request.user), _is_staff(request))  # type: ignore[arg-type]


def staff_run_for(request: HttpRequest, code: str) -> RunAccess:
    """The run `code` names, for staff only (seats, instructors, outcomes)."""
    staff_actor(request)
    return run_for(request, code)
