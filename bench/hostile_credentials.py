"""Hostile input on the public verifier: the worst a stranger can send, against a real badge.

    .venv/bin/python bench/hostile_credentials.py

Each case is what `/verify/` and `pathwise verify` do with the text (parse it
within bounds, then verify against the trusted issuers), timed against the
same for the CODE course credential, in the same run, best of several rounds:

- the flood of the report: a 214 KB credential with 100 proofs (refused by count);
- the most proofs let through (8), each with a valid signature, on a document
  filled to the size and value limits with distinct tags (many statements,
  the costly kind);
- the same document with one proof;
- nesting just past the depth limit, and a 5,000-digit number.

The last line is `ratio: X`, the slowest case's time per proof over the normal
credential's.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from timing import best_of

from pathwise.core.credentials.issuer import IssuerSettings, issue_credential
from pathwise.core.credentials.keys import KeyPair
from pathwise.core.credentials.openbadges import Holder
from pathwise.core.credentials.proof import sign
from pathwise.core.credentials.verify import (
    MAX_CREDENTIAL_BYTES,
    MAX_DEPTH,
    MAX_PROOFS,
    MAX_VALUES,
    CredentialInputError,
    load_credential_json,
    verify_credential,
)
from pathwise.core.program import ProgramLibrary

ROUNDS = 5
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def padded_to_limit(unsigned: dict[str, Any], proofs: int, key: KeyPair) -> str:
    """`unsigned` with as many distinct tags as the value limit lets through, each as long
    as the size limit lets them be once signed `proofs` times: the most work allowed."""
    tags, width = MAX_VALUES - 200, MAX_CREDENTIAL_BYTES // MAX_VALUES
    while True:
        subject = unsigned["credentialSubject"]
        achievement = {**subject["achievement"],
                       "tag": [f"{i:05d}".ljust(width, "x") for i in range(tags)]}
        signed = {**unsigned, "credentialSubject": {**subject, "achievement": achievement}}
        for _ in range(proofs):
            signed = sign(signed, key, created="2025-01-01T00:00:00Z")
        text = json.dumps(signed)
        if len(text) <= MAX_CREDENTIAL_BYTES:
            return text
        width -= 1


def main() -> None:
    program = ProgramLibrary.shipped().get("cscce-cm", "2023")
    assert program is not None
    key = KeyPair.generate()
    settings = IssuerSettings(base_url="https://badges.example.org")
    signed = issue_credential(
        program, "CODE", Holder("P-001", "Ada Lovelace", "ada@example.org"),
        earned_on=dt.date(2024, 3, 5), credential_uuid="0b6f1c9e-2f2e-4d59-9a55-6b1c0a1d2e3f",
        status_index=7, key=key, settings=settings)
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    normal = json.dumps(signed)
    flood = {**signed, "proof": signed["proof"] * 100,
             "description": "x" * (214_000 - len(json.dumps(signed["proof"] * 100)))}
    cases: dict[str, tuple[str, int]] = {
        "normal credential (1 proof)": (normal, 1),
        "214 KB, 100 proofs": (json.dumps(flood), 100),
        f"{MAX_PROOFS} proofs, at the size and value limits": (
            padded_to_limit(unsigned, MAX_PROOFS, key), MAX_PROOFS),
        "1 proof, at the size and value limits": (padded_to_limit(unsigned, 1, key), 1),
        f"nested {MAX_DEPTH + 1} deep": ('{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1),
                                         1),
        "a 5,000-digit number": ('{"n": ' + "7" * 5000 + "}", 1),
    }
    trusted = {key.did_key}

    def work(text: str) -> Callable[[], object]:
        def run() -> object:
            try:
                return verify_credential(load_credential_json(text), trusted=trusted, now=NOW)
            except CredentialInputError as exc:
                return exc
        return run

    for name, (text, _) in cases.items():
        outcome = work(text)()
        said = str(outcome) if isinstance(outcome, Exception) else (
            "verified" if outcome.verified else outcome.errors[0])  # type: ignore[attr-defined]
        print(f"{name}: {len(text):,} bytes -> {said[:90]}")
    times = best_of(ROUNDS, *(work(text) for text, _ in cases.values()))
    base = times[0]
    worst = 0.0
    for (name, (_, proofs)), seconds in zip(cases.items(), times, strict=True):
        per_proof = seconds / proofs
        worst = max(worst, per_proof)
        print(f"{name:42} {seconds * 1e3:9.2f} ms  ({per_proof * 1e3:8.2f} ms per proof)")
    print(f"ratio: {worst / base:.1f}")


if __name__ == "__main__":
    main()
