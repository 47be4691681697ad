"""Who may do what on a page: the one check for staff-only views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from pathwise.auditlog.log import Actor


def staff_actor(request: HttpRequest) -> Actor:
    """The signed-in staff member as an actor; anyone else is refused."""
    if not (request.user.is_authenticated and request.user.is_staff):
        raise PermissionDenied("Staff only.")
    return Actor(request.user.get_username(), request.user)
