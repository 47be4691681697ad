"""Offline verification: valid, tampered, revoked, expired, wrong issuer; keys and rotation."""

from __future__ import annotations

import copy
import datetime as dt
import stat
from pathlib import Path
from typing import Any

import pytest

from pathwise.core.credentials.issuer import (
    IssuerSettings,
    did_web_document,
    did_web_for,
    issue_credential,
    sign_status_list,
)
from pathwise.core.credentials.keys import KeyPair, KeyStore, KeyStoreError
from pathwise.core.credentials.openbadges import Holder
from pathwise.core.credentials.proof import sign
from pathwise.core.credentials.statuslist import StatusList
from pathwise.core.credentials.verify import verify_credential
from pathwise.core.program import Program

NOW = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
ADA = Holder("P-001", "Ada Lovelace", "ada@example.org")


def issue(program: Program, key: KeyPair, issuer: IssuerSettings, index: int = 5,
          earned_on: dt.date = dt.date(2024, 3, 5)) -> dict[str, Any]:
    return issue_credential(program, "CODE", ADA, earned_on=earned_on,
                            credential_uuid=f"uuid-{index}", status_index=index, key=key,
                            settings=issuer, created=NOW - dt.timedelta(days=1))


def status(key: KeyPair, issuer: IssuerSettings, *revoked: int) -> dict[str, Any]:
    return sign_status_list(StatusList.with_revoked(revoked), key=key, settings=issuer,
                            created=NOW - dt.timedelta(hours=1))


def test_a_fresh_credential_verifies_with_its_status_list(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    result = verify_credential(issue(program, key, issuer), now=NOW,
                               status_list=status(key, issuer, 4, 6))
    assert result.verified, result.errors
    assert result.revoked is False
    assert any(c.startswith("proof:") for c in result.checks)
    assert any("not revoked" in c for c in result.checks)
    assert result.to_json()["verified"] is True


def test_without_a_status_list_revocation_is_reported_unchecked(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    result = verify_credential(issue(program, key, issuer), now=NOW)
    assert result.verified
    assert result.revoked is None
    assert any("not checked" in c for c in result.checks)


def test_a_revoked_credential_is_reported_revoked(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    result = verify_credential(issue(program, key, issuer), now=NOW,
                               status_list=status(key, issuer, 5))
    assert not result.verified
    assert result.revoked is True
    assert any(e.startswith("revoked:") for e in result.errors)


def test_a_tampered_status_list_is_not_trusted(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    tampered = status(key, issuer, 5)
    tampered["credentialSubject"]["encodedList"] = StatusList().encode()
    result = verify_credential(issue(program, key, issuer), now=NOW, status_list=tampered)
    assert not result.verified
    assert any("status list credential does not verify" in e for e in result.errors)


def test_a_status_list_from_another_issuer_is_not_trusted(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    other = KeyPair.generate()
    foreign = status(other, issuer)
    foreign["id"] = issuer.status_list_url(key)
    foreign = sign({k: v for k, v in foreign.items() if k != "proof"}, other)
    result = verify_credential(issue(program, key, issuer), now=NOW, status_list=foreign)
    assert not result.verified
    assert any("another issuer" in e for e in result.errors)


def test_one_changed_character_fails(program: Program, key: KeyPair,
                                     issuer: IssuerSettings) -> None:
    tampered = copy.deepcopy(issue(program, key, issuer))
    tampered["credentialSubject"]["identifier"][1]["identityHash"] = "Ada Lovelacf"
    result = verify_credential(tampered, now=NOW)
    assert not result.verified
    assert any("does not match" in e for e in result.errors)


def test_issuer_must_control_the_signing_key(program: Program, key: KeyPair,
                                             issuer: IssuerSettings) -> None:
    credential = issue(program, key, issuer)
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    forged = sign(unsigned, KeyPair.generate())  # someone else's key, our issuer id
    result = verify_credential(forged, now=NOW)
    assert not result.verified
    assert any("controller of the verification method" in e for e in result.errors)


def test_dates_are_checked(program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    future = issue(program, key, issuer, earned_on=dt.date(2026, 6, 1))
    assert any("not valid yet" in e for e in verify_credential(future, now=NOW).errors)
    unsigned = {k: v for k, v in issue(program, key, issuer).items() if k != "proof"}
    expired = sign({**unsigned, "validUntil": "2025-12-31T23:59:59Z"}, key)
    assert any("expired" in e for e in verify_credential(expired, now=NOW).errors)


@pytest.mark.parametrize("document", [
    None, [], "text", {"name": "no proof"}, {"proof": []},
    {"proof": [{"type": "Ed25519Signature2020"}], "issuer": "did:key:x"},
])
def test_malformed_input_is_an_error_not_a_crash(document: object) -> None:
    result = verify_credential(document, now=NOW)
    assert not result.verified
    assert result.errors


def test_a_proof_as_single_object_is_checked_but_breaks_the_ob_schema(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    credential = issue(program, key, issuer)
    single = {**credential, "proof": credential["proof"][0]}
    result = verify_credential(single, now=NOW)
    assert any(c.startswith("proof:") for c in result.checks)
    assert not result.verified
    assert any(e.startswith("OB 3.0 schema: proof") for e in result.errors)


def test_a_valid_credential_passes_the_schema_check(program: Program, key: KeyPair,
                                                     issuer: IssuerSettings) -> None:
    result = verify_credential(issue(program, key, issuer), now=NOW)
    assert "schema: a valid OB 3.0 AchievementCredential" in result.checks


# -- the key store ------------------------------------------------------------------


def test_first_use_creates_one_private_key_file(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    key = store.current()
    files = list((tmp_path / "keys").glob("*.json"))
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert store.current() == key  # the same key, not a new one
    assert key.public_multikey.startswith("z6Mk")


def test_rotation_keeps_old_credentials_verifying(program: Program, tmp_path: Path,
                                                  issuer: IssuerSettings) -> None:
    store = KeyStore(tmp_path)
    old = store.current()
    before = issue(program, old, issuer)
    new = store.rotate()
    assert new != old
    assert store.current() == new
    assert [k.public_multikey for k in store.all_keys()] == [old.public_multikey,
                                                         new.public_multikey]
    after = issue(program, new, issuer, index=6)
    assert verify_credential(before, now=NOW).verified
    assert verify_credential(after, now=NOW).verified
    assert store.find(old.public_multikey) == old


def test_did_web_methods_resolve_from_the_local_store(program: Program,
                                                       tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    web = IssuerSettings(base_url="https://badges.example.org",
                         did_web="did:web:badges.example.org")
    old = store.current()
    before = issue(program, old, web)
    assert before["issuer"]["id"] == "did:web:badges.example.org"
    store.rotate()
    result = verify_credential(before, now=NOW, resolve=web.resolver(store))
    assert result.verified, result.errors
    # Without the store, did:web is not resolved (never over the network).
    assert not verify_credential(before, now=NOW).verified


def test_a_damaged_key_file_is_reported(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    store.current()
    (tmp_path / "keys" / "1.json").write_text("{}", encoding="utf-8")
    with pytest.raises(KeyStoreError, match=r"1\.json"):
        store.current()


def test_did_web_names_the_deployment_and_lists_every_key(tmp_path: Path) -> None:
    assert did_web_for("https://badges.example.org") == "did:web:badges.example.org"
    assert did_web_for("https://example.org:8443/cscce/") == "did:web:example.org%3A8443:cscce"
    store = KeyStore(tmp_path)
    old, new = store.current(), store.rotate()
    document = did_web_document("did:web:badges.example.org", store.all_keys())
    assert document["id"] == "did:web:badges.example.org"
    assert [m["publicKeyMultibase"] for m in document["verificationMethod"]] == [
        old.public_multikey, new.public_multikey]
    assert document["assertionMethod"] == [m["id"] for m in document["verificationMethod"]]


def test_deeply_nested_input_is_an_error_not_a_crash(program: Program, key: KeyPair,
                                                     issuer: IssuerSettings) -> None:
    credential = issue(program, key, issuer)
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(5000):
        node["alumniOf"] = {}
        node = node["alumniOf"]
    result = verify_credential({**credential, "evidence": deep}, now=NOW)
    assert not result.verified
    assert any("nested too deeply" in e for e in result.errors)
