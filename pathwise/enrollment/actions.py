"""Taking, changing, giving up and handing on seats. The offering row is the lock.

Each action runs in one transaction that first locks the participant (so two
requests of theirs cannot both pass the one-course-at-a-time rule) and then the
offering (`select_for_update`), so counting the taken seats and taking one
cannot interleave with another request: a run never holds more than its
capacity. On SQLite, whose transactions here begin IMMEDIATE, writers queue
instead. Whether someone may enroll at all is `pathwise.core.enrollment`'s
decision; these actions only ask it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max

from pathwise.auditlog.log import Actor, log
from pathwise.catalog.models import Offering
from pathwise.core.enrollment import Enrollee, Refusal, check, passed_on
from pathwise.core.errors import PathwiseError
from pathwise.core.fees import Quote, change_quote
from pathwise.enrollment.models import CalendarFeed, DemandRequest, Seat
from pathwise.participants.convert import to_core
from pathwise.participants.models import Participant
from pathwise.participants.progress import current_enrollment


class EnrollmentRefusedError(PathwiseError):
    """A rule refuses the enrollment; `refusal` says which and what would satisfy it."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


@dataclass(frozen=True)
class SeatResult:
    seat: Seat
    waitlist_position: int | None  # 1-based place in line, None when enrolled


LIVE = (Seat.ENROLLED, Seat.WAITLISTED)


def enrollee(participant: Participant, today: dt.date,
             *, leaving: Offering | None = None) -> Enrollee:
    """What the enrollment rules need to know about `participant` today.

    Their records are read by their own program version, whichever program the
    run asked about belongs to. `leaving` is a run they are about to give up (a
    change of choice), which must not count against the run they move to.
    """
    enrollment = current_enrollment(participant)
    own = enrollment.program_version.program if enrollment is not None else None
    passed = passed_on(own, to_core(enrollment).records, today) if enrollment and own else {}
    intake = enrollment.intake if enrollment is not None else None
    runs = [seat.offering.to_core() for seat in
            Seat.objects.filter(participant=participant, status__in=LIVE)
            .select_related("offering__intake")
            if leaving is None or seat.offering_id != leaving.pk]
    return Enrollee(program=own.key if own is not None else None, passed=passed,
                    intake=intake.code if intake else None,
                    organization=participant.organization, runs=runs)


def refusal_for(participant: Participant, offering: Offering, today: dt.date,
                *, leaving: Offering | None = None) -> Refusal | None:
    return check(offering.program_version.program, enrollee(participant, today, leaving=leaving),
                 offering.to_core())


def seats_taken(offering: Offering) -> int:
    return Seat.objects.filter(offering=offering, status=Seat.ENROLLED).count()


def waitlist(offering: Offering) -> list[Seat]:
    return list(Seat.objects.filter(offering=offering, status=Seat.WAITLISTED)
                .select_related("participant").order_by("queue_number"))


def take_seat(participant: Participant, offering: Offering, actor: Actor,
              *, today: dt.date | None = None, leaving: Offering | None = None) -> SeatResult:
    """Enroll in `offering` if a seat is free, otherwise join the end of its waitlist.

    Raises `EnrollmentRefusedError` when a rule forbids it; nothing is written then.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=participant.pk)
        locked = Offering.objects.select_for_update(of=("self",)).select_related(
            "program_version", "intake").get(pk=offering.pk)
        live = Seat.objects.filter(offering=locked, participant=participant,
                                   status__in=LIVE).first()
        if live is not None:
            return SeatResult(live, _position(live))
        refusal = refusal_for(participant, locked, today, leaving=leaving)
        if refusal is not None:
            raise EnrollmentRefusedError(refusal)
        status = Seat.ENROLLED if seats_taken(locked) < locked.capacity else Seat.WAITLISTED
        last = Seat.objects.filter(offering=locked).aggregate(n=Max("queue_number"))["n"] or 0
        seat = Seat.objects.create(offering=locked, participant=participant, status=status,
                                   queue_number=last + 1, created_by=actor.label,
                                   updated_by=actor.label)
        log(actor, f"enrollment.{status}", target_type="offering", target_id=locked.code,
            participant=participant, new={"offering": locked.code, "status": status})
        return SeatResult(seat, _position(seat))


def give_up_seat(seat: Seat, actor: Actor, *, today: dt.date | None = None) -> Seat | None:
    """Drop a seat or a waitlist spot; a freed seat goes to the first eligible person waiting.

    Returns the seat that was handed on, if any.
    """
    today = today or dt.datetime.now(dt.UTC).date()
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
        return _promote_first(locked, actor, today)


def _promote_first(offering: Offering, actor: Actor, today: dt.date) -> Seat | None:
    """Give a free seat to the first person in line whom the rules still allow.

    Someone whose situation changed while waiting (say, now in an overlapping
    course) keeps their place in line but is passed over for this seat.
    """
    if seats_taken(offering) >= offering.capacity:
        return None
    waiting = (Seat.objects.select_for_update().filter(offering=offering, status=Seat.WAITLISTED)
               .select_related("participant").order_by("queue_number"))
    first = next((s for s in waiting
                  if refusal_for(s.participant, offering, today, leaving=offering) is None),
                 None)
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


def quote_change(seat: Seat, now: dt.datetime) -> Quote:
    """What changing or dropping this seat would cost at `now` (free, or the change fee)."""
    return change_quote(seat.offering.program_version.program, seat.offering.to_core(), now)


@dataclass(frozen=True)
class Change:
    quote: Quote
    new: SeatResult | None  # None when the seat was dropped without a replacement


def change_seat(seat: Seat, to: Offering | None, actor: Actor, *, now: dt.datetime) -> Change:
    """Move to another run of the same component, or drop (`to` None), at the quoted fee.

    One transaction: if the new run refuses, the old seat is kept. The fee is
    recorded with the change for billing.
    """
    today = now.astimezone(dt.UTC).date()
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=seat.participant_id)
        seat = Seat.objects.select_related("offering__program_version").get(pk=seat.pk)
        if seat.status not in LIVE:
            raise PathwiseError(f"this place on {seat.offering.code} was already given up")
        if to is not None and to.component != seat.offering.component:
            raise PathwiseError(f"{to.code} is a run of {to.component}, not of "
                                f"{seat.offering.component}: a change stays within a course")
        if to is not None and to.pk == seat.offering_id:
            raise PathwiseError(f"you already hold a place on {to.code}")
        quote = quote_change(seat, now)
        new = (take_seat(seat.participant, to, actor, today=today, leaving=seat.offering)
               if to is not None else None)
        give_up_seat(seat, actor, today=today)
        log(actor, "enrollment.changed" if to is not None else "enrollment.withdrawn",
            target_type="offering", target_id=seat.offering.code, participant=seat.participant,
            old={"offering": seat.offering.code, "status": seat.status},
            new={"offering": to.code if to is not None else None,
                 "fee": str(quote.fee.amount), "currency": quote.fee.currency,
                 "free": quote.free})
        return Change(quote, new)


def new_calendar_token(participant: Participant, actor: Actor) -> str:
    """Make (or remake) the participant's secret calendar address; any old one stops working."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(
            participant=participant, defaults={"token": token, "updated_by": actor.label})
        if not created:
            feed.token, feed.updated_by = token, actor.label
            feed.save(update_fields=["token", "updated_by", "updated_at"])
        log(actor, "calendar.created" if created else "calendar.regenerated",
            target_type="participant", target_id=participant.public_id,
            participant=participant)
    return token


def revoke_calendar(participant: Participant, actor: Actor) -> None:
    with transaction.atomic():
        updated = CalendarFeed.objects.filter(participant=participant,
                                              token__isnull=False).update(
            token=None, updated_by=actor.label)
        if updated:
            log(actor, "calendar.revoked", target_type="participant",
                target_id=participant.public_id, participant=participant)
