"""The catalogue, a participant's schedule, changing a choice, and the calendar feed."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.http import conditional_page, require_POST

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.core.calendar import OfferingEvents, build_calendar
from pathwise.core.enrollment import check
from pathwise.core.errors import PathwiseError
from pathwise.core.fees import Money, enrollment_fee
from pathwise.core.offerings import occurrences
from pathwise.core.when import moment_text
from pathwise.enrollment.actions import (
    LIVE,
    EnrollmentRefusedError,
    FeeNotAcceptedError,
    change_seat,
    enrollee,
    new_calendar_token,
    quote_change,
    revoke_calendar,
    seats_taken,
    take_seat,
)
from pathwise.enrollment.models import CalendarFeed, Seat
from pathwise.participants.models import Participant
from pathwise.participants.progress import current_enrollment

DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class When:
    """How an offering's meetings look from the viewer's zone."""

    pattern: list[str]  # e.g. ["Tue 17:00-18:30", "Thu 17:00-18:30"], with an en dash
    first: dt.datetime | None
    shifts: bool  # the local time changes during the run (daylight saving)


def when(offering: Offering, zone: str) -> When:
    tz = zoneinfo.ZoneInfo(zone)
    seen: dict[str, None] = {}
    first = None
    for start, end in occurrences(offering.to_core()):
        local_start, local_end = start.astimezone(tz), end.astimezone(tz)
        first = first or local_start
        day = DAY_ABBR[local_start.weekday()]
        seen[f"{day} {local_start:%H:%M}\N{EN DASH}{local_end:%H:%M}"] = None
    days = {p.split()[0] for p in seen}
    return When(list(seen), first, len(seen) > len(days))


def meeting_changes(offering: Offering, zone: str) -> list[str]:
    """The run's cancelled and moved meetings, in words, on the clock of `zone`."""
    meetings = offering.to_core().meetings
    if meetings is None:
        return []
    there = zoneinfo.ZoneInfo(meetings.timezone)

    def at(day: dt.date) -> str:
        return moment_text(dt.datetime.combine(day, meetings.start_time, tzinfo=there), zone)

    changes = sorted([(day, f"{at(day)}: cancelled") for day in meetings.cancelled]
                     + [(move.from_, f"{at(move.from_)}: moved to {at(move.to)}")
                        for move in meetings.moved])
    return [text for _, text in changes]


def participant_of(request: HttpRequest) -> Participant:
    participant = getattr(request.user, "participant", None)
    if not isinstance(participant, Participant):
        raise PermissionDenied("This page is for participants.")
    return participant


def today_for(participant: Participant) -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(participant.timezone)).date()


def actor_for(request: HttpRequest, participant: Participant) -> Actor:
    return Actor(request.user.get_username(), participant.user)


CATALOGUE_PAGE = 20


@login_required
def catalogue(request: HttpRequest, *, error: str | None = None) -> HttpResponse:
    """Runs in date order; those the participant cannot take are hidden unless asked for."""
    participant = participant_of(request)
    enrollment = current_enrollment(participant)
    if enrollment is None:
        raise PermissionDenied("You are not enrolled in a program.")
    today = today_for(participant)
    component = request.GET.get("component", "")
    show_all = request.GET.get("show") == "all"
    program = enrollment.program_version.program
    offerings = (Offering.objects.filter(program_version=enrollment.program_version,
                                         starts_on__gt=today, published=True)
                 .select_related("intake", "program_version")
                 .annotate(taken=Count("seats", filter=Q(seats__status=Seat.ENROLLED)),
                           waiting=Count("seats", filter=Q(seats__status=Seat.WAITLISTED)))
                 .order_by("starts_on", "code"))
    if component:
        offerings = offerings.filter(component=component)
    mine = {s.offering_id: s for s in Seat.objects.filter(participant=participant,
                                                          status__in=LIVE)}
    who = enrollee(participant, today)  # once, not once per offering
    rows, hidden = [], 0
    for offering in offerings:
        core = offering.to_core()
        refusal = None if offering.pk in mine else check(program, who, core)
        if refusal is not None and not show_all:
            hidden += 1
            continue
        rows.append({
            "offering": offering, "name": program.components[offering.component].name,
            "when": when(offering, participant.timezone),
            "left": max(offering.capacity - offering.taken, 0), "seat": mine.get(offering.pk),
            "refusal": refusal,
            "fee": None if refusal is not None else enrollment_fee(program, who, core),
        })
    page = Paginator(rows, CATALOGUE_PAGE).get_page(request.GET.get("page"))
    return render(request, "enrollment/catalogue.html", {
        "rows": page.object_list, "page": page, "zone": participant.timezone,
        "component": component, "error": error,
        "show_all": show_all, "hidden": hidden,
        "components": [(c.code, c.name) for c in program.components.values()
                       if c.kind != "capstone"],
    }, status=400 if error else 200)


def accepted_fee(request: HttpRequest) -> Money | None:
    """The fee the participant confirmed on the page (`accept_fee`, `fee_currency`), if any."""
    amount, currency = request.POST.get("accept_fee", ""), request.POST.get("fee_currency", "")
    if not amount:
        return None
    try:
        return Money(Decimal(amount), currency)
    except (InvalidOperation, ValueError):
        return None


@login_required
@require_POST
def enroll(request: HttpRequest, code: str) -> HttpResponse:
    participant = participant_of(request)
    offering = get_object_or_404(Offering, code=code)
    try:
        result = take_seat(participant, offering, actor_for(request, participant),
                           today=today_for(participant), accept_fee=accepted_fee(request))
    except EnrollmentRefusedError as refused:
        return catalogue(request, error=str(refused))
    except FeeNotAcceptedError as unpaid:
        # Shown first, confirmed on purpose: nobody pays a fee by one click.
        return render(request, "enrollment/confirm_fee.html", {
            "offering": offering, "fee": unpaid.fee,
            "name": offering.program_version.program.components[offering.component].name,
            "full": seats_taken(offering) >= offering.capacity,
            "changed": bool(request.POST.get("accept_fee")),
        }, status=409 if request.POST.get("accept_fee") else 200)
    if result.waitlist_position is None:
        messages.success(request, f"You are enrolled in {offering.code}.")
    else:
        messages.info(request, f"{offering.code} is full: you are number "
                               f"{result.waitlist_position} on its waitlist. We will e-mail "
                               "you if a seat opens.")
    return redirect("schedule")


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    participant = participant_of(request)
    seats = (Seat.objects.filter(participant=participant, status__in=LIVE)
             .select_related("offering").order_by("offering__starts_on"))
    rows = []
    for seat in seats:
        ahead = None
        if seat.status == Seat.WAITLISTED:
            ahead = Seat.objects.filter(offering=seat.offering, status=Seat.WAITLISTED,
                                        queue_number__lt=seat.queue_number).count() + 1
        rows.append({"seat": seat, "when": when(seat.offering, participant.timezone),
                     "position": ahead,
                     "changes": meeting_changes(seat.offering, participant.timezone)})
    feed = CalendarFeed.objects.filter(participant=participant, token__isnull=False).first()
    feed_url = (request.build_absolute_uri(f"/calendar/{feed.token}.ics")
                if feed is not None else None)
    return render(request, "enrollment/schedule.html", {
        "rows": rows, "zone": participant.timezone, "feed_url": feed_url,
    })


@login_required
def change(request: HttpRequest, seat_id: int) -> HttpResponse:
    participant = participant_of(request)
    seat = get_object_or_404(Seat.objects.select_related("offering__program_version"),
                             pk=seat_id, participant=participant, status__in=LIVE)
    now = timezone.now()
    quote = quote_change(seat, now)
    today = today_for(participant)
    alternatives = list(Offering.objects.filter(
        program_version=seat.offering.program_version, component=seat.offering.component,
        starts_on__gt=today, published=True).exclude(pk=seat.offering_id).select_related("intake"))
    error = None
    if request.method == "POST":
        choice = request.POST.get("to", "")
        target = None
        if choice != "drop":
            target = next((o for o in alternatives if o.code == choice), None)
            if target is None:
                error = "Choose another run of this course, or to drop it."
        if error is None:
            try:
                done = change_seat(seat, target, actor_for(request, participant), now=now)
            except PathwiseError as exc:
                error = str(exc)
            else:
                fee = "free" if done.quote.free else f"a change fee of {done.quote.fee}"
                what = f"moved to {target.code}" if target else f"dropped {seat.offering.code}"
                messages.success(request, f"Done: you {what} ({fee}).")
                return redirect("schedule")
    zone = zoneinfo.ZoneInfo(participant.timezone)
    program = seat.offering.program_version.program
    who = enrollee(participant, today, leaving=seat.offering)
    context: dict[str, Any] = {
        "seat": seat, "quote": quote, "zone": participant.timezone, "error": error,
        "free_ends_local": (quote.free_period_ends_at.astimezone(zone)
                            if quote.free_period_ends_at is not None else None),
        "alternatives": [(o, when(o, participant.timezone), check(program, who, o.to_core()))
                         for o in alternatives],
    }
    return render(request, "enrollment/change.html", context, status=400 if error else 200)


@login_required
@require_POST
def calendar_address(request: HttpRequest) -> HttpResponse:
    participant = participant_of(request)
    if request.POST.get("action") == "revoke":
        revoke_calendar(participant, actor_for(request, participant))
        messages.success(request, "Your calendar address no longer works.")
    else:
        new_calendar_token(participant, actor_for(request, participant))
        messages.success(request, "Your calendar has a new address; the old one stops working.")
    return redirect("schedule")


@conditional_page
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret feed: no login (calendar apps cannot log in); the token is the key.

    Calendar apps poll it. Its bytes change only when its data does: every
    DTSTAMP is the data's last change (the feed's address, a seat, a run, the
    program's names), sent as Last-Modified too, and the content's hash is its
    strong ETag, so a poll with either answers 304 Not Modified.
    """
    feed = CalendarFeed.objects.filter(token=token).select_related("participant").first()
    if feed is None:
        raise Http404("No calendar at this address.")
    participant = feed.participant
    seats = list(Seat.objects.filter(participant=participant)
                 .select_related("offering__program_version"))
    changed = max([feed.updated_at, participant.updated_at,
                   *(t for seat in seats for t in (seat.updated_at, seat.offering.updated_at,
                                                   seat.offering.program_version.loaded_at))])
    # The bytes depend only on these: a poll of an unchanged feed is not built again.
    says = (feed.pk, token, changed, tuple(sorted((seat.pk, seat.status) for seat in seats)))
    cached = _FEEDS.get(feed.pk)
    if cached is not None and cached[0] == says:
        body = cached[1]
    else:
        body = _feed_body(participant, seats, changed)
        if len(_FEEDS) >= 10_000:
            _FEEDS.clear()
        _FEEDS[feed.pk] = (says, body)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response.headers["Last-Modified"] = http_date(changed.timestamp())
    return response


# Per process, the last feed built for each address.
_FEEDS: dict[int, tuple[tuple[Any, ...], bytes]] = {}


def _feed_body(participant: Participant, seats: list[Seat], changed: dt.datetime) -> bytes:
    sources = []
    for seat in seats:
        if seat.status != Seat.ENROLLED:
            continue
        offering = seat.offering
        component = offering.program_version.program.components.get(offering.component)
        name = component.name if component else offering.component
        sources.append(OfferingEvents(offering.to_core(),
                                      summary=f"{offering.component} — {name}",
                                      description=f"Pathwise: {offering.code}"))
    return build_calendar(f"Pathwise — {participant.name}", sources,
                          now=changed.replace(microsecond=0))
