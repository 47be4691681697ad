"""Who may do what on a page: staff-only views, and whose pages a viewer may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from pathwise.auditlog.log import Actor
from pathwise.participants.models import Participant


def staff_actor(request: HttpRequest) -> Actor:
    """The signed-in staff member as an actor; anyone else is refused."""
    if not (request.user.is_authenticated and request.user.is_staff):
        raise PermissionDenied("Staff only.")
    return Actor(request.user.get_username(), request.user)


def participant_for(request: HttpRequest, public_id: str) -> Participant:
    """The participant `public_id` names, if this viewer may see them: staff see anyone,
    a participant only themself.

    Someone else's id answers exactly as an id that does not exist, so nobody can find
    out which ids are taken by trying them.
    """
    participant = Participant.objects.filter(public_id=public_id).first()
    if participant is None:
        raise Http404
    is_staff = request.user.is_authenticated and request.user.is_staff
    if not (is_staff or getattr(request.user, "participant", None) == participant):
        raise Http404
    return participant
