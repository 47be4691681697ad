"""Two PBK runs under way, people on the first, and an instructor for each run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import publish_offering
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.enrollment.actions import take_seat
from pathwise.participants import models as m
from pathwise.participants.actions import give_login
from pathwise.runs.actions import assign_instructor
from pathwise.runs.read import meetings
from tests.builders import ada_file
from tests.conftest import signed_in


@dataclass
class Runs:
    a: Offering
    b: Offering
    people: list[m.Participant]

    def held_days(self, offering: Offering | None = None) -> list[dt.date]:
        now = timezone.now()
        return [s.date() for s, _ in meetings(offering or self.a) if s <= now]


def started_run(publish_run: Callable[..., Offering], code: str, *, days_ago: int = 30,
                **fields: Any) -> Offering:
    return publish_run(code, "PBK", starts_on=timezone.now().date()
                       - dt.timedelta(days=days_ago), **fields)


def seat_before_start(person: m.Participant, run: Offering) -> None:
    """A seat taken the day before the run began, as it would have been."""
    take_seat(person, run, Actor("test"), today=run.starts_on - dt.timedelta(days=1))


@pytest.fixture
def runs(import_files: Callable[..., list[str]], publish_run: Callable[..., Offering],
         django_user_model: Any) -> Runs:
    import_files(ada_file("P-002", "Grace Hopper", enrolled_on="2025-10-01"),
                 ada_file("P-003", "Linus Pauling", enrolled_on="2025-10-01"))
    people = list(m.Participant.objects.filter(public_id__in=["P-002", "P-003"])
                  .order_by("public_id"))
    for person in people:
        m.Participant.objects.filter(pk=person.pk).update(
            email=f"{person.public_id.lower()}@example.org")
        person.refresh_from_db()
    a, b = started_run(publish_run, "PBK-A"), started_run(publish_run, "PBK-B")
    for person in people:
        seat_before_start(person, a)
    give_login(people[0], "grace", "grace-password-1", Actor("test"))
    for username, run in (("ina", a), ("ben", b)):
        django_user_model.objects.create_user(username, password=f"{username}-password-1")
        assign_instructor(run, username, Actor("test"))
    return Runs(a, b, people)


@pytest.fixture
def ina(runs: Runs) -> Client:
    """The instructor of run A."""
    return signed_in("ina", "ina-password-1")


@pytest.fixture
def ben(runs: Runs) -> Client:
    """The instructor of run B."""
    return signed_in("ben", "ben-password-1")


@pytest.fixture
def staff_client(staff: Any, runs: Runs) -> Client:
    return signed_in("sam", "staff-password-1")


#: The meeting the video-call exports in tests/core/attendance_fixtures were taken at.
EXPORT_DAY = dt.date(2026, 3, 11)
EXPORTS = Path(__file__).resolve().parents[1] / "core" / "attendance_fixtures"


@dataclass
class ExportRun:
    run: Offering
    other: Offering


@pytest.fixture
def export_run(import_files: Callable[..., list[str]], publish_run: Callable[..., Offering],
               django_user_model: Any) -> ExportRun:
    """A run meeting at 9:00 in New York from the exports' day, with the four people they
    name enrolled; ina teaches it and ben another run, which met that afternoon."""
    people = [("P-001", "Ada Lovelace", "ada@example.org"),
              ("P-002", "Grace Hopper", "grace@example.org"),
              ("P-003", "Alan Turing", "alan@example.org"),
              ("P-004", "Katherine Johnson", "kj@example.org")]
    import_files(*(ada_file(pid, name, enrolled_on="2025-10-01") for pid, name, _ in people))
    # Another run meeting on the exports' day too, but at 16:00: an export of PBK-M's morning
    # fits that day and nobody in it was at PBK-O's meeting, whatever day the tests run.
    other = publish_run("PBK-O", "PBK", starts_on=EXPORT_DAY, meeting_time=dt.time(16))
    run = publish_offering(
        Actor("staff"), ProgramVersion.objects.get(program_id="cscce-cm", version="2023"),
        "PBK-M", component="PBK", starts_on=EXPORT_DAY, ends_on=EXPORT_DAY + dt.timedelta(41),
        capacity=25, meeting_days=["WE", "FR"], meeting_time=dt.time(9), meeting_minutes=90,
        timezone="America/New_York")
    for pid, _, email in people:
        m.Participant.objects.filter(public_id=pid).update(email=email)
        seat_before_start(m.Participant.objects.get(public_id=pid), run)
    for username, teaches in (("ina", run), ("ben", other)):
        django_user_model.objects.create_user(username, password=f"{username}-password-1")
        assign_instructor(teaches, username, Actor("test"))
    return ExportRun(run, other)
