"""Credentials checked by a verifier someone else wrote (Digital Bazaar, on node, offline).

First the verifier itself against the published W3C vc-di-eddsa
eddsa-rdfc-2022 test vector, so that a failure later means our credential
and not the harness.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from pathwise.core.credentials.issuer import IssuerSettings, issue_credential, sign_status_list
from pathwise.core.credentials.keys import KeyPair, KeyStore
from pathwise.core.credentials.openbadges import Holder
from pathwise.core.credentials.proof import sign
from pathwise.core.credentials.statuslist import StatusList, status_list_credential
from pathwise.core.credentials.verify import verify_credential
from pathwise.core.program import Program, ProgramLibrary
from tests.interop.conftest import NodeVerify

EXAMPLES_V2_URL = "https://www.w3.org/ns/credentials/examples/v2"
#: The W3C's published examples context (https://www.w3.org/ns/credentials/examples/v2);
#: no npm package ships it, so the test gives it to the verifier as a local file.
EXAMPLES_V2_CONTEXT = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}

W3C_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"

#: W3C vc-di-eddsa, Appendix B.1 (eddsa-rdfc-2022): the signed example credential.
W3C_SIGNED: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2", EXAMPLES_V2_URL],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    "proof": {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": f"did:key:{W3C_KEY}#{W3C_KEY}",
        "proofPurpose": "assertionMethod",
        "proofValue": "z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3"
                      "ijx4K1FBTQsCZahKZme",
    },
}


def one_character_changed(document: dict[str, Any], *path: str | int) -> dict[str, Any]:
    """A deep copy of `document` with one character of the string at `path` replaced."""
    changed = copy.deepcopy(document)
    parent: Any = changed
    for key in path[:-1]:
        parent = parent[key]
    value = parent[path[-1]]
    assert isinstance(value, str), path
    # the middle character, swapped for a different one of the same kind
    i = len(value) // 2
    ch = value[i]
    swap = ("1" if ch != "1" else "2") if ch.isdigit() else ("x" if ch != "x" else "y")
    if ch.isupper():
        swap = "X" if ch != "X" else "Y"
    parent[path[-1]] = value[:i] + swap + value[i + 1:]
    return changed


def verify_vector(node_verify: NodeVerify, document: dict[str, Any]) -> Any:
    # --proof-only: the vector's issuer (https://vc.example/...) is not its key's
    # controller, which a VC verifier rightly refuses (tested below).
    return node_verify(document, proof_only=True, contexts={EXAMPLES_V2_URL: EXAMPLES_V2_CONTEXT})


def test_w3c_eddsa_rdfc_2022_vector_verifies(node_verify: NodeVerify) -> None:
    verdict = verify_vector(node_verify, W3C_SIGNED)
    assert verdict.errors == []
    assert verdict.verified is True
    assert verdict.revoked is None


@pytest.mark.parametrize("path", [
    ("credentialSubject", "alumniOf"),
    ("name",),
    ("validFrom",),
    ("credentialSubject", "id"),
    ("proof", "created"),
    ("proof", "proofValue"),
])
def test_w3c_vector_with_one_character_changed_fails(node_verify: NodeVerify,
                                                     path: tuple[str, ...]) -> None:
    verdict = verify_vector(node_verify, one_character_changed(W3C_SIGNED, *path))
    assert verdict.verified is False
    assert verdict.errors, "a failed verification names its reason"


def test_w3c_vector_changed_key_fails(node_verify: NodeVerify) -> None:
    other = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    changed = copy.deepcopy(W3C_SIGNED)
    changed["proof"]["verificationMethod"] = f"did:key:{other}#{other}"
    verdict = verify_vector(node_verify, changed)
    assert verdict.verified is False


def test_verifier_never_fetches_a_context(node_verify: NodeVerify) -> None:
    """Without the local copy of the examples context, the verifier refuses; it fetches nothing."""
    verdict = node_verify(W3C_SIGNED, proof_only=True)
    assert verdict.verified is False
    assert any("offline document loader refuses" in e and EXAMPLES_V2_URL in e
               for e in verdict.errors), verdict.errors


def test_verifier_holds_the_issuer_to_the_key_controller(node_verify: NodeVerify) -> None:
    """As a credential (not just a proof) the vector fails: its issuer does not control its key."""
    verdict = node_verify(W3C_SIGNED, contexts={EXAMPLES_V2_URL: EXAMPLES_V2_CONTEXT})
    assert verdict.verified is False
    assert "Credential issuer must match the verification method controller." in verdict.errors


# --- Credentials Pathwise issues -------------------------------------------------------

ACHIEVEMENTS = ["CODE", "PBK", "NOC", "COP", "cscce-cm"]
NOW = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
STATUS_INDEX = 7


@pytest.fixture(scope="module")
def program() -> Program:
    found = ProgramLibrary.shipped().get("cscce-cm", "2023")
    assert found is not None
    return found


@pytest.fixture
def signer(tmp_path: Path) -> tuple[KeyPair, IssuerSettings]:
    """A fresh issuer key from a key store in tmp_path, as a deployment would have."""
    return (KeyStore(tmp_path).current(),
            IssuerSettings(base_url="https://badges.example.org"))


def issue(program: Program, signer: tuple[KeyPair, IssuerSettings],
          achievement: str = "cscce-cm") -> dict[str, Any]:
    key, settings = signer
    holder = Holder("P-001", "Ada Lovelace", "ada@example.org")
    return issue_credential(program, achievement, holder,
                            earned_on=dt.date(2024, 8, 1),
                            credential_uuid="0b6f1c9e-2f2e-4d59-9a55-6b1c0a1d2e3f",
                            status_index=STATUS_INDEX, key=key, settings=settings,
                            created=dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC))


def status_list(signer: tuple[KeyPair, IssuerSettings], *revoked: int) -> dict[str, Any]:
    key, settings = signer
    return sign_status_list(StatusList.with_revoked(revoked), key=key, settings=settings,
                            created=dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC))


@pytest.mark.parametrize("achievement", ACHIEVEMENTS)
def test_issued_credentials_verify_with_the_independent_verifier(
        node_verify: NodeVerify, program: Program, signer: tuple[KeyPair, IssuerSettings],
        achievement: str) -> None:
    credential = issue(program, signer, achievement)
    verdict = node_verify(credential)
    assert verdict.errors == []
    assert verdict.verified is True
    assert verdict.revoked is None  # no status list given: nothing to say


#: One changed character in each of these fails both verifiers.
TAMPERED_PATHS = [
    ("name",),
    ("validFrom",),
    ("issuer", "name"),
    ("credentialSubject", "identifier", 1, "identityHash"),  # the holder's name
    ("credentialSubject", "identifier", 0, "identityHash"),  # the hashed e-mail
    ("credentialSubject", "achievement", "name"),
    ("credentialSubject", "achievement", "description"),
    ("credentialSubject", "achievement", "criteria", "narrative"),
    ("credentialStatus", "statusListIndex"),
    ("proof", 0, "created"),
    ("proof", 0, "proofValue"),
]


@pytest.mark.parametrize("path", TAMPERED_PATHS, ids=lambda p: "/".join(map(str, p)))
def test_issued_credential_with_one_character_changed_fails_both_verifiers(
        node_verify: NodeVerify, program: Program, signer: tuple[KeyPair, IssuerSettings],
        path: tuple[str | int, ...]) -> None:
    credential = issue(program, signer)
    assert node_verify(credential).verified is True
    assert verify_credential(credential, now=NOW).verified is True
    changed = one_character_changed(credential, *path)
    assert changed != credential
    theirs = node_verify(changed)
    assert theirs.verified is False, theirs
    assert theirs.errors
    ours = verify_credential(changed, now=NOW)
    assert ours.verified is False, ours.checks


def test_revoked_credential_is_reported_revoked_by_the_independent_verifier(
        node_verify: NodeVerify, program: Program,
        signer: tuple[KeyPair, IssuerSettings]) -> None:
    credential = issue(program, signer)
    others_revoked = status_list(signer, STATUS_INDEX - 1, STATUS_INDEX + 1)
    verdict = node_verify(credential, others_revoked)
    assert (verdict.verified, verdict.revoked, verdict.errors) == (True, False, [])

    revoked = status_list(signer, STATUS_INDEX)
    verdict = node_verify(credential, revoked)
    # the library still says "verified" (the proof holds); the status bit says revoked
    assert verdict.verified is True
    assert verdict.revoked is True
    assert verdict.code == 1
    ours = verify_credential(credential, now=NOW, status_list=revoked)
    assert ours.revoked is True
    assert ours.verified is False


def test_tampered_status_list_fails_the_independent_verifier(
        node_verify: NodeVerify, program: Program,
        signer: tuple[KeyPair, IssuerSettings]) -> None:
    credential = issue(program, signer)
    clean = status_list(signer)
    # an attacker flips the list to "not revoked" or the reverse: the list's proof breaks
    for path in [("credentialSubject", "encodedList"), ("validFrom",), ("proof", 0, "proofValue")]:
        verdict = node_verify(credential, one_character_changed(clean, *path))
        assert verdict.verified is False, (path, verdict)
        assert verdict.revoked is None


def test_status_list_signed_by_another_issuer_fails_the_independent_verifier(
        node_verify: NodeVerify, program: Program, signer: tuple[KeyPair, IssuerSettings],
        tmp_path: Path) -> None:
    """A well-signed list at our URL, but by another key: its bits are not believed."""
    credential = issue(program, signer)
    key, settings = signer
    impostor = KeyStore(tmp_path / "impostor").current()
    stamp = "2025-01-01T12:00:00Z"
    forged = sign(status_list_credential(settings.status_list_url(key), impostor.did_key,
                                         StatusList.with_revoked([STATUS_INDEX]), stamp),
                  impostor, verification_method=impostor.verification_method(), created=stamp)
    verdict = node_verify(credential, forged)
    assert verdict.verified is False
    assert verdict.revoked is None
    assert any("Issuers of the status list credential and verifiable credential do not match"
               in e for e in verdict.errors), verdict.errors
    assert verify_credential(credential, now=NOW, status_list=forged).verified is False
