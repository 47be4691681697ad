"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C vc-di-eddsa).

Signing: proof options (type, cryptosuite, created, verificationMethod,
proofPurpose, with the document's `@context`) and the document without `proof`
are canonicalized with RDFC-1.0; the data signed is SHA-256(options) ‖
SHA-256(document); `proofValue` is `z` + base58btc(Ed25519 signature).
`proof` is always written as an array (the OB 3.0 schema requires it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pathwise.core.credentials.canon import canonicalize
from pathwise.core.credentials.keys import KeyPair, KeyStore, verify_signature
from pathwise.core.credentials.multibase import (
    EncodingError,
    decode_public_multikey,
    from_multibase_b58,
    multibase_b58,
)
from pathwise.core.errors import PathwiseError

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"


class ProofError(PathwiseError):
    """A proof cannot be made or checked (not: a proof that fails to verify)."""


def utc_stamp(moment: dt.datetime | None = None) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ` in UTC (seconds precision, as the vectors use)."""
    moment = moment or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        raise ProofError("timestamps must carry a time zone")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def proof_options(document: Mapping[str, Any], verification_method: str,
                  created: str) -> dict[str, Any]:
    return {
        "@context": document.get("@context"),
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }


@dataclass(frozen=True, slots=True)
class Hashes:
    proof_options: bytes
    document: bytes

    @property
    def data(self) -> bytes:
        return self.proof_options + self.document


def document_hash(document: Mapping[str, Any], *,
                  extra_contexts: Mapping[str, Any] | None = None) -> bytes:
    """SHA-256 of the canonical document without its `proof`: the same for every proof
    of the document, so a verifier computes it once."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    canonical = canonicalize(unsecured, extra_contexts=extra_contexts)
    return hashlib.sha256(canonical.encode("utf-8")).digest()


def options_hash(document: Mapping[str, Any], options: Mapping[str, Any], *,
                 extra_contexts: Mapping[str, Any] | None = None) -> bytes:
    """SHA-256 of the canonical proof options (without `proofValue`, with the
    document's `@context` when they carry none)."""
    options = {k: v for k, v in options.items() if k != "proofValue"}
    if "@context" not in options or options["@context"] is None:
        options = {**options, "@context": document.get("@context")}
    canonical = canonicalize(options, extra_contexts=extra_contexts)
    return hashlib.sha256(canonical.encode("utf-8")).digest()


def hash_data(document: Mapping[str, Any], options: Mapping[str, Any], *,
              extra_contexts: Mapping[str, Any] | None = None) -> Hashes:
    """The two SHA-256 hashes of vc-di-eddsa §3.3 (transformation and hashing)."""
    return Hashes(options_hash(document, options, extra_contexts=extra_contexts),
                  document_hash(document, extra_contexts=extra_contexts))


def sign(document: Mapping[str, Any], key: KeyPair, *, verification_method: str | None = None,
         created: str | None = None,
         extra_contexts: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A copy of `document` with one more `eddsa-rdfc-2022` proof in its `proof` array."""
    vm = verification_method or key.verification_method()
    options = proof_options(document, vm, created or utc_stamp())
    hashes = hash_data(document, options, extra_contexts=extra_contexts)
    proof = {k: v for k, v in options.items() if k != "@context"}
    proof["proofValue"] = multibase_b58(key.sign(hashes.data))
    existing = document.get("proof")
    proofs = [] if existing is None else (list(existing) if isinstance(existing, list)
                                          else [existing])
    return {**{k: v for k, v in document.items() if k != "proof"}, "proof": [*proofs, proof]}


# -- resolving verification methods, offline ----------------------------------------


@dataclass(frozen=True, slots=True)
class VerificationMethod:
    id: str
    controller: str
    public_key: bytes


Resolver = Callable[[str], VerificationMethod]


def resolve_offline(verification_method: str, *, key_store: KeyStore | None = None,
                    did_web: str | None = None) -> VerificationMethod:
    """Resolve a `did:key` method from the identifier itself, or Pathwise's own
    `did:web` method from the local key store. Nothing else is resolved (no network)."""
    controller, _, fragment = verification_method.partition("#")
    if controller.startswith("did:key:"):
        multikey = controller.removeprefix("did:key:")
        if fragment and fragment != multikey:
            raise ProofError(f"{verification_method}: fragment does not match the did:key")
        try:
            return VerificationMethod(verification_method, controller,
                                      decode_public_multikey(multikey))
        except EncodingError as exc:
            raise ProofError(f"{verification_method}: {exc}") from exc
    if did_web and key_store is not None and controller == did_web:
        public = key_store.public_key_for(fragment)
        if public is None:
            raise ProofError(f"{verification_method}: no such key in this Pathwise's key store")
        return VerificationMethod(verification_method, controller, public)
    raise ProofError(f"{verification_method}: cannot be resolved offline "
                     "(only did:key, or this deployment's own did:web)")


@dataclass(frozen=True, slots=True)
class ProofCheck:
    valid: bool
    verification_method: str
    controller: str
    error: str = ""


def verify_proof(document: Mapping[str, Any], proof: Mapping[str, Any], *,
                 resolve: Resolver = resolve_offline,
                 extra_contexts: Mapping[str, Any] | None = None,
                 document_digest: Callable[[], bytes] | None = None) -> ProofCheck:
    """Check one proof of `document` (the rest of its `proof` set is ignored).

    `document_digest` gives the document's hash (`document_hash`) when the caller
    checks several proofs of one document and computes it once for all of them.
    """
    vm = str(proof.get("verificationMethod", ""))
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return ProofCheck(False, vm, "", f"unsupported proof type {proof.get('type')!r}/"
                          f"{proof.get('cryptosuite')!r} (expected {PROOF_TYPE}/{CRYPTOSUITE})")
    if proof.get("proofPurpose") != "assertionMethod":
        return ProofCheck(False, vm, "", "proofPurpose is not assertionMethod")
    try:
        method = resolve(vm)
        signature = from_multibase_b58(str(proof.get("proofValue", "")))
        options = {k: v for k, v in proof.items() if k != "proofValue"}
        options["@context"] = document.get("@context")
        hashes = Hashes(
            options_hash(document, options, extra_contexts=extra_contexts),
            document_digest() if document_digest is not None
            else document_hash(document, extra_contexts=extra_contexts))
    except PathwiseError as exc:
        return ProofCheck(False, vm, "", str(exc))
    if not verify_signature(method.public_key, signature, hashes.data):
        return ProofCheck(False, vm, method.controller,
                          "signature does not match the document (altered, or signed by "
                          "another key)")
    return ProofCheck(True, vm, method.controller)
