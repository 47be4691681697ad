"""Open Badges 3.0 `OpenBadgeCredential`s built from a program's data.

The shape is the one that verifies everywhere (shared/credentials-interop.md):
contexts VC 2.0, OB 3.0.3 and the OB extensions; an issuer `Profile` whose id is
the signing DID; an `AchievementSubject` identified by a salted SHA-256 of the
holder's e-mail (the OB `IdentityObject`), with the holder's name as a second,
unhashed `IdentityObject` of type `name`; the `Achievement` from the program data;
the OB 3.0 `credentialSchema`; and a `BitstringStatusListEntry`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs

from pathwise.core.credentials.documents import OB_EXTENSIONS, OB_V3, VC_V2
from pathwise.core.credentials.statuslist import status_entry
from pathwise.core.errors import PathwiseError
from pathwise.core.program import Component, Program

OB_SCHEMA_URL = ("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
                 "ob_v3p0_achievementcredential_schema.json")
OB_SCHEMA_PATH = (Path(__file__).resolve().parent / "schema"
                  / "ob_v3p0_achievementcredential_schema.json")
CONTEXT = [VC_V2, OB_V3, OB_EXTENSIONS]


class AchievementError(PathwiseError):
    """An achievement id names nothing in the program that carries a badge."""


@dataclass(frozen=True, slots=True)
class AchievementInfo:
    """What the credential says about an achievement: all from the program's data."""

    code: str
    name: str
    description: str
    criteria: str
    achievement_type: str


def achievement_info(program: Program, achievement: str) -> AchievementInfo:
    """The badge for a component code (`badge = true`) or the program id (final badge)."""
    if achievement == program.id:
        final = program.final_badge
        return AchievementInfo(program.id, final.name, final.description, final.criteria,
                               "Certification")
    component = program.components.get(achievement)
    if component is None or not component.badge:
        badges = [c.code for c in program.components.values() if c.badge]
        raise AchievementError(
            f"{achievement!r} is not an achievement of {program.id} {program.version} "
            f"(one of: {', '.join([*badges, program.id])})")
    return AchievementInfo(component.code, component.name, component.description,
                           course_criteria(component), "Course")


def course_criteria(component: Component) -> str:
    """"Passed Content Design (CODE): attended at least 11 of 12 sessions and passed …"."""
    head = f"Passed {component.name} ({component.code})"
    rule = component.graduation
    if rule is None:
        return head + "."
    parts = []
    if rule.min_sessions and component.sessions:
        parts.append(f"attended at least {rule.min_sessions} of {component.sessions} sessions")
    if rule.assessments:
        noun = "assessment" if len(rule.assessments) == 1 else "assessments"
        parts.append(f"passed the {' and '.join(rule.assessments)} {noun}")
    return head + (": " + " and ".join(parts) if parts else "") + "."


def identity_hash(identity: str, salt: str) -> str:
    """OB 3.0 IdentityHash: `sha256$` + hex(SHA-256(identity + salt))."""
    return "sha256$" + hashlib.sha256((identity + salt).encode("utf-8")).hexdigest()


def achievement_url(base_url: str, program: Program, achievement: str) -> str:
    return f"{base_url.rstrip('/')}/achievements/{program.id}/{achievement}"


@dataclass(frozen=True, slots=True)
class Holder:
    """Who earned it. Without an e-mail, the participant id is hashed instead."""

    participant_id: str
    name: str
    email: str | None = None


def build_credential(program: Program, achievement: str, holder: Holder, *,
                     credential_id: str, issuer_id: str, earned_on: dt.date,
                     base_url: str, status_list_url: str, status_index: int,
                     image_url: str | None = None, salt: str | None = None) -> dict[str, Any]:
    """An unsigned `OpenBadgeCredential` (sign it with `proof.sign`).

    `credential_id` is the credential's public URL (e.g. https://HOST/credentials/<uuid>),
    `issuer_id` the DID whose key will sign, `base_url` where achievements are
    published, and the status entry points at `status_index` in `status_list_url`.
    """
    info = achievement_info(program, achievement)
    achievement_id = achievement_url(base_url, program, info.code)
    salt = salt if salt is not None else secrets.token_hex(8)
    if holder.email:
        identity, identity_type = holder.email.strip().lower(), "emailAddress"
    else:
        identity, identity_type = holder.participant_id, "systemId"
    return {
        "@context": list(CONTEXT),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": info.name,
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": program.issuer},
        "validFrom": f"{earned_on.isoformat()}T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityHash": identity_hash(identity, salt),
                 "identityType": identity_type, "hashed": True, "salt": salt},
                {"type": "IdentityObject", "identityHash": holder.name,
                 "identityType": "name", "hashed": False},
            ],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": info.achievement_type,
                "name": info.name,
                "description": info.description,
                "criteria": {"narrative": info.criteria},
                "image": {"id": image_url or f"{achievement_id}/image.png", "type": "Image"},
            },
        },
        "credentialSchema": [{"id": OB_SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}],
        "credentialStatus": status_entry(status_list_url, status_index),
    }


def holder_name(credential: Mapping[str, Any]) -> str | None:
    """The holder's name as the credential states it (an unhashed `name` identity)."""
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict):
        return None
    for identity in subject.get("identifier") or []:
        if (isinstance(identity, dict) and identity.get("identityType") == "name"
                and identity.get("hashed") is False):
            value = identity.get("identityHash")
            return value if isinstance(value, str) else None
    return None


def earned_day(credential: Mapping[str, Any]) -> dt.date | None:
    """The day the credential says it was earned: its `awardedDate`, else its `validFrom`.

    The day as the issuer wrote it: ours stamp the participant's day at midnight UTC,
    which the viewer's zone would move to the day before west of Greenwich.
    """
    for key in ("awardedDate", "validFrom"):
        value = credential.get(key)
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def achievement_name(credential: Mapping[str, Any]) -> str | None:
    """The achievement's name as the credential states it."""
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    name = achievement.get("name") if isinstance(achievement, dict) else None
    return name if isinstance(name, str) else None


def email_matches(credential: Mapping[str, Any], email: str) -> bool:
    """Does the credential's hashed e-mail identity belong to `email`?"""
    subject = credential.get("credentialSubject")
    identities = subject.get("identifier") or [] if isinstance(subject, dict) else []
    for identity in identities:
        if isinstance(identity, dict) and identity.get("identityType") == "emailAddress":
            salt = identity.get("salt") or ""
            if identity.get("identityHash") == identity_hash(email.strip().lower(), salt):
                return True
    return False


@functools.cache
def ob_schema() -> Any:
    return json.loads(OB_SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.cache
def _ob_validator() -> jsonschema_rs.Draft201909Validator:
    """Built once per process: building compiles the whole schema, which costs many
    times a check. Validators keep no state between checks."""
    return jsonschema_rs.Draft201909Validator(ob_schema(), validate_formats=True)


def schema_errors(credential: Mapping[str, Any]) -> list[str]:
    """Where the credential breaks the shipped OB 3.0 AchievementCredential JSON schema."""
    errors = []
    for error in sorted(_ob_validator().iter_errors(dict(credential)),
                        key=lambda e: [str(p) for p in e.instance_path]):
        where = "/".join(str(p) for p in error.instance_path) or "(credential)"
        errors.append(f"{where}: {error.message}")
    return errors
