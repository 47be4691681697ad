"""Each participant's standing, stored for lists: recomputed whenever it may change.

The row is a copy of `pathwise.core.standing` for one participant on one day,
kept so that staff lists filter, sort, search and page in the database instead
of auditing everyone on every request. It is written in the same transaction
as whatever changed it (records, seats, the deadline) and refreshed daily,
since statuses move with the date.
"""

from __future__ import annotations

from django.db import models

from pathwise.participants.models import Enrollment, Participant


class StandingRow(models.Model):
    STATUS_CHOICES = [("certified", "Certified"), ("on_track", "On track"),
                      ("at_risk", "At risk"), ("overdue", "Overdue"),
                      ("withdrawn", "Withdrawn")]

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE,
                                       primary_key=True, related_name="standing")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, db_index=True)
    # The day this status was first seen (kept while it stays the same).
    status_since = models.DateField()
    deadline = models.DateField(db_index=True)
    certified_on = models.DateField(null=True, blank=True)
    # Requirement titles still unmet, in the program's order.
    left = models.JSONField(default=list)
    left_count = models.PositiveSmallIntegerField(db_index=True)
    plan_feasible = models.BooleanField(null=True)
    plan_finishes_on = models.DateField(null=True, blank=True, db_index=True)
    # Why no plan finishes in time, in words (empty when one does).
    reason = models.TextField(blank=True, default="")
    next_step = models.TextField(blank=True, default="")
    # The kind of risk (`pathwise.core.risk.KINDS`) of an at-risk or overdue row; empty
    # for the others.
    risk = models.CharField(max_length=12, blank=True, default="")
    as_of = models.DateField()
    # The first day (theirs) on which this could change with nothing but the date
    # changed (`pathwise.core.standing.changes_on`); NULL: never. The hourly pass
    # recomputes only rows whose day has come, and moves the others' `as_of` on.
    changes_on = models.DateField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Copies of what the list shows and sorts by, so that a page of it is read from
    # this table alone, in index order.
    public_id = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    organization = models.CharField(max_length=200, blank=True, default="")
    timezone = models.CharField(max_length=64)
    extended = models.BooleanField(default=False)
    # The catalogue changed since this was computed: the next hourly pass redoes it.
    stale = models.BooleanField(default=False)

    class Meta:
        ordering = ("public_id",)
        indexes = [
            models.Index(fields=["status", "public_id"]),
            models.Index(fields=["status", "name", "public_id"]),
            models.Index(fields=["status", "deadline", "public_id"]),
            models.Index(fields=["public_id"]),
            models.Index(fields=["name", "public_id"]),
            models.Index(fields=["deadline", "public_id"]),
            # The at-risk dashboard: longest at risk first.
            models.Index(fields=["status", "status_since", "public_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.status} as of {self.as_of}"


class RefreshRun(models.Model):
    """One hourly pass of the standing refresh: claimed by one worker, done once."""

    slot = models.DateTimeField(unique=True, help_text="The hour (UTC) this pass is for.")
    finished_at = models.DateTimeField(null=True, blank=True)
    refreshed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-slot",)

    def __str__(self) -> str:
        return f"standing refresh {self.slot:%Y-%m-%d %H:00}"
