"""Signing and verifying an Open Badges 3.0 credential, against a raw Ed25519 signature.

    .venv/bin/python bench/credentials.py

Each round builds nothing new: the unsigned credential is built once. "sign" is
`proof.sign` (RDFC-1.0 of the proof options and of the document, two SHA-256,
one Ed25519 signature); "verify" is `verify.verify_credential` (input bounds,
the same canonicalization, the signature check, trusted issuer, dates and the
OB 3.0 JSON schema). The baseline is a raw Ed25519 signature of the same
canonical bytes, timed in the same run. The schema check alone is also timed
with the validator built once (as `schema_errors` does) and built anew for
each check (as it used to). Best of several rounds, run in turn. The last line
is `ratio: X` (signing / raw).
"""

from __future__ import annotations

import datetime as dt

import jsonschema_rs
from timing import best_of

from pathwise.core.credentials.canon import canonicalize
from pathwise.core.credentials.issuer import IssuerSettings
from pathwise.core.credentials.keys import KeyPair
from pathwise.core.credentials.openbadges import Holder, build_credential, ob_schema, schema_errors
from pathwise.core.credentials.proof import sign
from pathwise.core.credentials.verify import verify_credential
from pathwise.core.program import ProgramLibrary

REPEAT = 50
ROUNDS = 7


def main() -> None:
    program = ProgramLibrary.shipped().get("cscce-cm", "2023")
    assert program is not None
    key = KeyPair.generate()
    settings = IssuerSettings(base_url="https://badges.example.org")
    unsigned = build_credential(
        program, "CODE", Holder("P-001", "Ada Lovelace", "ada@example.org"),
        credential_id=settings.credential_url("0b6f1c9e-2f2e-4d59-9a55-6b1c0a1d2e3f"),
        issuer_id=key.did_key, earned_on=dt.date(2024, 3, 5), base_url=settings.base_url,
        status_list_url=settings.status_list_url(key), status_index=7)
    signed = sign(unsigned, key, created="2025-01-01T00:00:00Z")
    canonical = canonicalize(unsigned).encode("utf-8")
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert verify_credential(signed, trusted={key.did_key}, now=now).verified

    def raw() -> None:
        for _ in range(REPEAT):
            key.sign(canonical)

    def signing() -> None:
        for _ in range(REPEAT):
            sign(unsigned, key, created="2025-01-01T00:00:00Z")

    def verifying() -> None:
        for _ in range(REPEAT):
            verify_credential(signed, trusted={key.did_key}, now=now)

    def schema_once() -> None:
        for _ in range(REPEAT):
            schema_errors(signed)

    def schema_per_check() -> None:
        for _ in range(REPEAT):
            validator = jsonschema_rs.Draft201909Validator(ob_schema(), validate_formats=True)
            list(validator.iter_errors(signed))

    t_raw, t_sign, t_verify, t_once, t_each = (
        t / REPEAT for t in best_of(ROUNDS, raw, signing, verifying, schema_once,
                                    schema_per_check))
    print(f"canonical document: {len(canonical)} bytes")
    print(f"raw Ed25519 signature: {t_raw * 1e6:.1f} µs")
    print(f"sign credential:       {t_sign * 1e6:.1f} µs ({t_sign / t_raw:.1f}x)")
    print(f"verify credential:     {t_verify * 1e6:.1f} µs ({t_verify / t_raw:.1f}x)")
    print(f"schema check:          {t_once * 1e6:.1f} µs (validator built for each check: "
          f"{t_each * 1e6:.1f} µs)")
    print(f"ratio: {t_sign / t_raw:.1f}")


if __name__ == "__main__":
    main()
