"""Requests refused before any view sees them; times shown in the viewer's own time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterator

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.utils import timezone

from pathwise.api.problems import PROBLEM_TYPE
from pathwise.api.problems import body as problem_body
from pathwise.core.inputs import control_character


class RefuseControlCharactersMiddleware:
    """Answer 400 to a control character in the path or query string, or a NUL in a form;
    drop a cookie holding a control character.

    PostgreSQL cannot store or compare a string with NUL in it: one in
    `/participants/%00/`, `?component=%00` or a posted field would reach a
    query there and fail (a 500); no view should have to think of it. The
    characters refused in addresses are those `pathwise.core.inputs` keeps out
    of any text; a form may hold line breaks (a text area), never a NUL.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        texts = [request.path, *_texts(request.GET)]
        found = next((c for text in texts if (c := control_character(text))), None)
        if found is not None:
            return _refuse(request, f"This address holds a control character (U+{ord(found):04X}), "
                           "which no page here takes; remove it and try again.")
        if request.method == "POST" and any("\x00" in text for text in _texts(request.POST)):
            return _refuse(request, "This form holds a NUL character (U+0000), which no field here "
                           "takes; remove it and try again.")
        # No cookie this site sets holds one: such a cookie is dropped, as if never sent.
        request.COOKIES = {name: value for name, value in request.COOKIES.items()
                           if control_character(name + value) is None}
        return self.get_response(request)


def _texts(data: QueryDict) -> Iterator[str]:
    for key, values in data.lists():
        yield key
        yield from values


def _refuse(request: HttpRequest, message: str) -> HttpResponse:
    """The refusal as text, or for the API as its problem+json (one format for clients)."""
    if request.path.startswith("/api/"):
        return JsonResponse(problem_body(400, message, kind="control-character"), status=400,
                            content_type=PROBLEM_TYPE)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


#: The cookie a visitor's chosen zone is kept in (a participant's is on their record).
ZONE_COOKIE = "pathwise_zone"


def chosen_zone(value: str | None) -> str | None:
    """`value` if it names an IANA zone (as `?zone=` or the cookie give it), else None."""
    if not value or len(value) > 64:
        return None
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return value


class ViewerTimezoneMiddleware:
    """Activate the signed-in participant's zone. Anyone else sees UTC, named as such,
    unless they chose a zone (`?zone=Europe/Berlin` on any page, remembered in a cookie),
    as a prospective participant reading the course pages does."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        participant = getattr(user, "participant", None) if user.is_authenticated else None
        asked = None
        if participant is not None:
            zone = participant.timezone
        else:
            asked = chosen_zone(request.GET.get("zone"))
            zone = asked or chosen_zone(request.COOKIES.get(ZONE_COOKIE)) or "UTC"
        timezone.activate(zoneinfo.ZoneInfo(zone))
        request.viewer_timezone = zone  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        if asked is not None:
            response.set_cookie(ZONE_COOKIE, asked, max_age=365 * 86400, samesite="Lax",
                                secure=request.is_secure(), httponly=True)
        return response
