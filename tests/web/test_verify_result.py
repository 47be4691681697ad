"""A verified credential says whose it is and when it was earned; one that does not verify, or
comes from an issuer this site does not trust, says nothing of the kind."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.core.credentials.keys import KeyPair
from pathwise.core.credentials.proof import sign
from pathwise.credentials.actions import revoke
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants import models as m
from tests.builders import make_records_file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rosalind(import_files: Callable[..., list[str]], settings: Any,
             tmp_path: Any) -> m.Participant:
    settings.DATA_DIR = tmp_path
    settings.BASE_URL = "https://pathwise.test"
    import_files(make_records_file(participant={"id": "P-100", "name": "Rosalind Franklin",
                                                "timezone": "America/Los_Angeles"}))
    run_ready_tasks()
    return m.Participant.objects.get(public_id="P-100")


def whose(html: str) -> str:
    start = html.index("data-whose")
    return html[start:html.index("</p>", start)]


def test_a_valid_credential_names_its_holder_and_the_day_it_was_earned(
    rosalind: m.Participant,
) -> None:
    code = rosalind.credentials.get(achievement="CODE")
    html = Client().post("/verify/", {"credential": code.document}).content.decode()
    assert 'data-verdict="valid"' in html
    line = whose(html)
    assert "<strong data-achievement>Content Design</strong>" in line
    assert "<strong data-holder>Rosalind Franklin</strong>" in line
    # The day earned (5 Dec 2023), not moved to the day before by a zone west of UTC.
    assert "<strong data-earned>Tue 5 Dec 2023</strong>" in line
    # The credential's own page says the same.
    page = Client().get(f"/credentials/{code.pk}").content.decode()
    assert "<strong data-holder>Rosalind Franklin</strong>" in whose(page)


def test_a_revoked_credential_still_says_whose_it_was(rosalind: m.Participant) -> None:
    final = rosalind.credentials.get(achievement="cscce-cm")
    revoke(final, "issued in error", Actor("sam"), timezone.now())
    html = Client().post("/verify/", {"credential": final.document}).content.decode()
    assert 'data-verdict="revoked"' in html
    assert "Rosalind Franklin" in whose(html)
    assert "Thu 1 Aug 2024" in whose(html)


def test_a_changed_or_stranger_signed_credential_names_no_holder(
    rosalind: m.Participant,
) -> None:
    document = rosalind.credentials.get(achievement="CODE").document
    changed = Client().post("/verify/", {"credential": document.replace("Rosalind", "Eve")})
    assert 'data-verdict="invalid"' in changed.content.decode()
    assert "data-whose" not in changed.content.decode()
    stranger = KeyPair.generate()
    forged = {k: v for k, v in json.loads(document).items()
              if k not in ("proof", "credentialStatus")}
    forged["issuer"] = {**forged["issuer"], "id": stranger.did_key}
    html = Client().post("/verify/", {"credential": json.dumps(sign(forged, stranger))})
    assert 'data-verdict="untrusted"' in html.content.decode()
    assert "data-whose" not in html.content.decode()

