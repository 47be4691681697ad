"""Requests refused before any view sees them; times shown in the viewer's own time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone

from pathwise.core.inputs import control_character


class RefuseControlCharactersMiddleware:
    """Answer 400 to a path or query string holding a control character (NUL above all).

    The characters are those `pathwise.core.inputs` keeps out of any text.

    PostgreSQL cannot store or compare a string with NUL in it: one in
    `/participants/%00/` or `?component=%00` would reach a query and fail
    there (a 500); no view should have to think of it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        texts = [request.path, *(text for key, values in request.GET.lists()
                                 for text in (key, *values))]
        found = next((c for text in texts if (c := control_character(text))), None)
        if found is not None:
            return HttpResponseBadRequest(
                f"This address holds a control character (U+{ord(found):04X}), which "
                "no page here takes; remove it and try again.",
                content_type="text/plain; charset=utf-8")
        return self.get_response(request)


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
