"""The only writers of participant data. Each action is one transaction with its audit entry."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from pathwise.auditlog.log import Actor, log
from pathwise.catalog.actions import library, sync_programs
from pathwise.catalog.models import ProgramVersion
from pathwise.core.errors import RecordsError
from pathwise.core.records import ParticipantRecords, dump_records, load_records_json
from pathwise.participants import models as m
from pathwise.participants.convert import record_row, to_core


def import_records_files(files: Iterable[tuple[str, str]], actor: Actor) -> list[str]:
    """Load records files (name, text) all together or not at all.

    Every file is parsed and checked before anything is written, so a bad file
    changes nothing and the error names it. Importing a participant who already
    exists replaces their records with the file's; the audit entry keeps both.
    """
    with transaction.atomic():
        sync_programs(actor)
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
        for records in parsed:
            save_participant_records(records, actor)
    return [r.participant.id for r in parsed]


def save_participant_records(records: ParticipantRecords, actor: Actor) -> m.Enrollment:
    """Make the database hold exactly `records` for this participant and program."""
    p = records.participant
    participant = m.Participant.objects.select_for_update().filter(public_id=p.id).first()
    old = None
    version = ProgramVersion.objects.get(program_id=records.program,
                                         version=records.program_version)
    if participant is None:
        participant = m.Participant(public_id=p.id)
        enrollment = None
    else:
        enrollment = (
            m.Enrollment.objects.select_related("participant", "program_version")
            .filter(participant=participant, program_version__program_id=records.program)
            .first()
        )
        if enrollment is not None:
            old = dump_records(to_core(enrollment))

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
    enrollment.records.all().delete()
    rows = [record_row(r, position=i, created_by=actor.label)
            for i, r in enumerate(records.records)]
    for row in rows:
        row.enrollment = enrollment
    m.CompletionRecord.objects.bulk_create(rows)

    new = dump_records(records)
    if new != old:
        log(actor, "records.imported" if old is None else "records.replaced",
            target_type="enrollment", target_id=p.id, participant=participant, old=old, new=new)
    return enrollment
