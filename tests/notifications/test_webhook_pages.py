"""Staff pages for webhooks, over HTTP: registering, the secret shown once, deliveries with
their attempts, sending again, pings, rotating, disabling and deleting, all audited."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.notifications.background import run_ready_tasks
from pathwise.notifications.models import WebhookDelivery, WebhookEndpoint
from pathwise.notifications.webhooks import notify, register_endpoint
from tests.conftest import signed_in
from tests.notifications.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sam(staff: Any) -> Client:
    return signed_in("sam", "staff-password-1")


def test_staff_register_an_endpoint_and_see_its_secret_once(sam: Client) -> None:
    response = sam.post("/staff/webhooks/", {
        "url": "https://crm.example.org/pathwise", "events": ["seat.enrolled",
                                                              "credential.issued"]})

    assert response.status_code == 201
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.url == "https://crm.example.org/pathwise"
    assert endpoint.events == ["seat.enrolled", "credential.issued"]
    assert endpoint.active
    assert endpoint.created_by == "sam"
    page = response.content.decode()
    assert endpoint.secret in page
    assert "shown only this once" in page
    assert response["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action="webhook.registered")
    assert (entry.actor_label, entry.target_id) == ("sam", str(endpoint.pk))
    assert endpoint.secret not in str(entry.new_value)

    listing = sam.get("/staff/webhooks/").content.decode()
    assert "https://crm.example.org/pathwise" in listing
    assert endpoint.secret not in listing
    assert endpoint.secret not in sam.get(f"/staff/webhooks/{endpoint.pk}/").content.decode()


@pytest.mark.parametrize(("url", "events", "message"), [
    ("ftp://files.example.org/in", ["seat.enrolled"], "must start with https:// or http://"),
    ("javascript:alert(1)", ["seat.enrolled"], "must start with https:// or http://"),
    ("https://", ["seat.enrolled"], "the address names no host"),
    ("https://user:pw@example.org/", ["seat.enrolled"], "leave the user name and password out"),
    ("https://example.org/" + "a" * 500, ["seat.enrolled"], "at most 500"),
    ("https://exa mple.org/", ["seat.enrolled"], "no spaces or line breaks"),
    ("", ["seat.enrolled"], "give the address to send to"),
    ("https://example.org/", [], "choose at least one event"),
    ("https://example.org/", ["seat.stolen"], "seat.stolen"),
])
def test_a_bad_address_or_event_is_refused_naming_the_problem_and_nothing_is_saved(
    sam: Client, url: str, events: list[str], message: str,
) -> None:
    response = sam.post("/staff/webhooks/", {"url": url, "events": events})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert message in page.replace("&#x27;", "'")
    assert not WebhookEndpoint.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="webhook.").exists()


def test_the_endpoint_page_lists_deliveries_with_each_attempt_and_sends_one_again(
    sam: Client, receiver: Receiver,
) -> None:
    endpoint = register_endpoint(receiver.url, ["seat.enrolled"], Actor("sam")).endpoint
    receiver.answer_with(500)
    with transaction.atomic():
        notify("seat.enrolled", "/api/v1/seats/12/", participant="P-001", seat=12,
               offering="CODE26A")
    run_ready_tasks()
    delivery = WebhookDelivery.objects.get()

    page = sam.get(f"/staff/webhooks/{endpoint.pk}/").content.decode()
    assert f'data-delivery="{delivery.pk}" data-status="failed"' in page
    assert "HTTP 500" in page
    assert " ms</li>" in page
    assert "Next attempt:" in page
    assert "Send again" in page

    response = sam.post(f"/staff/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/send-again/")
    assert response.status_code == 302
    run_ready_tasks()
    page = sam.get(f"/staff/webhooks/{endpoint.pk}/").content.decode()
    assert 'data-status="delivered"' in page
    assert "HTTP 200" in page
    assert page.count("data-attempt") == 2
    assert AuditEntry.objects.filter(action="webhook.redelivered", actor_label="sam").exists()


def test_a_test_ping_reaches_the_receiver_signed_with_the_new_secret_after_rotating(
    sam: Client, receiver: Receiver,
) -> None:
    made = register_endpoint(receiver.url, ["seat.enrolled"], Actor("sam"))
    base = f"/staff/webhooks/{made.endpoint.pk}"

    rotated = sam.post(f"{base}/do/", {"action": "rotate"})
    assert rotated.status_code == 200
    made.endpoint.refresh_from_db()
    assert made.endpoint.secret != made.secret
    assert made.endpoint.secret in rotated.content.decode()

    assert sam.post(f"{base}/do/", {"action": "ping"}).status_code == 302
    run_ready_tasks()

    [request] = receiver.requests
    assert request.headers["Pathwise-Event"] == "ping"
    stamp = request.headers["Pathwise-Timestamp"]
    expected = hmac.new(made.endpoint.secret.encode(), f"{stamp}.".encode() + request.body,
                        hashlib.sha256).hexdigest()
    assert request.headers["Pathwise-Signature"] == f"v1={expected}"
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="webhook.")
            .order_by("at", "id")] == ["webhook.registered", "webhook.secret_rotated",
                                       "webhook.pinged"]


def test_staff_disable_enable_and_delete_with_confirmation(sam: Client) -> None:
    endpoint = register_endpoint("https://example.org/in", ["seat.enrolled"],
                                 Actor("sam")).endpoint
    base = f"/staff/webhooks/{endpoint.pk}"

    sam.post(f"{base}/do/", {"action": "disable", "reason": "moving to a new CRM"})
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert endpoint.disabled_reason == "moving to a new CRM"
    assert "moving to a new CRM" in sam.get(f"{base}/").content.decode()
    sam.post(f"{base}/do/", {"action": "enable"})
    endpoint.refresh_from_db()
    assert endpoint.active

    confirm = sam.get(f"{base}/delete/")
    assert confirm.status_code == 200
    assert "This cannot be undone" in confirm.content.decode()
    assert WebhookEndpoint.objects.exists()
    response = sam.post(f"{base}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/webhooks/"
    assert not WebhookEndpoint.objects.exists()
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="webhook.")
            .order_by("at", "id")] == ["webhook.registered", "webhook.disabled",
                                       "webhook.enabled", "webhook.deleted"]
    assert AuditEntry.objects.get(action="webhook.deleted").old_value["url"] == (
        "https://example.org/in")


def test_the_webhook_pages_are_for_staff_only(grace_client: Client) -> None:
    endpoint = register_endpoint("https://example.org/in", ["seat.enrolled"],
                                 Actor("sam")).endpoint
    pages = ["/staff/webhooks/", f"/staff/webhooks/{endpoint.pk}/",
             f"/staff/webhooks/{endpoint.pk}/delete/"]
    for url in pages:
        assert grace_client.get(url).status_code == 403
        assert Client().get(url).status_code == 302
    assert grace_client.post("/staff/webhooks/", {"url": "https://evil.example/",
                                                  "events": ["seat.enrolled"]}
                             ).status_code == 403
    assert grace_client.post(f"/staff/webhooks/{endpoint.pk}/do/",
                             {"action": "rotate"}).status_code == 403
    assert grace_client.post(f"/staff/webhooks/{endpoint.pk}/delete/").status_code == 403
    assert WebhookEndpoint.objects.count() == 1
    assert WebhookEndpoint.objects.get().active
