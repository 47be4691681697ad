"""The only writers of participant data. Each action is one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence

from django.contrib.auth import get_user_model
from django.db import transaction

from pathwise.auditlog.log import Actor, log
from pathwise.catalog.actions import library, sync_programs
from pathwise.catalog.models import ProgramVersion
from pathwise.core.errors import PathwiseError, RecordsError
from pathwise.core.inputs import is_identifier, show_value
from pathwise.core.program import ProgramLibrary
from pathwise.core.records import (
    ParticipantRecords,
    Record,
    dump_record,
    dump_records,
    load_records_json,
    parse_records,
)
from pathwise.core.version_move import MovePreview, check_move, preview
from pathwise.credentials.tasks import CHUNK, issue_credentials
from pathwise.enrollment.models import Seat
from pathwise.notifications.background import enqueue
from pathwise.notifications.mail import tell
from pathwise.notifications.webhooks import notify
from pathwise.participants import models as m
from pathwise.participants.convert import record_row, to_core, to_core_record
from pathwise.participants.progress import current_enrollment
from pathwise.standing.actions import refresh_standing


def import_records_files(files: Iterable[tuple[str, str]], actor: Actor,
                         definitions: ProgramLibrary | None = None) -> list[str]:
    """Load records files (name, text) all together or not at all.

    Every file is parsed and checked before anything is written, so a bad file
    changes nothing and the error names it. Importing a participant who already
    exists replaces their records with the file's; the audit entry keeps both.
    The definition files (`definitions`, by default all the library finds) are
    synced first, so a version the file commands know is one the import knows.
    """
    with transaction.atomic():
        sync_programs(actor, definitions)
        programs = library()
        parsed: list[ParticipantRecords] = []
        seen: dict[str, str] = {}
        for name, text in files:
            records = load_records_json(text, source=name, library=programs)
            pid = records.participant.id
            if pid in seen:
                raise RecordsError(f"{name}: participant.id: {pid!r} is also in {seen[pid]}")
            seen[pid] = name
            parsed.append(records)
        changed = []
        for records in parsed:
            enrollment, new = _save(records, actor)
            if new:
                changed.append(enrollment.participant_id)
        # New records may earn badges: the worker signs them after this commits, a
        # chunk of participants per task.
        for start in range(0, len(changed), CHUNK):
            enqueue(issue_credentials, *changed[start:start + CHUNK])
    return [r.participant.id for r in parsed]


def save_participant_records(records: ParticipantRecords, actor: Actor) -> m.Enrollment:
    """Make the database hold exactly `records` for this participant and program."""
    enrollment, changed = _save(records, actor)
    if changed:
        # New records may earn badges: the worker signs them after this commits.
        enqueue(issue_credentials, enrollment.participant_id)
    return enrollment


def _save(records: ParticipantRecords, actor: Actor) -> tuple[m.Enrollment, bool]:
    """`save_participant_records` without queueing the signing; whether anything changed."""
    p = records.participant
    new = dump_records(records)
    participant = m.Participant.objects.select_for_update().filter(public_id=p.id).first()
    version = ProgramVersion.objects.get(program_id=records.program,
                                         version=records.program_version)
    enrollment = None
    old = None
    if participant is None:
        participant = m.Participant(public_id=p.id)
    else:
        enrollment = (
            m.Enrollment.objects.select_related("participant", "program_version")
            .filter(participant=participant, program_version__program_id=records.program)
            .first()
        )
        if enrollment is not None:
            old = dump_records(to_core(enrollment))
            if old == new:
                return enrollment, False

    participant.name = p.name
    participant.email = p.email
    participant.timezone = p.timezone
    participant.organization = p.organization
    participant.availability = (
        [dict(a) for a in p.availability] if p.availability is not None else None)
    participant.updated_by = actor.label
    participant.save()
    participant.employment.all().delete()
    m.Employment.objects.bulk_create(
        m.Employment(participant=participant, position=i, organization=e.organization,
                     role=e.role, started_on=e.started_on, ended_on=e.ended_on)
        for i, e in enumerate(p.employment)
    )

    if enrollment is None:
        enrollment = m.Enrollment(participant=participant)
    enrollment.program_version = version
    enrollment.enrolled_on = records.enrolled_on
    enrollment.deadline_extended_to = records.deadline_extended_to
    enrollment.withdrawn_on = records.withdrawn_on
    enrollment.updated_by = actor.label
    enrollment.save()
    _replace_records(enrollment, records.records, actor)

    log(actor, "records.imported" if old is None else "records.replaced",
        target_type="enrollment", target_id=p.id, participant=participant, old=old, new=new)
    notify("record.created", f"/api/v1/participants/{p.id}/records/", participant=p.id,
           program=records.program)
    refresh_standing(participant)
    return enrollment, True


def _replace_records(enrollment: m.Enrollment, records: Sequence[Record], actor: Actor) -> None:
    """Keep rows whose content is unchanged (and so who created them); add and drop the rest."""
    existing: dict[str, list[m.CompletionRecord]] = {}
    for row in enrollment.records.all():
        existing.setdefault(_signature(to_core_record(row)), []).append(row)
    kept, added = [], []
    for position, record in enumerate(records):
        same = existing.get(_signature(record))
        if same:
            row = same.pop(0)
            row.position = position
            kept.append(row)
        else:
            row = record_row(record, position=position, created_by=actor.label)
            row.enrollment = enrollment
            added.append(row)
    stale = [row.pk for rows in existing.values() for row in rows]
    m.CompletionRecord.objects.filter(pk__in=stale).delete()
    m.CompletionRecord.objects.bulk_update(kept, ["position"])
    m.CompletionRecord.objects.bulk_create(added)


def _signature(record: Record) -> str:
    return json.dumps(dump_record(record), sort_keys=True)


def give_login(participant: m.Participant, username: str, password: str, actor: Actor, *,
               hashed: str | None = None) -> None:
    """Create or reset the account a participant signs in with.

    `hashed` is `password` already run through the password hasher (the demo
    gives dozens of accounts one password, and hashing is slow on purpose).
    """
    with transaction.atomic():
        user_model = get_user_model()
        user = participant.user or user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_user(username=username, email=participant.email)
        if hashed is not None:
            user.password = hashed
        else:
            user.set_password(password)
        user.save()
        if participant.user_id != user.pk:
            participant.user = user
            participant.updated_by = actor.label
            participant.save(update_fields=["user", "updated_by", "updated_at"])
            log(actor, "participant.login_linked", target_type="participant",
                target_id=participant.public_id, participant=participant,
                new={"username": username})


MAX_REASON = 2000


def request_extension(enrollment: m.Enrollment, reason: str, actor: Actor, *,
                      wanted_until: dt.date | None = None) -> m.ExtensionRequest:
    """Record a participant's request for more time (staff act on it); one open at a time."""
    text = reason.strip()
    if not text:
        raise PathwiseError("say why you need more time")
    if len(text) > MAX_REASON:
        raise PathwiseError(f"the reason is {len(text)} characters; at most {MAX_REASON}")
    if wanted_until is not None and wanted_until <= enrollment.enrolled_on:
        raise PathwiseError("the date you would like must come after you enrolled")
    with transaction.atomic():
        m.Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if enrollment.extension_requests.filter(status=m.ExtensionRequest.OPEN).exists():
            raise PathwiseError("you already have an extension request waiting for staff")
        request = m.ExtensionRequest.objects.create(
            enrollment=enrollment, reason=text, wanted_until=wanted_until,
            created_by=actor.label)
        log(actor, "extension.requested", target_type="enrollment",
            target_id=enrollment.participant.public_id, participant=enrollment.participant,
            new={"reason": text,
                 "wanted_until": wanted_until.isoformat() if wanted_until else None})
        return request


def record_course_outcome(participant: m.Participant, record: Record, actor: Actor, *,
                          reason: str | None = None) -> m.Enrollment:
    """Append the completion record of one run (`record.offering`), or replace the one it
    already has, by the same path as an import.

    The participant's whole records file, with this record in place, is checked as
    an imported file would be (a bad record is refused naming it, nothing written),
    then saved by `save_participant_records`: standing is refreshed and the badges
    it earns are queued for signing, exactly as for an import. `reason` says why,
    when staff correct an outcome already recorded.
    """
    if record.offering is None:
        raise PathwiseError("a run's record names its offering")
    with transaction.atomic():
        m.Participant.objects.select_for_update().get(pk=participant.pk)
        enrollment = current_enrollment(participant)
        if enrollment is None:
            raise PathwiseError(f"{participant.public_id} is not enrolled in a program")
        current = to_core(enrollment)
        old = next((r for r in current.records if r.offering == record.offering
                    and r.component == record.component), None)
        kept = [r for r in current.records if r is not old]
        data = dump_records(current)
        data["records"] = [*(dump_record(r) for r in kept), dump_record(record)]
        records = parse_records(data, source=f"the record of {participant.public_id} on "
                                f"{record.offering}", library=library())
        saved = save_participant_records(records, actor)
        log(actor, "records.course_outcome" if reason is None else "records.course_corrected",
            target_type="offering", target_id=record.offering, participant=participant,
            old=dump_record(old) if old is not None else None,
            new={**dump_record(record), **({"reason": reason} if reason is not None else {})})
        return saved


#: The longest version text read (`cscce-cm/2025`): program id and version are identifiers.
MAX_VERSION_TEXT = 100


def version_named(participant: m.Participant, text: str) -> ProgramVersion:
    """The version `text` names for `participant`: `2025`, or `cscce-cm/2025` to name the program.

    Refused in one line when it names nothing stored (listing the program's versions).
    """
    enrollment = current_enrollment(participant)
    if enrollment is None:
        raise PathwiseError(f"{participant.public_id} is not enrolled in a program")
    program_id, _, version = text.rpartition("/")
    program_id = program_id or enrollment.program_version.program_id
    for value in (program_id, version):
        if len(value) > MAX_VERSION_TEXT or not is_identifier(value):
            raise PathwiseError(f"version: {show_value(text[:MAX_VERSION_TEXT])} is not a "
                                f"program version such as 2025")
    found = ProgramVersion.objects.filter(program_id=program_id, version=version).first()
    if found is None:
        known = ", ".join(ProgramVersion.objects.filter(program_id=program_id)
                          .values_list("version", flat=True)) or "none loaded"
        raise PathwiseError(f"{program_id} has no version {version!r} (its versions: {known}; "
                            f"`pathwise programs sync` loads new definition files)")
    return found


def preview_version_move(participant: m.Participant, target: ProgramVersion,
                         today: dt.date) -> MovePreview:
    """The participant's audit under their version and under `target`, side by side."""
    enrollment = current_enrollment(participant)
    if enrollment is None:
        raise PathwiseError(f"{participant.public_id} is not enrolled in a program")
    problem = _held_runs_problem(enrollment, target, today)
    found = preview(enrollment.program_version.program, target.program, to_core(enrollment),
                    today)
    if problem is not None and found.problem is None:
        return MovePreview(found.participant, found.before, found.after, problem, found.rows)
    return found


def move_to_version(participant: m.Participant, target: ProgramVersion, actor: Actor,
                    today: dt.date) -> m.Enrollment:
    """Put the participant on another version of their program, keeping their records.

    Refused (nothing changed) for the version they are on, another program, records
    that do not validate under `target`, or seats still held on runs of the old
    version (runs belong to one version). Standing is refreshed and the badges the
    records earn under `target` are queued for signing.
    """
    with transaction.atomic():
        m.Participant.objects.select_for_update().get(pk=participant.pk)
        enrollment = current_enrollment(participant)
        if enrollment is None:
            raise PathwiseError(f"{participant.public_id} is not enrolled in a program")
        m.Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        current = enrollment.program_version
        check_move(current.program, target.program, to_core(enrollment))
        problem = _held_runs_problem(enrollment, target, today)
        if problem is not None:
            raise PathwiseError(problem)
        enrollment.program_version = target
        enrollment.updated_by = actor.label
        enrollment.save(update_fields=["program_version", "updated_by", "updated_at"])
        log(actor, "enrollment.version_moved", target_type="enrollment",
            target_id=participant.public_id, participant=participant,
            old={"program": current.program_id, "version": current.version},
            new={"program": target.program_id, "version": target.version})
        tell(participant, f"Your program is now {target.program_id} version {target.version}",
             f"Staff moved you from version {current.version} to version {target.version} of "
             f"{target.name}. Your records are kept; your progress page shows what is still "
             f"needed under the new version.")
        refresh_standing(participant)
        enqueue(issue_credentials, participant.pk)
    return enrollment


def _held_runs_problem(enrollment: m.Enrollment, target: ProgramVersion,
                       today: dt.date) -> str | None:
    """Runs belong to one version: seats on the old version's unfinished runs block a move."""
    held = sorted(Seat.objects.filter(
        participant_id=enrollment.participant_id, status__in=(Seat.ENROLLED, Seat.WAITLISTED),
        offering__ends_on__gte=today).exclude(offering__program_version=target)
        .values_list("offering__code", flat=True))
    if not held:
        return None
    return (f"{enrollment.participant.public_id} holds a seat or waitlist place on "
            f"{', '.join(held)}, run(s) of version {enrollment.program_version.version}; "
            f"drop them (or let them end) before the move, as runs belong to one version")
