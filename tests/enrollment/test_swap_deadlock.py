"""Two people swap runs at the same moment, over and over, on PostgreSQL.

A moves from X to Y while B moves from Y to X. The first test shows that the
deadlock is real: giving up the old run and then taking the new one, each with
its own locks, has A hold X waiting for Y while B holds Y waiting for X, and
PostgreSQL breaks the tie by failing one of them. The second shows that
`change_seat`, which locks both runs together in one order, never deadlocks
and leaves every seat accounted for.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from functools import partial

import pytest
from django.db import connection, transaction
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import Offering
from pathwise.enrollment.actions import LIVE, change_seat, give_up_seat, take_seat
from pathwise.enrollment.models import Seat
from pathwise.participants.models import Participant
from tests.enrollment.concurrency import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks and real concurrency need PostgreSQL"),
]
SWAPS = 40


def two_runs(make_offering: Callable[..., Offering], capacity: int) -> tuple[Offering, Offering]:
    """Two runs of one course, months apart, so holding both for a moment breaks no rule."""
    first = timezone.now().date() + dt.timedelta(days=120)
    second = first + dt.timedelta(days=140)
    return (make_offering("CODE-X", capacity=capacity, starts_on=first,
                          ends_on=first + dt.timedelta(days=49)),
            make_offering("CODE-Y", capacity=capacity, starts_on=second,
                          ends_on=second + dt.timedelta(days=49)))


def seated(people: list[Participant], runs: tuple[Offering, Offering]) -> list[Participant]:
    for person, run in zip(people, runs, strict=True):
        take_seat(person, run, Actor("setup"))
    return people


def seats_held(people: list[Participant]) -> list[Seat]:
    """Each one's place: one seat, or a spot on a waitlist after a change that failed."""
    return [Seat.objects.get(participant=p, status__in=LIVE) for p in people]


def other(runs: tuple[Offering, Offering], seat: Seat) -> Offering:
    return runs[1] if seat.offering_id == runs[0].pk else runs[0]


def give_up_then_take(seat: Seat, to: Offering) -> None:
    """A change made of the two actions, each locking its own run as it comes to it."""
    with transaction.atomic():
        give_up_seat(seat, Actor("naive"))
        time.sleep(0.1)  # the other swapper locks the run they leave meanwhile
        take_seat(seat.participant, to, Actor("naive"))


def test_locking_each_run_as_it_comes_deadlocks_two_swappers(
    make_offering: Callable[..., Offering], make_people: Callable[..., list[Participant]],
) -> None:
    runs = two_runs(make_offering, capacity=25)
    errors: list[str] = []
    for pair in range(3):  # a fresh pair each time: A on X, B on Y
        people = seated(make_people(2, prefix=f"N{pair}"), runs)
        errors += at_once({seat.participant.public_id: partial(
            give_up_then_take, seat, other(runs, seat)) for seat in seats_held(people)})
    assert errors
    assert all("deadlock detected" in error for error in errors)


def test_forty_concurrent_swaps_never_deadlock_and_keep_every_seat(
    make_offering: Callable[..., Offering], make_people: Callable[..., list[Participant]],
) -> None:
    # One seat each: whoever moves first joins the other run's waitlist, and is
    # promoted when the other one leaves it.
    runs = two_runs(make_offering, capacity=1)
    swappers = seated(make_people(2), runs)
    errors: list[str] = []
    for _ in range(SWAPS):
        errors += at_once({seat.participant.public_id: partial(
            change_seat, seat, other(runs, seat), Actor(seat.participant.public_id),
            now=timezone.now()) for seat in seats_held(swappers)})

    assert errors == []
    # Each run holds exactly one of them again, nobody waits, nobody holds two places.
    for run in runs:
        assert Seat.objects.filter(offering=run, status=Seat.ENROLLED).count() == 1
        assert not Seat.objects.filter(offering=run, status=Seat.WAITLISTED).exists()
    assert [s.offering for s in seats_held(swappers)] == list(runs)  # an even number of swaps
    assert all(s.status == Seat.ENROLLED for s in seats_held(swappers))
    assert AuditEntry.objects.filter(action="enrollment.changed").count() == 2 * SWAPS


def test_a_crowd_moving_taking_and_dropping_at_once_never_deadlocks(
    make_offering: Callable[..., Offering], make_people: Callable[..., list[Participant]],
) -> None:
    """Drops promote people who are themselves moving at that moment, and the rest."""
    x, y = two_runs(make_offering, capacity=2)
    start = y.starts_on + dt.timedelta(days=140)
    runs = (x, y, make_offering("CODE-Z", capacity=2, starts_on=start,
                                ends_on=start + dt.timedelta(days=49)))
    people = make_people(8)
    choose = random.Random(8)  # noqa: S311  (a repeatable crowd, not a secret)

    def step(person: Participant) -> Callable[[], object]:
        held = list(Seat.objects.filter(participant=person, status__in=LIVE))
        if not held or choose.random() < 0.2:
            return partial(take_seat, person, choose.choice(runs), Actor(person.public_id))
        seat = choose.choice(held)
        to = choose.choice([*(r for r in runs if r.pk != seat.offering_id), None])
        return partial(change_seat, seat, to, Actor(person.public_id), now=timezone.now())

    errors: list[str] = []
    for _ in range(15):
        errors += at_once({p.public_id: step(p) for p in people})

    # Someone who tries to take a second run of the course is refused by a rule, an
    # answer rather than a failure; nothing else may go wrong.
    assert [e for e in errors if "You already hold a place on" not in e] == []
    for run in runs:
        enrolled = Seat.objects.filter(offering=run, status=Seat.ENROLLED).count()
        assert enrolled <= run.capacity
        # Nobody is left waiting while a seat is free: every freed seat was handed on.
        if Seat.objects.filter(offering=run, status=Seat.WAITLISTED).exists():
            assert enrolled == run.capacity
