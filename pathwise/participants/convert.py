"""Between database rows and the core's `ParticipantRecords`, in both directions."""

from __future__ import annotations

from django.db.models import QuerySet

from pathwise.core.records import Attendance, Employment, Participant, ParticipantRecords, Record
from pathwise.participants import models as m


def to_core(enrollment: m.Enrollment) -> ParticipantRecords:
    """Expects `participant`, `participant__employment`, `program_version`, `records` loaded."""
    p = enrollment.participant
    return ParticipantRecords(
        program=enrollment.program_version.program_id,
        program_version=enrollment.program_version.version,
        participant=Participant(
            id=p.public_id,
            name=p.name,
            timezone=p.timezone,
            email=p.email,
            organization=p.organization,
            employment=tuple(
                Employment(e.organization, e.started_on, e.ended_on, e.role)
                for e in p.employment.all()
            ),
            availability=tuple(p.availability) if p.availability is not None else None,
        ),
        enrolled_on=enrollment.enrolled_on,
        deadline_extended_to=enrollment.deadline_extended_to,
        withdrawn_on=enrollment.withdrawn_on,
        records=tuple(to_core_record(r) for r in enrollment.records.all()),
    )


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
