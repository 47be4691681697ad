"""Audits of stored participants: the core's evaluate over database rows.

Where a participant *stands* (with their seats and the catalogue) is
`pathwise.standing.read.standing_of`; this is the audit of their records
alone, which is all that badges and the demo's seat-taking need.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pathwise.core.audit import Audit, evaluate
from pathwise.core.program import Program
from pathwise.participants import models as m
from pathwise.participants.convert import enrollments_with_records, to_core


@dataclass(frozen=True)
class Audited:
    enrollment: m.Enrollment
    program: Program
    audit: Audit


def audit_of(enrollment: m.Enrollment, as_of: dt.date) -> Audited:
    program = enrollment.program_version.program
    return Audited(enrollment, program, evaluate(program, to_core(enrollment), as_of))


def current_enrollment(participant: m.Participant) -> m.Enrollment | None:
    return enrollments_with_records().filter(participant=participant).last()
