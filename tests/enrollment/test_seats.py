"""Seats and waitlists: in order, never over capacity, a freed seat goes to the first in line."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.db import IntegrityError

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import Offering
from pathwise.enrollment.actions import give_up_seat, seats_taken, take_seat, waitlist
from pathwise.enrollment.models import Seat
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants.models import Participant

pytestmark = pytest.mark.django_db(transaction=True)
STAFF = Actor("staff")


def test_seats_fill_to_capacity_then_people_wait_in_order(
    make_offering: Callable[..., Offering], make_people: Callable[..., list[Participant]]
) -> None:
    run = make_offering(capacity=2)
    people = make_people(4)
    results = [take_seat(p, run, Actor(p.public_id)) for p in people]

    assert [r.seat.status for r in results] == ["enrolled", "enrolled", "waitlisted",
                                                "waitlisted"]
    assert [r.waitlist_position for r in results] == [None, None, 1, 2]
    assert [s.participant for s in waitlist(run)] == people[2:]
    assert list(AuditEntry.objects.filter(action__startswith="enrollment.")
                .order_by("id").values_list("actor_label", "action")) == [
        ("S-001", "enrollment.enrolled"), ("S-002", "enrollment.enrolled"),
        ("S-003", "enrollment.waitlisted"), ("S-004", "enrollment.waitlisted")]


def test_asking_twice_keeps_the_one_place_you_have(
    make_offering: Callable[..., Offering], make_people: Callable[..., list[Participant]]
) -> None:
    run = make_offering(capacity=1)
    (ada,) = make_people(1)
    first = take_seat(ada, run, STAFF)
    again = take_seat(ada, run, STAFF)
    assert again.seat.pk == first.seat.pk
    assert Seat.objects.filter(participant=ada).count() == 1


def test_a_freed_seat_goes_to_the_first_in_line_who_is_told(
    make_offering: Callable[..., Offering], make_people: Callable[..., list[Participant]],
) -> None:
    run = make_offering(capacity=1)
    holder, first, second = make_people(3)
    seat = take_seat(holder, run, STAFF).seat
    take_seat(first, run, STAFF)
    take_seat(second, run, STAFF)

    promoted = give_up_seat(seat, Actor("S-001"))

    assert promoted is not None
    assert promoted.participant == first
    assert seats_taken(run) == 1
    assert [s.participant for s in waitlist(run)] == [second]
    run_ready_tasks()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [first.email]
    assert "A seat opened for you: CODE27W" in mail.outbox[0].subject
    assert AuditEntry.objects.filter(action="enrollment.promoted",
                                     participant=first).exists()


def test_leaving_the_waitlist_frees_no_seat(
    make_offering: Callable[..., Offering], make_people: Callable[..., list[Participant]]
) -> None:
    run = make_offering(capacity=1)
    holder, waiting = make_people(2)
    take_seat(holder, run, STAFF)
    spot = take_seat(waiting, run, STAFF).seat
    assert give_up_seat(spot, STAFF) is None
    assert seats_taken(run) == 1
    assert waitlist(run) == []


def test_one_person_cannot_hold_two_live_places_on_one_run(
    make_offering: Callable[..., Offering], make_people: Callable[..., list[Participant]]
) -> None:
    run = make_offering()
    (ada,) = make_people(1)
    Seat.objects.create(offering=run, participant=ada, status=Seat.ENROLLED, queue_number=1,
                        created_by="t", updated_by="t")
    with pytest.raises(IntegrityError):
        Seat.objects.create(offering=run, participant=ada, status=Seat.WAITLISTED,
                            queue_number=2, created_by="t", updated_by="t")
