"""Offerings and participants for the seat tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import sync_programs
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.participants.models import Participant


@pytest.fixture
def program_version(db: None) -> ProgramVersion:
    sync_programs(Actor("test"))
    return ProgramVersion.objects.get(program_id="cscce-cm", version="2023")


@pytest.fixture
def make_offering(program_version: ProgramVersion) -> Callable[..., Offering]:
    def make(code: str = "CODE27W", capacity: int = 25, **fields: Any) -> Offering:
        values: dict[str, Any] = {
            "component": "CODE", "starts_on": dt.date(2027, 1, 26),
            "ends_on": dt.date(2027, 3, 16), "meeting_days": ["TU", "TH"],
            "meeting_time": dt.time(12, 0), "meeting_minutes": 90,
            "timezone": "America/New_York",
        }
        values.update(fields)
        return Offering.objects.create(code=code, program_version=program_version,
                                       capacity=capacity, **values)

    return make


@pytest.fixture
def make_people(db: None) -> Callable[[int], list[Participant]]:
    def make(count: int, prefix: str = "S") -> list[Participant]:
        return [
            Participant.objects.create(public_id=f"{prefix}-{i:03d}", name=f"Person {i}",
                                       email=f"{prefix.lower()}{i}@example.org",
                                       timezone="Europe/London", updated_by="test")
            for i in range(1, count + 1)
        ]

    return make
