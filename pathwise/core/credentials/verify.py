"""Offline verification of a credential: proof, issuer, dates, revocation.

`verify_credential` never raises for a bad credential: it returns a
`Verification` whose `checks` say what was checked and passed and whose `errors`
say what failed, in words a person can act on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pathwise.core.credentials.openbadges import OB_SCHEMA_URL, schema_errors
from pathwise.core.credentials.proof import (
    CRYPTOSUITE,
    Resolver,
    resolve_offline,
    verify_proof,
)
from pathwise.core.credentials.statuslist import StatusList, StatusListError, entry_index
from pathwise.core.errors import PathwiseError


@dataclass(slots=True)
class Verification:
    checks: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    revoked: bool | None = None  # None: no status list was available to check

    @property
    def verified(self) -> bool:
        return not self.errors and bool(self.checks)

    def to_json(self) -> dict[str, Any]:
        return {"verified": self.verified, "checks": list(self.checks),
                "errors": list(self.errors)}


def parse_timestamp(value: object) -> dt.datetime | None:
    """An XML Schema dateTime with a zone (or `Z`), or None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, dict) and isinstance(issuer.get("id"), str):
        return str(issuer["id"])
    return None


def verify_credential(credential: object, *, now: dt.datetime | None = None,
                      status_list: Mapping[str, Any] | None = None,
                      resolve: Resolver = resolve_offline,
                      extra_contexts: Mapping[str, Any] | None = None) -> Verification:
    """Check a credential offline.

    `status_list` is the `BitstringStatusListCredential` the credential's status
    entry points at; without it, revocation is reported as not checked (not an
    error). The status list credential's own proof is verified too.
    """
    result = Verification()
    now = now or dt.datetime.now(dt.UTC)
    if not isinstance(credential, dict):
        result.errors.append("not a credential: expected a JSON object")
        return result
    proofs = credential.get("proof")
    if isinstance(proofs, dict):
        proofs = [proofs]
    if not isinstance(proofs, list) or not proofs:
        result.errors.append("no proof: the credential is not signed")
        return result
    issuer = issuer_id(credential)
    if issuer is None:
        result.errors.append("no issuer id")
    ours = [p for p in proofs if isinstance(p, dict) and p.get("cryptosuite") == CRYPTOSUITE]
    if not ours:
        result.errors.append(f"no {CRYPTOSUITE} proof")
    for proof in ours:
        check = verify_proof(credential, proof, resolve=resolve, extra_contexts=extra_contexts)
        if not check.valid:
            result.errors.append(f"proof by {check.verification_method or '?'}: {check.error}")
            continue
        result.checks.append(f"proof: {CRYPTOSUITE} signature by {check.verification_method}")
        if issuer is not None and check.controller != issuer:
            result.errors.append(
                f"issuer {issuer} is not the controller of the verification method "
                f"({check.controller})")
        elif issuer is not None:
            result.checks.append(f"issuer: {issuer} controls the signing key")
    _check_dates(credential, now, result)
    _check_schema(credential, result)
    if result.errors:
        return result
    _check_status(credential, status_list, result, now=now, resolve=resolve,
                  extra_contexts=extra_contexts)
    return result


def _check_dates(credential: Mapping[str, Any], now: dt.datetime, result: Verification) -> None:
    valid_from = credential.get("validFrom")
    start = parse_timestamp(valid_from)
    if valid_from is None:
        result.errors.append("no validFrom")
    elif start is None:
        result.errors.append(f"validFrom {valid_from!r} is not a date-time with a time zone")
    elif start > now:
        result.errors.append(f"not valid yet: validFrom is {valid_from}")
    else:
        result.checks.append(f"validFrom: {valid_from} has passed")
    valid_until = credential.get("validUntil")
    if valid_until is not None:
        end = parse_timestamp(valid_until)
        if end is None:
            result.errors.append(f"validUntil {valid_until!r} is not a date-time with a time zone")
        elif end < now:
            result.errors.append(f"expired: validUntil was {valid_until}")
        else:
            result.checks.append(f"validUntil: {valid_until} has not passed")


def _check_schema(credential: Mapping[str, Any], result: Verification) -> None:
    """Credentials that name the OB 3.0 schema are checked against the shipped copy."""
    schemas = credential.get("credentialSchema")
    listed = schemas if isinstance(schemas, list) else [schemas]
    if not any(isinstance(s, dict) and s.get("id") == OB_SCHEMA_URL for s in listed):
        return
    errors = schema_errors(credential)
    if errors:
        result.errors.extend(f"OB 3.0 schema: {e}" for e in errors[:5])
    else:
        result.checks.append("schema: a valid OB 3.0 AchievementCredential")


def _check_status(credential: Mapping[str, Any], status_list: Mapping[str, Any] | None,
                  result: Verification, *, now: dt.datetime, resolve: Resolver,
                  extra_contexts: Mapping[str, Any] | None) -> None:
    entry = credential.get("credentialStatus")
    if entry is None:
        result.checks.append("status: the credential has no status entry")
        return
    if not isinstance(entry, dict):
        result.errors.append("credentialStatus is not one object")
        return
    if status_list is None:
        result.checks.append("status: not checked (no status list available offline)")
        return
    try:
        index = entry_index(entry)
        if entry.get("statusPurpose") != "revocation":
            raise StatusListError(f"statusPurpose {entry.get('statusPurpose')!r} is not revocation")
        if status_list.get("id") != entry.get("statusListCredential"):
            raise StatusListError(
                f"the status list given is {status_list.get('id')!r}, but the credential "
                f"points at {entry.get('statusListCredential')!r}")
        list_check = verify_credential(status_list, now=now, resolve=resolve,
                                       extra_contexts=extra_contexts)
        if not list_check.verified:
            raise StatusListError("status list credential does not verify: "
                                  + "; ".join(list_check.errors))
        if issuer_id(status_list) != issuer_id(credential):
            raise StatusListError("status list credential has another issuer")
        subject = status_list.get("credentialSubject")
        if not isinstance(subject, dict) or subject.get("statusPurpose") != "revocation":
            raise StatusListError("status list credential is not a revocation list")
        bits = StatusList.decode(str(subject.get("encodedList", "")))
        revoked = bits.get(index)
    except PathwiseError as exc:
        result.errors.append(f"status: {exc}")
        return
    result.revoked = revoked
    if revoked:
        result.errors.append(
            f"revoked: entry {index} of {entry.get('statusListCredential')} is set")
    else:
        result.checks.append(f"status: not revoked (entry {index} of the signed status list)")
