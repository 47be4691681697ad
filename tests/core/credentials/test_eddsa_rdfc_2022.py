"""eddsa-rdfc-2022: both published test vectors reproduced exactly, and tampering caught."""

from __future__ import annotations

import copy
import hashlib
import time

import pytest

from pathwise.core.credentials.canon import CanonicalizationError, canonicalize
from pathwise.core.credentials.documents import ContextNotAvailableError
from pathwise.core.credentials.keys import KeyPair
from pathwise.core.credentials.proof import (
    ProofError,
    VerificationMethod,
    hash_data,
    proof_options,
    resolve_offline,
    sign,
    verify_proof,
)
from tests.vectors import (
    W3C_EXAMPLES_V2_CONTEXT,
    W3C_EXAMPLES_V2_URL,
    W3C_KEY,
    W3C_PROOF_VALUE,
    W3C_SECRET,
    W3C_UNSIGNED,
)

# -- W3C vc-di-eddsa, Appendix B.1 (eddsa-rdfc-2022): data in tests/vectors.py --------

W3C_EXAMPLES_CONTEXT = {W3C_EXAMPLES_V2_URL: W3C_EXAMPLES_V2_CONTEXT}
W3C_PUBLIC = W3C_KEY
W3C_CREATED = "2023-02-24T23:36:38Z"
W3C_DOCUMENT_HASH = "517744132ae165a5349155bef0bb0cf2258fff99dfe1dbd914b938d775a36017"
W3C_OPTIONS_HASH = "bea7b7acfbad0126b135104024a5f1733e705108f42d59668b05c0c50004c6b0"

# -- 1EdTech Open Badges 3.0 implementation guide, linked data proof test vector -------

OB_SEED_HEX = "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4"
OB_PUBLIC = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
OB_VM = f"https://example.edu/issuers/565049#{OB_PUBLIC}"
OB_CREATED = "2010-01-01T19:23:24Z"
OB_DOCUMENT_HASH = "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773"
OB_PROOF_HASH = "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19"
OB_PROOF_VALUE = ("z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35"
                  "HcbgXVEDYHxCzgkCr")
OB_UNSIGNED = {
    "@context": ["https://www.w3.org/ns/credentials/v2",
                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "id": "http://example.com/credentials/3527",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://example.edu/issuers/565049", "type": ["Profile"],
               "url": "https://www.imsglobal.org", "name": "Example Corp"},
    "validFrom": "2010-01-01T00:00:00Z",
    "name": "Teamwork Badge",
    "credentialSubject": {
        "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
        "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://example.com/achievements/21st-century-skills/teamwork",
            "type": ["Achievement"],
            "criteria": {"narrative": "Team members are nominated for this badge by their peers "
                                      "and recognized upon review by Example Corp management."},
            "description": "This badge recognizes the development of the capacity to "
                           "collaborate within a group environment.",
            "name": "Teamwork",
        },
    },
}


def ob_key() -> KeyPair:
    return KeyPair(bytes.fromhex(OB_SEED_HEX))


def ob_resolver(vm: str) -> VerificationMethod:
    # The 1EdTech vector's method is an https URL: resolved here from the guide's own key.
    assert vm == OB_VM
    return VerificationMethod(vm, "https://example.edu/issuers/565049", ob_key().public_key)


def test_w3c_key_pair_round_trips_through_multikey() -> None:
    key = KeyPair.from_secret_multikey(W3C_SECRET)
    assert key.public_multikey == W3C_PUBLIC
    assert key.secret_multikey == W3C_SECRET
    assert key.did_key == f"did:key:{W3C_PUBLIC}"


def test_w3c_vector_hashes_and_proof_value_are_reproduced_exactly() -> None:
    key = KeyPair.from_secret_multikey(W3C_SECRET)
    options = proof_options(W3C_UNSIGNED, key.verification_method(), W3C_CREATED)
    hashes = hash_data(W3C_UNSIGNED, options, extra_contexts=W3C_EXAMPLES_CONTEXT)
    assert hashes.document.hex() == W3C_DOCUMENT_HASH
    assert hashes.proof_options.hex() == W3C_OPTIONS_HASH

    signed = sign(W3C_UNSIGNED, key, created=W3C_CREATED, extra_contexts=W3C_EXAMPLES_CONTEXT)
    assert isinstance(signed["proof"], list)
    assert signed["proof"][0]["proofValue"] == W3C_PROOF_VALUE
    assert signed["proof"][0]["verificationMethod"] == f"did:key:{W3C_PUBLIC}#{W3C_PUBLIC}"
    check = verify_proof(signed, signed["proof"][0], extra_contexts=W3C_EXAMPLES_CONTEXT)
    assert check.valid, check.error
    assert check.controller == f"did:key:{W3C_PUBLIC}"


def test_1edtech_vector_hashes_and_proof_value_are_reproduced_exactly() -> None:
    key = ob_key()
    assert key.public_multikey == OB_PUBLIC
    options = proof_options(OB_UNSIGNED, OB_VM, OB_CREATED)
    hashes = hash_data(OB_UNSIGNED, options)
    assert hashes.document.hex() == OB_DOCUMENT_HASH
    assert hashes.proof_options.hex() == OB_PROOF_HASH

    signed = sign(OB_UNSIGNED, key, verification_method=OB_VM, created=OB_CREATED)
    assert signed["proof"][0]["proofValue"] == OB_PROOF_VALUE
    assert verify_proof(signed, signed["proof"][0], resolve=ob_resolver).valid


def test_1edtech_vector_canonical_document_names_the_ob_terms() -> None:
    nquads = canonicalize(OB_UNSIGNED)
    assert hashlib.sha256(nquads.encode()).hexdigest() == OB_DOCUMENT_HASH
    # The OB context's odd mapping of `criteria` is part of the canonical form.
    assert "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#Criteria> _:c14n0 ." in nquads


@pytest.mark.parametrize("path", [
    ("name",), ("validFrom",), ("credentialSubject", "achievement", "name"),
    ("credentialSubject", "id"), ("issuer", "name"),
])
def test_one_changed_character_fails_verification(path: tuple[str, ...]) -> None:
    signed = sign(OB_UNSIGNED, ob_key(), verification_method=OB_VM, created=OB_CREATED)
    tampered = copy.deepcopy(signed)
    node = tampered
    for key in path[:-1]:
        node = node[key]
    value = node[path[-1]]
    node[path[-1]] = value[:-2] + ("1" if value[-2] != "1" else "2") + value[-1]
    check = verify_proof(tampered, tampered["proof"][0], resolve=ob_resolver)
    assert not check.valid
    assert "does not match" in check.error


def test_one_changed_character_in_the_proof_fails_verification() -> None:
    signed = sign(OB_UNSIGNED, ob_key(), verification_method=OB_VM, created=OB_CREATED)
    proof = dict(signed["proof"][0], created="2010-01-01T19:23:25Z")
    assert not verify_proof(signed, proof, resolve=ob_resolver).valid


def test_a_key_other_than_the_signers_does_not_verify() -> None:
    signed = sign(OB_UNSIGNED, KeyPair.generate())
    other = KeyPair.generate()
    proof = dict(signed["proof"][0], verificationMethod=other.verification_method())
    assert not verify_proof(signed, proof).valid


def test_contexts_are_never_fetched() -> None:
    document = dict(W3C_UNSIGNED)
    with pytest.raises(ContextNotAvailableError, match="not available offline"):
        canonicalize(document)
    document["@context"] = ["https://www.w3.org/ns/credentials/v2",
                            {"x": {"@id": "https://example.org/x",
                                   "@context": "https://example.org/remote"}}]
    document["x"] = {"y": 1}
    with pytest.raises(CanonicalizationError):
        canonicalize(document)


def test_control_characters_are_escaped_as_rdfc_requires() -> None:
    document = {**W3C_UNSIGNED, "name": "bell\b form\f one\x01 del\x7f"}
    nquads = canonicalize(document, extra_contexts=W3C_EXAMPLES_CONTEXT)
    assert '"bell\\b form\\f one\\u0001 del\\u007F"' in nquads


def test_many_blank_nodes_are_refused_before_canonicalizing() -> None:
    document = {**W3C_UNSIGNED,
                "credentialSubject": {"id": "did:example:x",
                                      "alumniOf": [{"name": f"n{i}"} for i in range(100)]}}
    with pytest.raises(CanonicalizationError, match="blank nodes"):
        canonicalize(document, extra_contexts=W3C_EXAMPLES_CONTEXT)


def test_only_did_key_and_our_own_did_web_resolve() -> None:
    key = KeyPair.generate()
    assert resolve_offline(key.verification_method()).public_key == key.public_key
    with pytest.raises(ProofError, match="offline"):
        resolve_offline("https://example.edu/issuers/1#key-1")
    with pytest.raises(ProofError, match="fragment"):
        resolve_offline(f"{key.did_key}#z6MkOther")


def poisoned(n: int) -> dict:
    """n blank nodes that all know each other: indistinguishable to RDFC-1.0."""
    nodes = [{"@id": f"_:b{i}", "alumniOf": [{"@id": f"_:b{j}"} for j in range(n) if j != i]}
             for i in range(n)]
    return {**W3C_UNSIGNED, "credentialSubject": {"id": "did:example:x", "alumniOf": nodes}}


def test_a_poisoned_graph_is_refused_at_once() -> None:
    # A clique of 8 takes pyoxigraph's RDFC-1.0 seconds; of 10, practically forever.
    started = time.perf_counter()
    with pytest.raises(CanonicalizationError, match="cannot be told apart"):
        canonicalize(poisoned(10), extra_contexts=W3C_EXAMPLES_CONTEXT)
    assert time.perf_counter() - started < 1
    assert canonicalize(poisoned(4), extra_contexts=W3C_EXAMPLES_CONTEXT)
