"""Show times in the viewer's own time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class ViewerTimezoneMiddleware:
    """Activate the signed-in participant's zone; everyone else sees UTC, named as such."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = "UTC"
        user = request.user
        participant = getattr(user, "participant", None) if user.is_authenticated else None
        if participant is not None:
            zone = participant.timezone
        timezone.activate(zoneinfo.ZoneInfo(zone))
        request.viewer_timezone = zone  # type: ignore[attr-defined]
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
