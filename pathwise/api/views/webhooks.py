"""Staff: webhook endpoints and their deliveries, over pathwise/notifications/webhooks.py.

Registering answers the endpoint's secret once, as rotating does; afterwards it is
never shown again. Deliveries come with their attempts, newest first.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from pathwise.api import access, examples
from pathwise.api import serializers as s
from pathwise.api.conventions import idempotent, iso, viewer_zone
from pathwise.api.problems import invalid
from pathwise.api.views.base import ApiViewSet
from pathwise.api.views.catalogue import validated
from pathwise.core.errors import PathwiseError
from pathwise.core.webhooks import check_events, check_url
from pathwise.notifications import webhooks
from pathwise.notifications.models import WebhookDelivery, WebhookEndpoint

ENDPOINT_ID = OpenApiParameter("endpoint_id", int, OpenApiParameter.PATH,
                               description="A webhook endpoint's id.")
DELIVERY_ID = OpenApiParameter("delivery_id", str, OpenApiParameter.PATH,
                               description="A delivery's UUID (its Pathwise-Delivery header).")


@extend_schema(tags=["webhooks"])
class WebhookViewSet(ApiViewSet):
    """Staff: where events are sent, and what became of each delivery."""

    lookup_value_regex = "[^/]+"
    out = s.WebhookOut

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return WebhookEndpoint.objects.order_by("-created_at", "-id")

    def represent(self, row: WebhookEndpoint) -> dict[str, Any]:
        zone = viewer_zone(self.request)
        return {"id": row.pk, "url": row.url, "events": list(row.events), "active": row.active,
                "disabled_reason": row.disabled_reason or None,
                "disabled_at": iso(row.disabled_at, zone),
                "disabled_by": row.disabled_by or None,
                "secret_rotated_at": iso(row.secret_rotated_at, zone),
                "created_by": row.created_by, "created_at": iso(row.created_at, zone)}

    def _delivery(self, row: WebhookDelivery) -> dict[str, Any]:
        zone = viewer_zone(self.request)
        return {"id": row.pk, "event": row.event, "event_id": row.event_id,
                "status": row.status, "created_at": iso(row.created_at, zone),
                "next_attempt_at": iso(row.next_attempt_at, zone),
                "gave_up_reason": row.gave_up_reason or None, "payload": row.payload,
                "attempts": [{"at": iso(a.at, zone), "status_code": a.status_code,
                              "error": a.error or None, "duration_ms": a.duration_ms}
                             for a in row.attempts.all()]}

    def _one(self, request: Request, pk: str) -> WebhookEndpoint:
        access.require_staff(request)
        number = pk.isascii() and pk.isdigit() and len(pk) < 19
        found = self.get_queryset().filter(pk=int(pk)).first() if number else None
        if found is None:
            raise exceptions.NotFound(f"No webhook endpoint {pk!r}.")
        return found

    def _secret(self, registered: webhooks.Registered, status: int) -> Response:
        return Response(s.WebhookSecretOut({**self.represent(registered.endpoint),
                                            "secret": registered.secret}).data, status=status)

    def _refused(self, exc: PathwiseError) -> Any:
        return invalid("endpoint", "endpoint", str(exc), status_code=422)

    @extend_schema(responses=s.WebhookOut(many=True))
    def list(self, request: Request) -> Response:
        access.require_staff(request)
        return self.paged(request, self.get_queryset())

    @extend_schema(request=s.WebhookIn, responses={201: s.WebhookSecretOut},
                   examples=[examples.WEBHOOK_IN, examples.WEBHOOK_SECRET,
                             examples.PROBLEM_URL])
    @idempotent
    def create(self, request: Request) -> Response:
        """Register an endpoint for some events; the answer holds its secret, this once."""
        access.require_staff(request)
        data = validated(s.WebhookIn, request)
        # Checked here first only to name the field at fault; the action checks again.
        for field, check in (("url", lambda: check_url(data["url"])),
                             ("events", lambda: check_events(data["events"]))):
            try:
                check()
            except PathwiseError as exc:
                raise invalid(field, field, str(exc)) from exc
        registered = webhooks.register_endpoint(data["url"], data["events"],
                                                access.actor(request))
        return self._secret(registered, 201)

    @extend_schema(parameters=[ENDPOINT_ID], responses=s.WebhookOut,
                   examples=[examples.WEBHOOK_OUT])
    def retrieve(self, request: Request, endpoint_id: str) -> Response:
        return Response(self.shaped(self._one(request, endpoint_id)))

    @extend_schema(parameters=[ENDPOINT_ID], responses={204: None})
    @idempotent
    def destroy(self, request: Request, endpoint_id: str) -> Response:
        """Remove the endpoint and its deliveries; the audit log keeps what it was."""
        endpoint = self._one(request, endpoint_id)
        try:
            webhooks.delete_endpoint(endpoint, access.actor(request))
        except PathwiseError as exc:
            raise self._refused(exc) from exc
        return Response(status=204)

    @extend_schema(parameters=[ENDPOINT_ID], request=s.DisableIn, responses=s.WebhookOut,
                   examples=[examples.DISABLE_IN])
    @idempotent
    def disable(self, request: Request, endpoint_id: str) -> Response:
        """Stop sending to it; its deliveries still to be sent are given up."""
        endpoint = self._one(request, endpoint_id)
        data = validated(s.DisableIn, request)
        try:
            done = webhooks.disable(endpoint, data.get("reason", ""), access.actor(request))
        except PathwiseError as exc:
            raise self._refused(exc) from exc
        return Response(self.shaped(done))

    @extend_schema(parameters=[ENDPOINT_ID], request=None, responses=s.WebhookOut)
    @idempotent
    def enable(self, request: Request, endpoint_id: str) -> Response:
        """Send to it again from the next event on."""
        endpoint = self._one(request, endpoint_id)
        try:
            done = webhooks.enable(endpoint, access.actor(request))
        except PathwiseError as exc:
            raise self._refused(exc) from exc
        return Response(self.shaped(done))

    @extend_schema(parameters=[ENDPOINT_ID], request=None, responses=s.WebhookSecretOut,
                   examples=[examples.WEBHOOK_SECRET])
    @idempotent
    def rotate_secret(self, request: Request, endpoint_id: str) -> Response:
        """A new secret, answered this once; the old one stops verifying at once."""
        endpoint = self._one(request, endpoint_id)
        try:
            registered = webhooks.rotate_secret(endpoint, access.actor(request))
        except PathwiseError as exc:
            raise self._refused(exc) from exc
        return self._secret(registered, 200)

    @extend_schema(parameters=[ENDPOINT_ID], request=None, responses={202: s.DeliveryOut},
                   examples=[examples.DELIVERY])
    @idempotent
    def ping(self, request: Request, endpoint_id: str) -> Response:
        """Send a `ping` event to this endpoint alone (202: queued for the worker)."""
        endpoint = self._one(request, endpoint_id)
        try:
            delivery = webhooks.ping(endpoint, access.actor(request))
        except PathwiseError as exc:
            raise self._refused(exc) from exc
        return Response(s.DeliveryOut(self._delivery(delivery)).data, status=202)

    @extend_schema(parameters=[ENDPOINT_ID], responses=s.DeliveryOut(many=True),
                   examples=[examples.DELIVERY])
    def deliveries(self, request: Request, endpoint_id: str) -> Response:
        """Its deliveries, newest first, each with its attempts."""
        endpoint = self._one(request, endpoint_id)
        rows = (WebhookDelivery.objects.filter(endpoint=endpoint)
                .prefetch_related("attempts").order_by("-created_at", "-id"))
        page = self.paginate_queryset(rows)
        assert page is not None
        return self.get_paginated_response([s.DeliveryOut(self._delivery(d)).data
                                            for d in page])

    @extend_schema(parameters=[ENDPOINT_ID, DELIVERY_ID], request=None,
                   responses={202: s.DeliveryOut}, examples=[examples.DELIVERY])
    @idempotent
    def send_again(self, request: Request, endpoint_id: str, delivery_id: str) -> Response:
        """Send a delivery that failed or gave up again now, with a fresh 72 hours of
        retries (202: queued for the worker)."""
        endpoint = self._one(request, endpoint_id)
        try:
            key = uuid.UUID(delivery_id)
        except ValueError:
            raise exceptions.NotFound(f"No delivery {delivery_id[:40]!r}.") from None
        delivery = WebhookDelivery.objects.filter(endpoint=endpoint, pk=key).first()
        if delivery is None:
            raise exceptions.NotFound(f"No delivery {delivery_id[:40]!r}.")
        try:
            again = webhooks.redeliver(delivery, access.actor(request))
        except PathwiseError as exc:
            raise invalid("delivery", "send-again", str(exc), status_code=422) from exc
        return Response(s.DeliveryOut(self._delivery(again)).data, status=202)
