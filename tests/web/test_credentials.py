"""Credentials: issued in the background, verified offline, revoked, baked, certificates."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult
from PIL import Image
from pypdf import PdfReader

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.core.credentials.bake import BakingError, extract
from pathwise.core.credentials.keys import KeyPair, KeyStore
from pathwise.core.credentials.openbadges import schema_errors
from pathwise.core.credentials.proof import sign
from pathwise.core.when import moment_text
from pathwise.credentials.actions import issue_earned, revoke
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants import models as m
from pathwise.participants.actions import give_login
from tests.builders import make_records_file
from tests.conftest import signed_in

# Transactional, so that the worker runs the issuing tasks after a real commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    settings.BASE_URL = "https://pathwise.test"


@pytest.fixture
def certified(import_files: Callable[..., list[str]]) -> m.Participant:
    data = make_records_file(participant={"id": "P-100", "name": "Rosalind Franklin",
                                          "timezone": "Europe/London",
                                          "email": "rosalind@example.org"})
    import_files(data)
    run_ready_tasks()
    return m.Participant.objects.get(public_id="P-100")


def test_importing_records_queues_issuing_and_the_worker_signs_each_badge_once(
    certified: m.Participant,
) -> None:
    # The signing, then the one e-mail naming the badges it issued.
    assert list(DBTaskResult.objects.values_list("task_path", "status")) == [
        ("pathwise.credentials.tasks.issue_credentials", "SUCCESSFUL"),
        ("pathwise.notifications.mail.send_email", "SUCCESSFUL")]
    achievements = sorted(c.achievement for c in certified.credentials.all())
    assert achievements == ["CODE", "NOC", "PBK", "cscce-cm"]
    for credential in certified.credentials.all():
        assert schema_errors(json.loads(credential.document)) == []
    assert issue_earned(certified, timezone.now()) == []  # idempotent
    assert AuditEntry.objects.filter(action="credential.issued").count() == 4


def test_the_public_page_says_valid_then_revoked_after_staff_revoke(
    certified: m.Participant, staff: Any
) -> None:
    final = certified.credentials.get(achievement="cscce-cm")
    page = Client().get(f"/credentials/{final.pk}").content.decode()
    assert 'data-verdict="valid"' in page
    assert "Rosalind Franklin" in page

    signed_in("sam", "staff-password-1").post(
        f"/staff/credentials/{final.pk}/", {"action": "revoke", "reason": "issued in error"})
    final.refresh_from_db()
    assert final.revoked
    assert final.revoked_by == "sam"
    assert 'data-verdict="revoked"' in Client().get(f"/credentials/{final.pk}").content.decode()
    entry = AuditEntry.objects.get(action="credential.revoked")
    assert entry.new_value == {"reason": "issued in error"}

    # The status list, served at its stable URL, has the credential's bit set.
    status_url = json.loads(final.document)["credentialStatus"]["statusListCredential"]
    served = Client().get(status_url.removeprefix("https://pathwise.test")).json()
    assert served["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]


def test_revoking_needs_a_reason(certified: m.Participant, staff: Any) -> None:
    credential = certified.credentials.first()
    assert credential is not None
    response = signed_in("sam", "staff-password-1").post(
        f"/staff/credentials/{credential.pk}/", {"action": "revoke", "reason": " "}, follow=True)
    assert "say why the credential is revoked" in response.content.decode()
    credential.refresh_from_db()
    assert not credential.revoked


def test_anyone_can_paste_a_credential_and_a_changed_one_is_not_valid(
    certified: m.Participant,
) -> None:
    document = certified.credentials.get(achievement="CODE").document
    ok = Client().post("/verify/", {"credential": document}).content.decode()
    assert 'data-verdict="valid"' in ok
    tampered = document.replace("Rosalind Franklin", "Rosalind Frankl1n")
    bad = Client().post("/verify/", {"credential": tampered}).content.decode()
    assert 'data-verdict="invalid"' in bad
    broken = Client().post("/verify/", {"credential": "{not json"})
    assert broken.status_code == 400
    assert "not JSON" in broken.content.decode()


def test_baked_badges_carry_the_credential_and_verify_when_uploaded(
    certified: m.Participant,
) -> None:
    credential = certified.credentials.get(achievement="PBK")
    for kind in ("png", "svg"):
        image = Client().get(f"/credentials/{credential.pk}/badge.{kind}").content
        assert extract(image) == credential.document
        upload = io.BytesIO(image)
        upload.name = f"badge.{kind}"
        page = Client().post("/verify/", {"file": upload}).content.decode()
        assert 'data-verdict="valid"' in page


def test_the_certificate_names_the_holder_and_date(certified: m.Participant) -> None:
    final = certified.credentials.get(achievement="cscce-cm")
    pdf = Client().get(f"/credentials/{final.pk}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Rosalind Franklin" in text
    assert "CSCCE-certified scientific community manager" in text
    assert final.earned_on.strftime("%B %Y") in text
    course = certified.credentials.get(achievement="CODE")
    assert Client().get(f"/credentials/{course.pk}/certificate.pdf").status_code == 404


def test_the_participant_page_offers_downloads_and_linkedin(certified: m.Participant) -> None:
    give_login(certified, "rosalind", "rosalind-password-1", Actor("test"))
    page = signed_in("rosalind", "rosalind-password-1").get("/participants/P-100/")
    html = page.content.decode()
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in html
    assert "Certificate (PDF)" in html
    assert html.count("Badge image (PNG)") == 4


def test_staff_reissue_with_a_new_key_and_old_credentials_still_verify(
    certified: m.Participant, staff: Any, settings: Any
) -> None:
    code, pbk = (certified.credentials.get(achievement=a) for a in ("CODE", "PBK"))
    old_key = code.signed_with
    KeyStore(settings.DATA_DIR).rotate()
    signed_in("sam", "staff-password-1").post(f"/staff/credentials/{code.pk}/",
                                              {"action": "reissue"})
    code.refresh_from_db()
    assert code.signed_with != old_key
    assert 'data-verdict="valid"' in Client().get(f"/credentials/{code.pk}").content.decode()
    # PBK was signed with the old key, which rotation kept.
    assert pbk.signed_with == old_key
    assert 'data-verdict="valid"' in Client().get(f"/credentials/{pbk.pk}").content.decode()
    assert AuditEntry.objects.filter(action="credential.reissued", actor_label="sam").exists()


# -- who is trusted -------------------------------------------------------------------

ISSUER_NAME = "Center for Scientific Collaboration and Community Engagement (CSCCE)"


def signed_by_a_stranger(document: str) -> tuple[dict[str, Any], str]:
    """Our credential, every word kept (issuer name included), re-signed by someone's own
    did:key that names itself as the issuer: a good signature, but not ours. (Without our
    status entry: a list of ours never vouches for another issuer's credential.)"""
    stranger = KeyPair.generate()
    forged = {k: v for k, v in json.loads(document).items()
              if k not in ("proof", "credentialStatus")}
    forged["issuer"] = {**forged["issuer"], "id": stranger.did_key}
    return sign(forged, stranger), stranger.did_key


def test_a_good_signature_by_an_issuer_this_site_does_not_trust_is_not_valid(
    certified: m.Participant,
) -> None:
    forged, did = signed_by_a_stranger(certified.credentials.get(achievement="CODE").document)
    page = Client().post("/verify/", {"credential": json.dumps(forged)}).content.decode()
    assert 'data-verdict="untrusted"' in page
    assert 'data-verdict="valid"' not in page
    assert "signed correctly, but by an issuer this site does not recognise" in page
    assert f"<code data-issuer>{did}</code>" in page
    # The name the credential gives its issuer is not shown as the issuer's.
    assert ISSUER_NAME not in page


def test_an_issuer_named_in_the_settings_is_trusted_but_named_only_by_its_did(
    certified: m.Participant, settings: Any,
) -> None:
    forged, did = signed_by_a_stranger(certified.credentials.get(achievement="CODE").document)
    settings.TRUSTED_ISSUERS = (did,)
    page = Client().post("/verify/", {"credential": json.dumps(forged)}).content.decode()
    assert 'data-verdict="valid"' in page
    assert f"issued by <code>{did}</code>" in page
    assert ISSUER_NAME not in page


def test_our_own_credential_names_its_issuer_from_the_program_data(
    certified: m.Participant,
) -> None:
    credential = certified.credentials.get(achievement="CODE")
    page = Client().post("/verify/", {"credential": credential.document}).content.decode()
    assert 'data-verdict="valid"' in page
    assert f"issued by {ISSUER_NAME}" in page
    assert f'href="/credentials/{credential.pk}"' in page


def test_credentials_signed_with_a_rotated_key_stay_trusted(
    certified: m.Participant, settings: Any,
) -> None:
    KeyStore(settings.DATA_DIR).rotate()
    document = certified.credentials.get(achievement="PBK").document
    page = Client().post("/verify/", {"credential": document}).content.decode()
    assert 'data-verdict="valid"' in page


def test_a_did_web_deployment_trusts_its_did_web(
    certified: m.Participant, settings: Any, staff: Any,
) -> None:
    settings.DID_WEB = "did:web:pathwise.test"
    code = certified.credentials.get(achievement="CODE")
    signed_in("sam", "staff-password-1").post(f"/staff/credentials/{code.pk}/",
                                              {"action": "reissue"})
    code.refresh_from_db()
    document = json.loads(code.document)
    assert document["issuer"]["id"] == "did:web:pathwise.test"
    page = Client().post("/verify/", {"credential": code.document}).content.decode()
    assert 'data-verdict="valid"' in page
    assert f"issued by {ISSUER_NAME}" in page


# -- revoked credentials ---------------------------------------------------------------


def test_a_revoked_credential_shows_why_and_when_and_hands_out_no_badge_or_certificate(
    certified: m.Participant, staff: Any,
) -> None:
    final = certified.credentials.get(achievement="cscce-cm")
    assert Client().get(f"/credentials/{final.pk}/badge.png").status_code == 200
    signed_in("sam", "staff-password-1").post(
        f"/staff/credentials/{final.pk}/", {"action": "revoke", "reason": "plagiarised capstone"})
    final.refresh_from_db()
    assert final.revoked_at is not None
    when = moment_text(final.revoked_at, "UTC")  # the one way every moment is written

    page = Client().get(f"/credentials/{final.pk}").content.decode()
    assert 'data-verdict="revoked"' in page
    assert f"Revoked on {when}" in page
    assert when.endswith("(UTC)")
    assert "plagiarised capstone" in page
    assert f"/credentials/{final.pk}/badge.png" not in page
    assert f"/credentials/{final.pk}/certificate.pdf" not in page

    for path in ("badge.png", "badge.svg", "certificate.pdf"):
        response = Client().get(f"/credentials/{final.pk}/{path}")
        assert response.status_code == 410, path
        assert response["Content-Type"].startswith("text/html")
        body = response.content.decode()
        assert "plagiarised capstone" in body
        assert when in body

    # Pasted, it reads revoked with the same reason.
    pasted = Client().post("/verify/", {"credential": final.document}).content.decode()
    assert 'data-verdict="revoked"' in pasted
    assert "plagiarised capstone" in pasted


def test_the_revocation_time_is_shown_in_the_viewers_zone(
    certified: m.Participant,
) -> None:
    final = certified.credentials.get(achievement="cscce-cm")
    revoke(final, "issued in error", Actor("sam"),
           dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC))
    give_login(certified, "rosalind", "rosalind-password-1", Actor("test"))
    page = signed_in("rosalind", "rosalind-password-1").get(
        f"/credentials/{final.pk}").content.decode()
    assert "Revoked on Thu 2 Jul 2026, 00:30 (Europe/London, BST)" in page


# -- achievements a badge links to -------------------------------------------------------


def test_the_achievement_and_image_a_badge_links_to_are_served(
    certified: m.Participant,
) -> None:
    document = json.loads(certified.credentials.get(achievement="CODE").document)
    achievement = document["credentialSubject"]["achievement"]
    page = Client().get(achievement["id"].removeprefix("https://pathwise.test"))
    assert page.status_code == 200
    html = page.content.decode()
    for text in (achievement["name"], achievement["description"],
                 achievement["criteria"]["narrative"], ISSUER_NAME):
        assert escape(text) in html

    image = Client().get(achievement["image"]["id"].removeprefix("https://pathwise.test"))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).size == (400, 400)
    with pytest.raises(BakingError):
        extract(image.content)  # the artwork alone: nobody's credential is in it

    final = json.loads(certified.credentials.get(achievement="cscce-cm").document)
    assert Client().get(final["credentialSubject"]["achievement"]["id"].removeprefix(
        "https://pathwise.test")).status_code == 200


@pytest.mark.parametrize("path", ["/achievements/cscce-cm/QSS", "/achievements/cscce-cm/NOPE",
                                  "/achievements/nope/CODE", "/achievements/nope/CODE/image.png"])
def test_achievements_that_do_not_exist_are_not_found(certified: m.Participant,
                                                      path: str) -> None:
    assert Client().get(path).status_code == 404


# -- hostile input on the public page ------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"a":' * 40 + "1" + "}" * 40, "nested too deeply (more than 32 levels)"),
    ('{"proof": [], "n": ' + "7" * 5000 + "}", "a number with 5,000 digits"),
    ('{"n": 1e999}', "a number too large to read"),
    ('{"n": NaN}', "NaN is not a JSON value"),
    ('{"pad": "' + "x" * 300_000 + '"}', "the credential is too large"),
])
def test_hostile_json_gets_a_clear_message_not_a_server_error(
    db: None, text: str, message: str
) -> None:
    response = Client().post("/verify/", {"credential": text})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_hostile_file_upload_gets_a_clear_message(db: None) -> None:
    upload = io.BytesIO(b'{"n": ' + b"9" * 5000 + b"}")
    upload.name = "big.json"
    response = Client().post("/verify/", {"file": upload})
    assert response.status_code == 400
    assert "a number with 5,000 digits" in response.content.decode()


def test_a_flood_of_proofs_is_refused_before_any_is_checked(certified: m.Participant) -> None:
    document = json.loads(certified.credentials.get(achievement="CODE").document)
    flood = {**document, "proof": document["proof"] * 100}
    response = Client().post("/verify/", {"credential": json.dumps(flood)})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-verdict="invalid"' in page
    assert "the credential has 100 proofs; at most 8 are checked" in page
