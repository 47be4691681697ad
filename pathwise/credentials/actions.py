"""Issuing, re-issuing and revoking credentials: the only writers of `Credential`.

Signing is the core's (`pathwise.core.credentials`); keys live in the data
directory, never in the database. Each action is one transaction with its
audit entry.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max

from pathwise.auditlog.log import Actor, log
from pathwise.core.credentials.issuer import IssuerSettings, issue_credential, sign_status_list
from pathwise.core.credentials.keys import KeyPair, KeyStore
from pathwise.core.credentials.openbadges import Holder
from pathwise.core.credentials.statuslist import StatusList
from pathwise.core.credentials.trust import trusted_issuers
from pathwise.core.errors import PathwiseError
from pathwise.core.program import Program
from pathwise.credentials.models import Credential
from pathwise.participants.models import Participant
from pathwise.participants.progress import current_enrollment, standing

ISSUER = Actor("issuer")


def issuer_settings() -> IssuerSettings:
    return IssuerSettings(base_url=settings.BASE_URL, did_web=settings.DID_WEB)


def key_store() -> KeyStore:
    return KeyStore(settings.DATA_DIR)


def trusted() -> frozenset[str]:
    """The issuers this deployment's verification accepts: every key in its store
    (current and rotated out), its did:web, and PATHWISE_TRUSTED_ISSUERS."""
    return trusted_issuers(key_store().all_keys(), did_web=settings.DID_WEB,
                           named=settings.TRUSTED_ISSUERS)


def _program_of(participant: Participant) -> Program:
    enrollment = current_enrollment(participant)
    if enrollment is None:
        raise PathwiseError(f"{participant.public_id} is not enrolled in a program")
    return enrollment.program_version.program


def _sign(credential: Credential, program: Program, key: KeyPair, now: dt.datetime) -> None:
    participant = credential.participant
    document = issue_credential(
        program, credential.achievement,
        Holder(participant.public_id, participant.name, participant.email),
        earned_on=credential.earned_on, credential_uuid=str(credential.id),
        status_index=credential.status_index, key=key, settings=issuer_settings(),
        created=now)
    credential.document = json.dumps(document, ensure_ascii=False)
    credential.signed_with = key.public_multikey


def issue_earned(participant: Participant, now: dt.datetime,
                 actor: Actor = ISSUER) -> list[Credential]:
    """Sign a credential for every achievement the participant has earned and lacks.

    Idempotent: one credential per participant and achievement.
    """
    enrollment = current_enrollment(participant)
    if enrollment is None:
        return []
    audit = standing(enrollment, now.date()).audit
    have = set(Credential.objects.filter(participant=participant)
               .values_list("achievement", flat=True))
    issued = []
    for badge in audit.badges:
        if badge.achievement in have:
            continue
        issued.append(_issue_one(participant, enrollment.program_version.program,
                                 badge.achievement, earned_on=badge.earned_on, now=now,
                                 actor=actor))
    return issued


def _issue_one(participant: Participant, program: Program, achievement: str, *,
               earned_on: dt.date, now: dt.datetime, actor: Actor) -> Credential:
    key = key_store().current()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                last = Credential.objects.aggregate(n=Max("status_index"))["n"]
                credential = Credential(
                    id=uuid.uuid4(), participant=participant, achievement=achievement,
                    earned_on=earned_on, status_index=0 if last is None else last + 1,
                    issued_at=now, issued_by=actor.label)
                _sign(credential, program, key, now)
                credential.save(force_insert=True)
                log(actor, "credential.issued", target_type="credential",
                    target_id=str(credential.id), participant=participant,
                    new={"achievement": achievement, "earned_on": earned_on.isoformat()})
                return credential
        except IntegrityError:
            # Another worker took the same status index at the same moment: take the next.
            if Credential.objects.filter(participant=participant,
                                         achievement=achievement).exists():
                return Credential.objects.get(participant=participant, achievement=achievement)
    raise PathwiseError(f"could not allocate a status index for {achievement}")


def reissue(credential: Credential, actor: Actor, now: dt.datetime) -> Credential:
    """Sign the same credential (same id and status index) again with the current key."""
    with transaction.atomic():
        credential = Credential.objects.select_for_update().get(pk=credential.pk)
        if credential.revoked:
            raise PathwiseError("a revoked credential cannot be re-issued")
        old_key = credential.signed_with
        _sign(credential, _program_of(credential.participant), key_store().current(), now)
        credential.issued_at, credential.issued_by = now, actor.label
        credential.save()
        log(actor, "credential.reissued", target_type="credential",
            target_id=str(credential.id), participant=credential.participant,
            old={"signed_with": old_key}, new={"signed_with": credential.signed_with})
        return credential


def revoke(credential: Credential, reason: str, actor: Actor, now: dt.datetime) -> Credential:
    """Take a credential back, for good (status list revocation is not reversible)."""
    if not reason.strip():
        raise PathwiseError("say why the credential is revoked")
    with transaction.atomic():
        credential = Credential.objects.select_for_update().get(pk=credential.pk)
        if credential.revoked:
            raise PathwiseError("this credential is already revoked")
        credential.revoked_at, credential.revoked_by = now, actor.label
        credential.revoke_reason = reason.strip()
        credential.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        log(actor, "credential.revoked", target_type="credential",
            target_id=str(credential.id), participant=credential.participant,
            new={"reason": credential.revoke_reason})
        return credential


def status_list_for(multikey: str, now: dt.datetime) -> dict[str, Any] | None:
    """The signed revocation list of the credentials one key signed, or None for a stranger."""
    key = key_store().find(multikey)
    if key is None:
        return None
    revoked = Credential.objects.filter(signed_with=multikey, revoked_at__isnull=False)
    status = StatusList.with_revoked(revoked.values_list("status_index", flat=True))
    return sign_status_list(status, key=key, settings=issuer_settings(), created=now)
