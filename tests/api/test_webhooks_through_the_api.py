"""Webhook endpoints through the API: staff only; the secret shown once; a bad address
refused naming `url`; a delivery given up sent again."""

from __future__ import annotations

from typing import Any

import pytest

from pathwise.auditlog.models import AuditEntry
from pathwise.notifications.models import WebhookDelivery, WebhookEndpoint
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db

HOOK = {"url": "https://receiver.example/hooks", "events": ["seat.enrolled"]}


@pytest.fixture
def endpoint(staff_api: Api) -> dict[str, Any]:
    response = staff_api.post("/api/v1/webhooks/", HOOK)
    assert response.status_code == 201, response.content
    made: dict[str, Any] = response.json()
    return made


def test_registering_answers_the_secret_once_and_never_again(
        staff_api: Api, endpoint: dict[str, Any]) -> None:
    assert endpoint["secret"].startswith("whsec_")
    assert endpoint["secret"] == WebhookEndpoint.objects.get(pk=endpoint["id"]).secret
    one = staff_api.get(f"/api/v1/webhooks/{endpoint['id']}/").json()
    assert "secret" not in one
    assert one["url"] == HOOK["url"]
    assert all("secret" not in e for e in staff_api.get("/api/v1/webhooks/").json()["results"])
    rotated = staff_api.post(f"/api/v1/webhooks/{endpoint['id']}/rotate-secret/").json()
    assert rotated["secret"] not in ("", endpoint["secret"])


@pytest.mark.parametrize(("body", "field"), [
    ({"url": "ftp://receiver.example/hooks", "events": ["seat.enrolled"]}, "url"),
    ({"url": "https://", "events": ["seat.enrolled"]}, "url"),
    ({"url": "https://receiver.example/hooks", "events": ["seat.eaten"]}, "events"),
])
def test_a_bad_address_or_event_is_refused_naming_the_field(
        staff_api: Api, body: dict[str, Any], field: str) -> None:
    response = staff_api.post("/api/v1/webhooks/", body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("ada_api", 403),
                                            ("staff_reader", 403)])
def test_only_staff_with_a_write_token_register(who: str, status: int,
                                                request: pytest.FixtureRequest) -> None:
    api: Api = request.getfixturevalue(who)
    assert api.post("/api/v1/webhooks/", HOOK).status_code == status
    assert not WebhookEndpoint.objects.exists()


def test_participants_and_strangers_see_no_endpoints(
        endpoint: dict[str, Any], ada_api: Api, anonymous: Api, staff_reader: Api) -> None:
    assert ada_api.get("/api/v1/webhooks/").status_code == 403
    assert ada_api.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries/").status_code == 403
    assert anonymous.get("/api/v1/webhooks/").status_code == 401
    assert staff_reader.get(f"/api/v1/webhooks/{endpoint['id']}/").status_code == 200
    assert staff_reader.call("DELETE", f"/api/v1/webhooks/{endpoint['id']}/").status_code == 403


def test_a_delivery_given_up_is_sent_again_with_its_attempts_listed(
        staff_api: Api, endpoint: dict[str, Any]) -> None:
    base = f"/api/v1/webhooks/{endpoint['id']}"
    ping = staff_api.post(f"{base}/ping/")
    assert ping.status_code == 202, ping.content
    assert staff_api.post(f"{base}/disable/", {"reason": "moving"}).json()["active"] is False
    delivery = staff_api.get(f"{base}/deliveries/").json()["results"][0]
    assert (delivery["id"], delivery["status"]) == (ping.json()["id"], "gave_up")
    assert delivery["attempts"] == []
    refused = staff_api.post(f"{base}/deliveries/{delivery['id']}/send-again/")
    assert refused.status_code == 422
    assert "enable it before sending again" in refused.json()["detail"]
    assert staff_api.post(f"{base}/enable/").json()["active"] is True
    again = staff_api.post(f"{base}/deliveries/{delivery['id']}/send-again/")
    assert again.status_code == 202, again.content
    assert WebhookDelivery.objects.get(pk=delivery["id"]).status == "pending"
    assert AuditEntry.objects.filter(action="webhook.redelivered").count() == 1


def test_deleting_an_endpoint_removes_it(staff_api: Api, endpoint: dict[str, Any]) -> None:
    assert staff_api.call("DELETE", f"/api/v1/webhooks/{endpoint['id']}/").status_code == 204
    assert staff_api.get(f"/api/v1/webhooks/{endpoint['id']}/").status_code == 404
    assert AuditEntry.objects.filter(action="webhook.deleted").count() == 1
