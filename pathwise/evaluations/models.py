"""A run's evaluation, one per person who held a seat on it: asked when the run ended,
answered (and changed) by them until it closes."""

from __future__ import annotations

from django.db import models

from pathwise.catalog.models import Offering
from pathwise.participants.models import Participant


class Evaluation(models.Model):
    STRONGLY, SOMEWHAT, NOT = "strongly", "somewhat", "not"
    RECOMMEND_CHOICES = [(STRONGLY, "Yes, strongly"), (SOMEWHAT, "Yes, somewhat"), (NOT, "No")]

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="evaluations")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT,
                                    related_name="evaluations")
    invited_at = models.DateTimeField()
    closes_on = models.DateField()
    # Empty until they answer.
    recommend = models.CharField(max_length=8, choices=RECOMMEND_CHOICES, blank=True,
                                 default="")
    worked = models.TextField(blank=True, default="")
    change = models.TextField(blank=True, default="")
    answered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("offering", "participant")
        constraints = [
            models.UniqueConstraint(fields=["offering", "participant"],
                                    name="one_evaluation_per_person_per_run"),
            models.CheckConstraint(
                condition=models.Q(recommend__in=["", "strongly", "somewhat", "not"]),
                name="evaluation_recommend_known"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.offering_id}: {self.recommend or 'not answered'}"

    @property
    def answered(self) -> bool:
        return bool(self.recommend)
