"""Participants, their enrollments in a program version, and their completion records."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pathwise.catalog.models import Intake, ProgramVersion


class Participant(models.Model):
    public_id = models.CharField("participant id", max_length=40, unique=True)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True, null=True)
    timezone = models.CharField(max_length=64, help_text="IANA zone, e.g. Europe/London")
    organization = models.CharField(max_length=200, blank=True, null=True)
    # The planner's availability windows, as given in the records file.
    availability = models.JSONField(blank=True, null=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="participant",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150)

    class Meta:
        ordering = ("public_id",)

    def __str__(self) -> str:
        return f"{self.public_id} {self.name}"


class Employment(models.Model):
    """A job the participant held while in the program; a job change keeps them going."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="employment")
    position = models.PositiveIntegerField()
    organization = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True, null=True)
    started_on = models.DateField()
    ended_on = models.DateField(blank=True, null=True)

    class Meta:
        ordering = ("participant", "position")

    def __str__(self) -> str:
        return f"{self.organization} from {self.started_on}"


class Enrollment(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT,
                                    related_name="enrollments")
    program_version = models.ForeignKey(ProgramVersion, on_delete=models.PROTECT,
                                        related_name="enrollments")
    enrolled_on = models.DateField()
    intake = models.ForeignKey(Intake, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="enrollments")
    deadline_extended_to = models.DateField(blank=True, null=True)
    withdrawn_on = models.DateField(blank=True, null=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150)

    class Meta:
        ordering = ("participant", "enrolled_on")

    def __str__(self) -> str:
        return f"{self.participant.public_id} in {self.program_version}"


class CompletionRecord(models.Model):
    """One line of a records file: a component attended, passed, failed or credited."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="records")
    position = models.PositiveIntegerField()
    component = models.CharField(max_length=40)
    date = models.DateField()
    outcome = models.CharField(max_length=20, blank=True, null=True)
    offering = models.CharField(max_length=60, blank=True, null=True)
    role = models.CharField(max_length=40, blank=True, null=True)
    attended = models.PositiveIntegerField(blank=True, null=True)
    sessions_of = models.PositiveIntegerField(blank=True, null=True)
    assessments = models.JSONField(blank=True, null=True)
    basis = models.CharField(max_length=200, blank=True, null=True)
    conditions_met = models.BooleanField(blank=True, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ("enrollment", "position")

    def __str__(self) -> str:
        return f"{self.component} {self.date} {self.outcome or ''}".strip()


class ExtensionRequest(models.Model):
    """A participant asking for more time; staff decide (recorded with who and when)."""

    OPEN, GRANTED, REFUSED = "open", "granted", "refused"
    STATUS_CHOICES = [(OPEN, "Open"), (GRANTED, "Granted"), (REFUSED, "Refused")]

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT,
                                   related_name="extension_requests")
    # The day they would like the deadline moved to, if they named one.
    wanted_until = models.DateField(blank=True, null=True)
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)
    decided_at = models.DateTimeField(blank=True, null=True)
    decided_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            # One open request at a time: a second one would only repeat it.
            models.UniqueConstraint(fields=["enrollment"], condition=models.Q(status="open"),
                                    name="one_open_extension_request"),
        ]

    def __str__(self) -> str:
        return f"extension for {self.enrollment} ({self.status})"
