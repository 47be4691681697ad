"""Offline verification of a credential: bounds, proof, trusted issuer, dates, revocation.

`verify_credential` never raises for a bad credential: it returns a
`Verification` whose `checks` say what was checked and passed and whose `errors`
say what failed, in words a person can act on.

Anyone can send anything to a public verifier, so the work is bounded before
it starts: the document's size, how deeply it nests, how many values it holds
and how many proofs it carries (`MAX_CREDENTIAL_BYTES`, `MAX_DEPTH`,
`MAX_VALUES`, `MAX_PROOFS`). The document is canonicalized once for all its
proofs; each proof adds only its own small options. `load_credential_json`
reads untrusted text within the same bounds, and refuses numbers with
thousands of digits (Python's `int` refuses them with a ValueError).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from pathwise.core.credentials.openbadges import OB_SCHEMA_URL, schema_errors
from pathwise.core.credentials.proof import (
    CRYPTOSUITE,
    Resolver,
    document_hash,
    resolve_offline,
    verify_proof,
)
from pathwise.core.credentials.statuslist import StatusList, StatusListError, entry_index
from pathwise.core.errors import PathwiseError

#: A Pathwise credential is about 5 KB; this leaves room for an embedded image.
MAX_CREDENTIAL_BYTES = 256 * 1024
#: A credential nests about 6 levels deep.
MAX_DEPTH = 32
#: Credentials carry one proof, sometimes two (two cryptosuites).
MAX_PROOFS = 8
#: A Pathwise credential holds about 100 values; the work of every check grows with them.
MAX_VALUES = 5_000
#: No credential property needs more digits; Python's own limit is 4,300.
MAX_NUMBER_DIGITS = 100


class CredentialInputError(PathwiseError):
    """Input a verifier will not look at: not JSON, too large, too deep."""


@dataclass(slots=True)
class Verification:
    checks: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    revoked: bool | None = None  # None: no status list was available to check
    # The issuer's DID when its proof checks but it is not one the verifier trusts.
    untrusted_issuer: str | None = None

    @property
    def verified(self) -> bool:
        return not self.errors and bool(self.checks)

    def to_json(self) -> dict[str, Any]:
        return {"verified": self.verified, "checks": list(self.checks),
                "errors": list(self.errors)}


def load_credential_json(text: str | bytes) -> object:
    """Parse untrusted JSON within the verifier's bounds, or `CredentialInputError`."""
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_CREDENTIAL_BYTES:
        raise CredentialInputError(
            f"the credential is too large ({size:,} bytes; at most "
            f"{MAX_CREDENTIAL_BYTES:,} are checked)")
    try:
        document = json.loads(text, parse_int=_bounded_int, parse_float=_bounded_float,
                              parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise CredentialInputError(
            f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    except RecursionError as exc:
        raise CredentialInputError(_too_deep()) from exc
    except UnicodeDecodeError as exc:
        raise CredentialInputError("not JSON: the text is not UTF-8") from exc
    if _deeper_than(document, MAX_DEPTH):
        raise CredentialInputError(_too_deep())
    return document


def _too_deep() -> str:
    return f"the credential is nested too deeply (more than {MAX_DEPTH} levels)"


def _check_digits(text: str) -> None:
    digits = sum(ch.isdigit() for ch in text)
    if digits > MAX_NUMBER_DIGITS:
        raise CredentialInputError(
            f"the credential has a number with {digits:,} digits; at most "
            f"{MAX_NUMBER_DIGITS} are accepted")


def _bounded_int(text: str) -> int:
    _check_digits(text)
    return int(text)


def _bounded_float(text: str) -> float:
    _check_digits(text)
    value = float(text)
    if not math.isfinite(value):
        raise CredentialInputError(f"the credential has a number too large to read ({text[:20]}…)")
    return value


def _no_constant(name: str) -> Any:
    raise CredentialInputError(f"not JSON: {name} is not a JSON value")


def _deeper_than(document: object, limit: int) -> bool:
    """Does `document` nest more than `limit` objects and arrays deep? (No recursion.)"""
    return _shape(document, limit)[0]


def _shape(document: object, depth_limit: int,
           value_limit: int | None = None) -> tuple[bool, bool]:
    """(nests deeper than `depth_limit`, holds more than `value_limit` values), looking no
    further than the first limit passed."""
    if _within(document, depth_limit, value_limit):
        return False, False
    return _walk(document, depth_limit, value_limit)


def _walk(document: object, depth_limit: int, value_limit: int | None) -> tuple[bool, bool]:
    """`_shape` value by value: which limit is named depends on the order the values are
    met in, this walk's."""
    stack: list[tuple[object, int]] = [(document, 1)]
    values = 0
    while stack:
        node, depth = stack.pop()
        values += 1
        if value_limit is not None and values > value_limit:
            return False, True
        if isinstance(node, dict):
            children: Collection[object] = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > depth_limit:
            return True, False
        stack.extend((child, depth + 1) for child in children)
    return False, False


def _within(document: object, depth_limit: int, value_limit: int | None) -> bool:
    """Whether `document` is within both limits: `_shape`'s answer for every document a
    verifier checks, level by level, without a tuple per value."""
    level = [document]
    depth = 1
    values = 0
    while level:
        values += len(level)
        if value_limit is not None and values > value_limit:
            return False
        below: list[object] = []
        for node in level:
            if isinstance(node, dict):
                if depth > depth_limit:
                    return False
                below.extend(node.values())
            elif isinstance(node, list):
                if depth > depth_limit:
                    return False
                below.extend(node)
        level = below
        depth += 1
    return True


def _bounds_error(credential: Mapping[str, Any]) -> str | None:
    """Why the verifier will not look at this document, or None."""
    too_deep, too_many = _shape(credential, MAX_DEPTH, MAX_VALUES)
    if too_deep:
        return _too_deep()
    if too_many:
        return (f"the credential has more than {MAX_VALUES:,} values (objects, arrays, "
                "strings, numbers); that many are not checked")
    size = len(json.dumps(credential, ensure_ascii=False).encode("utf-8"))
    if size > MAX_CREDENTIAL_BYTES:
        return (f"the credential is too large ({size:,} bytes; at most "
                f"{MAX_CREDENTIAL_BYTES:,} are checked)")
    proofs = credential.get("proof")
    if isinstance(proofs, list) and len(proofs) > MAX_PROOFS:
        return (f"the credential has {len(proofs)} proofs; at most {MAX_PROOFS} are checked")
    return None


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


def _once(compute: Callable[[], bytes]) -> Callable[[], bytes]:
    """`compute`, run at most once: its result, or its error, is kept for later calls."""
    kept: list[bytes | PathwiseError] = []

    def get() -> bytes:
        if not kept:
            try:
                kept.append(compute())
            except PathwiseError as exc:
                kept.append(exc)
        value = kept[0]
        if isinstance(value, PathwiseError):
            raise value
        return value

    return get


def verify_credential(credential: object, *, trusted: Collection[str],
                      now: dt.datetime | None = None,
                      status_list: Mapping[str, Any] | None = None,
                      resolve: Resolver = resolve_offline,
                      extra_contexts: Mapping[str, Any] | None = None) -> Verification:
    """Check a credential offline.

    `trusted` is the set of issuer DIDs this verifier accepts (`trust.trusted_issuers`):
    a credential correctly signed by any other issuer is not verified, and its
    DID is kept in `untrusted_issuer`. `status_list` is the
    `BitstringStatusListCredential` the credential's status entry points at;
    without it, revocation is reported as not checked (not an error). The status
    list credential's own proof is verified too.
    """
    result = Verification()
    now = now or dt.datetime.now(dt.UTC)
    if not isinstance(credential, dict):
        result.errors.append("not a credential: expected a JSON object")
        return result
    refused = _bounds_error(credential)
    if refused:
        result.errors.append(refused)
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
    digest = _once(lambda: document_hash(credential, extra_contexts=extra_contexts))
    signed_by_issuer = False
    for proof in ours:
        check = verify_proof(credential, proof, resolve=resolve, extra_contexts=extra_contexts,
                             document_digest=digest)
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
            signed_by_issuer = True
    if signed_by_issuer and issuer is not None:
        if issuer in trusted:
            result.checks.append(f"issuer: {issuer} is a trusted issuer")
        else:
            result.untrusted_issuer = issuer
            result.errors.append(
                f"untrusted issuer: {issuer} signed this credential correctly, but is not "
                "an issuer this verifier trusts")
    _check_dates(credential, now, result)
    _check_schema(credential, result)
    if result.errors:
        return result
    _check_status(credential, status_list, result, trusted=trusted, now=now, resolve=resolve,
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
                  result: Verification, *, trusted: Collection[str], now: dt.datetime,
                  resolve: Resolver,
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
        if issuer_id(status_list) != issuer_id(credential):
            raise StatusListError("status list credential has another issuer")
        list_check = verify_credential(status_list, trusted=trusted, now=now,
                                       resolve=resolve, extra_contexts=extra_contexts)
        if not list_check.verified:
            raise StatusListError("status list credential does not verify: "
                                  + "; ".join(list_check.errors))
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
