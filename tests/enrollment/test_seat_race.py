"""Fifty people ask for the last seats of a run at the same moment, on PostgreSQL.

The first test shows that the race is real: counting seats and taking one
without the lock oversells. The second shows the action, which locks the
offering row, never does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

import pytest
from django.db import connection, transaction

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.enrollment.actions import take_seat
from pathwise.enrollment.models import Seat
from pathwise.participants.models import Participant
from tests.enrollment.concurrency import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks and real concurrency need PostgreSQL"),
]
CAPACITY, ALREADY_TAKEN, REQUESTS = 25, 22, 50


def run_together(people: list[Participant], ask: Callable[[Participant], object]) -> list[str]:
    """Every person asks at once from their own thread and connection; returns errors."""
    return at_once({p.public_id: partial(ask, p) for p in people})


def fill(run: Offering, make_people: Callable[..., list[Participant]]) -> list[Participant]:
    for i, person in enumerate(make_people(ALREADY_TAKEN, prefix="E"), start=1):
        Seat.objects.create(offering=run, participant=person, status=Seat.ENROLLED,
                            queue_number=i, created_by="setup", updated_by="setup")
    return make_people(REQUESTS, prefix="R")


def naive_take(person: Participant, run: Offering) -> None:
    """What the action would be without the row lock."""
    with transaction.atomic():
        taken = Seat.objects.filter(offering=run, status=Seat.ENROLLED).count()
        time.sleep(0.01)  # the gap between reading and writing that the lock closes
        status = Seat.ENROLLED if taken < run.capacity else Seat.WAITLISTED
        # Unique by construction, so that only the seat count can go wrong.
        Seat.objects.create(offering=run, participant=person, status=status,
                            queue_number=1_000_000 + person.pk,
                            created_by="naive", updated_by="naive")


def test_without_the_lock_the_last_seats_are_oversold(
    make_offering: Callable[..., Offering], make_people: Callable[..., list[Participant]]
) -> None:
    run = make_offering(capacity=CAPACITY)
    people = fill(run, make_people)
    errors = run_together(people, lambda p: naive_take(p, run))
    assert errors == []
    assert Seat.objects.filter(offering=run, status=Seat.ENROLLED).count() > CAPACITY


def test_fifty_concurrent_requests_never_oversell_and_queue_in_order(
    make_offering: Callable[..., Offering], make_people: Callable[..., list[Participant]]
) -> None:
    run = make_offering(capacity=CAPACITY)
    people = fill(run, make_people)

    errors = run_together(people, lambda p: take_seat(p, run, Actor(p.public_id)))

    assert errors == []
    seats = list(Seat.objects.filter(offering=run).order_by("queue_number"))
    enrolled = [s for s in seats if s.status == Seat.ENROLLED]
    waiting = [s for s in seats if s.status == Seat.WAITLISTED]
    assert len(enrolled) == CAPACITY
    assert len(waiting) == REQUESTS - (CAPACITY - ALREADY_TAKEN)
    # Nothing lost, nobody twice: every requester holds exactly one live place.
    asked = {p.pk for p in people}
    holders = [s.participant_id for s in seats if s.participant_id in asked]
    assert sorted(holders) == sorted(asked)
    # The queue is gap-free and the seats went to the first three in it.
    assert [s.queue_number for s in seats] == list(range(1, ALREADY_TAKEN + REQUESTS + 1))
    assert all(s.status == Seat.ENROLLED for s in seats[:CAPACITY])
