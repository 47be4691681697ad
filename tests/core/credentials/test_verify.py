"""Offline verification: valid, tampered, revoked, expired, wrong issuer; keys and rotation."""

from __future__ import annotations

import copy
import datetime as dt
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathwise.core.credentials import proof
from pathwise.core.credentials import verify as verify_module
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
from pathwise.core.credentials.trust import TrustError, parse_did_list, trusted_issuers
from pathwise.core.credentials.verify import (
    MAX_CREDENTIAL_BYTES,
    MAX_DEPTH,
    MAX_PROOFS,
    MAX_VALUES,
    CredentialInputError,
    load_credential_json,
    verify_credential,
)
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
    result = verify_credential(issue(program, key, issuer), trusted={key.did_key}, now=NOW,
                               status_list=status(key, issuer, 4, 6))
    assert result.verified, result.errors
    assert result.revoked is False
    assert any(c.startswith("proof:") for c in result.checks)
    assert any("not revoked" in c for c in result.checks)
    assert result.to_json()["verified"] is True


def test_without_a_status_list_revocation_is_reported_unchecked(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    result = verify_credential(issue(program, key, issuer), trusted={key.did_key}, now=NOW)
    assert result.verified
    assert result.revoked is None
    assert any("not checked" in c for c in result.checks)


def test_a_revoked_credential_is_reported_revoked(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    result = verify_credential(issue(program, key, issuer), trusted={key.did_key}, now=NOW,
                               status_list=status(key, issuer, 5))
    assert not result.verified
    assert result.revoked is True
    assert any(e.startswith("revoked:") for e in result.errors)


def test_a_tampered_status_list_is_not_trusted(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    tampered = status(key, issuer, 5)
    tampered["credentialSubject"]["encodedList"] = StatusList().encode()
    result = verify_credential(issue(program, key, issuer), trusted={key.did_key}, now=NOW,
                               status_list=tampered)
    assert not result.verified
    assert any("status list credential does not verify" in e for e in result.errors)


def test_a_status_list_from_another_issuer_is_not_trusted(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    other = KeyPair.generate()
    foreign = status(other, issuer)
    foreign["id"] = issuer.status_list_url(key)
    foreign = sign({k: v for k, v in foreign.items() if k != "proof"}, other)
    result = verify_credential(issue(program, key, issuer), trusted={key.did_key}, now=NOW,
                               status_list=foreign)
    assert not result.verified
    assert any("another issuer" in e for e in result.errors)


def test_one_changed_character_fails(program: Program, key: KeyPair,
                                     issuer: IssuerSettings) -> None:
    tampered = copy.deepcopy(issue(program, key, issuer))
    tampered["credentialSubject"]["identifier"][1]["identityHash"] = "Ada Lovelacf"
    result = verify_credential(tampered, trusted={key.did_key}, now=NOW)
    assert not result.verified
    assert any("does not match" in e for e in result.errors)


def test_issuer_must_control_the_signing_key(program: Program, key: KeyPair,
                                             issuer: IssuerSettings) -> None:
    credential = issue(program, key, issuer)
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    forged = sign(unsigned, KeyPair.generate())  # someone else's key, our issuer id
    result = verify_credential(forged, trusted={key.did_key}, now=NOW)
    assert not result.verified
    assert any("controller of the verification method" in e for e in result.errors)


def test_dates_are_checked(program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    future = issue(program, key, issuer, earned_on=dt.date(2026, 6, 1))
    errors = verify_credential(future, trusted={key.did_key}, now=NOW).errors
    assert any("not valid yet" in e for e in errors)
    unsigned = {k: v for k, v in issue(program, key, issuer).items() if k != "proof"}
    expired = sign({**unsigned, "validUntil": "2025-12-31T23:59:59Z"}, key)
    errors = verify_credential(expired, trusted={key.did_key}, now=NOW).errors
    assert any("expired" in e for e in errors)


@pytest.mark.parametrize("document", [
    None, [], "text", {"name": "no proof"}, {"proof": []},
    {"proof": [{"type": "Ed25519Signature2020"}], "issuer": "did:key:x"},
])
def test_malformed_input_is_an_error_not_a_crash(document: object) -> None:
    result = verify_credential(document, trusted=frozenset(), now=NOW)
    assert not result.verified
    assert result.errors


def test_a_proof_as_single_object_is_checked_but_breaks_the_ob_schema(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    credential = issue(program, key, issuer)
    single = {**credential, "proof": credential["proof"][0]}
    result = verify_credential(single, trusted={key.did_key}, now=NOW)
    assert any(c.startswith("proof:") for c in result.checks)
    assert not result.verified
    assert any(e.startswith("OB 3.0 schema: proof") for e in result.errors)


def test_a_valid_credential_passes_the_schema_check(program: Program, key: KeyPair,
                                                     issuer: IssuerSettings) -> None:
    result = verify_credential(issue(program, key, issuer), trusted={key.did_key}, now=NOW)
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
    assert verify_credential(before, trusted={old.did_key, new.did_key}, now=NOW).verified
    assert verify_credential(after, trusted={old.did_key, new.did_key}, now=NOW).verified
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
    result = verify_credential(before, trusted={web.did_web}, now=NOW, resolve=web.resolver(store))
    assert result.verified, result.errors
    # Without the store, did:web is not resolved (never over the network).
    assert not verify_credential(before, trusted={web.did_web}, now=NOW).verified


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
    result = verify_credential({**credential, "evidence": deep}, trusted={key.did_key}, now=NOW)
    assert not result.verified
    assert any("nested too deeply" in e for e in result.errors)


# -- trusted issuers -------------------------------------------------------------------


def test_a_good_signature_by_an_untrusted_issuer_is_not_verified(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    credential = issue(program, key, issuer)
    result = verify_credential(credential, trusted=frozenset(), now=NOW)
    assert not result.verified
    assert result.untrusted_issuer == key.did_key
    assert result.errors == [f"untrusted issuer: {key.did_key} signed this credential "
                             "correctly, but is not an issuer this verifier trusts"]
    assert any(c.startswith("proof:") for c in result.checks)
    trusted = verify_credential(credential, trusted={key.did_key}, now=NOW)
    assert trusted.verified
    assert trusted.untrusted_issuer is None


def test_a_forged_signature_is_not_called_an_untrusted_issuer(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    tampered = copy.deepcopy(issue(program, key, issuer))
    tampered["name"] = "Something else"
    result = verify_credential(tampered, trusted=frozenset(), now=NOW)
    assert result.untrusted_issuer is None
    assert any("does not match" in e for e in result.errors)


def test_a_deployment_trusts_every_key_it_holds_its_did_web_and_the_named_dids(
        tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    old, new = store.current(), store.rotate()
    trusted = trusted_issuers(store.all_keys(), did_web="did:web:badges.example.org",
                              named=("did:web:partner.example",))
    assert trusted == {old.did_key, new.did_key, "did:web:badges.example.org",
                       "did:web:partner.example"}


def test_trusted_issuer_lists_accept_dids_only_and_name_the_bad_entry() -> None:
    assert parse_did_list(" did:web:a.example , ,did:key:z6Mkabc", source="X") == (
        "did:web:a.example", "did:key:z6Mkabc")
    assert parse_did_list("", source="X") == ()
    for bad in ["a.example", "did:web:", "did:Web:a.example", "did:web:a.example#key-1",
                "did:web:a example", "did:web:a.example/path"]:
        with pytest.raises(TrustError, match=r"^SETTING: .* is not a DID"):
            parse_did_list(f"did:web:fine.example,{bad}", source="SETTING")


# -- bounded work on untrusted input -------------------------------------------------------


def test_the_document_is_canonicalized_once_for_all_its_proofs(
        program: Program, key: KeyPair, issuer: IssuerSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    credential = issue(program, key, issuer)
    three = sign(sign(credential, key), key)
    assert len(three["proof"]) == 3
    canonicalized: list[object] = []
    real = proof.canonicalize

    def counting(document: Any, **kwargs: Any) -> str:
        canonicalized.append(document.get("type"))
        return real(document, **kwargs)

    monkeypatch.setattr(proof, "canonicalize", counting)
    result = verify_credential(three, trusted={key.did_key}, now=NOW)
    assert result.verified, result.errors
    # one document, and the small options of each of the three proofs
    assert canonicalized.count(["VerifiableCredential", "OpenBadgeCredential"]) == 1
    assert canonicalized.count("DataIntegrityProof") == 3


def test_more_proofs_than_the_limit_are_refused_before_any_is_checked(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    credential = issue(program, key, issuer)
    at_limit = {**credential, "proof": credential["proof"] * MAX_PROOFS}
    assert verify_credential(at_limit, trusted={key.did_key}, now=NOW).verified
    flood = {**credential, "proof": credential["proof"] * 100}
    result = verify_credential(flood, trusted={key.did_key}, now=NOW)
    assert result.errors == [f"the credential has 100 proofs; at most {MAX_PROOFS} are checked"]
    assert result.checks == []


def test_a_document_too_large_is_refused(program: Program, key: KeyPair,
                                         issuer: IssuerSettings) -> None:
    credential = issue(program, key, issuer)
    padded = {**credential, "evidence": [{"narrative": "x" * MAX_CREDENTIAL_BYTES}]}
    result = verify_credential(padded, trusted={key.did_key}, now=NOW)
    assert len(result.errors) == 1
    assert result.errors[0].startswith("the credential is too large (")


def test_a_document_with_too_many_values_is_refused(program: Program, key: KeyPair,
                                                   issuer: IssuerSettings) -> None:
    credential = issue(program, key, issuer)
    achievement = credential["credentialSubject"]["achievement"]
    tagged = copy.deepcopy(credential)
    tagged["credentialSubject"]["achievement"] = {**achievement,
                                                  "tag": ["t"] * MAX_VALUES}
    result = verify_credential(tagged, trusted={key.did_key}, now=NOW)
    assert result.errors == [f"the credential has more than {MAX_VALUES:,} values (objects, "
                             "arrays, strings, numbers); that many are not checked"]


@pytest.mark.parametrize(("text", "message"), [
    ("[" * 100_000, "nested too deeply"),
    ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "nested too deeply (more than 32 levels)"),
    ('{"n": ' + "1" * 5000 + "}", "a number with 5,000 digits; at most 100 are accepted"),
    ('{"n": 0.' + "1" * 200 + "}", "a number with 201 digits"),
    ('{"n": 1e400}', "a number too large to read"),
    ('{"n": -Infinity}', "not JSON: -Infinity is not a JSON value"),
    ('{"n": 1,}', "not JSON: Expecting property name enclosed in double quotes at line 1"),
    (b'{"n": "\xff"}', "not JSON: the text is not UTF-8"),
    (" " * (MAX_CREDENTIAL_BYTES + 1), "the credential is too large (262,145 bytes"),
])
def test_untrusted_json_is_read_within_bounds(text: str | bytes, message: str) -> None:
    with pytest.raises(CredentialInputError) as refused:
        load_credential_json(text)
    assert message in str(refused.value)


def test_json_within_bounds_reads_as_usual() -> None:
    deepest = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert load_credential_json(deepest) is not None
    assert load_credential_json('{"n": ' + "9" * 100 + ', "f": 1.5}') == {
        "n": int("9" * 100), "f": 1.5}


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=3),
                     lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=3), inner, max_size=4),
                     max_leaves=40)


@settings(max_examples=300, deadline=None)
@given(_JSON, st.integers(1, 6), st.one_of(st.none(), st.integers(1, 40)))
def test_the_bounds_check_by_levels_agrees_with_the_walk_value_by_value(
        document: object, depth: int, values: int | None) -> None:
    # The quick check decides alone only that a document is within both bounds; which
    # bound a refused one names stays the walk's.
    assert verify_module._within(document, depth, values) == (
        verify_module._walk(document, depth, values) == (False, False))
