"""Tasks are written in the transaction of the change they follow: no change, no task."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import checks, mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.enrollment.actions import give_up_seat, take_seat
from pathwise.enrollment.models import Seat
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants import models as m
from tests.builders import make_records_file

pytestmark = pytest.mark.django_db(transaction=True)


class LaterStepFailedError(Exception):
    """Something after the action, in the same transaction, went wrong."""


def in_a_transaction_that_fails(step: Callable[[], object]) -> None:
    with transaction.atomic():
        step()
        raise LaterStepFailedError


def test_records_that_roll_back_leave_no_signing_task(
    import_files: Callable[..., list[str]],
) -> None:
    def import_and_look() -> None:
        import_files(make_records_file())
        assert DBTaskResult.objects.filter(status="READY").count() == 1  # in this transaction

    with pytest.raises(LaterStepFailedError):
        in_a_transaction_that_fails(import_and_look)
    assert not m.Participant.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_promotion_that_rolls_back_sends_no_mail(
    publish_run: Callable[..., Offering], import_files: Callable[..., list[str]],
) -> None:
    run = publish_run("PBK-ONE", capacity=1)
    # Midway through the program, with PBK still to take.
    holder, waiting = (make_records_file(
        [{"component": "ORIENT", "date": "2026-01-12", "outcome": "attended"}],
        enrolled_on="2026-01-12", participant={
            "id": pid, "name": pid, "timezone": "UTC", "email": f"{pid.lower()}@example.org"})
        for pid in ("P-010", "P-011"))
    import_files(holder, waiting)
    people = list(m.Participant.objects.order_by("public_id"))
    run_ready_tasks()
    seat = take_seat(people[0], run, Actor("test")).seat
    take_seat(people[1], run, Actor("test"))

    def drop() -> None:
        assert give_up_seat(seat, Actor("test")) is not None  # someone was promoted

    with pytest.raises(LaterStepFailedError):
        in_a_transaction_that_fails(drop)
    run_ready_tasks()

    assert Seat.objects.get(pk=seat.pk).status == Seat.ENROLLED
    assert not DBTaskResult.objects.filter(task_path__endswith="send_email").exists()
    assert mail.outbox == []


def test_the_site_refuses_to_start_with_a_backend_that_would_run_tasks_before_the_commit(
    settings: Any,
) -> None:
    assert "pathwise.E001" not in {m.id for m in checks.run_checks()}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert "pathwise.E001" in {m.id for m in checks.run_checks()}


@pytest.fixture
def broker_backend(settings: Any) -> Any:
    """A backend outside the database, as a broker (RQ on Redis) is: Django's dummy one.
    (Django rebuilds its task backends when the TASKS setting changes.)"""
    from django.tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"]


def test_with_a_broker_a_task_is_handed_over_only_when_its_change_commits(
    broker_backend: Any, import_files: Callable[..., list[str]],
) -> None:
    with transaction.atomic():
        import_files(make_records_file())
        assert broker_backend.results == []  # the broker cannot see an uncommitted change
    assert [r.task.name for r in broker_backend.results] == ["issue_credentials"]

    with pytest.raises(LaterStepFailedError):
        in_a_transaction_that_fails(lambda: import_files(make_records_file(
            participant={"id": "P-002", "name": "Grace Hopper", "timezone": "UTC"})))
    assert len(broker_backend.results) == 1  # the rolled-back change handed over nothing
