"""Every signed copy of a credential stays revocable: re-issuing keeps each copy's status entry."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.cli import main
from pathwise.core.credentials.keys import KeyStore
from pathwise.core.credentials.statuslist import StatusList
from pathwise.credentials.actions import reissue, revoke
from pathwise.credentials.models import Credential
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants import models as m
from tests.builders import make_records_file
from tests.conftest import signed_in

BASE = "https://pathwise.test"


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
    settings.BASE_URL = BASE


@pytest.fixture
def certified(import_files: Callable[..., list[str]]) -> m.Participant:
    import_files(make_records_file())
    run_ready_tasks()
    return m.Participant.objects.get(public_id="P-001")


def served_status_list(document: dict[str, Any]) -> dict[str, Any]:
    url = document["credentialStatus"]["statusListCredential"]
    response = Client().get(url.removeprefix(BASE))
    assert response.status_code == 200, url
    result: dict[str, Any] = response.json()
    return result


@pytest.fixture
def cli_verify(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               capsys: Any) -> Callable[[dict[str, Any], dict[str, Any]], tuple[int, Any]]:
    """`pathwise verify COPY --status-list LIST` with the deployment's data directory."""

    def run(document: dict[str, Any], status: dict[str, Any]) -> tuple[int, Any]:
        monkeypatch.setenv("PATHWISE_DATA_DIR", str(settings.DATA_DIR))
        monkeypatch.setenv("PATHWISE_BASE_URL", BASE)
        copy_file, list_file = tmp_path / "copy.json", tmp_path / "list.json"
        copy_file.write_text(json.dumps(document), encoding="utf-8")
        list_file.write_text(json.dumps(status), encoding="utf-8")
        capsys.readouterr()
        code = main(["verify", str(copy_file), "--status-list", str(list_file)])
        return code, json.loads(capsys.readouterr().out)

    return run


@pytest.mark.django_db(transaction=True)  # the worker runs its tasks after real commits
def test_sign_rotate_reissue_revoke_and_both_copies_read_revoked_everywhere(
    certified: m.Participant, staff: Any,
    cli_verify: Callable[[dict[str, Any], dict[str, Any]], tuple[int, Any]],
) -> None:
    code = certified.credentials.get(achievement="CODE")
    first = json.loads(code.document)  # the copy the holder downloaded and keeps showing
    KeyStore(settings.DATA_DIR).rotate()
    signed_in("sam", "staff-password-1").post(f"/staff/credentials/{code.pk}/",
                                              {"action": "reissue"})
    second = json.loads(code.document)
    assert second["proof"][0]["verificationMethod"] != first["proof"][0]["verificationMethod"]
    assert second["id"] == first["id"]
    assert (second["credentialStatus"]["statusListCredential"]
            != first["credentialStatus"]["statusListCredential"])
    assert code.copies.count() == 2

    # Before revoking, both copies verify, on the page, pasted, and with the CLI.
    page = Client().get(f"/credentials/{code.pk}").content.decode()
    assert page.count('data-copy-state="valid"') == 2
    for copy in (first, second):
        pasted = Client().post("/verify/", {"credential": json.dumps(copy)}).content.decode()
        assert 'data-verdict="valid"' in pasted
        exit_code, result = cli_verify(copy, served_status_list(copy))
        assert (exit_code, result["verified"]) == (0, True), result

    signed_in("sam", "staff-password-1").post(
        f"/staff/credentials/{code.pk}/", {"action": "revoke", "reason": "issued in error"})

    page = Client().get(f"/credentials/{code.pk}").content.decode()
    assert 'data-verdict="revoked"' in page
    assert page.count('data-copy-state="revoked"') == 2
    for copy in (first, second):
        pasted = Client().post("/verify/", {"credential": json.dumps(copy)}).content.decode()
        assert 'data-verdict="revoked"' in pasted, copy["proof"][0]["verificationMethod"]
        exit_code, result = cli_verify(copy, served_status_list(copy))
        assert exit_code == 1
        assert any(e.startswith("revoked: ") for e in result["errors"]), result


@pytest.mark.django_db(transaction=True)  # the worker runs its tasks after real commits
def test_reissuing_with_the_same_key_gives_the_new_copy_its_own_entry(
    certified: m.Participant,
) -> None:
    code = certified.credentials.get(achievement="CODE")
    before = json.loads(code.document)["credentialStatus"]
    reissue(code, Actor("sam"), timezone.now())
    after = json.loads(code.document)["credentialStatus"]
    assert after["statusListCredential"] == before["statusListCredential"]
    assert after["statusListIndex"] != before["statusListIndex"]
    entry = AuditEntry.objects.get(action="credential.reissued")
    assert entry.old_value["status_index"] == int(before["statusListIndex"])
    assert entry.new_value["status_index"] == int(after["statusListIndex"])
    revoke(code, "issued in error", Actor("sam"), timezone.now())
    listed = served_status_list(json.loads(code.document))
    bits = StatusList.decode(listed["credentialSubject"]["encodedList"])
    assert bits.revoked() == sorted([int(before["statusListIndex"]),
                                     int(after["statusListIndex"])])


@pytest.mark.django_db(transaction=True)  # the worker runs its tasks after real commits
def test_every_key_in_the_store_publishes_a_status_list(certified: m.Participant,
                                                       settings: Any) -> None:
    store = KeyStore(settings.DATA_DIR)
    old = store.current()
    new = store.rotate()
    for key in (old, new):
        response = Client().get(f"/credentials/status/{key.public_multikey}")
        assert response.status_code == 200
        assert response.json()["issuer"] == key.did_key
    assert Client().get("/credentials/status/z6MkNotOurs").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_each_credential_and_recovers_copies_a_reissue_replaced(
    settings: Any,
) -> None:
    """Before copies were rows, a re-issue overwrote the document and key but kept the
    status index; the audit log names the key it replaced. Migrating gives that earlier
    copy its row back, so revoking reaches it."""
    executor = MigrationExecutor(connection)
    before = [("credentials", "0001_initial"), ("participants", "0002_enrollment_intake"),
              ("auditlog", "0001_initial")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    participant = old.get_model("participants", "Participant").objects.create(
        public_id="P-900", name="Old Timer", timezone="UTC")
    credential_id = uuid.uuid4()
    entries = old.get_model("auditlog", "AuditEntry").objects
    entries.create(actor_label="issuer", action="credential.issued", target_type="credential",
                   target_id=str(credential_id), new_value={"achievement": "CODE"})
    entries.create(actor_label="sam", action="credential.reissued", target_type="credential",
                   target_id=str(credential_id), old_value={"signed_with": "z6MkFirst"},
                   new_value={"signed_with": "z6MkSecond"})
    # as a re-issue left it: the new key and document, the same index, the re-issue's time
    reissued_at = timezone.now()
    old.get_model("credentials", "Credential").objects.create(
        id=credential_id, participant=participant, achievement="CODE",
        earned_on=reissued_at.date(), status_index=41, document='{"id": "latest"}',
        signed_with="z6MkSecond", issued_at=reissued_at, issued_by="sam")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    migrated = Credential.objects.get(pk=credential_id)
    copies = list(migrated.copies.order_by("signed_at", "id"))
    assert [(c.signed_with, c.status_index, c.document, c.signed_by) for c in copies] == [
        ("z6MkFirst", 41, "", "issuer"), ("z6MkSecond", 41, '{"id": "latest"}', "sam")]
    assert migrated.document == '{"id": "latest"}'
    assert migrated.issued_by == "issuer"  # the first signature, not the re-issue
