"""`pathwise webhooks list|add|disable`: the same actions as the staff pages, audited."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pathwise.auditlog.models import AuditEntry
from pathwise.cli import main
from pathwise.notifications.models import WebhookEndpoint

pytestmark = pytest.mark.django_db(transaction=True)


def run(capsys: Any, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_and_disable_an_endpoint_on_the_command_line(capsys: Any) -> None:
    code, out, _ = run(capsys, "webhooks", "add", "https://crm.example.org/in",
                       "--event", "seat.enrolled", "--event", "credential.issued",
                       "--actor", "ops")
    assert code == 0
    added = json.loads(out)
    endpoint = WebhookEndpoint.objects.get()
    assert added["secret"] == endpoint.secret
    assert added["events"] == ["seat.enrolled", "credential.issued"]

    code, out, _ = run(capsys, "webhooks", "list")
    assert code == 0
    assert json.loads(out) == [{"id": endpoint.pk, "url": "https://crm.example.org/in",
                                "events": ["seat.enrolled", "credential.issued"],
                                "active": True, "disabled_reason": None}]
    assert endpoint.secret not in out

    code, out, _ = run(capsys, "webhooks", "disable", str(endpoint.pk), "--reason", "retired",
                       "--actor", "ops")
    assert code == 0
    assert json.loads(out)["active"] is False
    assert [(e.action, e.actor_label) for e in AuditEntry.objects.order_by("at", "id")] == [
        ("webhook.registered", "ops"), ("webhook.disabled", "ops")]


def test_a_bad_address_an_unknown_event_or_endpoint_ends_in_one_line(capsys: Any) -> None:
    code, _, err = run(capsys, "webhooks", "add", "file:///etc/passwd", "--event",
                       "seat.enrolled")
    assert code == 2
    assert "must start with https:// or http://" in err
    code, _, err = run(capsys, "webhooks", "add", "https://example.org/", "--event", "nope")
    assert code == 2
    assert "'nope' is not an event" in err
    code, _, err = run(capsys, "webhooks", "disable", "404")
    assert (code, err.strip()) == (2, "pathwise webhooks: no webhook endpoint 404")
    assert not WebhookEndpoint.objects.exists()
