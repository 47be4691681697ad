"""Issuing: the one place that ties a program's badge, the issuer's key and the status list.

The Django app and the CLI call these; both pass an `IssuerSettings` (where the
deployment publishes credentials, and whether its issuer is `did:key` (the
default) or `did:web:<domain>`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pathwise.core.audit import Audit
from pathwise.core.credentials.keys import KeyPair, KeyStore
from pathwise.core.credentials.openbadges import Holder, achievement_info, build_credential
from pathwise.core.credentials.proof import (
    Resolver,
    VerificationMethod,
    resolve_offline,
    sign,
    utc_stamp,
)
from pathwise.core.credentials.statuslist import MIN_BITS, StatusList, status_list_credential
from pathwise.core.errors import PathwiseError
from pathwise.core.program import Program

DEFAULT_BASE_URL = "http://127.0.0.1:8000"  # the same default as the site settings


@dataclass(frozen=True, slots=True)
class IssuerSettings:
    """Where credentials live, and how the issuer is named.

    `did_web` (e.g. `did:web:badges.example.org`) replaces the default `did:key`
    issuer; its verification methods are then resolved from the local key store.
    """

    base_url: str = DEFAULT_BASE_URL
    did_web: str | None = None

    def status_list_url(self, key: KeyPair) -> str:
        """One revocation list per signing key: a list's issuer must be its credentials'
        issuer, and with `did:key` every key is its own issuer."""
        return f"{self.base_url.rstrip('/')}/credentials/status/{key.public_multikey}"

    def credential_url(self, credential_uuid: str) -> str:
        return f"{self.base_url.rstrip('/')}/credentials/{credential_uuid}"

    def issuer_id(self, key: KeyPair) -> str:
        return self.did_web or key.did_key

    def verification_method(self, key: KeyPair) -> str:
        return key.verification_method(self.did_web)

    def resolver(self, key_store: KeyStore | None = None) -> Resolver:
        """Resolve did:key from itself, and our own did:web from `key_store`."""

        def resolve(vm: str) -> VerificationMethod:
            return resolve_offline(vm, key_store=key_store, did_web=self.did_web)

        return resolve


def issue_credential(program: Program, achievement: str, holder: Holder, *,
                     earned_on: dt.date, credential_uuid: str, status_index: int,
                     key: KeyPair, settings: IssuerSettings, created: dt.datetime | None = None,
                     salt: str | None = None) -> dict[str, Any]:
    """Build and sign the `OpenBadgeCredential` for one earned achievement."""
    unsigned = build_credential(
        program, achievement, holder,
        credential_id=settings.credential_url(credential_uuid),
        issuer_id=settings.issuer_id(key),
        earned_on=earned_on,
        base_url=settings.base_url,
        status_list_url=settings.status_list_url(key),
        status_index=status_index,
        salt=salt,
    )
    return sign(unsigned, key, verification_method=settings.verification_method(key),
                created=utc_stamp(created))


def sign_status_list(status: StatusList, *, key: KeyPair, settings: IssuerSettings,
                     created: dt.datetime | None = None) -> dict[str, Any]:
    """The signed `BitstringStatusListCredential` of `key`'s credentials, to serve at
    `settings.status_list_url(key)`. Sign with the key that signed the credentials
    the list covers (`KeyStore.find`), so the list's issuer is theirs."""
    stamp = utc_stamp(created)
    unsigned = status_list_credential(settings.status_list_url(key), settings.issuer_id(key),
                                      status, stamp)
    return sign(unsigned, key, verification_method=settings.verification_method(key),
                created=stamp)


def prepare_signing(programs: Iterable[Program], settings: IssuerSettings) -> None:
    """Sign, and throw away, one credential of each achievement and a status list, so
    that the first real signature finds the contexts read and each document's shape
    worked out (`canon`): a worker calls this before it takes any work."""
    key = KeyPair(bytes(32))
    day = dt.date(2000, 1, 1)
    for program in programs:
        codes = [c.code for c in program.components.values() if c.badge] + [program.id]
        for code in codes:
            for email in ("holder@example.org", None):
                issue_credential(program, code, Holder("P-0", "Holder", email), earned_on=day,
                                 credential_uuid=str(uuid.UUID(int=0)), status_index=0,
                                 key=key, settings=settings)
    sign_status_list(StatusList.with_revoked([]), key=key, settings=settings)


# -- is it earned? ------------------------------------------------------------------


class NotEarnedError(PathwiseError):
    """The records do not earn the achievement; the message names what is missing."""


def earned_on(program: Program, audit: Audit, achievement: str) -> dt.date:
    """The day the audit's records earned `achievement`, or `NotEarnedError` naming
    the unmet requirement (the final badge names every unmet one)."""
    achievement_info(program, achievement)  # unknown achievements are refused first
    for badge in audit.badges:
        if badge.achievement == achievement:
            return badge.earned_on
    who = audit.participant
    if achievement == program.id:
        unmet = audit.unmet
        if unmet:
            first = unmet[0]
            more = f" (and {', '.join(r.id for r in unmet[1:])})" if len(unmet) > 1 else ""
            raise NotEarnedError(f"{who} has not earned {achievement}: requirement {first.id} "
                                 f"is not met: {first.explanation}{more}")
        raise NotEarnedError(f"{who} has not earned {achievement}: the requirements were met "
                             f"after the deadline {audit.deadline.isoformat()}")
    for result in audit.requirements:
        if achievement in result.requirement.components and not result.met:
            raise NotEarnedError(f"{who} has not earned {achievement}: requirement {result.id} "
                                 f"is not met: {result.explanation}")
    raise NotEarnedError(f"{who} has not earned {achievement}: {achievement} is not passed or "
                         f"credited as of {audit.as_of.isoformat()}")


def cli_credential_uuid(settings: IssuerSettings, audit: Audit, achievement: str) -> str:
    """A stable id for a credential issued from a records file (no database to number it)."""
    name = f"{settings.base_url}|{audit.program}|{audit.participant}|{achievement}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def cli_status_index(credential_uuid: str) -> int:
    """A status index derived from the credential id; the Django app allocates its own."""
    return uuid.UUID(credential_uuid).int % MIN_BITS


# -- did:web ------------------------------------------------------------------------


def did_web_for(base_url: str) -> str:
    """`did:web:<host>` for a deployment at `base_url` (a port is written `%3A`; a path
    becomes `:`-separated, and its document is then at `<path>/did.json`)."""
    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.hostname:
        raise PathwiseError(f"{base_url!r}: did:web needs an https URL with a host")
    host = parts.hostname + (f"%3A{parts.port}" if parts.port else "")
    path = [p for p in parts.path.split("/") if p]
    return ":".join(["did", "web", host, *path])


def did_web_document(did_web: str, keys: list[KeyPair]) -> dict[str, Any]:
    """The DID document to serve at `https://<host>/.well-known/did.json`: every key,
    current and rotated out, so credentials signed with old keys still resolve."""
    methods = [{"id": key.verification_method(did_web), "type": "Multikey",
                "controller": did_web, "publicKeyMultibase": key.public_multikey}
               for key in keys]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did_web,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }
