"""Seats on offerings: taken, waiting in line, or given up."""

from __future__ import annotations

from django.db import models

from pathwise.catalog.models import Offering
from pathwise.participants.models import Participant


class Seat(models.Model):
    ENROLLED, WAITLISTED, DROPPED = "enrolled", "waitlisted", "dropped"
    STATUS_CHOICES = [(ENROLLED, "Enrolled"), (WAITLISTED, "Waitlisted"), (DROPPED, "Dropped")]

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="seats")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="seats")
    status = models.CharField(max_length=12, choices=STATUS_CHOICES)
    # Order on the waitlist; kept after promotion so the history reads in order.
    queue_number = models.PositiveIntegerField()
    # A fee the participant accepted for this seat (an extra mini-workshop): charged
    # when the seat is theirs, which for a waitlist place is when it is promoted.
    fee_amount = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    fee_currency = models.CharField(max_length=3, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150)

    class Meta:
        ordering = ("offering", "queue_number")
        constraints = [
            # Nobody holds two live places (a seat and a waitlist spot) on one offering.
            models.UniqueConstraint(
                fields=["offering", "participant"],
                condition=models.Q(status__in=["enrolled", "waitlisted"]),
                name="one_live_seat_per_participant",
            ),
            models.UniqueConstraint(fields=["offering", "queue_number"],
                                    name="unique_queue_number"),
        ]

    def __str__(self) -> str:
        return f"{self.participant.public_id} {self.status} on {self.offering.code}"


class DemandRequest(models.Model):
    """Times a participant could attend a component when no offered time suits them."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT,
                                    related_name="demand_requests")
    component = models.CharField(max_length=40)
    days = models.JSONField(help_text='e.g. ["MO", "WE"]')
    start = models.TimeField()
    end = models.TimeField()
    # The participant's zone when they asked; the times are local to it.
    timezone = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")),
                                   name="demand_window_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.participant.public_id} {self.component} {self.days} {self.start}-{self.end}"


class CalendarFeed(models.Model):
    """The secret address of a participant's calendar; a new token retires the old one."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE,
                                       related_name="calendar_feed")
    # NULL when revoked: the address then serves nothing until a new one is made.
    token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150)

    def __str__(self) -> str:
        return f"calendar of {self.participant.public_id}"
