"""Programs, intakes and offerings; staff cancel or move a meeting (pathwise/catalog/actions)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
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
from pathwise.api.problems import Problem, field_error, invalid
from pathwise.api.views.base import ApiViewSet
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.actions import (
    ImportRefusedError,
    OrientationPlan,
    RunRefusedError,
    cancel_meeting,
    export_offerings,
    import_offerings,
    move_intake,
    move_meeting,
    newest_version,
    open_intake,
    publish_offering,
    set_published,
    unknown_version,
    version_named,
)
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
        return Response(self.shaped(self._one(code)))

    def _one(self, code: str) -> Intake:
        found = self.get_queryset().filter(code=code).first() if is_identifier(code) else None
        if found is None:
            raise exceptions.NotFound(f"No intake {code!r}.")
        return found

    @extend_schema(request=s.IntakeIn, responses={201: s.IntakeOut}, examples=[OpenApiExample(
        "open an intake", request_only=True, value={
            "code": "CERT27SP", "program": "cscce-cm", "program_version": "2023",
            "starts_on": "2027-03-01", "time": "11:00", "minutes": 90,
            "timezone": "America/New_York", "capacity": 20})])
    @idempotent
    def create(self, request: Request) -> Response:
        """Staff: open an intake, with the orientation runs it opens with."""
        access.require_staff(request)
        data = validated(s.IntakeIn, request)
        version = _version(data["program"], data["program_version"])
        try:
            intake = open_intake(access.actor(request), version, data["code"], data["starts_on"],
                                 OrientationPlan(data["time"], data["minutes"],
                                                 data["timezone"], data["capacity"]))
        except RunRefusedError as exc:
            raise invalid(exc.field, "offering", str(exc), status_code=422) from exc
        except PathwiseError as exc:
            raise invalid("code", "intake", str(exc), status_code=422) from exc
        return Response(self.shaped(intake), status=201)

    @extend_schema(request=s.IntakePatchIn, responses=s.IntakeOut)
    @idempotent
    def partial_update(self, request: Request, code: str) -> Response:
        """Staff: start the intake on another day (its runs move with it, until seats are
        taken)."""
        access.require_staff(request)
        intake = self._one(code)
        data = validated(s.IntakePatchIn, request)
        try:
            move_intake(access.actor(request), intake, data["starts_on"])
        except PathwiseError as exc:
            raise invalid("starts_on", "intake", str(exc), status_code=422) from exc
        return Response(self.shaped(self._one(code)))


def _version(program: str, version: str) -> ProgramVersion:
    found = ProgramVersion.objects.filter(program_id=program, version=version).first()
    if found is None:
        raise invalid("program_version", "exists",
                      f"no program {program!r} version {version!r} is loaded", status_code=422)
    return found


def _run_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The API's run fields as `publish_offering` takes them."""
    fields: dict[str, Any] = {}
    for name in ("component", "starts_on", "ends_on", "capacity", "public_seats",
                 "meeting_link", "published"):
        if name in data:
            fields[name] = data[name]
    if "private_to" in data:
        fields["private_to"] = data["private_to"] or ""
    if "intake" in data:
        code = data["intake"]
        intake = Intake.objects.filter(code=code).first() if code is not None else None
        if code is not None and intake is None:
            raise invalid("intake", "exists", f"no intake {code!r}", status_code=422)
        fields["intake"] = intake
    if "meetings" in data:
        m = data["meetings"]
        fields.update(meeting_days=list(m["days"]), meeting_time=m["time"],
                      meeting_minutes=m["minutes"], timezone=m["timezone"])
    return fields


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
            "published": row.published, "public_seats": row.public_seats,
            "meeting_link": (row.meeting_link or None) if access.is_staff(self.request) else None,
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
                   examples=[OpenApiExample("move a meeting to another day", request_only=True,
                                            value={"date": "2026-03-03", "to": "2026-03-06"})])
    @action(detail=True, methods=["post"], url_path="move-meeting")
    @idempotent
    def move_meeting(self, request: Request, code: str) -> Response:
        """Staff: move one meeting to any other day, keeping its time; those enrolled are
        e-mailed and their calendar feeds show the new day."""
        access.require_staff(request)
        offering = self._one(code)
        data = validated(s.MoveMeetingIn, request)
        try:
            move_meeting(access.actor(request), offering, data["date"], data["to"])
        except PathwiseError as exc:
            field = "date" if "has no meeting on" in str(exc) else "to"
            raise invalid(field, "meeting", str(exc), status_code=422) from exc
        return self._detail(request, self._one(code))

    @extend_schema(request=s.OfferingIn, responses={201: s.OfferingDetailOut},
                   examples=[OpenApiExample("a run of PBK", request_only=True, value={
                       "code": "PBK27W", "program": "cscce-cm", "program_version": "2023",
                       "component": "PBK", "starts_on": "2027-01-12", "ends_on": "2027-02-18",
                       "capacity": 25, "meetings": {"days": ["TU", "TH"], "time": "12:00",
                                                    "minutes": 90,
                                                    "timezone": "America/New_York"}})])
    @idempotent
    def create(self, request: Request) -> Response:
        """Staff: create a run, unpublished unless `published` is true."""
        access.require_staff(request)
        data = validated(s.OfferingIn, request)
        version = _version(data["program"], data["program_version"])
        if Offering.objects.filter(code=data["code"]).exists():
            raise invalid("code", "unique", f"{data['code']} exists already; PATCH it",
                          status_code=409)
        fields = {"published": False, **_run_fields(data)}
        self._publish(request, version, data["code"], fields, data.get("instructors", []))
        return Response(self._detail(request, self._one(data["code"])).data, status=201)

    @extend_schema(request=s.OfferingPatchIn, responses=s.OfferingDetailOut)
    @idempotent
    def partial_update(self, request: Request, code: str) -> Response:
        """Staff: change a run. One with seats keeps its dates, meetings and enough
        capacity for them; those enrolled are e-mailed a new meeting link."""
        access.require_staff(request)
        offering = self._one(code)
        data = validated(s.OfferingPatchIn, request)
        self._publish(request, offering.program_version, code, _run_fields(data),
                      data.get("instructors"))
        return self._detail(request, self._one(code))

    def _publish(self, request: Request, version: ProgramVersion, code: str,
                 fields: dict[str, Any], instructors: Sequence[str] | None) -> None:
        try:
            publish_offering(access.actor(request), version, code, instructors=instructors,
                             **fields)
        except RunRefusedError as exc:
            raise invalid(exc.field, "offering", str(exc), status_code=422) from exc

    def _set_published(self, request: Request, code: str, published: bool) -> Response:
        access.require_staff(request)
        offering = self._one(code)
        try:
            set_published(access.actor(request), offering, published)
        except RunRefusedError as exc:
            raise invalid("published", "seats", str(exc), status_code=409) from exc
        return self._detail(request, self._one(code))

    @extend_schema(request=None, responses=s.OfferingDetailOut)
    @action(detail=True, methods=["post"])
    @idempotent
    def publish(self, request: Request, code: str) -> Response:
        """Staff: put the run in participants' catalogues and plans."""
        return self._set_published(request, code, True)

    @extend_schema(request=None, responses=s.OfferingDetailOut)
    @action(detail=True, methods=["post"])
    @idempotent
    def unpublish(self, request: Request, code: str) -> Response:
        """Staff: take the run out of participants' catalogues and plans; refused (409)
        while anyone holds or waits for a seat on it."""
        return self._set_published(request, code, False)

    @extend_schema(
        request={"application/json": {"type": "object", "description": (
            "An offerings file, as GET /api/v1/offerings/export/ gives it.")}},
        responses=s.ImportOut, parameters=[OpenApiParameter(
            "dry_run", bool, description="true: check and show what it would do; write "
                                         "nothing.")])
    @action(detail=False, methods=["post"], url_path="import")
    @idempotent
    def import_file(self, request: Request) -> Response:
        """Staff: publish an offerings file whole or not at all (422 naming every problem,
        row and field); runs are matched by code."""
        access.require_staff(request)
        flag = request.query_params.get("dry_run", "false")
        if flag not in ("true", "false"):
            raise invalid("dry_run", "boolean", f"{flag[:20]!r} is not true or false")
        text = json.dumps(request.data)
        try:
            report = import_offerings(access.actor(request), text, source="request body",
                                      dry_run=flag == "true")
        except ImportRefusedError as exc:
            raise Problem(422, str(exc), kind="offerings-refused", errors=[
                field_error(_where(p), "offering", p) for p in exc.problems]) from exc
        except PathwiseError as exc:
            raise Problem(422, str(exc), kind="offerings-refused",
                          errors=[field_error(_where(str(exc)), "offering", str(exc))]) from exc
        return Response(s.ImportOut(report.as_json()).data)

    @extend_schema(responses={(200, "application/json"): {"type": "object", "description": (
        "The offerings file of a program version's runs (what `pathwise plan` reads).")}},
        parameters=[OpenApiParameter("program_version", str, description=(
            "PROGRAM/VERSION, e.g. cscce-cm/2023; the newest version with runs if not "
            "given."))])
    @action(detail=False, methods=["get"], url_path="export")
    def export_file(self, request: Request) -> Response:
        """Staff: the offerings file of the catalogue's runs."""
        access.require_staff(request)
        named = request.query_params.get("program_version", "")
        if named:
            found = version_named(named)
            if found is None:
                raise invalid("program_version", "program-version", unknown_version(named))
        else:
            found = newest_version()
            if found is None:
                raise exceptions.NotFound("No runs to export yet.")
        version = found
        return Response(json.loads(export_offerings(version)))


def _where(problem: str) -> str:
    """The key a problem names: `request body: offerings[0] (X).capacity: …` names
    `offerings[0].capacity`."""
    parts = problem.split(": ", 2)
    return re.sub(r" \([^)]*\)", "", parts[1]) if len(parts) == 3 else "(top level)"


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
