"""The public verification page in a real browser: valid, revoked, tampered, unknown issuer."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.core.credentials.keys import KeyPair
from pathwise.core.credentials.proof import sign
from pathwise.credentials.actions import revoke
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants import models as m
from tests.builders import make_records_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def credentials(import_files: Callable[..., list[str]], settings: Any,
                tmp_path: Any) -> m.Participant:
    settings.DATA_DIR = tmp_path
    import_files(make_records_file())
    run_ready_tasks()
    return m.Participant.objects.get(public_id="P-001")


def test_valid_revoked_and_tampered_credentials_read_as_such(
    page: Any, live_server: Any, credentials: m.Participant
) -> None:
    code, final = (credentials.credentials.get(achievement=a) for a in ("CODE", "cscce-cm"))

    page.goto(f"{live_server.url}/credentials/{code.pk}")
    assert page.locator("[data-verdict]").get_attribute("data-verdict") == "valid"
    assert "Valid" in page.get_by_role("heading", level=2).first.inner_text()
    assert "Ada Lovelace" in page.inner_text("main")

    revoke(final, "issued in error", Actor("sam"), timezone.now())
    page.goto(f"{live_server.url}/credentials/{final.pk}")
    assert page.locator("[data-verdict]").get_attribute("data-verdict") == "revoked"

    page.goto(f"{live_server.url}/verify/")
    page.get_by_label("Credential JSON").fill(code.document.replace("Ada", "Eve"))
    page.get_by_role("button", name="Verify").click()
    assert page.locator("[data-verdict]").get_attribute("data-verdict") == "invalid"
    assert "Not valid" in page.inner_text("main")


def test_a_stranger_signed_credential_reads_unknown_issuer_and_a_revoked_one_says_why(
    page: Any, live_server: Any, credentials: m.Participant
) -> None:
    code, final = (credentials.credentials.get(achievement=a) for a in ("CODE", "cscce-cm"))
    stranger = KeyPair.generate()
    forged = {k: v for k, v in json.loads(code.document).items()
              if k not in ("proof", "credentialStatus")}
    forged["issuer"] = {**forged["issuer"], "id": stranger.did_key}

    page.goto(f"{live_server.url}/verify/")
    page.get_by_label("Credential JSON").fill(json.dumps(sign(forged, stranger)))
    page.get_by_role("button", name="Verify").click()
    assert page.locator("[data-verdict]").get_attribute("data-verdict") == "untrusted"
    verdict = page.locator("[data-verdict]").inner_text()
    assert "signed correctly, but by an issuer this site does not recognise" in verdict
    assert stranger.did_key in verdict

    revoke(final, "issued in error", Actor("sam"), timezone.now())
    page.goto(f"{live_server.url}/credentials/{final.pk}")
    assert "issued in error" in page.locator("[data-verdict]").inner_text()
    assert page.get_by_role("link", name="Badge (PNG)").count() == 0
