"""Records files out of the database, in the same format they came in.

Each file carries `holding`: the runs the participant holds a seat in (seats
are changed only by the seat actions, so importing a file never takes or
gives up a seat).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
from django.db.models import QuerySet

from pathwise.core.errors import PathwiseError
from pathwise.core.records import dump_records
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m
from pathwise.participants.convert import enrollments_with_records, to_core

Held = dict[tuple[int, int], list[str]]


def _held(enrollments: QuerySet[m.Enrollment]) -> Held:
    """The runs each participant holds, by (participant, program version), in one query."""
    held: Held = {}
    for participant_id, version_id, code in (
            Seat.objects.filter(status=Seat.ENROLLED,
                                participant__in=enrollments.values("participant"))
            .order_by("offering__starts_on", "offering__code")
            .values_list("participant_id", "offering__program_version_id", "offering__code")):
        held.setdefault((participant_id, version_id), []).append(code)
    return held


def _dump(enrollment: m.Enrollment, held: Held) -> dict[str, Any]:
    codes = tuple(held.get((enrollment.participant_id, enrollment.program_version_id), ()))
    return dump_records(msgspec.structs.replace(to_core(enrollment), holding=codes))


def export_one(participant_id: str) -> dict[str, Any]:
    enrollments = enrollments_with_records().filter(participant__public_id=participant_id)
    enrollment = enrollments.first()
    if enrollment is None:
        raise PathwiseError(f"--participant: no participant {participant_id!r}")
    return _dump(enrollment, _held(enrollments))


def export_all() -> Iterator[tuple[str, dict[str, Any]]]:
    enrollments = enrollments_with_records()
    held = _held(enrollments)
    for enrollment in enrollments:
        yield enrollment.participant.public_id, _dump(enrollment, held)
