"""Taking, giving up and handing on seats. The offering row is the lock.

Each action runs in one transaction that first locks the offering
(`select_for_update`), so counting the taken seats and taking one cannot
interleave with another request: a run never holds more than its capacity.
On SQLite, whose transactions here begin IMMEDIATE, writers queue instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max

from pathwise.auditlog.log import Actor, log
from pathwise.catalog.models import Offering
from pathwise.enrollment.models import DemandRequest, Seat
from pathwise.participants.models import Participant


@dataclass(frozen=True)
class SeatResult:
    seat: Seat
    waitlist_position: int | None  # 1-based place in line, None when enrolled


def seats_taken(offering: Offering) -> int:
    return Seat.objects.filter(offering=offering, status=Seat.ENROLLED).count()


def waitlist(offering: Offering) -> list[Seat]:
    return list(Seat.objects.filter(offering=offering, status=Seat.WAITLISTED)
                .select_related("participant").order_by("queue_number"))


def take_seat(participant: Participant, offering: Offering, actor: Actor) -> SeatResult:
    """Enroll in `offering` if a seat is free, otherwise join the end of its waitlist."""
    with transaction.atomic():
        locked = Offering.objects.select_for_update().get(pk=offering.pk)
        live = Seat.objects.filter(offering=locked, participant=participant,
                                   status__in=[Seat.ENROLLED, Seat.WAITLISTED]).first()
        if live is not None:
            return SeatResult(live, _position(live))
        status = Seat.ENROLLED if seats_taken(locked) < locked.capacity else Seat.WAITLISTED
        last = Seat.objects.filter(offering=locked).aggregate(n=Max("queue_number"))["n"] or 0
        seat = Seat.objects.create(offering=locked, participant=participant, status=status,
                                   queue_number=last + 1, created_by=actor.label,
                                   updated_by=actor.label)
        log(actor, f"enrollment.{status}", target_type="offering", target_id=locked.code,
            participant=participant, new={"offering": locked.code, "status": status})
        return SeatResult(seat, _position(seat))


def give_up_seat(seat: Seat, actor: Actor) -> Seat | None:
    """Drop a seat or a waitlist spot; a freed seat goes to the first person waiting.

    Returns the seat that was handed on, if any.
    """
    with transaction.atomic():
        locked = Offering.objects.select_for_update().get(pk=seat.offering_id)
        seat = Seat.objects.select_for_update().get(pk=seat.pk)
        if seat.status == Seat.DROPPED:
            return None
        was = seat.status
        seat.status, seat.updated_by = Seat.DROPPED, actor.label
        seat.save(update_fields=["status", "updated_by", "updated_at"])
        log(actor, "enrollment.dropped", target_type="offering", target_id=locked.code,
            participant=seat.participant, old={"status": was}, new={"status": Seat.DROPPED})
        if was != Seat.ENROLLED:
            return None
        return _promote_first(locked, actor)


def _promote_first(offering: Offering, actor: Actor) -> Seat | None:
    if seats_taken(offering) >= offering.capacity:
        return None
    first = (Seat.objects.select_for_update().filter(offering=offering, status=Seat.WAITLISTED)
             .select_related("participant").order_by("queue_number").first())
    if first is None:
        return None
    first.status, first.updated_by = Seat.ENROLLED, actor.label
    first.save(update_fields=["status", "updated_by", "updated_at"])
    log(actor, "enrollment.promoted", target_type="offering", target_id=offering.code,
        participant=first.participant, old={"status": Seat.WAITLISTED},
        new={"status": Seat.ENROLLED})
    participant = first.participant
    email = participant.email
    if email:
        transaction.on_commit(lambda: send_mail(
            f"A seat opened for you: {offering.code}",
            f"Hello {participant.name},\n\nA seat opened on {offering.code} "
            f"({offering.component}, starting {offering.starts_on:%-d %B %Y}) and it is now "
            "yours: you were first on the waitlist.\n\n— Pathwise",
            None, [email],
        ))
    return first


def _position(seat: Seat) -> int | None:
    if seat.status != Seat.WAITLISTED:
        return None
    return Seat.objects.filter(offering_id=seat.offering_id, status=Seat.WAITLISTED,
                               queue_number__lte=seat.queue_number).count()


def register_demand(participant: Participant, component: str, *, days: list[str],
                    start: dt.time, end: dt.time, actor: Actor) -> DemandRequest:
    """Record when a participant could attend; staff see it in the demand table."""
    with transaction.atomic():
        request = DemandRequest.objects.create(
            participant=participant, component=component, days=days, start=start, end=end,
            timezone=participant.timezone, created_by=actor.label)
        log(actor, "demand.registered", target_type="component", target_id=component,
            participant=participant,
            new={"days": days, "from": f"{start:%H:%M}", "to": f"{end:%H:%M}",
                 "timezone": participant.timezone})
        return request
