"""The API's writers: tokens (created, revoked, marked as used) and remembered responses.

Creating and revoking a token are audited like every other change; marking a
token used and remembering a response for an `Idempotency-Key` are
bookkeeping of the API itself, not changes anyone made, and are not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from pathwise.api.models import ApiToken, IdempotentResponse
from pathwise.auditlog.log import Actor, log
from pathwise.core.errors import PathwiseError

TOKEN_PREFIX = "pw_"  # noqa: S105  # not a secret: the start every token shares
VISIBLE = 8  # characters after TOKEN_PREFIX kept in clear, to tell tokens apart
SCOPES = (ApiToken.READ, ApiToken.WRITE)
# Marking a token used at most this often keeps every request from writing a row.
TOUCH_EVERY = dt.timedelta(minutes=1)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: Any, scope: str, actor: Actor) -> tuple[ApiToken, str]:
    """A new token for `user`: the row (hash only) and the token itself, to show once."""
    if scope not in SCOPES:
        raise PathwiseError(f"scope {scope!r} is not one of {', '.join(SCOPES)}")
    if not user.is_active:
        raise PathwiseError(f"{user.get_username()} cannot sign in, so cannot have a token")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, scope=scope, digest=digest_of(plain),
                                        prefix=plain[:len(TOKEN_PREFIX) + VISIBLE],
                                        created_by=actor.label)
        log(actor, "api_token.created", target_type="api_token", target_id=str(token.pk),
            new={"user": user.get_username(), "scope": scope, "prefix": token.prefix})
    return token, plain


def revoke_token(token: ApiToken, actor: Actor) -> ApiToken:
    """Stop a token working, for good."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked:
            raise PathwiseError(f"token {token.prefix}… is already revoked")
        token.revoked_at, token.revoked_by = timezone.now(), actor.label
        token.save(update_fields=["revoked_at", "revoked_by"])
        log(actor, "api_token.revoked", target_type="api_token", target_id=str(token.pk),
            old={"scope": token.scope, "prefix": token.prefix},
            new={"user": token.user.get_username()})
    return token


def token_used(token: ApiToken, now: dt.datetime) -> None:
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def remember_response(principal: str, key: str, fingerprint: str, *, status: int, body: str,
                      now: dt.datetime) -> None:
    """Keep a write's response for its key; an expired one under the same key is replaced.

    Two requests with one key at once: the first to commit is the one remembered.
    """
    try:
        with transaction.atomic():
            IdempotentResponse.objects.filter(principal=principal, key=key).delete()
            IdempotentResponse.objects.create(principal=principal, key=key,
                                              fingerprint=fingerprint, status=status,
                                              body=body, created_at=now)
    except IntegrityError:
        return
