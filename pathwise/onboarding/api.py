"""Onboarding through the API: expressing interest (anyone), staff accepting or declining it,
adding a participant, and sending an invitation again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from pathwise.accounts.throttle import client_address
from pathwise.api import access
from pathwise.api.auth import ScopedAccess
from pathwise.api.conventions import idempotent, iso
from pathwise.api.fields import IdentifierField
from pathwise.api.models import ApiToken
from pathwise.api.problems import Problem, invalid
from pathwise.api.serializers import ParticipantOut
from pathwise.api.views.base import ApiViewSet
from pathwise.api.views.catalogue import validated
from pathwise.api.views.people import ParticipantViewSet
from pathwise.core.demand import WEEKDAYS
from pathwise.core.errors import PathwiseError
from pathwise.onboarding import actions
from pathwise.onboarding.models import PAYMENT_CHOICES, ExpressionOfInterest
from pathwise.participants.models import Participant

S = serializers.Serializer


class WindowIn(S[Any]):
    days = serializers.ListField(child=serializers.ChoiceField(choices=list(WEEKDAYS)),
                                 min_length=1, max_length=7)
    # Checked by the availability rules (HH:MM, `to` after `from`, 24:00 allowed as `to`).
    from_ = serializers.CharField(max_length=5)
    to = serializers.CharField(max_length=5)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class InterestIn(S[Any]):
    name = serializers.CharField(max_length=200)
    email = serializers.CharField(max_length=254)
    organization = serializers.CharField(max_length=200, required=False, allow_blank=True)
    timezone = serializers.CharField(max_length=64, help_text="IANA zone, e.g. Europe/Berlin.")
    courses = serializers.ListField(child=IdentifierField(), required=False, max_length=20,
                                    help_text="Course codes they would like first.")
    availability = serializers.ListField(
        child=WindowIn(), required=False, allow_null=True, max_length=20,
        help_text="Weekly windows in their zone; null or absent: any time.")
    payment = serializers.ChoiceField(choices=[c for c, _ in PAYMENT_CHOICES],
                                      required=False, default="undecided")
    message = serializers.CharField(max_length=actions.MAX_MESSAGE, required=False,
                                    allow_blank=True)


class InterestOut(S[Any]):
    id = serializers.IntegerField()
    url = serializers.CharField()
    name = serializers.CharField()
    email = serializers.CharField()
    organization = serializers.CharField()
    timezone = serializers.CharField()
    courses = serializers.ListField(child=serializers.CharField())
    availability = serializers.JSONField(allow_null=True)
    payment = serializers.CharField()
    message = serializers.CharField()
    status = serializers.CharField()
    participant = serializers.CharField(allow_null=True)
    intake = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.CharField()


class InterestReceipt(S[Any]):
    """What an anonymous sender is told: that it arrived, and nothing stored about others."""

    status = serializers.CharField()


class AcceptIn(S[Any]):
    intake = IdentifierField(help_text="The intake's code; joined until its orientation starts.")


class ParticipantIn(S[Any]):
    name = serializers.CharField(max_length=200)
    email = serializers.CharField(max_length=254)
    organization = serializers.CharField(max_length=200, required=False, allow_blank=True)
    timezone = serializers.CharField(max_length=64)
    intake = IdentifierField()


class InvitationOut(S[Any]):
    participant = serializers.CharField()
    username = serializers.CharField()
    sent_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


def _refused(exc: PathwiseError, default_field: str) -> Problem:
    field = getattr(exc, "field", default_field)
    message = getattr(exc, "message", str(exc))
    return invalid(field, "onboarding", message, status_code=422)


INTEREST_ID = [OpenApiParameter("interest_id", int, OpenApiParameter.PATH,
                                description="An expression of interest's id.")]
STATUS = [OpenApiParameter("status", str, enum=["pending", "accepted", "declined"],
                           description="Only those with this status.")]


class AnyoneSends(ScopedAccess):
    """Anyone may send the form, signed in or not; the rest needs a sign-in. A token must
    be a write token to write, this form included, as for every write."""

    def has_permission(self, request: Request, view: Any) -> bool:
        sending = request.method == "POST" and getattr(view, "action", None) == "create"
        if sending and not isinstance(request.auth, ApiToken):
            return True
        return super().has_permission(request, view)


@extend_schema(tags=["onboarding"])
class InterestViewSet(ApiViewSet):
    """People asking to join: anyone sends one; staff list, accept or decline them."""

    permission_classes = [AnyoneSends]
    out = InterestOut

    def get_queryset(self) -> QuerySet[ExpressionOfInterest]:
        return ExpressionOfInterest.objects.select_related("participant", "intake")

    def represent(self, row: ExpressionOfInterest) -> dict[str, Any]:
        return {"id": row.pk, "url": f"/api/v1/interest/{row.pk}/", "name": row.name,
                "email": row.email, "organization": row.organization,
                "timezone": row.timezone, "courses": row.courses,
                "availability": row.availability, "payment": row.payment,
                "message": row.message, "status": row.status,
                "participant": row.participant.public_id if row.participant else None,
                "intake": row.intake.code if row.intake else None,
                "created_at": iso(row.created_at, dt.UTC),
                "decided_at": iso(row.decided_at, dt.UTC) if row.decided_at else None,
                "decided_by": row.decided_by}

    @extend_schema(parameters=STATUS, responses=InterestOut(many=True))
    def list(self, request: Request) -> Response:
        access.require_staff(request)
        rows = self.get_queryset()
        status = request.query_params.get("status")
        if status is not None:
            if status not in dict(ExpressionOfInterest.STATUS_CHOICES):
                raise invalid("status", "choice", f"{status[:40]!r} is not one of pending, "
                                                  "accepted, declined")
            rows = rows.filter(status=status)
        return self.paged(request, rows)

    @extend_schema(request=InterestIn, responses={201: InterestReceipt, 429: OpenApiTypes.OBJECT},
                   auth=[], examples=[OpenApiExample("evenings in Berlin", request_only=True,
                                                     value={
        "name": "Lin Chen", "email": "lin@example.org", "timezone": "Europe/Berlin",
        "courses": ["CODE"], "payment": "invoice",
        "availability": [{"days": ["MO", "WE"], "from": "18:00", "to": "21:00"}]})])
    def create(self, request: Request) -> Response:
        """Express interest (no sign-in needed); a few an hour from one address."""
        data = validated(InterestIn, request)
        windows = data.get("availability")
        try:
            actions.express_interest(
                name=data["name"], email=data["email"], timezone_name=data["timezone"],
                organization=data.get("organization", ""), courses=data.get("courses", []),
                availability=[dict(w) for w in windows] if windows else None,
                payment=data["payment"], message=data.get("message", ""),
                client=client_address(request))
        except actions.ThrottledError as exc:
            raise Problem(429, str(exc), kind="throttled") from exc
        except PathwiseError as exc:
            raise _refused(exc, "name") from exc
        return Response(InterestReceipt({"status": "received"}).data, status=201)

    def _one(self, interest_id: str) -> ExpressionOfInterest:
        row = self.get_queryset().filter(pk=interest_id).first() if interest_id.isdigit() \
            else None
        if row is None:
            raise exceptions.NotFound(f"No expression of interest {interest_id!r}.")
        return row

    @extend_schema(parameters=INTEREST_ID, request=AcceptIn, responses=ParticipantOut,
                   examples=[OpenApiExample("into an intake", request_only=True,
                                            value={"intake": "CERT26F"})])
    @idempotent
    def accept(self, request: Request, interest_id: str) -> Response:
        """Make them a participant in the intake, and e-mail their invitation."""
        access.require_staff(request)
        row = self._one(interest_id)
        data = validated(AcceptIn, request)
        try:
            participant = actions.accept_interest(row, data["intake"], access.actor(request))
        except PathwiseError as exc:
            raise _refused(exc, "intake") from exc
        return Response(_participant(request, participant))

    @extend_schema(parameters=INTEREST_ID, request=None, responses=InterestOut)
    @idempotent
    def decline(self, request: Request, interest_id: str) -> Response:
        """Decline it: they are not made a participant (nor e-mailed)."""
        access.require_staff(request)
        row = self._one(interest_id)
        try:
            declined = actions.decline_interest(row, access.actor(request))
        except PathwiseError as exc:
            raise Problem(409, str(exc)) from exc
        return Response(self.shaped(declined))


def _participant(request: Request, participant: Participant) -> Any:
    view = ParticipantViewSet(request=request, format_kwarg=None)
    return view.shaped(Participant.objects.select_related("standing").get(pk=participant.pk))


class OnboardingParticipantViewSet(ParticipantViewSet):
    """The participants' list and reads, and staff adding one (invited by e-mail)."""

    @extend_schema(request=ParticipantIn, responses={201: ParticipantOut}, examples=[
        OpenApiExample("one person", request_only=True, value={
            "name": "Ravi Iyer", "email": "ravi@example.org", "timezone": "Asia/Kolkata",
            "intake": "CERT26F"})])
    @idempotent
    def create(self, request: Request) -> Response:
        """Add a participant to an intake (staff); they are e-mailed a link to set a password."""
        access.require_staff(request)
        data = validated(ParticipantIn, request)
        try:
            participant = actions.add_participant(
                name=data["name"], email=data["email"], timezone_name=data["timezone"],
                organization=data.get("organization", ""), intake=data["intake"],
                actor=access.actor(request))
        except PathwiseError as exc:
            raise _refused(exc, "name") from exc
        return Response(self.shaped(participant), status=201)

    @extend_schema(request=None, responses={201: InvitationOut})
    @idempotent
    def invitation(self, request: Request, public_id: str) -> Response:
        """Send the invitation again (staff): a new link; the ones sent before stop working."""
        access.require_staff(request)
        participant = access.participant_named(request, public_id)
        try:
            sent = actions.send_invitation(participant, access.actor(request))
        except PathwiseError as exc:
            raise Problem(409, str(exc)) from exc
        return Response(InvitationOut({
            "participant": participant.public_id, "username": actions.username_of(participant),
            "sent_at": iso(sent.created_at, dt.UTC),
            "expires_at": iso(sent.expires_at, dt.UTC)}).data, status=201)

    @extend_schema(request=AcceptIn, responses={200: ParticipantOut}, examples=[
        OpenApiExample("an intake", request_only=True, value={"intake": "CERT26F"})])
    @idempotent
    def place(self, request: Request, public_id: str) -> Response:
        """Record the intake of someone enrolled without one (staff), until it starts."""
        access.require_staff(request)
        participant = access.participant_named(request, public_id)
        data = validated(AcceptIn, request)
        try:
            actions.place_in_intake(participant, data["intake"], access.actor(request))
        except PathwiseError as exc:
            raise _refused(exc, "intake") from exc
        return Response(_participant(request, participant))
