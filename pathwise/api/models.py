"""API tokens (only their hash is stored) and the responses remembered for idempotent writes."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token acting as its user; `scope` says whether it may write.

    The token itself is shown once, when created: only its SHA-256 (`digest`)
    and a short visible `prefix`, to tell tokens apart in lists, are kept.
    """

    READ, WRITE = "read", "write"
    SCOPE_CHOICES = [(READ, "Read"), (WRITE, "Read and write")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="api_tokens")
    scope = models.CharField(max_length=5, choices=SCOPE_CHOICES)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.scope}) for {self.user}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class IdempotentResponse(models.Model):
    """The response to a write sent with an `Idempotency-Key`, replayed for 24 hours.

    `principal` is whoever sent it (`token:<id>` or `user:<id>`): keys of
    different clients never meet. `fingerprint` is the method, path and body,
    so the same key with another request is refused instead of replayed.
    """

    principal = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.TextField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["principal", "key"], name="one_response_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.principal} {self.key} → {self.status}"
