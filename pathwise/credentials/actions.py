"""Issuing, re-issuing and revoking credentials: the only writers of `Credential` and
its `SignedCopy` rows.

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
from django.urls import reverse

from pathwise.auditlog.log import Actor, log
from pathwise.core.credentials.issuer import IssuerSettings, issue_credential, sign_status_list
from pathwise.core.credentials.keys import KeyPair, KeyStore
from pathwise.core.credentials.openbadges import Holder
from pathwise.core.credentials.statuslist import MIN_BITS, StatusList
from pathwise.core.credentials.trust import trusted_issuers
from pathwise.core.errors import PathwiseError
from pathwise.core.program import Program
from pathwise.credentials.models import Credential, SignedCopy
from pathwise.notifications.mail import tell
from pathwise.notifications.webhooks import notify
from pathwise.participants.models import Participant
from pathwise.participants.progress import audit_of, current_enrollment

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


def _sign_copy(credential: Credential, program: Program, key: KeyPair, now: dt.datetime,
               actor: Actor) -> SignedCopy:
    """A new signed copy of `credential`, at the next free entry of `key`'s status list.

    Runs inside the caller's transaction. Two workers may pick the same free entry
    at once (PostgreSQL): the entry is taken (its row inserted) before the
    credential is signed, so the loser waits on the winner's insert rather than
    signing in vain, its savepoint is rolled back and it takes the next entry,
    which the winner, still busy with its own transaction, has not yet asked for.
    (Signing first, two workers sharing a queue of signings kept choosing the same
    entry at the same pace and lost five races in a row.)
    """
    participant = credential.participant
    holder = Holder(participant.public_id, participant.name, participant.email)
    for _attempt in range(8):
        last = (SignedCopy.objects.filter(signed_with=key.public_multikey)
                .aggregate(n=Max("status_index"))["n"])
        index = 0 if last is None else last + 1
        copy = SignedCopy(credential=credential, signed_with=key.public_multikey,
                          status_index=index, signed_at=now, signed_by=actor.label,
                          document="")
        try:
            with transaction.atomic():
                copy.save(force_insert=True)
        except IntegrityError:
            continue
        document = issue_credential(
            program, credential.achievement, holder, earned_on=credential.earned_on,
            credential_uuid=str(credential.id), status_index=index, key=key,
            settings=issuer_settings(), created=now)
        copy.document = json.dumps(document, ensure_ascii=False)
        copy.save(update_fields=["document"])
        return copy
    raise PathwiseError(f"could not allocate a status list entry for {credential.achievement}")


def _notify(credential: Credential, event: str) -> None:
    """Tell webhook endpoints, in this transaction: a re-issue is `credential.issued` again
    (a new signed copy of the same credential id)."""
    notify(event, f"/api/v1/credentials/{credential.pk}/",
           participant=credential.participant.public_id, credential=str(credential.pk),
           achievement=credential.achievement)


def issue_earned(participant: Participant, now: dt.datetime,
                 actor: Actor = ISSUER) -> list[Credential]:
    """Sign a credential for every achievement the participant has earned and lacks.

    Idempotent: one credential per participant and achievement.
    """
    enrollment = current_enrollment(participant)
    if enrollment is None:
        return []
    audit = audit_of(enrollment, now.date()).audit
    have = set(Credential.objects.filter(participant=participant)
               .values_list("achievement", flat=True))
    program = enrollment.program_version.program
    issued: list[Credential] = []
    new: list[Credential] = []
    try:
        for badge in audit.badges:
            if badge.achievement in have:
                continue
            credential, made = _issue_one(participant, program, badge.achievement,
                                          earned_on=badge.earned_on, now=now, actor=actor)
            issued.append(credential)
            if made:
                new.append(credential)
    finally:
        # One message for the badges this run issued, even if a later one failed (its
        # retry tells of the rest).
        if new:
            _tell_issued(participant, program, new)
    return issued


def _tell_issued(participant: Participant, program: Program, new: list[Credential]) -> None:
    def name(c: Credential) -> str:
        return (program.final_badge.name if c.achievement == program.id
                else program.components[c.achievement].name)

    lines = "\n".join(f"- {name(c)}: {settings.BASE_URL}{reverse('credential', args=[c.pk])}"
                      for c in new)
    several = len(new) > 1
    with transaction.atomic():
        tell(participant,
             f"Badge{'s' if several else ''} issued: {', '.join(name(c) for c in new)}",
             f"Your signed badge{'s are' if several else ' is'} ready. Each has a "
             f"verification page anyone can check:\n\n{lines}\n\nYou can download "
             f"{'them' if several else 'it'} and add {'them' if several else 'it'} to "
             "LinkedIn from your progress page.", kind="badge.issued")


def _issue_one(participant: Participant, program: Program, achievement: str, *,
               earned_on: dt.date, now: dt.datetime, actor: Actor) -> tuple[Credential, bool]:
    """The credential, and whether this call issued it (not another worker at once)."""
    key = key_store().current()
    try:
        with transaction.atomic():
            credential = Credential(id=uuid.uuid4(), participant=participant,
                                    achievement=achievement, earned_on=earned_on,
                                    issued_at=now, issued_by=actor.label)
            credential.save(force_insert=True)
            copy = _sign_copy(credential, program, key, now, actor)
            log(actor, "credential.issued", target_type="credential",
                target_id=str(credential.id), participant=participant,
                new={"achievement": achievement, "earned_on": earned_on.isoformat(),
                     "signed_with": copy.signed_with, "status_index": copy.status_index})
            _notify(credential, "credential.issued")
            return credential, True
    except IntegrityError:
        # Another worker issued the same achievement at the same moment: theirs stands.
        existing = Credential.objects.filter(participant=participant,
                                             achievement=achievement).first()
        if existing is None:
            raise
        return existing, False


def reissue(credential: Credential, actor: Actor, now: dt.datetime) -> Credential:
    """Sign the credential (same id) again with the current key, as a new copy.

    The earlier copies stay as they are, each on its own key's status list, so
    revoking the credential later reaches every copy a holder may still show.
    """
    with transaction.atomic():
        credential = Credential.objects.select_for_update().get(pk=credential.pk)
        if credential.revoked:
            raise PathwiseError("a revoked credential cannot be re-issued")
        before = credential.latest_copy()
        copy = _sign_copy(credential, _program_of(credential.participant),
                          key_store().current(), now, actor)
        log(actor, "credential.reissued", target_type="credential",
            target_id=str(credential.id), participant=credential.participant,
            old={"signed_with": before.signed_with, "status_index": before.status_index},
            new={"signed_with": copy.signed_with, "status_index": copy.status_index})
        _notify(credential, "credential.issued")
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
        _notify(credential, "credential.revoked")
        return credential


def status_list_for(multikey: str, now: dt.datetime) -> dict[str, Any] | None:
    """The signed revocation list of every copy one key signed, or None for a key that is
    not in the store. Every key in the store has one, current or rotated out."""
    key = key_store().find(multikey)
    if key is None:
        return None
    revoked = list(SignedCopy.objects.filter(signed_with=multikey,
                                             credential__revoked_at__isnull=False)
                   .values_list("status_index", flat=True))
    # A key that has signed more copies than the smallest list has entries gets a longer list.
    size = max(MIN_BITS, (max(revoked, default=0) // 8 + 1) * 8)
    settings_now = issuer_settings()
    # Signed once per change, not per request: the list is re-signed only when a
    # revocation (or where the lists are published) changes what it says.
    says = (tuple(sorted(revoked)), size, settings_now)
    signed = _SIGNED_LISTS.get(multikey)
    if signed is not None and signed[0] == says:
        return signed[1]
    status = StatusList.with_revoked(revoked, size=size)
    document = sign_status_list(status, key=key, settings=settings_now, created=now)
    _SIGNED_LISTS[multikey] = (says, document)
    return document


# Per process: each app process signs a key's list once per change of it.
_SIGNED_LISTS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}
