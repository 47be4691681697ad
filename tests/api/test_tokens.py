"""API tokens: made on the staff page or with `pathwise api-token`, shown once, kept only as
a hash, audited, and refused once revoked."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest

from pathwise.api.actions import create_token
from pathwise.api.models import ApiToken
from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.cli import main
from pathwise.participants import models as m
from tests.api.conftest import Api
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_staff_create_a_token_on_the_page_and_it_is_shown_once(staff: Any,
                                                               grace: m.Participant) -> None:
    page = signed_in("sam", "staff-password-1")
    assert 'href="/staff/api-tokens/"' in page.get("/staff/participants/").content.decode()
    made = page.post("/staff/api-tokens/", {"username": "grace", "scope": "read"})
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    token = re.search(r"<code data-token>(pw_[^<]+)</code>", made.content.decode())
    assert token is not None
    plain = token.group(1)
    row = ApiToken.objects.get()
    assert row.digest == hashlib.sha256(plain.encode()).hexdigest()
    assert plain not in json.dumps([list(r) for r in ApiToken.objects.values_list()],
                                   default=str)
    assert plain.startswith(row.prefix)
    listed = page.get("/staff/api-tokens/").content.decode()
    assert plain not in listed
    assert row.prefix in listed
    assert "never" in listed  # not used yet

    assert Api(plain).get("/api/v1/participants/P-002/").status_code == 200
    assert "never" not in page.get("/staff/api-tokens/").content.decode()
    entry = AuditEntry.objects.get(action="api_token.created")
    assert entry.actor_label == "sam"
    assert entry.new_value == {"user": "grace", "scope": "read", "prefix": row.prefix}


def test_a_revoked_token_is_refused_with_a_problem(staff: Any, grace: m.Participant) -> None:
    row, plain = create_token(grace.user, "write", Actor("test"))
    assert Api(plain).get("/api/v1/seats/").status_code == 200
    page = signed_in("sam", "staff-password-1")
    listed = page.get("/staff/api-tokens/").content.decode()
    assert f'href="/staff/api-tokens/{row.pk}/revoke/"' in listed
    asked = page.get(f"/staff/api-tokens/{row.pk}/revoke/")  # asks first, changes nothing
    assert "This is permanent" in asked.content.decode()
    assert Api(plain).get("/api/v1/seats/").status_code == 200
    assert page.post(f"/staff/api-tokens/{row.pk}/revoke/").status_code == 302
    refused = Api(plain).get("/api/v1/seats/")
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert "revoked" in refused.json()["detail"]
    assert AuditEntry.objects.filter(action="api_token.revoked", actor_label="sam").exists()


def test_only_staff_see_the_token_page(grace_client: Any) -> None:
    assert grace_client.get("/staff/api-tokens/").status_code == 403
    assert grace_client.post("/staff/api-tokens/", {"username": "grace",
                                                     "scope": "write"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_an_unknown_or_garbled_token_is_refused(grace: m.Participant) -> None:
    assert Api("pw_nothing-like-it").get("/api/v1/seats/").status_code == 401
    assert Api("two words").get("/api/v1/seats/").status_code == 401


def test_the_cli_prints_a_token_once_lists_it_and_revokes_it(
    grace: m.Participant, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["api-token", "create", "grace", "--scope", "write", "--actor", "ops"]) == 0
    plain = capsys.readouterr().out.strip()
    assert re.fullmatch(r"pw_[A-Za-z0-9_-]{43}", plain)
    row = ApiToken.objects.get()
    assert row.scope == "write"
    assert row.digest == hashlib.sha256(plain.encode()).hexdigest()
    assert AuditEntry.objects.get(action="api_token.created").actor_label == "ops"

    assert main(["api-token", "list"]) == 0
    listed = capsys.readouterr().out
    assert plain not in listed
    assert json.loads(listed)[0]["prefix"] == row.prefix

    assert Api(plain).post("/api/v1/demand-requests/", {
        "component": "PBK", "days": ["MO"], "start": "18:00", "end": "20:00"}).status_code == 201
    assert main(["api-token", "revoke", row.prefix]) == 0
    assert Api(plain).get("/api/v1/seats/").status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoked").count() == 1


def test_the_cli_refuses_an_unknown_user_in_one_line(
    db: None, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["api-token", "create", "nobody"]) == 2
    assert capsys.readouterr().err == "pathwise api-token: no user 'nobody'\n"
    assert not ApiToken.objects.exists()
