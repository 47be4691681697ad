"""The staff block on a participant's page: what they were told, and contacts made by hand."""

from __future__ import annotations

from typing import Any

from django import template

from pathwise.notifications.models import Contact, OutboxMessage
from pathwise.participants.models import Participant

register = template.Library()

#: Messages and contacts the block shows; the outbox, filtered to them, has the rest.
SHOWN = 10


@register.inclusion_tag("notifications/_participant_messages.html")
def participant_messages(participant: Participant) -> dict[str, Any]:
    messages = list(OutboxMessage.objects.filter(participant=participant)
                    .order_by("-created_at", "-id")[:SHOWN + 1])
    return {"participant": participant, "messages": messages[:SHOWN],
            "more": len(messages) > SHOWN,
            "contacts": list(Contact.objects.filter(participant=participant)[:SHOWN])}
