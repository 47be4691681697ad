"""Capstone submissions, each with its review: every one kept, so the history shows them all."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from pathwise.participants.models import Enrollment


class Submission(models.Model):
    """One capstone sent in (text, a file, or both), waiting for review or reviewed once."""

    WAITING, PASSED, NEEDS_CHANGES = "waiting", "passed", "needs_changes"
    STATUS_CHOICES = [(WAITING, "Waiting for review"), (PASSED, "Passed"),
                      (NEEDS_CHANGES, "Needs changes")]

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT,
                                   related_name="capstone_submissions")
    text = models.TextField(blank=True, default="")
    # The file as the storage names it (never the sender's name), and the name they gave it,
    # made safe to show and to send back.
    file_path = models.CharField(max_length=200, blank=True, default="")
    file_name = models.CharField(max_length=120, blank=True, default="")
    file_size = models.PositiveIntegerField(blank=True, null=True)
    file_kind = models.CharField(max_length=20, blank=True, default="")
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=WAITING)
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.CharField(max_length=150)
    feedback = models.TextField(blank=True, default="")
    reviewed_at = models.DateTimeField(blank=True, null=True)
    reviewed_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ("submitted_at", "id")
        constraints = [
            # One waiting at a time: a second would only be reviewed against the first.
            models.UniqueConstraint(fields=["enrollment"], condition=models.Q(status="waiting"),
                                    name="one_waiting_capstone"),
        ]

    def __str__(self) -> str:
        return f"capstone {self.pk} of {self.enrollment} ({self.status})"

    @property
    def size(self) -> int:
        """What staff have to read: the file's bytes and the text's."""
        return (self.file_size or 0) + len(self.text.encode())
