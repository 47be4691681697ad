"""Participants (staff: all; a participant: themself), their records, standing and schedule;
demand and extension requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from pathwise.api import access, examples
from pathwise.api import serializers as s
from pathwise.api.conventions import idempotent, iso, viewer_zone
from pathwise.api.problems import Problem, field_error, invalid
from pathwise.api.views.base import ApiViewSet
from pathwise.api.views.catalogue import validated
from pathwise.core.errors import PathwiseError
from pathwise.core.offerings import occurrences
from pathwise.enrollment.actions import register_demand
from pathwise.enrollment.catalogue_views import today_for
from pathwise.enrollment.models import DemandRequest, Seat
from pathwise.participants import models as m
from pathwise.participants.actions import (
    change_job,
    extend_deadline,
    grant_credit,
    grant_extension,
    move_to_version,
    preview_version_move,
    refuse_extension,
    reinstate,
    request_extension,
    today,
    version_named,
    withdraw,
)
from pathwise.participants.exports import export_one
from pathwise.participants.progress import current_enrollment
from pathwise.standing.read import standing_of

PARTICIPANT = [OpenApiParameter("public_id", str, OpenApiParameter.PATH,
                                description="A participant id, e.g. P-025.")]
SEARCH = [OpenApiParameter("status", str, description="Only those with this standing, e.g. "
                                                      "at_risk.")]


def refused(exc: PathwiseError, default: str) -> Problem:
    """An action's refusal as a 422 naming the field its message starts with, if any."""
    message = str(exc)
    head, sep, rest = message.partition(": ")
    if sep and head in FIELDS:
        return invalid(head, "refused", rest, status_code=422)
    return invalid(default, "refused", message, status_code=422)


FIELDS = ("component", "basis", "date", "assessments", "conditions_met", "organization",
          "role", "reason")
REQUEST_ID = [OpenApiParameter("request_id", str, OpenApiParameter.PATH,
                               description="The extension request's id.")]


@extend_schema(tags=["participants"], parameters=PARTICIPANT)
class ParticipantViewSet(ApiViewSet):
    """Staff list and read every participant; a participant reads only themself."""

    lookup_field = "public_id"
    lookup_value_regex = "[^/]+"
    polled = True
    out = s.ParticipantOut

    def get_queryset(self) -> QuerySet[m.Participant]:
        return (access.visible_participants(self.request)
                .select_related("standing").order_by("public_id"))

    def last_modified(self, rows: QuerySet[m.Participant]) -> dt.datetime | None:
        found = rows.aggregate(p=Max("updated_at"), e=Max("enrollments__updated_at"),
                               s=Max("standing__updated_at"))
        return max((v for v in found.values() if v is not None), default=None)

    def represent(self, row: m.Participant) -> dict[str, Any]:
        enrollment = current_enrollment(row)
        stored = getattr(row, "standing", None)
        version = enrollment.program_version if enrollment else None
        return {
            "id": row.public_id, "url": f"/api/v1/participants/{row.public_id}/",
            "name": row.name, "email": row.email, "timezone": row.timezone,
            "organization": row.organization,
            "program": version.program_id if version else None,
            "program_version": version.version if version else None,
            "intake": enrollment.intake.code if enrollment and enrollment.intake else None,
            "enrolled_on": enrollment.enrolled_on if enrollment else None,
            "status": stored.status if stored else None,
            "deadline": stored.deadline if stored else None,
            "updated_at": iso(row.updated_at, dt.UTC),
        }

    @extend_schema(parameters=SEARCH, responses=s.ParticipantOut(many=True))
    def list(self, request: Request) -> Response:
        rows = self.get_queryset()
        status = request.query_params.get("status")
        if status is not None:
            rows = rows.filter(standing__status=status)
        return self.paged(request, rows)

    @extend_schema(responses=s.ParticipantOut)
    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(self.shaped(access.participant_named(request, public_id)))

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, examples=[OpenApiExample(
        "a records file", response_only=True, value={
            "program": "cscce-cm", "program_version": "2023",
            "participant": {"id": "P-025", "name": "Ada Lovelace", "timezone": "Europe/London"},
            "enrolled_on": "2025-09-21", "deadline_extended_to": None, "holding": ["PBK2602"],
            "records": [{"component": "ORIENT", "date": "2025-09-21", "outcome": "attended"}]})])
    def records(self, request: Request, public_id: str) -> Response:
        """The participant's records file, exactly as `pathwise export` writes it."""
        participant = access.participant_named(request, public_id)
        try:
            return Response(export_one(participant.public_id))
        except PathwiseError as exc:
            raise exceptions.NotFound(f"{participant.public_id} has no records.") from exc

    @extend_schema(responses=s.StandingOut)
    def standing(self, request: Request, public_id: str) -> Response:
        """Where they stand: the audit and the plan, as every page reads it."""
        participant = access.participant_named(request, public_id)
        found = standing_of(participant)
        if found is None:
            raise exceptions.NotFound(f"{participant.public_id} is not enrolled in a program.")
        data = found.standing.to_json()
        data["plan"] = found.standing.plan.to_json() if found.standing.plan else None
        data["next_step"] = {"kind": found.next.kind, "text": found.next.text,
                             "offering": found.next.offering}
        return Response(s.StandingOut(data).data)

    def _acted(self, public_id: str) -> Response:
        return Response(self.shaped(self.get_queryset().get(public_id=public_id)))

    def _staff_on(self, request: Request, public_id: str) -> m.Participant:
        access.require_staff(request)
        return access.participant_named(request, public_id)

    @extend_schema(request=s.CreditIn, responses=s.ParticipantOut, examples=[OpenApiExample(
        "credit from the NOC pilot, its assessment passed", request_only=True, value={
            "component": "NOC", "basis": "NOC pilot 2021", "date": "2026-05-01",
            "assessments": {"final-deliverable": "passed"}})])
    @idempotent
    def credit(self, request: Request, public_id: str) -> Response:
        """Staff: grant prior-learning credit for a course (a `credited` record)."""
        participant = self._staff_on(request, public_id)
        data = validated(s.CreditIn, request)
        try:
            grant_credit(participant, data["component"], basis=data["basis"],
                         on=data.get("date") or today(), actor=access.actor(request),
                         assessments=data.get("assessments"),
                         conditions_met=data["conditions_met"])
        except PathwiseError as exc:
            raise refused(exc, "component") from exc
        return self._acted(public_id)

    @extend_schema(request=s.ExtendIn, responses=s.ParticipantOut, examples=[OpenApiExample(
        "three more months", request_only=True,
        value={"until": "2027-12-31", "reason": "Changed jobs mid-course."})])
    @idempotent
    def extend(self, request: Request, public_id: str) -> Response:
        """Staff: move the deadline later (the participant is e-mailed)."""
        participant = self._staff_on(request, public_id)
        data = validated(s.ExtendIn, request)
        try:
            extend_deadline(participant, data["until"], data["reason"], access.actor(request))
        except PathwiseError as exc:
            raise refused(exc, "until") from exc
        return self._acted(public_id)

    @extend_schema(request=s.WithdrawIn, responses=s.ParticipantOut, examples=[OpenApiExample(
        "withdraw today", request_only=True, value={"reason": "Left the field."})])
    @idempotent
    def withdraw(self, request: Request, public_id: str) -> Response:
        """Staff: withdraw the participant; their seats in runs not yet over are given up."""
        participant = self._staff_on(request, public_id)
        data = validated(s.WithdrawIn, request)
        try:
            withdraw(participant, data["reason"], access.actor(request), on=data.get("on"))
        except PathwiseError as exc:
            raise refused(exc, "on") from exc
        return self._acted(public_id)

    @extend_schema(request=s.ReasonIn, responses=s.ParticipantOut, examples=[OpenApiExample(
        "back after a break", request_only=True, value={"reason": "Back after parental leave."})])
    @idempotent
    def reinstate(self, request: Request, public_id: str) -> Response:
        """Staff: undo a withdrawal (seats given up are not given back)."""
        participant = self._staff_on(request, public_id)
        data = validated(s.ReasonIn, request)
        try:
            reinstate(participant, data["reason"], access.actor(request))
        except PathwiseError as exc:
            raise refused(exc, "participant") from exc
        return self._acted(public_id)

    @extend_schema(request=s.JobChangeIn, responses=s.ParticipantOut, examples=[OpenApiExample(
        "a new employer", request_only=True,
        value={"organization": "Genome Society", "role": "Community manager",
               "on": "2026-09-01"})])
    @idempotent
    def job_change(self, request: Request, public_id: str) -> Response:
        """Staff, or the participant themself: a new job from `on`; the last one ends then."""
        participant = access.participant_named(request, public_id)
        data = validated(s.JobChangeIn, request)
        try:
            change_job(participant, data["organization"], access.actor(request),
                       on=data.get("on") or today(), role=data.get("role"))
        except PathwiseError as exc:
            raise refused(exc, "on" if "date" in str(exc) else "organization") from exc
        return self._acted(public_id)

    @extend_schema(parameters=[examples.TZ], responses=s.ScheduleOut)
    def schedule(self, request: Request, public_id: str) -> Response:
        """Their seats and waitlist places, each with its meetings in the viewer's zone."""
        participant = access.participant_named(request, public_id)
        zone = viewer_zone(request)
        seats = (Seat.objects.filter(participant=participant,
                                     status__in=(Seat.ENROLLED, Seat.WAITLISTED))
                 .select_related("offering__program_version", "offering__intake")
                 .order_by("offering__starts_on", "offering__code"))
        rows = []
        for seat in seats:
            offering = seat.offering
            component = offering.program_version.program.components.get(offering.component)
            rows.append({
                "seat": seat.pk, "offering": offering.code, "component": offering.component,
                "name": component.name if component else offering.component,
                "status": seat.status, "waitlist_position": place_in_line(seat),
                "meetings": [{"starts_at": iso(a, zone), "ends_at": iso(b, zone)}
                             for a, b in occurrences(offering.to_core())]})
        return Response(s.ScheduleOut({"participant": participant.public_id,
                                       "timezone": str(zone), "seats": rows}).data)

    @extend_schema(
        parameters=[OpenApiParameter("to", str, required=True,
                                     description="The target version, e.g. 2025.")],
        responses={200: OpenApiTypes.OBJECT},
        examples=[OpenApiExample("moving from 2023 to 2025", response_only=True, value={
            "participant": "P-025", "allowed": True, "problem": None,
            "current": {"program_version": "2023", "status": "on_track"},
            "target": {"program_version": "2025", "status": "on_track"},
            "requirements": [{"id": "elective", "title": "Elective course (NOC, COP or EVAL)",
                              "changes": True, "current": {"met": False},
                              "target": {"met": False}}],
            "badges_gained": [], "badges_lost": []})])
    def version_preview(self, request: Request, public_id: str) -> Response:
        """Staff: the audit under the participant's version and under `to`, side by side."""
        access.require_staff(request)
        participant = access.participant_named(request, public_id)
        to = request.query_params.get("to")
        if not to:
            raise invalid("to", "required", "say which version, e.g. ?to=2025")
        try:
            target = version_named(participant, to)
            found = preview_version_move(participant, target, today_for(participant))
        except PathwiseError as exc:
            raise invalid("to", "version", str(exc), status_code=422) from exc
        return Response(found.to_json())

    @extend_schema(request=s.VersionMoveIn, responses=s.ParticipantOut, examples=[
        OpenApiExample("move to 2025", request_only=True, value={"version": "2025"})])
    @idempotent
    def move_version(self, request: Request, public_id: str) -> Response:
        """Staff: put the participant on another version of their program, records kept."""
        access.require_staff(request)
        participant = access.participant_named(request, public_id)
        data = validated(s.VersionMoveIn, request)
        try:
            move_to_version(participant, version_named(participant, data["version"]),
                            access.actor(request), today_for(participant))
        except PathwiseError as exc:
            raise invalid("version", "version-move", str(exc), status_code=422) from exc
        return Response(self.shaped(access.participant_named(request, public_id)))


def place_in_line(seat: Seat) -> int | None:
    if seat.status != Seat.WAITLISTED:
        return None
    return Seat.objects.filter(offering_id=seat.offering_id, status=Seat.WAITLISTED,
                               queue_number__lte=seat.queue_number).count()


@extend_schema(tags=["requests"])
class DemandViewSet(ApiViewSet):
    """Times a participant could attend when no run suits them; staff see everyone's."""

    out = s.DemandOut

    def get_queryset(self) -> QuerySet[DemandRequest]:
        rows = DemandRequest.objects.select_related("participant").order_by("-created_at", "-id")
        return rows.filter(participant__in=access.visible_participants(self.request))

    def represent(self, row: DemandRequest) -> dict[str, Any]:
        return {"id": row.pk, "participant": row.participant.public_id,
                "component": row.component, "days": row.days,
                "start": f"{row.start:%H:%M}", "end": f"{row.end:%H:%M}",
                "timezone": row.timezone, "created_at": iso(row.created_at, dt.UTC)}

    @extend_schema(responses=s.DemandOut(many=True))
    def list(self, request: Request) -> Response:
        return self.paged(request, self.get_queryset())

    @extend_schema(request=s.DemandIn, responses={201: s.DemandOut}, examples=[OpenApiExample(
        "evenings in my zone", request_only=True,
        value={"component": "PBK", "days": ["MO", "WE"], "start": "18:00", "end": "20:00"})])
    @idempotent
    def create(self, request: Request) -> Response:
        data = validated(s.DemandIn, request)
        participant = access.acting_for(request, data.get("participant"))
        enrollment = current_enrollment(participant)
        courses = ([c.code for c in enrollment.program_version.program.components.values()
                    if c.kind == "course"] if enrollment else [])
        if data["component"] not in courses:
            raise invalid("component", "course",
                          f"{data['component']!r} is not a course of "
                          f"{participant.public_id}'s program"
                          + (f" (one of {', '.join(courses)})" if courses else ""),
                          status_code=422)
        row = register_demand(participant, data["component"], days=list(data["days"]),
                              start=data["start"], end=data["end"],
                              actor=access.actor(request))
        return Response(self.shaped(row), status=201)


@extend_schema(tags=["requests"])
class ExtensionViewSet(ApiViewSet):
    """A participant asking for more time (staff decide); staff see everyone's."""

    out = s.ExtensionOut

    def get_queryset(self) -> QuerySet[m.ExtensionRequest]:
        return (m.ExtensionRequest.objects.select_related("enrollment__participant")
                .filter(enrollment__participant__in=access.visible_participants(self.request))
                .order_by("-created_at", "-id"))

    def represent(self, row: m.ExtensionRequest) -> dict[str, Any]:
        return {"id": row.pk, "participant": row.enrollment.participant.public_id,
                "reason": row.reason, "wanted_until": row.wanted_until, "status": row.status,
                "created_at": iso(row.created_at, dt.UTC),
                "decided_at": iso(row.decided_at, dt.UTC) if row.decided_at else None,
                "decided_by": row.decided_by or None}

    def _one(self, request_id: str) -> m.ExtensionRequest:
        found = (self.get_queryset().filter(pk=int(request_id)).first()
                 if request_id.isdigit() and len(request_id) < 12 else None)
        if found is None:
            raise exceptions.NotFound(f"No extension request {request_id!r}.")
        return found

    @extend_schema(parameters=REQUEST_ID, request=s.GrantIn, responses=s.ExtensionOut,
                   examples=[OpenApiExample("grant the day they asked for", request_only=True,
                                            value={})])
    @idempotent
    def grant(self, request: Request, request_id: str) -> Response:
        """Staff: grant the request; the deadline moves (by default to the day asked for)."""
        access.require_staff(request)
        found = self._one(request_id)
        data = validated(s.GrantIn, request)
        try:
            grant_extension(found, access.actor(request), until=data.get("until"),
                            reason=data.get("reason") or "")
        except PathwiseError as exc:
            raise refused(exc, "until") from exc
        return Response(self.shaped(self._one(request_id)))

    @extend_schema(parameters=REQUEST_ID, request=s.ReasonIn, responses=s.ExtensionOut,
                   examples=[OpenApiExample("refuse, saying why", request_only=True, value={
                       "reason": "The program ends with this version; no later run exists."})])
    @idempotent
    def refuse(self, request: Request, request_id: str) -> Response:
        """Staff: refuse the request, saying why (the participant is told)."""
        access.require_staff(request)
        found = self._one(request_id)
        data = validated(s.ReasonIn, request)
        try:
            refuse_extension(found, data["reason"], access.actor(request))
        except PathwiseError as exc:
            raise refused(exc, "reason") from exc
        return Response(self.shaped(self._one(request_id)))


    @extend_schema(responses=s.ExtensionOut(many=True))
    def list(self, request: Request) -> Response:
        return self.paged(request, self.get_queryset())

    @extend_schema(request=s.ExtensionIn, responses={201: s.ExtensionOut}, examples=[
        OpenApiExample("ask for three more months", request_only=True, value={
            "reason": "I changed jobs and missed a term.", "wanted_until": "2027-11-30"})])
    @idempotent
    def create(self, request: Request) -> Response:
        data = validated(s.ExtensionIn, request)
        participant = access.acting_for(request, data.get("participant"))
        enrollment = current_enrollment(participant)
        if enrollment is None:
            raise Problem(422, f"{participant.public_id} is not enrolled in a program",
                          errors=[field_error("participant", "enrolled",
                                              "not enrolled in a program")])
        try:
            row = request_extension(enrollment, data["reason"], access.actor(request),
                                    wanted_until=data.get("wanted_until"))
        except PathwiseError as exc:
            field = "wanted_until" if "date" in str(exc) else "reason"
            raise invalid(field, "extension", str(exc), status_code=422) from exc
        return Response(self.shaped(row), status=201)
