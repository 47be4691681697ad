"""Write an audit entry; called by actions inside their own transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pathwise.auditlog.models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from pathwise.participants.models import Participant


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user account, or a labelled process such as the CLI."""

    label: str
    user: AbstractBaseUser | None = None

    @classmethod
    def of(cls, user: AbstractBaseUser) -> Actor:
        return cls(label=user.get_username(), user=user)


def log(
    actor: Actor,
    action: str,
    *,
    target_type: str,
    target_id: str,
    participant: Participant | None = None,
    old: Any = None,
    new: Any = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor.user,  # type: ignore[misc]  # any user model instance
        actor_label=actor.label,
        action=action,
        target_type=target_type,
        target_id=target_id,
        participant=participant,
        old_value=old,
        new_value=new,
    )
