"""The browsable docs (Swagger UI, served from our own static files under the site's CSP),
and the API's own 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView

from pathwise.api.problems import PROBLEM_TYPE, body


class Docs(SpectacularSwaggerSplitView):
    """Its page has no inline script or style: the script is a second request."""

    template_name = "api/swagger_ui.html"
    title = "Pathwise API"


@extend_schema(exclude=True)
def not_found(request: HttpRequest) -> HttpResponse:
    return JsonResponse(body(404, f"No API resource at {request.path}."), status=404,
                        content_type=PROBLEM_TYPE)
