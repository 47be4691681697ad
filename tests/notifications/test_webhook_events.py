"""Every event reaches a real receiver after its action commits, signed, carrying ids only.

The receiver is an HTTP server in a thread; the worker is `db_worker --batch` run
in this process; the signature is recomputed here with hmac, not with our code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import Offering
from pathwise.credentials.actions import reissue, revoke
from pathwise.credentials.models import Credential
from pathwise.enrollment.actions import give_up_seat, take_seat
from pathwise.notifications.background import run_ready_tasks
from pathwise.notifications.models import WebhookDelivery
from pathwise.notifications.webhooks import register_endpoint
from pathwise.participants import models as m
from pathwise.standing.actions import refresh_standing
from tests.builders import ada_file, make_records_file
from tests.notifications.receiver import Received, Receiver

pytestmark = pytest.mark.django_db(transaction=True)
EVERY_EVENT = ["seat.enrolled", "seat.waitlisted", "seat.promoted", "seat.dropped",
               "record.created", "standing.changed", "credential.issued",
               "credential.revoked"]
STAFF = Actor("sam")
#: What must never travel in a payload: the people's names and addresses.
PERSONAL = ("Ada", "Lovelace", "Grace", "Hopper", "Katherine", "Johnson", "@example.org")


def verified(request: Received, secret: str) -> dict[str, Any]:
    """The payload, once its signature checks out with `secret` as a receiver would check it."""
    timestamp = request.headers["Pathwise-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + request.body,
                        hashlib.sha256).hexdigest()
    scheme, _, given = request.headers["Pathwise-Signature"].partition("=")
    assert scheme == "v1"
    assert hmac.compare_digest(given, expected)
    assert abs(int(timestamp) - timezone.now().timestamp()) < 60
    document: dict[str, Any] = json.loads(request.body)
    return document


def people(import_files: Callable[..., list[str]]) -> tuple[m.Participant, m.Participant]:
    files = []
    for pid, name in (("P-002", "Grace Hopper"), ("P-003", "Katherine Johnson")):
        data = ada_file(pid, name, enrolled_on="2025-10-01")
        data["participant"]["email"] = f"{name.split()[0].lower()}@example.org"
        files.append(data)
    import_files(*files)
    return (m.Participant.objects.get(public_id="P-002"),
            m.Participant.objects.get(public_id="P-003"))


def test_every_event_is_sent_after_its_action_commits_signed_and_without_personal_data(
    receiver: Receiver, import_files: Callable[..., list[str]],
    publish_run: Callable[..., Offering], settings: Any,
) -> None:
    settings.BASE_URL = "https://pathwise.example.net"
    secret = register_endpoint(receiver.url, EVERY_EVENT, STAFF).secret
    grace, katherine = people(import_files)
    run = publish_run("PBK-ONE", capacity=1)
    seat = take_seat(grace, run, Actor("P-002")).seat
    waiting = take_seat(katherine, run, Actor("P-003")).seat
    give_up_seat(seat, Actor("P-002"))
    import_files(make_records_file())  # Ada's whole journey: the worker signs her badges
    assert receiver.requests == []  # nothing is sent from the request

    run_ready_tasks()
    credential = Credential.objects.get(participant__public_id="P-001", achievement="CODE")
    revoke(credential, "issued in error", STAFF, timezone.now())
    reissued = Credential.objects.get(participant__public_id="P-001", achievement="PBK")
    reissue(reissued, STAFF, timezone.now())
    run_ready_tasks()

    sent = [(r, verified(r, secret)) for r in receiver.requests]
    assert {d["type"] for _, d in sent} == set(EVERY_EVENT)
    for request, document in sent:
        assert request.path == "/hooks"
        assert request.headers["Content-Type"] == "application/json"
        assert request.headers["Pathwise-Event"] == document["type"]
        assert WebhookDelivery.objects.get(pk=request.headers["Pathwise-Delivery"]).status \
            == "delivered"
        assert str(uuid.UUID(document["id"])) == document["id"]
        assert dt.datetime.fromisoformat(document["created"]).utcoffset() is not None
        assert document["data"]["url"].startswith("https://pathwise.example.net/api/v1/")
        text = request.body.decode()
        assert not [word for word in PERSONAL if word in text], text

    def data(event: str) -> list[dict[str, Any]]:
        return [d["data"] for _, d in sent if d["type"] == event]

    seat_url = f"https://pathwise.example.net/api/v1/seats/{seat.pk}/"
    assert data("seat.enrolled") == [{"participant": "P-002", "seat": seat.pk,
                                      "offering": "PBK-ONE", "url": seat_url}]
    assert data("seat.waitlisted") == [{
        "participant": "P-003", "seat": waiting.pk, "offering": "PBK-ONE",
        "url": f"https://pathwise.example.net/api/v1/seats/{waiting.pk}/"}]
    assert data("seat.dropped") == [{"participant": "P-002", "seat": seat.pk,
                                     "offering": "PBK-ONE", "url": seat_url}]
    assert [d["participant"] for d in data("seat.promoted")] == ["P-003"]
    assert data("record.created") == [
        {"participant": pid, "program": "cscce-cm",
         "url": f"https://pathwise.example.net/api/v1/participants/{pid}/records/"}
        for pid in ("P-002", "P-003", "P-001")]
    assert {d["participant"] for d in data("standing.changed")} == {"P-001", "P-002", "P-003"}
    assert data("standing.changed")[0]["url"] == (
        "https://pathwise.example.net/api/v1/participants/P-002/standing/")
    issued = [d for d in data("credential.issued") if d["participant"] == "P-001"]
    assert sorted(d["achievement"] for d in issued) == ["CODE", "NOC", "PBK", "PBK",
                                                        "cscce-cm"]  # PBK once more: re-issued
    assert data("credential.revoked") == [{
        "participant": "P-001", "credential": str(credential.pk), "achievement": "CODE",
        "url": f"https://pathwise.example.net/api/v1/credentials/{credential.pk}/"}]


def test_an_endpoint_gets_only_the_events_it_subscribed_to(
    receiver: Receiver, import_files: Callable[..., list[str]],
    publish_run: Callable[..., Offering],
) -> None:
    register_endpoint(receiver.url, ["seat.waitlisted"], STAFF)
    grace, katherine = people(import_files)
    run = publish_run("PBK-ONE", capacity=1)
    take_seat(grace, run, Actor("P-002"))
    take_seat(katherine, run, Actor("P-003"))
    run_ready_tasks()
    assert [r.headers["Pathwise-Event"] for r in receiver.requests] == ["seat.waitlisted"]


def test_standing_changed_is_sent_only_when_the_status_or_next_step_changes(
    receiver: Receiver, import_files: Callable[..., list[str]],
) -> None:
    grace, _ = people(import_files)
    register_endpoint(receiver.url, ["standing.changed"], STAFF)
    refresh_standing(grace)  # nothing moved since the import
    run_ready_tasks()
    assert receiver.requests == []


class LaterStepFailedError(Exception):
    """Something after the action, in the same transaction, went wrong."""


def test_an_action_that_rolls_back_sends_nothing(
    receiver: Receiver, import_files: Callable[..., list[str]],
    publish_run: Callable[..., Offering],
) -> None:
    register_endpoint(receiver.url, EVERY_EVENT, STAFF)
    grace, _ = people(import_files)
    run = publish_run("PBK-ONE", capacity=1)
    run_ready_tasks()
    receiver.requests.clear()
    before = WebhookDelivery.objects.count()

    def take_then_fail() -> None:
        with transaction.atomic():
            take_seat(grace, run, Actor("P-002"))
            assert WebhookDelivery.objects.count() > before  # written in its transaction
            raise LaterStepFailedError

    with pytest.raises(LaterStepFailedError):
        take_then_fail()
    run_ready_tasks()

    assert WebhookDelivery.objects.count() == before
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert receiver.requests == []


def test_a_receiver_that_is_down_never_turns_the_action_into_an_error(
    import_files: Callable[..., list[str]], publish_run: Callable[..., Offering],
) -> None:
    register_endpoint("http://127.0.0.1:9/nobody-listens", EVERY_EVENT, STAFF)
    grace, _ = people(import_files)
    run = publish_run("PBK-ONE", capacity=1)

    seat = take_seat(grace, run, Actor("P-002")).seat
    run_ready_tasks()

    assert seat.status == "enrolled"
    assert AuditEntry.objects.filter(action="enrollment.enrolled").exists()
    delivery = WebhookDelivery.objects.get(event="seat.enrolled")
    assert delivery.status == "failed"
    attempt = delivery.attempts.get()
    assert attempt.status_code is None
    assert "Connection refused" in attempt.error
    assert not DBTaskResult.objects.filter(status="FAILED").exists()  # the task did its job
