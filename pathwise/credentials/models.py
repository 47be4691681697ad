"""Issued credentials (Open Badges 3.0), their signed copies and revocation."""

from __future__ import annotations

import uuid

from django.db import models

from pathwise.participants.models import Participant


class Credential(models.Model):
    """One credential per participant and achievement (a course code or the program).

    It is signed when issued and again at each re-issue; every signed copy is kept
    (`SignedCopy`), each with its own entry on its own key's revocation list, and
    revoking the credential revokes them all.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT,
                                    related_name="credentials")
    achievement = models.CharField(max_length=60)
    earned_on = models.DateField()
    issued_at = models.DateTimeField()  # the first signature; re-issues are copies
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

    def latest_copy(self) -> SignedCopy:
        """The copy signed last: the one the holder downloads."""
        copy = self.copies.exclude(document="").order_by("-signed_at", "-id").first()
        if copy is None:
            raise SignedCopy.DoesNotExist(f"credential {self.pk} has no signed copy")
        return copy

    @property
    def document(self) -> str:
        """The signed JSON of the latest copy, exactly as signed."""
        return self.latest_copy().document

    @property
    def signed_with(self) -> str:
        return self.latest_copy().signed_with


class SignedCopy(models.Model):
    """One signature of a credential: the JSON as signed, the key, and its status entry.

    Never changed or deleted: a holder may still show an earlier copy, and the
    revocation list of the key that signed it must still reach it.
    """

    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="copies")
    # The public Multikey of the key that signed it: its status list is that key's.
    signed_with = models.CharField(max_length=80)
    # Position in that key's revocation list; never reused.
    status_index = models.PositiveIntegerField()
    # The signed JSON exactly as issued (its bytes are what was signed). Empty only for
    # copies replaced by a re-issue before copies were kept: their entry still counts.
    document = models.TextField(blank=True)
    signed_at = models.DateTimeField()
    signed_by = models.CharField(max_length=150)

    class Meta:
        ordering = ("signed_at", "id")
        constraints = [
            models.UniqueConstraint(fields=["signed_with", "status_index"],
                                    name="one_copy_per_status_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.credential_id} signed {self.signed_at:%Y-%m-%d} #{self.status_index}"

