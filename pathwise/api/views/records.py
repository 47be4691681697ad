"""Credentials (read; staff revoke with a reason or re-issue) and the audit log (staff)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from pathwise.api import access
from pathwise.api import serializers as s
from pathwise.api.conventions import idempotent, iso, viewer_zone
from pathwise.api.problems import invalid
from pathwise.api.views.base import ApiViewSet
from pathwise.api.views.catalogue import validated
from pathwise.auditlog.models import AuditEntry
from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import text_problem
from pathwise.credentials.actions import reissue, revoke
from pathwise.credentials.models import Credential

CREDENTIAL_ID = [OpenApiParameter("credential_id", str, OpenApiParameter.PATH,
                                  description="The credential's UUID.")]


@extend_schema(tags=["credentials"])
class CredentialViewSet(ApiViewSet):
    """Issued badges and certificates: staff see all, a participant their own."""

    lookup_value_regex = "[^/]+"
    out = s.CredentialOut

    def get_queryset(self) -> QuerySet[Credential]:
        return (Credential.objects.select_related("participant")
                .filter(participant__in=access.visible_participants(self.request))
                .annotate(n_copies=Count("copies"))
                .order_by("participant__public_id", "earned_on", "achievement"))

    def represent(self, row: Any) -> dict[str, Any]:
        """`row` is a credential as `get_queryset` annotates it (`n_copies`)."""
        zone = viewer_zone(self.request)
        return {
            "id": row.pk, "url": f"/api/v1/credentials/{row.pk}/",
            "page": f"/credentials/{row.pk}", "participant": row.participant.public_id,
            "achievement": row.achievement, "earned_on": row.earned_on,
            "issued_at": iso(row.issued_at, zone), "revoked": row.revoked,
            "revoked_at": iso(row.revoked_at, zone),
            "revoke_reason": row.revoke_reason or None, "copies": row.n_copies,
        }

    def _one(self, pk: str) -> Credential:
        try:
            key = uuid.UUID(pk)
        except ValueError:
            raise exceptions.NotFound(f"No credential {pk!r}.") from None
        found = self.get_queryset().filter(pk=key).first()
        if found is None:
            raise exceptions.NotFound(f"No credential {pk!r}.")
        return found

    @extend_schema(responses=s.CredentialOut(many=True))
    def list(self, request: Request) -> Response:
        return self.paged(request, self.get_queryset())

    @extend_schema(parameters=CREDENTIAL_ID, responses=s.CredentialOut)
    def retrieve(self, request: Request, credential_id: str) -> Response:
        return Response(self.shaped(self._one(credential_id)))

    @extend_schema(parameters=CREDENTIAL_ID, request=s.RevokeIn, responses=s.CredentialOut,
                   examples=[OpenApiExample("revoke, saying why", request_only=True,
                                            value={"reason": "issued in error"})])
    @idempotent
    def revoke(self, request: Request, credential_id: str) -> Response:
        """Staff: take the credential back, for good (every signed copy)."""
        access.require_staff(request)
        credential = self._one(credential_id)
        data = validated(s.RevokeIn, request)
        try:
            revoke(credential, data["reason"], access.actor(request), timezone.now())
        except PathwiseError as exc:
            raise invalid("reason" if "why" in str(exc) else "credential", "revoke", str(exc),
                          status_code=422) from exc
        return Response(self.shaped(self._one(credential_id)))

    @extend_schema(parameters=CREDENTIAL_ID, request=None, responses=s.CredentialOut)
    @idempotent
    def reissue(self, request: Request, credential_id: str) -> Response:
        """Staff: sign the credential again with the current key, as a new copy."""
        access.require_staff(request)
        credential = self._one(credential_id)
        try:
            reissue(credential, access.actor(request), timezone.now())
        except PathwiseError as exc:
            raise invalid("credential", "reissue", str(exc), status_code=422) from exc
        return Response(self.shaped(self._one(credential_id)))


AUDIT_FILTERS = [
    OpenApiParameter("target", str, description="Only entries about this target id "
                                                "(an offering code, a participant id, …)."),
    OpenApiParameter("target_type", str, description="Only this kind of target, e.g. offering."),
    OpenApiParameter("action", str, description="Only this action (e.g. enrollment.enrolled), "
                                                "or a prefix ending in a dot (enrollment.)."),
    OpenApiParameter("participant", str, description="Only entries about this participant."),
    OpenApiParameter("since", dt.datetime, description="Only entries at or after this moment "
                                                       "(ISO 8601 with offset, or a date)."),
]


def _since(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise invalid("since", "datetime", f"{text!r} is not an ISO 8601 date or time such "
                                           "as 2026-05-01T09:00:00+00:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    if not 1900 <= moment.year <= 2200:
        raise invalid("since", "date-range", f"{text!r} is outside 1900 to 2200")
    return moment


@extend_schema(tags=["audit"])
class AuditEntryViewSet(ApiViewSet):
    """Staff: the audit log, newest first."""

    polled = True
    out = s.AuditEntryOut

    def get_queryset(self) -> QuerySet[AuditEntry]:
        return AuditEntry.objects.select_related("participant").order_by("-at", "-id")

    def last_modified(self, rows: QuerySet[AuditEntry]) -> dt.datetime | None:
        newest: dt.datetime | None = rows.aggregate(at=Max("at"))["at"]
        return newest

    def represent(self, row: AuditEntry) -> dict[str, Any]:
        return {"id": row.pk, "at": iso(row.at, viewer_zone(self.request)),
                "actor": row.actor_label, "action": row.action,
                "target_type": row.target_type, "target_id": row.target_id,
                "participant": row.participant.public_id if row.participant else None,
                "old": row.old_value, "new": row.new_value}

    @extend_schema(parameters=AUDIT_FILTERS, responses=s.AuditEntryOut(many=True))
    def list(self, request: Request) -> Response:
        access.require_staff(request)
        rows = self.get_queryset()
        params = request.query_params
        for name in ("target", "target_type", "action", "participant"):
            value = params.get(name)
            if value is None:
                continue
            problem = text_problem(value, max_length=80)
            if problem is not None:
                raise invalid(name, "one-line", problem)
            if name == "target":
                rows = rows.filter(target_id=value)
            elif name == "target_type":
                rows = rows.filter(target_type=value)
            elif name == "participant":
                rows = rows.filter(participant__public_id=value)
            elif value.endswith("."):
                rows = rows.filter(action__startswith=value)
            else:
                rows = rows.filter(action=value)
        since = params.get("since")
        if since is not None:
            rows = rows.filter(at__gte=_since(since))
        return self.paged(request, rows)
