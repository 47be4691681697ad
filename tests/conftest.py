"""Shared example people and records for the Django-level tests."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
from pathwise.participants import models as m
from pathwise.participants.actions import give_login, import_records_files

ADA: dict[str, Any] = {
    "program": "cscce-cm",
    "program_version": "2023",
    "participant": {"id": "P-001", "name": "Ada Lovelace", "timezone": "Europe/London"},
    "enrolled_on": "2023-09-21",
    "deadline_extended_to": None,
    "records": [
        {"component": "ORIENT", "date": "2023-09-21", "outcome": "attended"},
        {"component": "MW-CORE-VALUES", "date": "2023-09-28", "outcome": "attended"},
        {"component": "CODE", "offering": "CODE23F", "date": "2023-12-05",
         "attendance": {"attended": 11, "of": 12},
         "assessments": {"final-deliverable": "passed"}},
        {"component": "QSS", "date": "2024-03-14", "outcome": "attended", "role": "presenter"},
        {"component": "NOC", "date": "2024-02-01", "outcome": "credited",
         "basis": "NOC pilot 2021", "conditions_met": True},
        {"component": "CAPSTONE", "date": "2025-06-01", "outcome": "passed"},
    ],
}


def records_file(participant_id: str = "P-001", name: str = "Ada Lovelace",
                 **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(ADA)
    data["participant"]["id"] = participant_id
    data["participant"]["name"] = name
    data.update(changes)
    return data


@pytest.fixture
def import_files(db: None) -> Callable[..., list[str]]:
    def run(*files: dict[str, Any], actor: str = "test") -> list[str]:
        named = [(f"{f['participant']['id']}.json", json.dumps(f)) for f in files]
        return import_records_files(named, Actor(actor))

    return run


@pytest.fixture
def ada(import_files: Callable[..., list[str]]) -> m.Participant:
    import_files(records_file())
    participant = m.Participant.objects.get(public_id="P-001")
    give_login(participant, "ada", "ada-password-1", Actor("test"))
    return participant


@pytest.fixture
def grace(import_files: Callable[..., list[str]]) -> m.Participant:
    import_files(records_file("P-002", "Grace Hopper", enrolled_on="2025-10-01"))
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
