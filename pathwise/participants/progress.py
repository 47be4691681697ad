"""Audits of stored participants: the core's evaluate over database rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pathwise.core.audit import Audit, evaluate
from pathwise.core.program import Program
from pathwise.participants import models as m
from pathwise.participants.convert import enrollments_with_records, to_core


@dataclass(frozen=True)
class Standing:
    enrollment: m.Enrollment
    program: Program
    audit: Audit


def standing(enrollment: m.Enrollment, as_of: dt.date) -> Standing:
    program = enrollment.program_version.program
    return Standing(enrollment, program, evaluate(program, to_core(enrollment), as_of))


def all_standings(as_of: dt.date) -> list[Standing]:
    return [standing(e, as_of) for e in enrollments_with_records()]


def current_enrollment(participant: m.Participant) -> m.Enrollment | None:
    return enrollments_with_records().filter(participant=participant).last()
