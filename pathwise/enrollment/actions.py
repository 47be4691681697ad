"""Taking, changing, giving up and handing on seats. The offering row is the lock.

Each action runs in one transaction that starts by locking every row it will
change seats under (`_lock`): the participants concerned (so two requests of
one person cannot both pass the one-course-at-a-time rule), then the offerings
(so counting the taken seats and taking one cannot interleave with another
request: a run never holds more than its capacity). Every write to a run's
seats happens under its offering's lock, so seats need no locks of their own.
All of them are taken in one global order, participants by id and then
offerings by id, so two actions that need the same rows queue for them instead
of each holding one the other waits for (a deadlock). On SQLite, whose
transactions here begin IMMEDIATE, writers queue instead. Whether someone may
enroll at all is `pathwise.core.enrollment`'s decision; these actions only ask it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from pathwise.auditlog.log import Actor, log
from pathwise.billing.actions import charge, reverse
from pathwise.billing.models import Charge
from pathwise.catalog.models import Offering
from pathwise.core.audit import evaluate
from pathwise.core.enrollment import Enrollee, Refusal, check, completed_on, passed_on
from pathwise.core.errors import PathwiseError
from pathwise.core.fees import Money, Quote, SeatFee, change_quote, enrollment_fee
from pathwise.core.inputs import text_problem
from pathwise.enrollment.models import CalendarFeed, DemandRequest, Seat
from pathwise.notifications.mail import tell
from pathwise.notifications.webhooks import notify
from pathwise.participants.convert import to_core
from pathwise.participants.models import Participant
from pathwise.participants.progress import current_enrollment
from pathwise.standing.actions import refresh_standing


class EnrollmentRefusedError(PathwiseError):
    """A rule refuses the enrollment; `refusal` says which and what would satisfy it."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


class FeeNotAcceptedError(PathwiseError):
    """The seat costs a fee the participant has not accepted yet; `fee` says what and why."""

    def __init__(self, fee: SeatFee) -> None:
        super().__init__(f"Enrolling costs {fee.fee}: {fee.reason}. Confirm the fee to enroll.")
        self.fee = fee


@dataclass(frozen=True)
class SeatResult:
    seat: Seat
    waitlist_position: int | None  # 1-based place in line, None when enrolled


LIVE = (Seat.ENROLLED, Seat.WAITLISTED)


def enrollee(participant: Participant, today: dt.date,
             *, leaving: Offering | None = None) -> Enrollee:
    """What the enrollment rules need to know about `participant` today.

    Their records are read by their own program version, whichever program the
    run asked about belongs to; where they stand (withdrawn, overdue,
    certified) is that program's audit as of `today`. `leaving` is a run they
    are about to give up (a change of choice), which must not count against the
    run they move to.
    """
    enrollment = current_enrollment(participant)
    runs = [seat.offering.to_core() for seat in
            Seat.objects.filter(participant=participant, status__in=LIVE)
            .select_related("offering__intake")
            if leaving is None or seat.offering_id != leaving.pk]
    if enrollment is None:
        return Enrollee(organization=participant.organization, runs=runs, today=today,
                        timezone=participant.timezone)
    own = enrollment.program_version.program
    records = to_core(enrollment)
    audit = evaluate(own, records, today)
    status = audit.status if audit.status in ("withdrawn", "overdue", "certified") else None
    return Enrollee(program=own.key, passed=passed_on(own, records.records, today),
                    completed=completed_on(own, records.records, today),
                    intake=enrollment.intake.code if enrollment.intake else None,
                    organization=participant.organization, runs=runs,
                    standing=status,
                    deadline=audit.deadline, today=today, timezone=participant.timezone)


def refusal_for(participant: Participant, offering: Offering, today: dt.date,
                *, leaving: Offering | None = None) -> Refusal | None:
    return check(offering.program_version.program, enrollee(participant, today, leaving=leaving),
                 offering.to_core())


def seat_quote(participant: Participant, offering: Offering, today: dt.date,
               *, leaving: Offering | None = None) -> SeatFee:
    """What a seat in `offering` would cost `participant` beyond the program fee, now."""
    return enrollment_fee(offering.program_version.program,
                          enrollee(participant, today, leaving=leaving), offering.to_core())


def seats_taken(offering: Offering) -> int:
    return Seat.objects.filter(offering=offering, status=Seat.ENROLLED).count()


def waitlist(offering: Offering) -> list[Seat]:
    return list(Seat.objects.filter(offering=offering, status=Seat.WAITLISTED)
                .select_related("participant").order_by("queue_number"))


def _lock(participants: Iterable[int], offerings: Iterable[int]) -> dict[int, Offering]:
    """Lock these participants' and offerings' rows, in the one order every seat change uses.

    Called once, first thing in the transaction, with every row the action may
    change seats under. NO KEY UPDATE, because nothing here changes a key: it
    still excludes the other seat changes, but unlike FOR UPDATE it does not
    block rows that merely point at these (a new seat, an audit entry) from
    being written, a wait that would sit outside this order and could close a
    cycle. Returns the locked offerings by id.
    """
    list(Participant.objects.select_for_update(no_key=True)
         .filter(pk__in=set(participants)).order_by("pk").values_list("pk", flat=True))
    locked = (Offering.objects.select_for_update(of=("self",), no_key=True)
              .select_related("program_version", "intake")
              .filter(pk__in=set(offerings)).order_by("pk"))
    return {offering.pk: offering for offering in locked}


def _waiting_on(offering_id: int) -> list[int]:
    """Who may be handed a seat freed on this run, so they are locked with it.

    Read before the locks; anyone who joins the line in between is behind them.
    """
    return list(Seat.objects.filter(offering_id=offering_id, status=Seat.WAITLISTED)
                .values_list("participant_id", flat=True))


def take_seat(participant: Participant, offering: Offering, actor: Actor,
              *, today: dt.date | None = None, accept_fee: Money | None = None) -> SeatResult:
    """Enroll in `offering` if a seat is free, otherwise join the end of its waitlist.

    Raises `EnrollmentRefusedError` when a rule forbids it, and `FeeNotAcceptedError`
    when the seat costs a fee (an extra mini-workshop) other than `accept_fee`, the
    one the participant was shown and accepted; nothing is written then.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    with transaction.atomic():
        locked = _lock([participant.pk], [offering.pk])
        result = _take(participant, locked[offering.pk], actor, today, leaving=None,
                       accept_fee=accept_fee)
        refresh_standing(participant)
        return result


def _take(participant: Participant, locked: Offering, actor: Actor, today: dt.date,
          *, leaving: Offering | None, accept_fee: Money | None) -> SeatResult:
    live = Seat.objects.filter(offering=locked, participant=participant,
                               status__in=LIVE).first()
    if live is not None:
        return SeatResult(live, _position(live))
    program = locked.program_version.program
    who = enrollee(participant, today, leaving=leaving)
    refusal = check(program, who, locked.to_core())
    if refusal is not None:
        raise EnrollmentRefusedError(refusal)
    fee = enrollment_fee(program, who, locked.to_core())
    if not fee.free and accept_fee != fee.fee:
        raise FeeNotAcceptedError(fee)
    status = (Seat.ENROLLED if seats_taken(locked) < locked.capacity
              and _public_seat_free(locked, participant) else Seat.WAITLISTED)
    last = Seat.objects.filter(offering=locked).aggregate(n=Max("queue_number"))["n"] or 0
    seat = Seat.objects.create(offering=locked, participant=participant, status=status,
                               queue_number=last + 1, created_by=actor.label,
                               updated_by=actor.label,
                               fee_amount=None if fee.free else fee.fee.amount,
                               fee_currency="" if fee.free else fee.fee.currency)
    log(actor, f"enrollment.{status}", target_type="offering", target_id=locked.code,
        participant=participant, new={"offering": locked.code, "status": status,
                                      **({} if fee.free else {"fee": str(fee.fee)})})
    _notify_seat(f"seat.{status}", seat, participant, locked)
    if status == Seat.ENROLLED:
        _charge_seat_fee(seat, actor)
    return SeatResult(seat, _position(seat))


def _public_seat_free(offering: Offering, participant: Participant) -> bool:
    """Someone from outside a private run's organization takes one of its public seats."""
    if not offering.private_to or participant.organization == offering.private_to:
        return True
    outsiders = (Seat.objects.filter(offering=offering, status=Seat.ENROLLED)
                 .exclude(participant__organization=offering.private_to).count())
    return outsiders < offering.public_seats


def _notify_seat(event: str, seat: Seat, participant: Participant, offering: Offering) -> None:
    """Tell webhook endpoints, in this transaction, which seat changed: ids and its API
    address only."""
    notify(event, f"/api/v1/seats/{seat.pk}/", participant=participant.public_id,
           seat=seat.pk, offering=offering.code)


def _charge_seat_fee(seat: Seat, actor: Actor) -> None:
    """The seat is theirs now: charge the fee they accepted for it, if any."""
    if seat.fee_amount is None:
        return
    charge(seat.participant, Charge.EXTRA_WORKSHOP, Money(seat.fee_amount, seat.fee_currency),
           reason=f"extra mini-workshop: {seat.offering.code} ({seat.offering.component})",
           actor=actor, offering=seat.offering.code)


def _refund_seat_fee(seat: Seat, actor: Actor, today: dt.date) -> None:
    """A seat given up before its run starts costs nothing: reverse its fee, if charged."""
    if seat.fee_amount is None or seat.offering.starts_on <= today:
        return
    charged = (Charge.objects.filter(participant=seat.participant, kind=Charge.EXTRA_WORKSHOP,
                                     offering=seat.offering.code, reversed_by__isnull=True)
               .order_by("-created_at", "-id").first())
    if charged is not None:
        reverse(charged, reason=f"gave up {seat.offering.code} before it started",
                actor=actor)


def give_up_seat(seat: Seat, actor: Actor, *, today: dt.date | None = None) -> Seat | None:
    """Drop a seat or a waitlist spot; a freed seat goes to the first eligible person waiting.

    Returns the seat that was handed on, if any.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    with transaction.atomic():
        locked = _lock([seat.participant_id, *_waiting_on(seat.offering_id)], [seat.offering_id])
        promoted = _give_up(seat, locked[seat.offering_id], actor, today)
        _refresh(seat.participant_id, promoted)
        return promoted


def _refresh(participant_id: int, promoted: Seat | None) -> None:
    """Store the new standing of whoever a seat change moved, in its transaction."""
    refresh_standing(Participant.objects.get(pk=participant_id))
    if promoted is not None:
        refresh_standing(promoted.participant)


def _give_up(seat: Seat, locked: Offering, actor: Actor, today: dt.date) -> Seat | None:
    seat = Seat.objects.select_related("participant").get(pk=seat.pk)
    if seat.status == Seat.DROPPED:
        return None
    was = seat.status
    seat.status, seat.updated_by = Seat.DROPPED, actor.label
    seat.save(update_fields=["status", "updated_by", "updated_at"])
    log(actor, "enrollment.dropped", target_type="offering", target_id=locked.code,
        participant=seat.participant, old={"status": was}, new={"status": Seat.DROPPED})
    _notify_seat("seat.dropped", seat, seat.participant, locked)
    if was != Seat.ENROLLED:
        return None
    seat.offering = locked
    _refund_seat_fee(seat, actor, today)
    return _promote_first(locked, actor, today)


def _promote_first(offering: Offering, actor: Actor, today: dt.date) -> Seat | None:
    """Give a free seat to the first person in line whom the rules still allow.

    Someone whose situation changed while waiting (say, now in an overlapping
    course) keeps their place in line but is passed over for this seat. The
    e-mail telling them is enqueued with the promotion, so it is sent exactly
    when the promotion commits, and a mail server that fails delays the e-mail
    without failing the drop.
    """
    if seats_taken(offering) >= offering.capacity:
        return None
    waiting = (Seat.objects.filter(offering=offering, status=Seat.WAITLISTED)
               .select_related("participant").order_by("queue_number"))
    # On a private run, someone from outside its organization waits for one of its
    # public seats, not for any seat: while those are taken they keep their place.
    first = next((s for s in waiting
                  if _public_seat_free(offering, s.participant)
                  and refusal_for(s.participant, offering, today, leaving=offering) is None),
                 None)
    if first is None:
        return None
    return _hand_seat(first, offering, actor)


def _hand_seat(first: Seat, offering: Offering, actor: Actor, *, by_hand: bool = False) -> Seat:
    """Make a waitlist place a seat, under the offering's lock: charged, audited, e-mailed."""
    first.status, first.updated_by = Seat.ENROLLED, actor.label
    first.save(update_fields=["status", "updated_by", "updated_at"])
    log(actor, "enrollment.promoted", target_type="offering", target_id=offering.code,
        participant=first.participant, old={"status": Seat.WAITLISTED},
        new={"status": Seat.ENROLLED, **({"by_hand": True} if by_hand else {})})
    _notify_seat("seat.promoted", first, first.participant, offering)
    first.offering = offering
    _charge_seat_fee(first, actor)
    participant = first.participant
    tell(participant, f"A seat opened for you: {offering.code}",
         f"A seat opened on {offering.code} ({offering.component}, starting "
         f"{offering.starts_on:%-d %B %Y}) and it is now yours"
         + ("." if by_hand else ": you were first on the waitlist."), kind="seat.opened")
    return first


def promote_from_waitlist(seat: Seat, actor: Actor, *, today: dt.date | None = None) -> Seat:
    """Staff give a free seat to this waitlisted person, whatever their place in line.

    Refused, with nothing changed, when the run is full, when they are from outside a
    private run's organization and its public seats are taken, or when a rule no
    longer lets them take it (say, they are now in an overlapping course).
    """
    today = today or dt.datetime.now(dt.UTC).date()
    with transaction.atomic():
        locked = _lock([seat.participant_id], [seat.offering_id])[seat.offering_id]
        seat = Seat.objects.select_related("participant").get(pk=seat.pk)
        if seat.status != Seat.WAITLISTED:
            raise PathwiseError(f"{seat.participant.public_id} is not on the waitlist of "
                                f"{locked.code}")
        if seats_taken(locked) >= locked.capacity:
            raise PathwiseError(f"{locked.code} is full ({locked.capacity} seats): drop "
                                "someone or raise its capacity first")
        if not _public_seat_free(locked, seat.participant):
            seats = (f"{locked.public_seats} seats open to the public are"
                     if locked.public_seats != 1 else "one seat open to the public is")
            raise PathwiseError(f"{locked.code} is private to {locked.private_to} and its "
                                f"{seats} taken; {seat.participant.public_id} is not of "
                                f"{locked.private_to}")
        refusal = refusal_for(seat.participant, locked, today, leaving=locked)
        if refusal is not None:
            raise EnrollmentRefusedError(refusal)
        promoted = _hand_seat(seat, locked, actor, by_hand=True)
        refresh_standing(seat.participant)
        return promoted


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
    return change_quote(seat.offering.program_version.program, seat.offering.to_core(), now,
                        waitlisted=seat.status == Seat.WAITLISTED)


@dataclass(frozen=True)
class Change:
    quote: Quote
    new: SeatResult | None  # None when the seat was dropped without a replacement


def change_seat(seat: Seat, to: Offering | None, actor: Actor, *, now: dt.datetime,
                waive_fee: str | None = None) -> Change:
    """Move to another run of the same component, or drop (`to` None), at the quoted fee.

    One transaction: if the new run refuses, the old seat is kept. The fee is
    recorded with the change for billing, unless staff waive it: `waive_fee` is
    their reason, kept in the audit entry.
    """
    today = now.astimezone(dt.UTC).date()
    if waive_fee is not None and (problem := text_problem(waive_fee)):
        raise PathwiseError(f"reason for waiving the fee: {problem}")
    with transaction.atomic():
        # Both runs at once, lower id first: two people swapping runs lock them in
        # the same order rather than each holding the run the other one leaves.
        locked = _lock([seat.participant_id, *_waiting_on(seat.offering_id)],
                       [seat.offering_id, *([to.pk] if to is not None else [])])
        seat = Seat.objects.select_related("participant").get(pk=seat.pk)
        leaving = locked[seat.offering_id]
        if seat.status not in LIVE:
            raise PathwiseError(f"this place on {leaving.code} was already given up")
        if to is not None and to.component != leaving.component:
            raise PathwiseError(f"{to.code} is a run of {to.component}, not of "
                                f"{leaving.component}: a change stays within a course")
        if to is not None and to.pk == leaving.pk:
            raise PathwiseError(f"you already hold a place on {to.code}")
        seat.offering = leaving
        quote = quote_change(seat, now)
        new = None
        if to is not None:
            target = locked[to.pk]
            # Another run of the same workshop is the same workshop place: whatever it
            # costs is what they accepted for the one they leave.
            same_place = seat_quote(seat.participant, target, today, leaving=leaving).fee
            new = _take(seat.participant, target, actor, today, leaving=leaving,
                        accept_fee=same_place)
        promoted = _give_up(seat, leaving, actor, today)
        if not quote.free and waive_fee is None:
            charge(seat.participant, Charge.CHANGE_FEE, quote.fee, actor=actor,
                   offering=leaving.code,
                   reason=(f"changed {leaving.code} to {to.code}" if to is not None
                           else f"dropped {leaving.code}") + f": {quote.reason}")
        log(actor, "enrollment.changed" if to is not None else "enrollment.withdrawn",
            target_type="offering", target_id=leaving.code, participant=seat.participant,
            old={"offering": leaving.code, "status": seat.status},
            new={"offering": to.code if to is not None else None,
                 "fee": str(quote.fee.amount), "currency": quote.fee.currency,
                 "free": quote.free,
                 **({"waived": waive_fee} if waive_fee is not None and not quote.free
                    else {})})
        _refresh(seat.participant_id, promoted)
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
