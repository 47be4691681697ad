"""Staff: who is at risk or overdue, and the contacts staff record with a participant."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from pathwise.api import access
from pathwise.api import serializers as s
from pathwise.api.conventions import idempotent, iso
from pathwise.api.problems import Problem, field_error, invalid
from pathwise.api.views.base import ApiViewSet
from pathwise.api.views.catalogue import validated
from pathwise.api.views.people import PARTICIPANT
from pathwise.core.errors import PathwiseError
from pathwise.core.risk import KINDS
from pathwise.notifications.actions import record_contact
from pathwise.notifications.models import Contact
from pathwise.standing.atrisk import at_risk, check_filters, entries

FILTERS = [
    OpenApiParameter("intake", str, description="Only those of this intake, e.g. 2026-09."),
    OpenApiParameter("run", str, description="Only those holding a seat in this run."),
    OpenApiParameter("reason", str, enum=list(KINDS),
                     description="Only those at risk for this kind of reason."),
]

FILTER_WORDS = (("intake", "intake"), ("run", "run"), ("reason", "kind"))


@extend_schema(tags=["participants"])
class AtRiskViewSet(ApiViewSet):
    """Staff: the at-risk dashboard's list, longest at risk first."""

    out = s.AtRiskOut

    @extend_schema(parameters=FILTERS, responses=s.AtRiskOut(many=True))
    def list(self, request: Request) -> Response:
        """Who is at risk or overdue: why, since when, the last contact and the action to
        take, as /staff/at-risk/ shows it."""
        access.require_staff(request)
        wanted = {key: request.query_params.get(key, "") for key in ("intake", "run", "reason")}
        errors = [field_error(key, "known", found[0]) for key, word in FILTER_WORDS
                  if wanted[key] and (found := check_filters(**{word: wanted[key]}))]
        if errors:
            raise Problem(400, " ".join(e["message"] for e in errors), errors=errors,
                          kind="invalid")
        rows = at_risk(intake=wanted["intake"], run=wanted["run"], kind=wanted["reason"])
        page = self.paginate_queryset(rows)
        assert page is not None
        today = timezone.localdate()
        return self.get_paginated_response([s.AtRiskOut(e.to_json()).data
                                            for e in entries(page, today)])


@extend_schema(tags=["participants"], parameters=PARTICIPANT)
class ContactViewSet(ApiViewSet):
    """Staff record a contact made with a participant outside the app."""

    out = s.ContactOut

    def represent(self, row: Contact) -> dict[str, object]:
        return {"id": row.pk, "participant": row.participant.public_id,
                "channel": row.channel, "date": row.contacted_on, "note": row.note,
                "recorded_by": row.recorded_by, "created_at": iso(row.created_at, dt.UTC)}

    @extend_schema(request=s.ContactIn, responses={201: s.ContactOut}, examples=[
        OpenApiExample("a phone call", request_only=True, value={
            "channel": "phone", "date": "2026-11-28",
            "note": "Talked through the runs left; they will ask for an extension."})])
    @idempotent
    def create(self, request: Request, public_id: str) -> Response:
        """Record a call, a meeting or a message (audited); the at-risk list shows it as
        the last contact."""
        access.require_staff(request)
        participant = access.participant_named(request, public_id)
        data = validated(s.ContactIn, request)
        try:
            row = record_contact(participant, data["channel"], data["date"], data["note"],
                                 access.actor(request))
        except PathwiseError as exc:
            field, _, message = str(exc).partition(": ")
            raise invalid(field, "contact", message or str(exc), status_code=422) from exc
        return Response(self.shaped(row), status=201)
