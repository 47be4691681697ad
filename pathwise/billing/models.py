"""Charges: every fee a participant incurs, as it is incurred, for invoicing later.

A charge is never edited or deleted; a fee given back (a seventh workshop
dropped before it starts, a fee staff waive) is a further charge of the
negative amount that names the one it reverses.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from pathwise.participants.models import Participant


class Charge(models.Model):
    CHANGE_FEE, EXTRA_WORKSHOP, REVERSAL = "change-fee", "extra-mini-workshop", "reversal"
    KIND_CHOICES = [(CHANGE_FEE, "Change fee"), (EXTRA_WORKSHOP, "Extra mini-workshop"),
                    (REVERSAL, "Reversal")]

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT,
                                    related_name="charges")
    kind = models.CharField(max_length=30, choices=KIND_CHOICES)
    # Decimal with the currency's minor unit; never a float.
    amount = models.DecimalField(max_digits=12, decimal_places=3)
    currency = models.CharField(max_length=3)
    reason = models.TextField()
    # The offering the fee is about (its code), if any.
    offering = models.CharField(max_length=40, blank=True, default="")
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ("participant", "created_at", "id")

    def __str__(self) -> str:
        return f"{self.participant_id} {self.kind} {self.currency} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("charges are never changed; add a reversal instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("charges are never deleted; add a reversal instead")
