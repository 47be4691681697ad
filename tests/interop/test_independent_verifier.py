"""Credentials checked by a verifier someone else wrote (Digital Bazaar, on node, offline).

First the verifier itself against the published W3C vc-di-eddsa
eddsa-rdfc-2022 test vector, so that a failure later means our credential
and not the harness.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

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
