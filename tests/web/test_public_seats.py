"""A private run that opens some seats to the public: taking them, and the waitlist after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.core.errors import PathwiseError
from pathwise.enrollment.actions import give_up_seat, promote_from_waitlist, take_seat
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m
from tests.builders import ada_file

pytestmark = pytest.mark.django_db

SOCIETY = "Genome Society"


@pytest.fixture
def people(import_files: Callable[..., list[str]]) -> dict[str, m.Participant]:
    """Two outsiders and two members of the society, all free to take a PBK run."""
    files = []
    for pid, name, organization in (("P-011", "Out One", None), ("P-012", "Out Two", None),
                                    ("P-013", "Member One", SOCIETY),
                                    ("P-014", "Member Two", SOCIETY)):
        data = ada_file(pid, name, enrolled_on="2025-10-01")
        if organization:
            data["participant"]["organization"] = organization
        files.append(data)
    import_files(*files)
    return {p.name: p for p in m.Participant.objects.filter(public_id__in=(
        "P-011", "P-012", "P-013", "P-014"))}


@pytest.fixture
def run(publish_run: Callable[..., Offering]) -> Offering:
    """Three seats, one of them open to the public."""
    return publish_run("PBK-SOC", capacity=3, private_to=SOCIETY, public_seats=1)


def status(person: m.Participant) -> str:
    return Seat.objects.get(participant=person, offering__code="PBK-SOC").status


def test_an_outsider_takes_the_public_seat_and_the_next_one_waits_though_seats_are_left(
        people: dict[str, m.Participant], run: Offering) -> None:
    take_seat(people["Out One"], run, Actor("test"))
    take_seat(people["Out Two"], run, Actor("test"))
    take_seat(people["Member One"], run, Actor("test"))
    assert [status(people[n]) for n in ("Out One", "Out Two", "Member One")] == [
        Seat.ENROLLED, Seat.WAITLISTED, Seat.ENROLLED]


def test_a_freed_member_seat_passes_over_an_outsider_waiting_for_a_public_one(
        people: dict[str, m.Participant], run: Offering) -> None:
    actor = Actor("test")
    for name in ("Out One", "Member One", "Member Two", "Out Two"):
        take_seat(people[name], run, actor)
    assert status(people["Out Two"]) == Seat.WAITLISTED  # the run is full
    member_seat = Seat.objects.get(participant=people["Member One"], offering=run)

    promoted = give_up_seat(member_seat, actor)

    # The seat freed is one of the society's: Out Two, first in line, keeps their place.
    assert promoted is None
    assert status(people["Out Two"]) == Seat.WAITLISTED
    assert Seat.objects.filter(offering=run, status=Seat.ENROLLED).count() == 2

    public = Seat.objects.get(participant=people["Out One"], offering=run)
    handed = give_up_seat(public, actor)
    assert handed is not None
    assert handed.participant == people["Out Two"]
    assert status(people["Out Two"]) == Seat.ENROLLED


def test_staff_cannot_hand_an_outsider_a_seat_when_the_public_ones_are_taken(
        people: dict[str, m.Participant], run: Offering, staff: Any) -> None:
    actor = Actor("test")
    for name in ("Out One", "Member One", "Member Two", "Out Two"):
        take_seat(people[name], run, actor)
    give_up_seat(Seat.objects.get(participant=people["Member One"], offering=run), actor)
    waiting = Seat.objects.get(participant=people["Out Two"], offering=run)

    with pytest.raises(PathwiseError, match=(
            "PBK-SOC is private to Genome Society and its one seat open to the public is "
            "taken; P-012 is not of Genome Society")):
        promote_from_waitlist(waiting, actor)
    assert status(people["Out Two"]) == Seat.WAITLISTED

    client = Client()
    client.force_login(staff)
    page = client.post("/runs/PBK-SOC/seats/", {"action": "promote", "seat": waiting.pk},
                       follow=True).content.decode()
    assert "its one seat open to the public is taken" in page
    assert status(people["Out Two"]) == Seat.WAITLISTED
