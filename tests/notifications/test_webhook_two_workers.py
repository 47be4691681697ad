"""Two workers at once on PostgreSQL: every delivery reaches the receiver exactly once,
even when each is woken twice (as a "send again" racing its retry would wake it)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from pathwise.auditlog.log import Actor
from pathwise.notifications.background import run_ready_tasks
from pathwise.notifications.models import WebhookDelivery
from pathwise.notifications.webhooks import deliver_webhook, notify, register_endpoint
from tests.enrollment.concurrency import at_once
from tests.notifications.receiver import Receiver

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="two workers at once need PostgreSQL's row locks"),
]
DELIVERIES = 20


def events(count: int) -> list[str]:
    with transaction.atomic():
        for seat in range(1, count + 1):
            notify("seat.enrolled", f"/api/v1/seats/{seat}/", participant="P-001", seat=seat,
                   offering="CODE26A")
    return sorted(str(pk) for pk in WebhookDelivery.objects.values_list("pk", flat=True))


def test_two_workers_send_every_delivery_exactly_once(receiver: Receiver) -> None:
    receiver.delay = 0.02  # a request out while the other worker looks for work
    register_endpoint(receiver.url, ["seat.enrolled"], Actor("sam"))
    ids = events(DELIVERIES)
    for pk in ids:
        deliver_webhook.enqueue(pk)  # a second wake-up for each

    errors = at_once({"worker-1": run_ready_tasks, "worker-2": run_ready_tasks})

    assert errors == []
    assert sorted(r.headers["Pathwise-Delivery"] for r in receiver.requests) == ids
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
    assert all(d.attempts.count() == 1 for d in WebhookDelivery.objects.all())


def test_the_same_delivery_run_by_many_workers_at_the_same_moment_is_sent_once(
    receiver: Receiver,
) -> None:
    receiver.delay = 0.05
    register_endpoint(receiver.url, ["seat.enrolled"], Actor("sam"))
    [pk] = events(1)

    errors = at_once({f"worker-{n}": lambda: deliver_webhook.call(pk) for n in range(8)})

    assert errors == []
    assert [r.headers["Pathwise-Delivery"] for r in receiver.requests] == [pk]
    assert WebhookDelivery.objects.get().attempts.count() == 1
