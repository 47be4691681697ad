"""The public program and course pages: what a prospective participant reads first.

No login: the program's journey (of its newest version, or of the viewer's own
for a participant), each component's description and what it asks
(in words, from `pathwise.core.describe`), the fee, and the upcoming public runs
with the seats left, in the viewer's zone (a visitor picks theirs; see
`pathwise.site.middleware`). Private runs for an organization are never listed.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache
from typing import Any

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.core.describe import component_facts, requirement_text, window_text
from pathwise.core.fees import Money
from pathwise.core.program import Program
from pathwise.enrollment.catalogue_views import when
from pathwise.participants.progress import current_enrollment

#: How many upcoming runs a component's page lists.
UPCOMING = 12


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name the machine knows, for the visitor's zone picker."""
    return tuple(sorted(zoneinfo.available_timezones()))


def newest_versions() -> dict[str, ProgramVersion]:
    """Each program's newest version: the one a new participant joins."""
    newest: dict[str, ProgramVersion] = {}
    for version in ProgramVersion.objects.order_by("program_id", "version"):
        newest[version.program_id] = version
    return newest


def _version(request: HttpRequest, program_id: str) -> ProgramVersion:
    """The version the viewer would take: their own, for a participant in the program;
    the newest (the one a new participant joins) for anyone else."""
    participant = getattr(request.user, "participant", None)
    enrollment = current_enrollment(participant) if participant is not None else None
    if enrollment is not None and enrollment.program_version.program_id == program_id:
        return enrollment.program_version
    version = newest_versions().get(program_id)
    if version is None:
        raise Http404("No such program.")
    return version


def _zone(request: HttpRequest) -> str:
    return getattr(request, "viewer_timezone", "UTC")


def _picker(request: HttpRequest) -> dict[str, Any]:
    return {"zone": _zone(request), "zone_names": zone_names()}


def programs(request: HttpRequest) -> HttpResponse:
    versions = newest_versions()
    return render(request, "catalog/public_programs.html", {
        "programs": [v.program for v in versions.values()]})


def _steps(program: Program) -> dict[str, list[dict[str, Any]]]:
    """The journey in order: the main line, and what runs alongside it."""
    tracks: dict[str, list[dict[str, Any]]] = {"main": [], "alongside": []}
    for req in program.requirements:
        tracks.setdefault(req.track, []).append({
            "requirement": req, "text": requirement_text(program, req),
            "components": [program.components[c] for c in req.components]
            or [c for c in program.components.values() if c.kind == req.kind]})
    return tracks


def program_page(request: HttpRequest, program_id: str) -> HttpResponse:
    version = _version(request, program_id)
    program = version.program
    fees = program.fees
    return render(request, "catalog/public_program.html", {
        "program": program, "steps": _steps(program), "window": window_text(program),
        "fee": Money(fees.program, fees.currency) if fees else None,
        "components": [component_facts(program, c) for c in program.components],
        **_picker(request)})


def _runs(version: ProgramVersion, code: str, zone: str) -> list[dict[str, Any]]:
    today = timezone.now().date()
    rows = []
    for offering in (Offering.objects.filter(program_version=version, component=code,
                                             starts_on__gt=today, private_to="", published=True)
                     .annotate(taken=Count("seats", filter=Q(seats__status="enrolled")))
                     .order_by("starts_on", "code")[:UPCOMING]):
        rows.append({"offering": offering, "when": when(offering, zone),
                     "left": max(offering.capacity - offering.taken, 0)})
    return rows


def component_page(request: HttpRequest, program_id: str, code: str) -> HttpResponse:
    version = _version(request, program_id)
    program = version.program
    if code not in program.components:
        raise Http404("No such course or workshop in this program.")
    zone = _zone(request)
    return render(request, "catalog/public_component.html", {
        "program": program, "facts": component_facts(program, code),
        "component": program.components[code], "runs": _runs(version, code, zone),
        "today": dt.datetime.now(zoneinfo.ZoneInfo(zone)).date(), **_picker(request)})
