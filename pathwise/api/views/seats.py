"""Seats: quote, then take (enroll or join the waitlist); quote a change, then change; drop.

The same actions as the catalogue and schedule pages (pathwise/enrollment/actions.py):
a refusal names its rule (pathwise/core/enrollment.py) in the pages' words, and a
seat with a fee is taken only when the client sends back the quoted fee.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from pathwise.api import access, examples
from pathwise.api import serializers as s
from pathwise.api.conventions import idempotent, iso, money, viewer_zone
from pathwise.api.problems import Problem, field_error, invalid
from pathwise.api.views.base import ApiViewSet
from pathwise.api.views.catalogue import validated
from pathwise.api.views.people import place_in_line
from pathwise.catalog.models import Offering
from pathwise.core.enrollment import check
from pathwise.core.errors import PathwiseError
from pathwise.core.fees import Money, Quote
from pathwise.core.inputs import is_identifier
from pathwise.enrollment.actions import (
    LIVE,
    EnrollmentRefusedError,
    FeeNotAcceptedError,
    change_seat,
    enrollee,
    quote_change,
    refusal_for,
    seat_quote,
    seats_taken,
    take_seat,
)
from pathwise.enrollment.models import Seat
from pathwise.participants.models import Participant
from pathwise.standing.read import local_today

SEAT_ID = [OpenApiParameter("seat_id", int, OpenApiParameter.PATH, description="A seat's id.")]
SEAT_FILTERS = [
    OpenApiParameter("participant", str, description="Staff: only this participant's seats."),
    OpenApiParameter("offering", str, description="Only seats on this offering."),
    OpenApiParameter("status", str, enum=["enrolled", "waitlisted", "dropped"],
                     description="Only seats in this state (default: enrolled and waitlisted)."),
]
QUOTE_PARAMS = [
    OpenApiParameter("offering", str, required=True, description="The offering's code."),
    OpenApiParameter("participant", str,
                     description="Staff: whom for. A participant: themself (may be left out)."),
]


def today_of(participant: Participant) -> dt.date:
    return local_today(participant, timezone.now())


def fee_problem(unpaid: FeeNotAcceptedError, field: str) -> Problem:
    message = str(unpaid)
    return Problem(409, message, kind="fee-not-accepted",
                   errors=[field_error(field, "fee-not-accepted", message)],
                   fee=money(unpaid.fee.fee))


def change_fee_problem(quote: Quote) -> Problem:
    message = (f"This change costs {quote.fee}: {quote.reason}. Send the fee as accept_fee "
               "to confirm it.")
    return Problem(409, message, kind="fee-not-accepted",
                   errors=[field_error("accept_fee", "fee-not-accepted", message)],
                   fee=money(quote.fee))


@extend_schema(tags=["seats"])
class SeatViewSet(ApiViewSet):
    """Seats and waitlist places. Staff act for anyone, a participant for themself."""

    lookup_value_regex = "[^/]+"
    polled = True
    out = s.SeatOut

    def get_queryset(self) -> QuerySet[Seat]:
        return (Seat.objects.select_related("participant", "offering__program_version",
                                            "offering__intake")
                .filter(participant__in=access.visible_participants(self.request))
                .order_by("offering__starts_on", "offering__code", "queue_number"))

    def last_modified(self, rows: QuerySet[Seat]) -> dt.datetime | None:
        newest: dt.datetime | None = rows.aggregate(at=Max("updated_at"))["at"]
        return newest

    def represent(self, row: Seat) -> dict[str, Any]:
        zone = viewer_zone(self.request)
        return {
            "id": row.pk, "url": f"/api/v1/seats/{row.pk}/",
            "participant": row.participant.public_id, "offering": row.offering.code,
            "component": row.offering.component, "status": row.status,
            "waitlist_position": place_in_line(row),
            "fee": (money(Money(row.fee_amount, row.fee_currency))
                    if row.fee_amount is not None else None),
            "created_at": iso(row.created_at, zone), "updated_at": iso(row.updated_at, zone),
        }

    def _seat(self, pk: str, *, live: bool = False) -> Seat:
        rows = self.get_queryset().filter(status__in=LIVE) if live else self.get_queryset()
        number = pk.isascii() and pk.isdigit() and len(pk) < 19
        found = rows.filter(pk=int(pk)).first() if number else None
        if found is None:
            raise exceptions.NotFound(f"No seat {pk!r}." if not live
                                      else f"No seat or waitlist place {pk!r} held now.")
        return found

    def _offering(self, request: Request, code: str, field: str = "offering") -> Offering:
        found = (access.visible_offerings(request).filter(code=code).first()
                 if is_identifier(code) else None)
        if found is None:
            raise Problem(422, f"{field}: no offering {code!r}", kind="unknown-offering",
                          errors=[field_error(field, "exists", f"no offering {code!r}")])
        return found

    @extend_schema(parameters=SEAT_FILTERS, responses=s.SeatOut(many=True))
    def list(self, request: Request) -> Response:
        rows = self.get_queryset()
        params = request.query_params
        for name, column in (("participant", "participant__public_id"),
                             ("offering", "offering__code")):
            value = params.get(name)
            if value is not None:
                if not is_identifier(value):
                    raise invalid(name, "identifier", f"{value!r} is not an identifier")
                rows = rows.filter(**{column: value})
        status = params.get("status")
        if status is None:
            rows = rows.filter(status__in=LIVE)
        elif status in (Seat.ENROLLED, Seat.WAITLISTED, Seat.DROPPED):
            rows = rows.filter(status=status)
        else:
            raise invalid("status", "choice", f"{status!r} is not one of enrolled, waitlisted, "
                                              "dropped")
        return self.paged(request, rows)

    @extend_schema(parameters=SEAT_ID, responses=s.SeatOut)
    def retrieve(self, request: Request, seat_id: str) -> Response:
        return Response(self.shaped(self._seat(seat_id)))

    @extend_schema(parameters=QUOTE_PARAMS, responses=s.SeatQuoteOut,
                   examples=[examples.QUOTE_FEE, examples.QUOTE_REFUSED])
    def quote(self, request: Request) -> Response:
        """What taking a seat would cost now, and whether a rule refuses it. Changes nothing."""
        checked = s.SeatQuoteIn(data=request.query_params.dict())
        checked.is_valid(raise_exception=True)
        data = checked.validated_data
        participant = access.acting_for(request, data.get("participant"))
        offering = self._offering(request, data["offering"])
        today = today_of(participant)
        refusal = refusal_for(participant, offering, today)
        fee = seat_quote(participant, offering, today)
        return Response(s.SeatQuoteOut({
            "participant": participant.public_id, "offering": offering.code,
            "allowed": refusal is None,
            "refusal": {"rule": refusal.rule, "message": refusal.message} if refusal else None,
            "fee": money(fee.fee), "free": fee.free, "reason": fee.reason,
            "full": seats_taken(offering) >= offering.capacity}).data)

    @extend_schema(request=s.TakeSeatIn, responses={201: s.SeatOut, 200: s.SeatOut},
                   examples=[examples.TAKE, examples.TAKE_STAFF, examples.SEAT_OUT,
                             examples.PROBLEM_REFUSED, examples.PROBLEM_FEE])
    @idempotent
    def create(self, request: Request) -> Response:
        """Take a seat, or join the waitlist when the run is full (201; 200 when already
        held). A seat with a fee needs `accept_fee`: the quote's fee, sent back."""
        data = validated(s.TakeSeatIn, request)
        participant = access.acting_for(request, data.get("participant"))
        offering = self._offering(request, data["offering"])
        held = Seat.objects.filter(participant=participant, offering=offering,
                                   status__in=LIVE).exists()
        try:
            result = take_seat(participant, offering, access.actor(request),
                               today=today_of(participant), accept_fee=data.get("accept_fee"))
        except EnrollmentRefusedError as refused:
            raise Problem(422, str(refused), kind="enrollment-refused", errors=[
                field_error("offering", refused.refusal.rule, refused.refusal.message)],
                rule=refused.refusal.rule) from refused
        except FeeNotAcceptedError as unpaid:
            raise fee_problem(unpaid, "accept_fee") from unpaid
        return Response(self.shaped(self._seat(str(result.seat.pk))),
                        status=200 if held else 201)

    @extend_schema(parameters=SEAT_ID, responses=s.ChangeQuoteOut)
    def change_quote(self, request: Request, seat_id: str) -> Response:
        """What changing or dropping this seat costs now, and the runs it could move to."""
        seat = self._seat(seat_id, live=True)
        participant = seat.participant
        today = today_of(participant)
        quote = quote_change(seat, timezone.now())
        program = seat.offering.program_version.program
        who = enrollee(participant, today, leaving=seat.offering)
        others = (Offering.objects.filter(program_version=seat.offering.program_version,
                                          component=seat.offering.component,
                                          starts_on__gt=today)
                  .exclude(pk=seat.offering_id).select_related("intake")
                  .order_by("starts_on", "code"))
        alternatives = []
        for other in others.filter(pk__in=access.visible_offerings(request).values("pk")):
            refusal = check(program, who, other.to_core())
            alternatives.append({"offering": other.code, "starts_on": other.starts_on,
                                 "refusal": ({"rule": refusal.rule, "message": refusal.message}
                                             if refusal else None)})
        return Response(s.ChangeQuoteOut({
            "seat": seat.pk, "free": quote.free, "fee": money(quote.fee),
            "reason": quote.reason, "free_until": quote.free_until,
            "free_period_ends_at": iso(quote.free_period_ends_at, viewer_zone(request)),
            "alternatives": alternatives}).data)

    def _change(self, request: Request, seat: Seat, to: Offering | None,
                accepted: Money | None) -> Response:
        now = timezone.now()
        quote = quote_change(seat, now)
        if not quote.free and accepted != quote.fee:
            raise change_fee_problem(quote)
        try:
            done = change_seat(seat, to, access.actor(request), now=now)
        except EnrollmentRefusedError as refused:
            raise Problem(422, str(refused), kind="enrollment-refused", errors=[
                field_error("to", refused.refusal.rule, refused.refusal.message)],
                rule=refused.refusal.rule) from refused
        except FeeNotAcceptedError as unpaid:
            raise fee_problem(unpaid, "to") from unpaid
        except PathwiseError as exc:
            raise invalid("to" if to is not None else "seat", "change", str(exc),
                          status_code=422) from exc
        new = done.new.seat if done.new is not None else None
        return Response(s.ChangeOut({
            "free": done.quote.free, "fee": money(done.quote.fee), "reason": done.quote.reason,
            "seat": self.represent(self._seat(str(new.pk))) if new is not None else None}).data)

    @extend_schema(parameters=SEAT_ID, request=s.ChangeIn, responses=s.ChangeOut)
    @idempotent
    def change(self, request: Request, seat_id: str) -> Response:
        """Move to another run of the same component, at the change quote's fee."""
        seat = self._seat(seat_id, live=True)
        data = validated(s.ChangeIn, request)
        target = self._offering(request, data["to"], field="to")
        return self._change(request, seat, target, data.get("accept_fee"))

    @extend_schema(parameters=SEAT_ID, request=s.DropIn, responses=s.ChangeOut)
    @idempotent
    def drop(self, request: Request, seat_id: str) -> Response:
        """Give the seat or waitlist place up, at the change quote's fee (as the schedule
        page's "drop" does); a freed seat goes to the first eligible person waiting."""
        seat = self._seat(seat_id, live=True)
        data = validated(s.DropIn, request)
        return self._change(request, seat, None, data.get("accept_fee"))
