"""Issued credentials (Open Badges 3.0) and their revocation."""

from __future__ import annotations

import uuid

from django.db import models

from pathwise.participants.models import Participant


class Credential(models.Model):
    """One signed credential per participant and achievement (a course code or the program)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT,
                                    related_name="credentials")
    achievement = models.CharField(max_length=60)
    earned_on = models.DateField()
    # Position in the revocation status list; never reused.
    status_index = models.PositiveIntegerField(unique=True)
    # The signed JSON exactly as issued: its bytes are what was signed.
    document = models.TextField()
    # The public Multikey of the key that signed it: its status list is that key's.
    signed_with = models.CharField(max_length=80)
    issued_at = models.DateTimeField()
    issued_by = models.CharField(max_length=150)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=150, blank=True, default="")
    revoke_reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("participant", "earned_on", "achievement")
        constraints = [
            models.UniqueConstraint(fields=["participant", "achievement"],
                                    name="one_credential_per_achievement"),
        ]

    def __str__(self) -> str:
        return f"{self.achievement} for {self.participant.public_id}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

