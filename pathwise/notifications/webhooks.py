"""Webhooks: the only writer of endpoints and deliveries, and the task that sends them.

An action that changes something an integration may care about calls `notify`
in its own transaction. That writes one delivery per active endpoint
subscribed to the event and enqueues `deliver_webhook` for each, so a rolled
back change sends nothing and a committed one is never lost. The worker sends
after the commit; an endpoint that is down delays its delivery (retried on
`RETRY_WAITS` for 72 hours) and never fails the action.

Two workers never send one delivery twice: each attempt first claims the row
with a conditional UPDATE, which only one of them can win, and holds it while
the request is out. No transaction stays open over the network.

Staff changes (`register_endpoint`, `disable`, `enable`, `rotate_secret`,
`delete_endpoint`, `redeliver`, `ping`) take an Actor and are audited; pages,
the API and the CLI call them.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.tasks import task
from django.utils import timezone
from django.utils.crypto import get_random_string

from pathwise.auditlog.log import Actor, log
from pathwise.core.errors import PathwiseError
from pathwise.core.webhooks import (
    PING,
    body,
    check_events,
    check_url,
    next_attempt,
    payload,
    signature,
)
from pathwise.notifications.background import enqueue
from pathwise.notifications.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from pathwise.notifications.transport import Answer, post

#: Who acts when a receiver's answer changes an endpoint (410 Gone disables it).
SENDER = Actor("webhooks")
GONE = 410


def api_url(path: str) -> str:
    """The absolute address of an API path (`/api/v1/seats/12/`) on this deployment."""
    return f"{settings.BASE_URL}{path}"


def notify(event: str, path: str, **ids: str | int) -> int:
    """Record `event` for every active endpoint subscribed to it; how many deliveries.

    `ids` say what it is about (never names or addresses: a receiver fetches the
    rest from `path`, the API's address for it, with its own credentials).
    Called inside the action's transaction.
    """
    with transaction.atomic():
        endpoints = [e for e in WebhookEndpoint.objects.filter(active=True)
                     if event in e.events]
        if not endpoints:
            return 0
        event_id, now = uuid.uuid4(), timezone.now()
        document = payload(str(event_id), event, now, {**ids, "url": api_url(path)})
        for endpoint in endpoints:
            _queue(WebhookDelivery.objects.create(
                endpoint=endpoint, event=event, event_id=event_id, payload=document,
                created_at=now, next_attempt_at=now))
        return len(endpoints)


def _queue(delivery: WebhookDelivery, at: dt.datetime | None = None) -> None:
    _queue_id(str(delivery.pk), at)


def _queue_id(delivery_id: str, at: dt.datetime | None = None) -> None:
    deliver = deliver_webhook.using(run_after=at) if at is not None else deliver_webhook
    enqueue(deliver, delivery_id)


# -- sending (the worker) -------------------------------------------------------------


def _waits() -> list[dt.timedelta]:
    return [dt.timedelta(seconds=s) for s in settings.WEBHOOK_RETRY_SECONDS]


@task
def deliver_webhook(delivery_id: str) -> str:
    """Make one attempt at a delivery that is due, unless another worker holds it or it
    is no longer to be sent; returns what became of it."""
    now = timezone.now()
    token = get_random_string(20)
    # Only the row's own columns in the condition, so PostgreSQL re-checks all of them
    # on the row a competing worker has just claimed, and this UPDATE then matches nothing.
    claimed = (WebhookDelivery.objects
               .filter(pk=delivery_id, status__in=WebhookDelivery.OPEN, next_attempt_at__lte=now)
               .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
               .update(claimed_by=token, claimed_until=now + dt.timedelta(
                   seconds=settings.WEBHOOK_LEASE_SECONDS)))
    if not claimed:
        held = (WebhookDelivery.objects
                .filter(pk=delivery_id, status__in=WebhookDelivery.OPEN, claimed_until__gte=now)
                .values_list("claimed_until", flat=True).first())
        if held is not None:
            # Another worker is sending it. Should that worker die mid-send, its lease
            # runs out with nobody to wake the delivery: look again when it does.
            _queue_id(delivery_id, held + dt.timedelta(seconds=1))
        return "not due"
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.active:
        with transaction.atomic():
            _give_up(WebhookDelivery.objects.filter(pk=delivery.pk), "the endpoint is disabled")
        return WebhookDelivery.GAVE_UP
    content = body(delivery.payload)
    timestamp = int(now.timestamp())
    answer = post(endpoint.url, content, {
        "Pathwise-Event": delivery.event,
        "Pathwise-Delivery": str(delivery.pk),
        "Pathwise-Timestamp": str(timestamp),
        "Pathwise-Signature": signature(endpoint.secret, timestamp, content),
    }, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    return _record(delivery.pk, token, now, answer)


def _record(delivery_id: uuid.UUID, token: str, at: dt.datetime, answer: Answer) -> str:
    """Keep the attempt and decide what follows: done, try again later, or give up."""
    status = answer.status
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update().select_related("endpoint")
                    .filter(pk=delivery_id).first())
        if delivery is None:  # its endpoint was deleted while the request was out
            return "deleted"
        WebhookAttempt.objects.create(delivery=delivery, at=at, status_code=status,
                                      error=answer.error, duration_ms=answer.duration_ms)
        if delivery.claimed_by != token:  # held past its lease: the newer holder decides
            return delivery.status
        delivery.window_start = delivery.window_start or at
        delivery.claimed_by, delivery.claimed_until = "", None
        if answer.ok:
            delivery.status, delivery.next_attempt_at = WebhookDelivery.DELIVERED, None
        elif status == GONE:
            delivery.status, delivery.next_attempt_at = WebhookDelivery.GAVE_UP, None
            delivery.gave_up_reason = "the receiver answered 410 Gone"
            delivery.save()
            _disable(delivery.endpoint, "the receiver answered 410 Gone: it is gone for good",
                     SENDER)
            return delivery.status
        else:
            failed = delivery.attempts.filter(at__gte=delivery.window_start).count()
            later = next_attempt(delivery.window_start, failed, at, waits=_waits(),
                                 give_up_after=dt.timedelta(
                                     seconds=settings.WEBHOOK_GIVE_UP_AFTER_SECONDS))
            if later is None:
                delivery.status, delivery.next_attempt_at = WebhookDelivery.GAVE_UP, None
                delivery.gave_up_reason = (f"no 2xx answer in {failed} attempts over "
                                           f"{_span(settings.WEBHOOK_GIVE_UP_AFTER_SECONDS)}")
            else:
                delivery.status, delivery.next_attempt_at = WebhookDelivery.FAILED, later
                _queue(delivery, later)
        delivery.save()
        return delivery.status


def _span(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:g} hours" if hours >= 1 else f"{seconds:g} seconds"


def _give_up(deliveries: QuerySet[WebhookDelivery], reason: str) -> int:
    return deliveries.filter(status__in=WebhookDelivery.OPEN).update(
        status=WebhookDelivery.GAVE_UP, next_attempt_at=None, gave_up_reason=reason,
        claimed_by="", claimed_until=None)


# -- staff actions --------------------------------------------------------------------


@dataclass(frozen=True)
class Registered:
    endpoint: WebhookEndpoint
    secret: str  # shown this once; afterwards only rotating makes a new one


def _new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def _audit(actor: Actor, action: str, endpoint: WebhookEndpoint, *, old: object = None,
           new: object = None) -> None:
    log(actor, f"webhook.{action}", target_type="webhook_endpoint", target_id=str(endpoint.pk),
        old=old, new=new)


def register_endpoint(url: str, events: Sequence[str], actor: Actor) -> Registered:
    """A new active endpoint for `events`, with a secret made here; refuses, naming what is
    wrong, an address that is not http(s) or events that are not ours."""
    address, chosen = check_url(url), check_events(list(events))
    secret = _new_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(url=address, events=chosen, secret=secret,
                                                  created_by=actor.label)
        _audit(actor, "registered", endpoint, new={"url": address, "events": chosen})
    return Registered(endpoint, secret)


def _locked(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    found = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint.pk).first()
    if found is None:
        raise PathwiseError(f"webhook endpoint {endpoint.pk} no longer exists")
    return found


def _disable(endpoint: WebhookEndpoint, reason: str, actor: Actor) -> WebhookEndpoint:
    endpoint = _locked(endpoint)
    if not endpoint.active:
        return endpoint
    endpoint.active, endpoint.disabled_reason = False, reason[:200]
    endpoint.disabled_at, endpoint.disabled_by = timezone.now(), actor.label
    endpoint.save(update_fields=["active", "disabled_reason", "disabled_at", "disabled_by"])
    stopped = _give_up(endpoint.deliveries.all(), "the endpoint was disabled")
    _audit(actor, "disabled", endpoint, old={"active": True},
           new={"active": False, "reason": endpoint.disabled_reason,
                "deliveries_stopped": stopped})
    return endpoint


def disable(endpoint: WebhookEndpoint, reason: str, actor: Actor) -> WebhookEndpoint:
    """Stop sending to the endpoint; its deliveries still to be sent are given up."""
    text = " ".join(reason.split()) or "disabled by staff"
    with transaction.atomic():
        return _disable(endpoint, text, actor)


def enable(endpoint: WebhookEndpoint, actor: Actor) -> WebhookEndpoint:
    """Send to it again from the next event on (earlier ones can be sent again one by one)."""
    with transaction.atomic():
        endpoint = _locked(endpoint)
        if endpoint.active:
            return endpoint
        was = endpoint.disabled_reason
        endpoint.active, endpoint.disabled_reason = True, ""
        endpoint.disabled_at, endpoint.disabled_by = None, ""
        endpoint.save(update_fields=["active", "disabled_reason", "disabled_at", "disabled_by"])
        _audit(actor, "enabled", endpoint, old={"active": False, "reason": was},
               new={"active": True})
        return endpoint


def rotate_secret(endpoint: WebhookEndpoint, actor: Actor) -> Registered:
    """A new secret, in force from the next attempt on (retries included); the old one
    stops verifying at once."""
    secret = _new_secret()
    with transaction.atomic():
        endpoint = _locked(endpoint)
        endpoint.secret, endpoint.secret_rotated_at = secret, timezone.now()
        endpoint.save(update_fields=["secret", "secret_rotated_at"])
        _audit(actor, "secret_rotated", endpoint)
    return Registered(endpoint, secret)


def delete_endpoint(endpoint: WebhookEndpoint, actor: Actor) -> None:
    """Remove the endpoint and its deliveries; the audit log keeps what it was."""
    with transaction.atomic():
        endpoint = _locked(endpoint)
        _audit(actor, "deleted", endpoint, old={
            "url": endpoint.url, "events": endpoint.events, "active": endpoint.active,
            "deliveries": endpoint.deliveries.count()})
        endpoint.delete()


def redeliver(delivery: WebhookDelivery, actor: Actor) -> WebhookDelivery:
    """Send a delivery that failed or gave up again now, with a fresh 72 hours of retries."""
    with transaction.atomic():
        _locked(delivery.endpoint)
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        if not delivery.endpoint.active:
            raise PathwiseError("the endpoint is disabled: enable it before sending again")
        if delivery.status not in (WebhookDelivery.FAILED, WebhookDelivery.GAVE_UP):
            raise PathwiseError(f"this delivery is {delivery.get_status_display()}: only one "
                                "that failed or gave up is sent again")
        was = delivery.status
        now = timezone.now()
        delivery.status, delivery.next_attempt_at = WebhookDelivery.PENDING, now
        delivery.window_start, delivery.gave_up_reason = None, ""
        delivery.save(update_fields=["status", "next_attempt_at", "window_start",
                                     "gave_up_reason"])
        _queue(delivery)
        _audit(actor, "redelivered", delivery.endpoint, old={"status": was},
               new={"delivery": str(delivery.pk), "event": delivery.event})
        return delivery


def ping(endpoint: WebhookEndpoint, actor: Actor) -> WebhookDelivery:
    """Send a `ping` event to this endpoint alone, to try its address and secret."""
    with transaction.atomic():
        endpoint = _locked(endpoint)
        if not endpoint.active:
            raise PathwiseError("the endpoint is disabled: enable it before sending a ping")
        event_id, now = uuid.uuid4(), timezone.now()
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event=PING, event_id=event_id, created_at=now,
            next_attempt_at=now,
            payload=payload(str(event_id), PING, now, {"endpoint": endpoint.pk}))
        _queue(delivery)
        _audit(actor, "pinged", endpoint, new={"delivery": str(delivery.pk)})
        return delivery
