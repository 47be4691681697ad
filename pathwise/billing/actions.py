"""The only writer of charges. Called inside the transaction of the action that incurs them."""

from __future__ import annotations

from pathwise.auditlog.log import Actor, log
from pathwise.billing.models import Charge
from pathwise.core.fees import Money
from pathwise.participants.models import Participant


def charge(participant: Participant, kind: str, fee: Money, *, reason: str, actor: Actor,
           offering: str = "") -> Charge:
    """Record a fee incurred now; its audit entry says who and when."""
    row = Charge.objects.create(participant=participant, kind=kind, amount=fee.amount,
                                currency=fee.currency, reason=reason, offering=offering,
                                created_by=actor.label)
    log(actor, "billing.charged", target_type="charge", target_id=str(row.pk),
        participant=participant,
        new={"kind": kind, "amount": str(fee.amount), "currency": fee.currency,
             "offering": offering, "reason": reason})
    return row


def reverse(original: Charge, *, reason: str, actor: Actor) -> Charge:
    """Give a charge back with one of the opposite amount, linked to it."""
    row = Charge.objects.create(participant=original.participant, kind=Charge.REVERSAL,
                                amount=-original.amount, currency=original.currency,
                                reason=reason, offering=original.offering, reverses=original,
                                created_by=actor.label)
    log(actor, "billing.reversed", target_type="charge", target_id=str(row.pk),
        participant=original.participant,
        new={"reverses": original.pk, "amount": str(row.amount), "currency": row.currency,
             "reason": reason})
    return row
