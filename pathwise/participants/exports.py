"""Records files out of the database, in the same format they came in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pathwise.core.errors import PathwiseError
from pathwise.core.records import dump_records
from pathwise.participants.convert import enrollments_with_records, to_core


def export_one(participant_id: str) -> dict[str, Any]:
    enrollment = enrollments_with_records().filter(participant__public_id=participant_id).first()
    if enrollment is None:
        raise PathwiseError(f"--participant: no participant {participant_id!r}")
    return dump_records(to_core(enrollment))


def export_all() -> Iterator[tuple[str, dict[str, Any]]]:
    for enrollment in enrollments_with_records():
        yield enrollment.participant.public_id, dump_records(to_core(enrollment))
