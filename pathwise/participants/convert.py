"""Between database rows and the core's `ParticipantRecords`, in both directions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from pathwise.core.records import Attendance, Employment, Participant, ParticipantRecords, Record
from pathwise.participants import models as m


def to_core(enrollment: m.Enrollment, *, records: tuple[Record, ...] | None = None,
            employment: tuple[Employment, ...] | None = None) -> ParticipantRecords:
    """Expects `participant`, `participant__employment`, `program_version`, `records` loaded,
    or the records and employment given (`core_records`, `core_employment`)."""
    p = enrollment.participant
    return core_file(
        (enrollment.program_version.program_id, enrollment.program_version.version,
         p.public_id, p.name, p.timezone, p.email, p.organization, p.availability,
         enrollment.enrolled_on, enrollment.deadline_extended_to, enrollment.withdrawn_on),
        records=records if records is not None else tuple(
            to_core_record(r) for r in enrollment.records.all()),
        employment=employment if employment is not None else tuple(
            Employment(e.organization, e.started_on, e.ended_on, e.role)
            for e in p.employment.all()))


#: The enrollment's and participant's columns `core_file` takes, in its order, for
#: `values_list` over enrollments (the daily refresh reads them so, without model rows).
CORE_FILE_COLUMNS = ("program_version__program_id", "program_version__version",
                     "participant__public_id", "participant__name", "participant__timezone",
                     "participant__email", "participant__organization",
                     "participant__availability", "enrolled_on", "deadline_extended_to",
                     "withdrawn_on")


def core_file(columns: Sequence[Any], *, records: tuple[Record, ...],
              employment: tuple[Employment, ...]) -> ParticipantRecords:
    """The records file of an enrollment, from its columns (`CORE_FILE_COLUMNS`)."""
    (program_id, version, public_id, name, timezone, email, organization, availability,
     enrolled_on, deadline_extended_to, withdrawn_on) = columns
    return ParticipantRecords(
        program=program_id,
        program_version=version,
        participant=Participant(
            id=public_id,
            name=name,
            timezone=timezone,
            email=email,
            organization=organization,
            employment=employment,
            availability=tuple(availability) if availability is not None else None,
        ),
        enrolled_on=enrolled_on,
        deadline_extended_to=deadline_extended_to,
        withdrawn_on=withdrawn_on,
        records=records,
    )


def core_records(enrollment_ids: list[int]) -> dict[int, tuple[Record, ...]]:
    """The records of many enrollments, read as values: a model row per record cost more
    than the standing worked out from it."""
    found: dict[int, list[Record]] = {pk: [] for pk in enrollment_ids}
    for (enrollment, component, date, outcome, offering, role, attended, sessions_of,
         assessments, basis, conditions_met) in (
            m.CompletionRecord.objects.filter(enrollment__pk__in=enrollment_ids)
            .order_by("enrollment", "position")
            .values_list("enrollment_id", "component", "date", "outcome", "offering", "role",
                         "attended", "sessions_of", "assessments", "basis", "conditions_met")):
        found[enrollment].append(Record(
            component=component, date=date, offering=offering, role=role,
            outcome=outcome,  # type: ignore[arg-type]  # validated on the way in
            attendance=(Attendance(attended, sessions_of)
                        if attended is not None and sessions_of is not None else None),
            assessments=assessments, basis=basis, conditions_met=conditions_met))
    return {pk: tuple(rows) for pk, rows in found.items()}


def core_employment(participant_ids: list[int]) -> dict[int, tuple[Employment, ...]]:
    """The employment of many participants, read as values."""
    found: dict[int, list[Employment]] = {pk: [] for pk in participant_ids}
    for participant, organization, started_on, ended_on, role in (
            m.Employment.objects.filter(participant__pk__in=participant_ids)
            .order_by("participant", "position")
            .values_list("participant_id", "organization", "started_on", "ended_on", "role")):
        found[participant].append(Employment(organization, started_on, ended_on, role))
    return {pk: tuple(rows) for pk, rows in found.items()}


def to_core_record(r: m.CompletionRecord) -> Record:
    attendance = (
        Attendance(r.attended, r.sessions_of)
        if r.attended is not None and r.sessions_of is not None else None
    )
    return Record(
        component=r.component,
        date=r.date,
        outcome=r.outcome,  # type: ignore[arg-type]  # validated on the way in
        offering=r.offering,
        role=r.role,
        attendance=attendance,
        assessments=r.assessments,
        basis=r.basis,
        conditions_met=r.conditions_met,
    )


def record_row(record: Record, *, position: int, created_by: str) -> m.CompletionRecord:
    """An unsaved row for `record`; the caller sets `enrollment`."""
    return m.CompletionRecord(
        position=position,
        component=record.component,
        date=record.date,
        outcome=record.outcome,
        offering=record.offering,
        role=record.role,
        attended=record.attendance.attended if record.attendance else None,
        sessions_of=record.attendance.of if record.attendance else None,
        assessments=dict(record.assessments) if record.assessments is not None else None,
        basis=record.basis,
        conditions_met=record.conditions_met,
        created_by=created_by,
    )


def enrollments_with_records() -> QuerySet[m.Enrollment]:
    """Enrollments with everything `to_core` reads, in four queries however many."""
    return m.Enrollment.objects.select_related("participant", "program_version").prefetch_related(
        "records", "participant__employment").order_by("participant__public_id", "enrolled_on")
