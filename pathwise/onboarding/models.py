"""People who asked to join, and the invitations that let a new participant set a password."""

from __future__ import annotations

from django.db import models

from pathwise.catalog.models import Intake
from pathwise.participants.models import Participant

#: How someone may pay. The program definitions name no payment methods, so the site's own.
PAYMENT_CHOICES = [("card", "Card"), ("invoice", "Invoice to my organization"),
                   ("transfer", "Bank transfer"), ("undecided", "Not sure yet")]


class ExpressionOfInterest(models.Model):
    """Someone who filled in the public form; staff accept them into an intake or decline."""

    PENDING, ACCEPTED, DECLINED = "pending", "accepted", "declined"
    STATUS_CHOICES = [(PENDING, "Pending"), (ACCEPTED, "Accepted"), (DECLINED, "Declined")]

    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    organization = models.CharField(max_length=200, blank=True, default="")
    timezone = models.CharField(max_length=64)
    # Component codes of the program they would like to start with.
    courses = models.JSONField(default=list, blank=True)
    # Weekly windows in their zone, in the availability format (pathwise.core.availability).
    availability = models.JSONField(blank=True, null=True)
    payment = models.CharField(max_length=20, choices=PAYMENT_CHOICES)
    message = models.TextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING)
    # A keyed digest of the sender's address, never the address itself: enough to count
    # how often one client submits (the throttle), nothing to identify them by.
    client = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(blank=True, null=True)
    decided_by = models.CharField(max_length=150, blank=True, default="")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="expressions_of_interest")
    intake = models.ForeignKey(Intake, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="expressions_of_interest")

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["client", "created_at"])]
        verbose_name_plural = "expressions of interest"

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.status})"


class Invitation(models.Model):
    """A one-time link to set a first password; sending a new one retires the older ones."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="invitations")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(blank=True, null=True)
    # When they confirmed their zone and times on first signing in.
    welcomed_at = models.DateTimeField(blank=True, null=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"invitation of {self.participant.public_id}"


def still_to_welcome(participant: Participant) -> bool:
    """They set a password from an invitation but have not yet confirmed zone and times."""
    used = participant.invitations.filter(used_at__isnull=False)
    return used.exists() and not used.filter(welcomed_at__isnull=False).exists()
