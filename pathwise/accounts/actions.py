"""The only writer of accounts: a new password, recorded in the audit log (never the password)."""

from __future__ import annotations

from typing import Literal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from pathwise.auditlog.log import Actor, log


def set_password(user: AbstractBaseUser, password: str, *,
                 how: Literal["changed", "reset"]) -> None:
    """Give `user` a new password they chose: `changed` while signed in, `reset` from the
    e-mailed link. Either way the person acting is the account's owner."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        log(Actor.of(user), f"account.password_{how}", target_type="user",
            target_id=user.get_username(), participant=getattr(user, "participant", None))
