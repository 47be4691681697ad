"""A PBK run that ended twelve days ago with four people on it, taught by ina; ben teaches
another run; the four have been asked for their evaluation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.enrollment.actions import take_seat
from pathwise.evaluations.actions import ask_run
from pathwise.evaluations.models import Evaluation
from pathwise.participants import models as m
from pathwise.participants.actions import give_login
from pathwise.runs.actions import assign_instructor
from tests.builders import ada_file
from tests.conftest import signed_in

PEOPLE = [("P-002", "Grace Hopper"), ("P-003", "Linus Pauling"), ("P-004", "Mary Somerville"),
          ("P-005", "Alan Turing")]


@dataclass
class Ended:
    run: Offering
    other: Offering
    people: list[m.Participant]

    def evaluation(self, public_id: str) -> Evaluation:
        return Evaluation.objects.get(offering=self.run, participant__public_id=public_id)


def client_of(public_id: str) -> Client:
    return signed_in(public_id.lower(), "pw-" + public_id.lower())


@pytest.fixture
def ended(import_files: Callable[..., list[str]], publish_run: Callable[..., Offering],
          django_user_model: Any) -> Ended:
    import_files(*(ada_file(pid, name, enrolled_on="2025-10-01") for pid, name in PEOPLE))
    today = timezone.now().date()
    run = publish_run("PBK-E", "PBK", starts_on=today - dt.timedelta(days=60))
    other = publish_run("PBK-F", "PBK", starts_on=today - dt.timedelta(days=20))
    people = list(m.Participant.objects.filter(public_id__in=[p for p, _ in PEOPLE])
                  .order_by("public_id"))
    for person in people:
        m.Participant.objects.filter(pk=person.pk).update(
            email=f"{person.public_id.lower()}@example.org")
        person.refresh_from_db()
        give_login(person, person.public_id.lower(), "pw-" + person.public_id.lower(),
                   Actor("test"))
        take_seat(person, run, Actor("test"), today=run.starts_on - dt.timedelta(days=1))
    for username, teaches in (("ina", run), ("ben", other)):
        django_user_model.objects.create_user(username, password=f"{username}-password-1")
        assign_instructor(teaches, username, Actor("test"))
    return Ended(run, other, people)


@pytest.fixture
def asked(ended: Ended) -> Ended:
    ask_run(ended.run, Actor("test"))
    return ended


@pytest.fixture
def ina(ended: Ended) -> Client:
    return signed_in("ina", "ina-password-1")


@pytest.fixture
def ben(ended: Ended) -> Client:
    return signed_in("ben", "ben-password-1")


@pytest.fixture
def staff_client(staff: Any) -> Client:
    return signed_in("sam", "staff-password-1")
