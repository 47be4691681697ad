"""The learning platform's links: staff set one per program version or per run; a
participant's resource gives theirs (`lms_json`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from pathwise.api import access
from pathwise.api.problems import invalid
from pathwise.api.views.base import ApiViewSet
from pathwise.api.views.catalogue import validated
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import is_identifier
from pathwise.core.lms import URL_MAX
from pathwise.lms.actions import set_lms_link
from pathwise.lms.read import Access

S = serializers.Serializer


class LmsLinkIn(S):  # type: ignore[type-arg]
    url = serializers.CharField(max_length=URL_MAX, allow_blank=True, trim_whitespace=False,
                                help_text="https only; empty removes the link.")


class LmsLinkOut(S):  # type: ignore[type-arg]
    target = serializers.CharField(help_text="The run's code, or 'program version'.")
    url = serializers.CharField(allow_null=True)


def lms_json(found: Access | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {"url": found.url, "opens_on": found.window.opens_on,
            "closes_on": found.window.closes_on, "open": found.open,
            "runs": [{"run": r.code, "url": r.url} for r in found.runs]}


EXAMPLE = OpenApiExample("the course space", request_only=True,
                         value={"url": "https://lms.example.org/course/pbk"})


@extend_schema(tags=["learning platform"])
class LmsLinkViewSet(ApiViewSet):
    """Staff set the learning platform's link of a program version or of a run."""

    def _set(self, request: Request, **target: Any) -> Response:
        data = validated(LmsLinkIn, request)
        try:
            row = set_lms_link(access.actor(request), data["url"], **target)
        except PathwiseError as exc:
            raise invalid("url", "https-link", str(exc).removeprefix("link: "),
                          status_code=422) from exc
        offering = target.get("offering")
        return Response(LmsLinkOut({"target": offering.code if offering else "program version",
                                    "url": row.url if row else None}).data)

    @extend_schema(parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH)],
                   request=LmsLinkIn, responses=LmsLinkOut, examples=[EXAMPLE])
    def run(self, request: Request, code: str) -> Response:
        """The run's own link, overriding its program version's for those on the run."""
        access.require_staff(request)
        offering = Offering.objects.filter(code=code).first() if is_identifier(code) else None
        if offering is None:
            raise exceptions.NotFound(f"No run {code[:40]!r}.")
        return self._set(request, offering=offering)

    @extend_schema(parameters=[OpenApiParameter("program_id", str, OpenApiParameter.PATH),
                               OpenApiParameter("version", str, OpenApiParameter.PATH)],
                   request=LmsLinkIn, responses=LmsLinkOut, examples=[EXAMPLE])
    def version(self, request: Request, program_id: str, version: str) -> Response:
        """The link everyone enrolled in the program version sees."""
        access.require_staff(request)
        found = (ProgramVersion.objects.filter(program_id=program_id, version=version).first()
                 if is_identifier(program_id) and is_identifier(version) else None)
        if found is None:
            raise exceptions.NotFound(f"No version {version[:40]!r} of {program_id[:40]!r}.")
        return self._set(request, version=found)
