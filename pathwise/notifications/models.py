"""Webhook endpoints and the outbox of deliveries to them, with every attempt made; the
outbox of e-mail to participants; contacts staff made with them by other means.

Deliveries are written only by `pathwise.notifications.webhooks`. A delivery row
is the truth about one event for one endpoint; the background task that sends
it is only a wake-up call, so a task run twice, or late, finds the row and does
nothing. Messages are written only by `pathwise.notifications.mail`, contacts by
`pathwise.notifications.actions`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from pathwise.core.webhooks import URL_MAX
from pathwise.participants.models import Participant


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


class OutboxMessage(models.Model):
    """One e-mail to a participant, written in the transaction of what it tells them.

    The worker sends it after that commits and sets `sent_at`; each failed attempt
    counts here too, so staff see what each participant was told, and what did not
    reach them yet.
    """

    #: What a message is about, as the outbox lists and filters it.
    KINDS = {
        "seat.opened": "A seat opened",
        "grade.posted": "Grade posted",
        "course.passed": "Course passed",
        "badge.issued": "Badge issued",
        "meeting.cancelled": "Meeting cancelled",
        "meeting.moved": "Meeting moved",
        "meeting.link": "New meeting link",
        "extension.granted": "Extension granted",
        "extension.refused": "Extension refused",
        "participant.withdrawn": "Withdrawn",
        "participant.reinstated": "Reinstated",
        "invitation.sent": "Invitation",
        "intake.placed": "Intake recorded",
        "capstone.reviewed": "Capstone reviewed",
        "version.moved": "Program version changed",
        "standing.at_risk": "Became at risk",
        "message": "Other message",
    }
    #: The states a message can be in (`state`), as the outbox filters them.
    STATES = {"sent": "Sent", "queued": "Waiting to be sent",
              "failing": "Failing, to be tried again", "gave_up": "Gave up",
              "no_address": "No e-mail address"}

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="messages")
    to = models.CharField(max_length=254, blank=True, default="")  # empty: no address known
    subject = models.CharField(max_length=300)
    body = models.TextField()
    kind = models.CharField(max_length=40)  # one of KINDS
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True, default="")
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["participant", "-created_at"]),
                   models.Index(fields=["-created_at", "-id"]),
                   models.Index(fields=["kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to or self.participant_id}: {self.subject}"

    @property
    def state(self) -> str:
        """sent, no_address, queued (not tried yet), failing (to be tried again) or gave_up."""
        if self.sent_at is not None:
            return "sent"
        if not self.to:
            return "no_address"
        if self.failures == 0:
            return "queued"
        return "gave_up" if self.failures >= settings.TASK_ATTEMPTS else "failing"

    @property
    def state_label(self) -> str:
        return self.STATES[self.state]

    @property
    def kind_label(self) -> str:
        return self.KINDS.get(self.kind, self.kind)


class Contact(models.Model):
    """Staff got in touch with a participant by hand (a call, a meeting, a message)."""

    CHANNELS = [("email", "E-mail"), ("phone", "Phone"), ("video", "Video call"),
                ("message", "Chat message"), ("in_person", "In person")]

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="contacts")
    channel = models.CharField(max_length=12, choices=CHANNELS)
    contacted_on = models.DateField()
    note = models.TextField()
    recorded_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-contacted_on", "-created_at", "-id")
        indexes = [models.Index(fields=["participant", "-contacted_on"])]

    def __str__(self) -> str:
        return f"{self.channel} with {self.participant_id} on {self.contacted_on}"
