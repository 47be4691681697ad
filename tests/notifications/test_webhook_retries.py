"""A receiver that fails gets the delivery again later, each wait longer, until 72 hours
after the first attempt; one that answers 410 Gone is not sent to again."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.core.webhooks import RETRY_WAITS, next_attempt
from pathwise.notifications.background import run_ready_tasks
from pathwise.notifications.models import WebhookDelivery, WebhookEndpoint
from pathwise.notifications.webhooks import notify, redeliver, register_endpoint
from tests.notifications.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)
STAFF = Actor("sam")


def seat_event(seat: int = 12) -> None:
    with transaction.atomic():
        notify("seat.enrolled", f"/api/v1/seats/{seat}/", participant="P-001", seat=seat,
               offering="CODE26A")


def run_until_settled() -> None:
    """Run the worker, and again whenever a retry falls due, until none is waiting."""
    run_ready_tasks()
    while (waiting := DBTaskResult.objects.filter(status="READY").order_by("run_after")
           .first()) is not None:
        time.sleep(max(0.0, (waiting.run_after - timezone.now()).total_seconds()))
        run_ready_tasks()


def test_a_receiver_that_fails_gets_it_again_after_longer_waits_until_it_answers(
    receiver: Receiver, settings: Any,
) -> None:
    settings.WEBHOOK_RETRY_SECONDS = [0.2, 0.4]
    register_endpoint(receiver.url, ["seat.enrolled"], STAFF)
    receiver.answer_with(500, 503)
    seat_event()

    run_ready_tasks()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert [a.status_code for a in delivery.attempts.all()] == [500]
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == delivery.next_attempt_at
    run_ready_tasks()  # not due yet: nothing is sent
    assert len(receiver.requests) == 1

    run_until_settled()
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert delivery.next_attempt_at is None
    attempts = list(delivery.attempts.all())
    assert [a.status_code for a in attempts] == [500, 503, 200]
    waits = [(b.at - a.at).total_seconds() for a, b in itertools.pairwise(attempts)]
    assert waits == pytest.approx([0.2, 0.4], abs=0.15)
    assert all(a.duration_ms < 5000 for a in attempts)
    ids = {r.headers["Pathwise-Delivery"] for r in receiver.requests}
    bodies = {r.body for r in receiver.requests}
    assert ids == {str(delivery.pk)}
    assert len(bodies) == 1  # the same event each time


def test_a_delivery_that_keeps_failing_gives_up_when_its_time_is_over(
    receiver: Receiver, settings: Any,
) -> None:
    settings.WEBHOOK_RETRY_SECONDS = [0.1]
    settings.WEBHOOK_GIVE_UP_AFTER_SECONDS = 0.25
    register_endpoint(receiver.url, ["seat.enrolled"], STAFF)
    receiver.answer_with(*[500] * 10)
    seat_event()

    run_until_settled()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "gave_up"
    assert delivery.attempts.count() == 3  # at 0, 0.1 and 0.2 s; 0.3 s is past the window
    assert "no 2xx answer in 3 attempts" in delivery.gave_up_reason

    receiver.answer_with()
    redeliver(delivery, STAFF)
    run_ready_tasks()
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert delivery.attempts.count() == 4
    assert AuditEntry.objects.filter(action="webhook.redelivered", actor_label="sam").exists()


def test_the_schedule_waits_1_5_30_minutes_then_hours_then_a_day_for_72_hours() -> None:
    first = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    times, at, failed = [first], first, 0
    while True:
        failed += 1
        later = next_attempt(first, failed, at)
        if later is None:
            break
        times.append(later)
        at = later
    waits = [b - a for a, b in itertools.pairwise(times)]
    assert waits[:7] == list(RETRY_WAITS)
    assert [w.total_seconds() / 3600 for w in waits] == pytest.approx(
        [1 / 60, 5 / 60, 0.5, 2, 6, 12, 24, 24])
    assert times[-1] - first <= dt.timedelta(hours=72)
    assert times[-1] + dt.timedelta(hours=24) - first > dt.timedelta(hours=72)


def test_410_gone_disables_the_endpoint_and_stops_what_it_still_had_to_get(
    receiver: Receiver,
) -> None:
    endpoint = register_endpoint(receiver.url, ["seat.enrolled"], STAFF).endpoint
    receiver.answer_with(410)
    seat_event(1)
    seat_event(2)

    run_ready_tasks()

    endpoint.refresh_from_db()
    assert not endpoint.active
    assert "410 Gone" in endpoint.disabled_reason
    assert endpoint.disabled_at is not None
    assert endpoint.disabled_by == "webhooks"
    assert len(receiver.requests) == 1
    assert sorted(WebhookDelivery.objects.values_list("status", flat=True)) == [
        "gave_up", "gave_up"]
    entry = AuditEntry.objects.get(action="webhook.disabled")
    assert entry.actor_label == "webhooks"
    assert entry.target_id == str(endpoint.pk)
    assert entry.new_value["deliveries_stopped"] == 1

    seat_event(3)  # later events are not recorded for it
    assert WebhookDelivery.objects.count() == 2
    assert WebhookEndpoint.objects.get().deliveries.filter(status="pending").count() == 0


def test_a_redirect_is_a_failure_not_followed(receiver: Receiver) -> None:
    register_endpoint(receiver.url, ["seat.enrolled"], STAFF)
    receiver.answer_with(301)
    seat_event()
    run_ready_tasks()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert [a.status_code for a in delivery.attempts.all()] == [301]
    assert len(receiver.requests) == 1


def test_a_delivery_whose_worker_died_mid_send_is_sent_once_its_claim_runs_out(
    receiver: Receiver,
) -> None:
    register_endpoint(receiver.url, ["seat.enrolled"], STAFF)
    seat_event()
    # A worker claimed it and died before recording anything: its lease is still running.
    lease_ends = timezone.now() + dt.timedelta(seconds=0.5)
    WebhookDelivery.objects.update(claimed_by="dead-worker", claimed_until=lease_ends)

    run_ready_tasks()
    assert receiver.requests == []
    look_again = DBTaskResult.objects.get(status="READY")
    assert look_again.run_after > lease_ends

    run_until_settled()
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == "delivered"
