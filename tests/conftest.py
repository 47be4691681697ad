"""Shared fixtures: records files to start from, and example people for the Django tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
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
