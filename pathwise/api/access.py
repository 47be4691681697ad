"""Who may see and act for whom, through the API: the pages' rules (pathwise/site/access.py).

Staff see and act for anyone; a participant only for themself. Someone else's
participant id, seat or credential answers exactly as one that does not
exist (404), so ids cannot be found by trying them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from rest_framework import exceptions
from rest_framework.request import Request

from pathwise.api.problems import Problem, field_error
from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.core.inputs import is_identifier
from pathwise.participants.models import Participant
from pathwise.participants.progress import current_enrollment


def is_staff(request: Request) -> bool:
    return bool(request.user.is_authenticated and request.user.is_staff)


def own(request: Request) -> Participant | None:
    participant = getattr(request.user, "participant", None)
    return participant if isinstance(participant, Participant) else None


def require_staff(request: Request) -> None:
    if not is_staff(request):
        raise exceptions.PermissionDenied("Staff only.")


def actor(request: Request) -> Actor:
    return Actor.of(request.user)  # type: ignore[arg-type]  # signed in: never anonymous


def visible_participants(request: Request) -> QuerySet[Participant]:
    if is_staff(request):
        return Participant.objects.all()
    me = own(request)
    return Participant.objects.filter(pk=me.pk) if me is not None else Participant.objects.none()


def participant_named(request: Request, public_id: str) -> Participant:
    """The participant in the URL, if this caller may see them; 404 otherwise."""
    if not is_identifier(public_id):
        raise exceptions.NotFound(f"No participant {public_id!r}.")
    found = visible_participants(request).filter(public_id=public_id).first()
    if found is None:
        raise exceptions.NotFound(f"No participant {public_id!r}.")
    return found


def acting_for(request: Request, public_id: str | None) -> Participant:
    """Whom a write is for: staff name anyone (`participant`); a participant is themself."""
    me = own(request)
    if public_id is None:
        if me is not None:
            return me
        message = ("staff act for a participant: say which one" if is_staff(request)
                   else "only participants and staff may do this")
        raise Problem(400 if is_staff(request) else 403, f"participant: {message}",
                      errors=[field_error("participant", "required", message)])
    found = visible_participants(request).filter(public_id=public_id).first()
    if found is None:
        message = f"no participant {public_id!r}"
        raise Problem(422, f"participant: {message}", kind="unknown-participant",
                      errors=[field_error("participant", "exists", message)])
    return found


def visible_offerings(request: Request) -> QuerySet[Offering]:
    """Staff: every run. A participant: what the catalogue pages show them, the runs of
    their program version that are public or private to their own organization."""
    runs = Offering.objects.select_related("program_version", "intake")
    if is_staff(request):
        return runs
    me = own(request)
    enrollment = current_enrollment(me) if me is not None else None
    if me is None or enrollment is None:
        return runs.none()
    mine = (Q(private_to="") | Q(public_seats__gt=0)
            | (Q(private_to=me.organization) if me.organization else Q()))
    return runs.filter(mine, program_version=enrollment.program_version, published=True)
