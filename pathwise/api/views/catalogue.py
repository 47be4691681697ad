"""Programs, intakes and offerings; staff cancel or move a meeting (pathwise/catalog/actions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from pathwise.api import access, examples
from pathwise.api import serializers as s
from pathwise.api.conventions import idempotent, iso, viewer_zone
from pathwise.api.problems import invalid
from pathwise.api.views.base import ApiViewSet
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.actions import cancel_meeting, move_meeting
from pathwise.catalog.models import Intake, Offering, ProgramVersion
from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import is_identifier
from pathwise.core.offerings import occurrences
from pathwise.enrollment.models import Seat


def version_json(version: ProgramVersion) -> dict[str, Any]:
    program = version.program
    return {
        "version": version.version, "name": version.name,
        "currency": program.fees.currency if program.fees else None,
        "components": [{"code": c.code, "kind": c.kind, "name": c.name,
                        "sessions": c.sessions, "capacity": c.capacity}
                       for c in program.components.values()],
        "requirements": [{"id": r.id, "title": r.title, "track": r.track}
                         for r in program.requirements],
    }


@extend_schema(tags=["catalogue"])
class ProgramViewSet(ApiViewSet):
    """The programs this deployment runs, each with its versions."""

    lookup_value_regex = "[^/]+"
    out = s.ProgramOut

    def get_queryset(self) -> QuerySet[ProgramVersion]:
        return ProgramVersion.objects.order_by("program_id", "version")

    def _programs(self) -> dict[str, list[ProgramVersion]]:
        grouped: dict[str, list[ProgramVersion]] = {}
        for version in self.get_queryset():
            grouped.setdefault(version.program_id, []).append(version)
        return grouped

    def _json(self, versions: list[ProgramVersion]) -> dict[str, Any]:
        return {"id": versions[-1].program_id, "name": versions[-1].name,
                "versions": [version_json(v) for v in versions]}

    @extend_schema(responses=s.ProgramOut(many=True))
    def list(self, request: Request) -> Response:
        programs = [self._json(v) for v in self._programs().values()]
        page = self.paginate_queryset(programs)
        assert page is not None
        return self.get_paginated_response(page)

    @extend_schema(responses=s.ProgramOut, parameters=[OpenApiParameter(
        "program_id", str, OpenApiParameter.PATH, description="A program's id, e.g. cscce-cm.")])
    def retrieve(self, request: Request, program_id: str) -> Response:
        versions = self._programs().get(program_id)
        if versions is None:
            raise exceptions.NotFound(f"No program {program_id!r}.")
        return Response(self._json(versions))


@extend_schema(tags=["catalogue"])
class IntakeViewSet(ApiViewSet):
    """Intakes: the cohorts' starts. A participant sees those of their program version."""

    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    out = s.IntakeOut

    def get_queryset(self) -> QuerySet[Intake]:
        intakes = Intake.objects.select_related("program_version").order_by("starts_on", "code")
        if access.is_staff(self.request):
            return intakes
        versions = access.visible_offerings(self.request).values("program_version")
        return intakes.filter(program_version__in=versions)

    def represent(self, row: Intake) -> dict[str, Any]:
        return {"code": row.code, "program": row.program_version.program_id,
                "program_version": row.program_version.version,
                "starts_on": row.starts_on}

    @extend_schema(responses=s.IntakeOut(many=True))
    def list(self, request: Request) -> Response:
        return self.paged(request, self.get_queryset())

    @extend_schema(responses=s.IntakeOut)
    def retrieve(self, request: Request, code: str) -> Response:
        found = self.get_queryset().filter(code=code).first() if is_identifier(code) else None
        if found is None:
            raise exceptions.NotFound(f"No intake {code!r}.")
        return Response(self.shaped(found))


def _meetings(offering: Offering, zone: dt.tzinfo) -> list[dict[str, Any]]:
    return [{"starts_at": iso(start, zone), "ends_at": iso(end, zone)}
            for start, end in occurrences(offering.to_core())]


FILTERS = [
    OpenApiParameter("component", str, description="Only runs of this component, e.g. PBK."),
    OpenApiParameter("starts_after", dt.date, description="Only runs starting after this day."),
]


@extend_schema(tags=["catalogue"])
class OfferingViewSet(ApiViewSet):
    """Runs of components. Participants see what the catalogue shows them: their program
    version's runs, without the private runs of other organizations."""

    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    polled = True
    out = s.OfferingOut

    def get_queryset(self) -> QuerySet[Offering]:
        return (access.visible_offerings(self.request)
                .annotate(taken=Count("seats", filter=Q(seats__status=Seat.ENROLLED)),
                          waiting=Count("seats", filter=Q(seats__status=Seat.WAITLISTED)))
                .order_by("starts_on", "code"))

    def last_modified(self, rows: QuerySet[Offering]) -> dt.datetime | None:
        # Publishing, meetings cancelled or moved and every seat taken or given up are
        # audited against the offering: its newest entry is when the list last changed.
        codes = rows.values("code")
        newest: dt.datetime | None = (
            AuditEntry.objects.filter(target_type="offering", target_id__in=codes)
            .aggregate(at=Max("at"))["at"])
        return newest

    def represent(self, row: Any) -> dict[str, Any]:
        """`row` is an offering as `get_queryset` annotates it (`taken`, `waiting`)."""
        program = row.program_version.program
        component = program.components.get(row.component)
        return {
            "code": row.code, "url": f"/api/v1/offerings/{row.code}/",
            "component": row.component, "name": component.name if component else row.component,
            "program": row.program_version.program_id,
            "program_version": row.program_version.version,
            "intake": row.intake.code if row.intake else None,
            "starts_on": row.starts_on, "ends_on": row.ends_on, "capacity": row.capacity,
            "seats_left": max(row.capacity - row.taken, 0), "waitlisted": row.waiting,
            "private_to": row.private_to or None,
            "meeting_pattern": {"days": row.meeting_days,
                                "time": row.meeting_time.strftime("%H:%M"),
                                "minutes": row.meeting_minutes, "timezone": row.timezone},
            "cancelled": row.cancelled, "moved": row.moved,
        }

    def _one(self, code: str) -> Offering:
        found = self.get_queryset().filter(code=code).first() if is_identifier(code) else None
        if found is None:
            raise exceptions.NotFound(f"No offering {code!r}.")
        return found

    def _detail(self, request: Request, offering: Offering) -> Response:
        zone = viewer_zone(request)
        data = {**self.represent(offering), "timezone": str(zone),
                "meetings": _meetings(offering, zone)}
        return Response(s.OfferingDetailOut(data).data)

    @extend_schema(parameters=FILTERS, responses=s.OfferingOut(many=True))
    def list(self, request: Request) -> Response:
        rows = self.get_queryset()
        component = request.query_params.get("component")
        if component is not None:
            if not is_identifier(component):
                raise invalid("component", "identifier", f"{component!r} is not a component")
            rows = rows.filter(component=component)
        after = request.query_params.get("starts_after")
        if after is not None:
            rows = rows.filter(starts_on__gt=parse_day("starts_after", after))
        return self.paged(request, rows)

    @extend_schema(parameters=[examples.TZ], responses=s.OfferingDetailOut)
    def retrieve(self, request: Request, code: str) -> Response:
        return self._detail(request, self._one(code))

    @extend_schema(request=s.MeetingDayIn, responses=s.OfferingDetailOut,
                   examples=[OpenApiExample("cancel one meeting", request_only=True,
                                            value={"date": "2026-03-03"})])
    @action(detail=True, methods=["post"], url_path="cancel-meeting")
    @idempotent
    def cancel_meeting(self, request: Request, code: str) -> Response:
        """Staff: cancel one meeting of the run; calendars drop it."""
        access.require_staff(request)
        offering = self._one(code)
        data = validated(s.MeetingDayIn, request)
        try:
            cancel_meeting(access.actor(request), offering, data["date"])
        except PathwiseError as exc:
            raise invalid("date", "meeting", str(exc), status_code=422) from exc
        return self._detail(request, self._one(code))

    @extend_schema(request=s.MoveMeetingIn, responses=s.OfferingDetailOut,
                   examples=[OpenApiExample("move a meeting a week on", request_only=True,
                                            value={"date": "2026-03-03", "to": "2026-03-10"})])
    @action(detail=True, methods=["post"], url_path="move-meeting")
    @idempotent
    def move_meeting(self, request: Request, code: str) -> Response:
        """Staff: move one meeting by a week, keeping its time."""
        access.require_staff(request)
        offering = self._one(code)
        data = validated(s.MoveMeetingIn, request)
        try:
            move_meeting(access.actor(request), offering, data["date"], data["to"])
        except PathwiseError as exc:
            field = "to" if "moves by one week" in str(exc) else "date"
            raise invalid(field, "meeting", str(exc), status_code=422) from exc
        return self._detail(request, self._one(code))


def validated(serializer: type[Any], request: Request) -> dict[str, Any]:
    checked = serializer(data=request.data)
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


def parse_day(field: str, text: str) -> dt.date:
    checked = s.MeetingDayIn(data={"date": text})
    if not checked.is_valid():
        message = str(checked.errors["date"][0])
        raise invalid(field, checked.errors["date"][0].code or "date", message)
    day: dt.date = checked.validated_data["date"]
    return day
