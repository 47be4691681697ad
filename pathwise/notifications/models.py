"""Webhook endpoints and the outbox of deliveries to them, with every attempt made.

Written only by `pathwise.notifications.webhooks`. A delivery row is the truth
about one event for one endpoint; the background task that sends it is only a
wake-up call, so a task run twice, or late, finds the row and does nothing.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from pathwise.core.webhooks import URL_MAX


class WebhookEndpoint(models.Model):
    url = models.CharField(max_length=URL_MAX)
    events = models.JSONField(default=list)  # names from pathwise.core.webhooks.EVENTS
    # Keys each delivery's HMAC, so it is kept as it is; shown once, when made.
    secret = models.CharField(max_length=100)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=200, blank=True, default="")
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_by = models.CharField(max_length=150, blank=True, default="")
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    PENDING, DELIVERED, FAILED, GAVE_UP = "pending", "delivered", "failed", "gave_up"
    STATUSES = [(PENDING, "pending"), (DELIVERED, "delivered"),
                (FAILED, "failed, to be tried again"), (GAVE_UP, "gave up")]
    OPEN = (PENDING, FAILED)  # still to be sent

    # Sent as Pathwise-Delivery; the payload's `id` is the event's, the same for every
    # endpoint, so a receiver can tell a delivery sent again from a new event.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE,
                                 related_name="deliveries")
    event = models.CharField(max_length=40)
    event_id = models.UUIDField(db_index=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    next_attempt_at = models.DateTimeField(null=True, blank=True)  # None once done
    # The first attempt since it was created or sent again: retries stop 72 h after it.
    window_start = models.DateTimeField(null=True, blank=True)
    gave_up_reason = models.CharField(max_length=200, blank=True, default="")
    # A worker sending it holds it until then, so no other worker sends it at once.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["endpoint", "-created_at"])]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE,
                                 related_name="attempts")
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)  # None: no answer
    error = models.CharField(max_length=300, blank=True, default="")
    duration_ms = models.PositiveIntegerField()

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
