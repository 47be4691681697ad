"""Signing and verifying an Open Badges 3.0 credential, against a raw Ed25519 signature.

    .venv/bin/python bench/credentials.py

Fifty CODE credentials of different holders (names, e-mails, ids, status
entries, signing times) are built once. "sign" is `proof.sign` of each
(RDFC-1.0 of the proof options and of the document, two SHA-256, one Ed25519
signature); "verify" is `verify.verify_credential` of each signed one (input
bounds, the same canonicalization, the signature check, trusted issuer, dates
and the OB 3.0 JSON schema). The baseline is a raw Ed25519 signature of each
one's canonical bytes (`KeyPair.sign`: the key from its seed, then the
signature), timed in the same run. The schema check alone is also timed with
the validator built once (as `schema_errors` does) and built anew for each
check (as it used to). Best of several rounds, run in turn.

"first" is the first signature in a fresh process, after the imports and
after `prepare_signing` (what `db_worker` does before it takes work), against
the raw signature; the start-up and a first signature without preparing are
shown too. Median of five processes. The last line is `ratio: X` (signing /
raw).
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import time
import uuid
from typing import Any

import jsonschema_rs
from timing import best_of

from pathwise.core.credentials.canon import canonicalize
from pathwise.core.credentials.issuer import IssuerSettings
from pathwise.core.credentials.keys import KeyPair
from pathwise.core.credentials.openbadges import Holder, build_credential, ob_schema, schema_errors
from pathwise.core.credentials.proof import sign
from pathwise.core.credentials.verify import verify_credential
from pathwise.core.program import Program, ProgramLibrary

REPEAT = 50
ROUNDS = 7
PROCESSES = 5
SETTINGS = IssuerSettings(base_url="https://badges.example.org")

FIRST = """
import datetime as dt, sys, time
from pathwise.core.credentials.issuer import IssuerSettings, prepare_signing
from pathwise.core.credentials.keys import KeyPair
from pathwise.core.credentials.openbadges import Holder, build_credential
from pathwise.core.credentials.proof import sign
from pathwise.core.program import ProgramLibrary
library = ProgramLibrary.shipped()
settings = IssuerSettings(base_url="https://badges.example.org")
key = KeyPair.generate()
start = time.perf_counter()
if sys.argv[1] == "prepared":
    prepare_signing(library, settings)
prepared = time.perf_counter()
program = library.get("cscce-cm", "2023")
unsigned = build_credential(program, "CODE", Holder("P-77", "Grace Hopper", "grace@example.org"),
    credential_id=settings.credential_url("6f1c0b9e-2f2e-4d59-9a55-6b1c0a1d2e3f"),
    issuer_id=key.did_key, earned_on=dt.date(2025, 6, 1), base_url=settings.base_url,
    status_list_url=settings.status_list_url(key), status_index=3)
built = time.perf_counter()
sign(unsigned, key, created="2025-06-02T10:00:00Z")
print(prepared - start, time.perf_counter() - built)
"""


def credential(program: Program, key: KeyPair, n: int) -> dict[str, Any]:
    return build_credential(
        program, "CODE", Holder(f"P-{n:03d}", f"Participant {n}", f"p{n}@example.org"),
        credential_id=SETTINGS.credential_url(str(uuid.UUID(int=n))),
        issuer_id=key.did_key, earned_on=dt.date(2024, 3, 5) + dt.timedelta(days=n),
        base_url=SETTINGS.base_url, status_list_url=SETTINGS.status_list_url(key),
        status_index=n)


def first_signature(mode: str) -> tuple[float, float]:
    """(start-up, first signature) in a fresh process, the medians of several."""
    runs = [subprocess.run([sys.executable, "-c", FIRST, mode],  # noqa: S603 (our own script)
                           capture_output=True, text=True,
                           check=True).stdout.split() for _ in range(PROCESSES)]
    return (statistics.median(float(r[0]) for r in runs),
            statistics.median(float(r[1]) for r in runs))


def main() -> None:
    program = ProgramLibrary.shipped().get("cscce-cm", "2023")
    assert program is not None
    key = KeyPair.generate()
    unsigned = [credential(program, key, n) for n in range(REPEAT)]
    stamps = [f"2025-01-01T00:{n // 60:02d}:{n % 60:02d}Z" for n in range(REPEAT)]
    signed = [sign(u, key, created=c) for u, c in zip(unsigned, stamps, strict=True)]
    canonical = [canonicalize(u).encode("utf-8") for u in unsigned]
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert all(verify_credential(s, trusted={key.did_key}, now=now).verified for s in signed)

    def raw() -> None:
        for data in canonical:
            key.sign(data)

    def signing() -> None:
        for document, created in zip(unsigned, stamps, strict=True):
            sign(document, key, created=created)

    # Built once, as a verifier holds its trusted issuers (`trust.trusted_issuers`).
    trusted = {key.did_key}

    def verifying() -> None:
        for document in signed:
            verify_credential(document, trusted=trusted, now=now)

    def schema_once() -> None:
        for document in signed:
            schema_errors(document)

    def schema_per_check() -> None:
        for document in signed:
            validator = jsonschema_rs.Draft201909Validator(ob_schema(), validate_formats=True)
            list(validator.iter_errors(document))

    t_raw, t_sign, t_verify, t_once, t_each = (
        t / REPEAT for t in best_of(ROUNDS, raw, signing, verifying, schema_once,
                                    schema_per_check))
    c_raw, c_sign, c_verify = best_of(ROUNDS, raw, signing, verifying, clock=time.process_time)
    startup, first = first_signature("prepared")
    _, cold = first_signature("cold")
    print(f"canonical document: {len(canonical[0])} bytes")
    print(f"raw Ed25519 signature: {t_raw * 1e6:.1f} µs")
    print(f"sign credential:       {t_sign * 1e6:.1f} µs ({t_sign / t_raw:.1f}x)")
    print(f"verify credential:     {t_verify * 1e6:.1f} µs ({t_verify / t_raw:.1f}x)")
    print(f"in CPU time (this process only): sign {c_sign / c_raw:.1f}x, "
          f"verify {c_verify / c_raw:.1f}x the raw signature")
    print(f"schema check:          {t_once * 1e6:.1f} µs (validator built for each check: "
          f"{t_each * 1e6:.1f} µs)")
    print(f"first in a process:    {first * 1e6:.1f} µs ({first / t_raw:.1f}x) after "
          f"prepare_signing ({startup * 1e3:.1f} ms); without it {cold * 1e6:.1f} µs "
          f"({cold / t_raw:.1f}x)")
    print(f"ratio: {t_sign / t_raw:.1f}")


if __name__ == "__main__":
    main()
