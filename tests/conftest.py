"""Shared fixtures: records files to start from, and example people for the Django tests."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import publish_offering, sync_programs
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.participants import models as m
from pathwise.participants.actions import give_login, import_records_files
from tests.builders import ada_file, complete_journey, drop_components, make_records_file


@pytest.fixture
def import_files(db: None) -> Callable[..., list[str]]:
    def run(*files: dict[str, Any], actor: str = "test") -> list[str]:
        named = [(f"{f['participant']['id']}.json", json.dumps(f)) for f in files]
        return import_records_files(named, Actor(actor))

    return run


@pytest.fixture
def ada(import_files: Callable[..., list[str]]) -> m.Participant:
    import_files(ada_file())
    participant = m.Participant.objects.get(public_id="P-001")
    give_login(participant, "ada", "ada-password-1", Actor("test"))
    return participant


@pytest.fixture
def grace(import_files: Callable[..., list[str]]) -> m.Participant:
    import_files(ada_file("P-002", "Grace Hopper", enrolled_on="2025-10-01"))
    participant = m.Participant.objects.get(public_id="P-002")
    give_login(participant, "grace", "grace-password-1", Actor("test"))
    return participant


@pytest.fixture
def staff(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("sam", password="staff-password-1",
                                                 is_staff=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The production hasher is slow on purpose; tests create dozens of logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def journey() -> list[dict[str, Any]]:
    """A fresh copy of the complete journey, free to change in the test."""
    return complete_journey()


@pytest.fixture(scope="session")
def records_file() -> Callable[..., dict[str, Any]]:
    return make_records_file


@pytest.fixture(scope="session")
def without() -> Callable[..., list[dict[str, Any]]]:
    return drop_components


def signed_in(username: str, password: str) -> Client:
    """A test client with a session for this login, signed in through the sign-in page.

    Not Client.login: that calls authenticate() without a request, which the sign-in
    throttle (django-axes) refuses, as it needs the client's address.
    """
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, f"{username} could not sign in"
    return client


@pytest.fixture
def grace_client(grace: m.Participant) -> Client:
    return signed_in("grace", "grace-password-1")


@pytest.fixture
def publish_run(db: None) -> Callable[..., Offering]:
    """Publish an offering through the catalogue action, as staff would.

    A course meets twice a week for seven weeks (so it is not condensed); any
    other component meets once, on its day. Times are noon in New York unless
    `meeting_time` says otherwise.
    """
    sync_programs(Actor("test"))
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    days = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

    def make(code: str, component: str = "PBK", *, starts_on: dt.date | None = None,
             starts_in: int = 90, capacity: int | None = None,
             meeting_time: dt.time = dt.time(12), **fields: Any) -> Offering:
        start = starts_on or timezone.now().date() + dt.timedelta(days=starts_in)
        spec = version.program.components[component]
        course = spec.kind == "course"
        weekday = start.weekday()
        return publish_offering(
            Actor("staff"), version, code, component=component, starts_on=start,
            ends_on=start + dt.timedelta(days=48 if course else 0),
            capacity=capacity or spec.capacity or 40,
            meeting_days=[days[weekday], days[(weekday + 2) % 7]] if course else [days[weekday]],
            meeting_time=meeting_time, meeting_minutes=90, timezone="America/New_York",
            **fields)

    return make
