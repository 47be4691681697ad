"""Course outcomes at the end of a run: the course's graduation rule over what the run recorded.

The run knows the meetings it held, who was present at each and the grades
given. Each participant's course record is built from those, in the shape of
the records file (`attendance` {attended, of}, `assessments`), and the audit's
own rule (`record_passes`, `graduation_shortfalls` in `pathwise.core.audit`)
decides it, so what the run page says and what the audit later counts are one
decision. Nothing here writes: the Django side stores the record it is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pathwise.core.audit import graduation_shortfalls, record_passes
from pathwise.core.errors import OutcomeError
from pathwise.core.inputs import identifier_problem, show_value
from pathwise.core.program import Component, Graduation, Program
from pathwise.core.records import ASSESSMENT_RESULTS, Attendance, Record, dump_record

Status = Literal["passed", "failed", "incomplete"]
Grade = Literal["passed", "failed"] | None


@dataclass(frozen=True, slots=True)
class CourseOutcome:
    """One participant's result: passed, failed (settled: too few sessions or an
    assessment failed) or incomplete (an assessment not yet graded), and why."""

    participant: str
    status: Status
    reasons: tuple[str, ...]
    record: Record

    def to_json(self) -> dict[str, Any]:
        return {"participant": self.participant, "status": self.status,
                "reasons": list(self.reasons), "record": dump_record(self.record)}


def course_outcomes(program: Program, component: str, *, held: Iterable[dt.date],
                    attendance: Mapping[str, Iterable[dt.date]],
                    grades: Mapping[str, Mapping[str, Grade]],
                    offering: str | None = None) -> dict[str, CourseOutcome]:
    """Each participant's outcome of a run of `component` that held meetings on `held`.

    `attendance` gives the days each participant was present, `grades` their
    assessments (a name to passed, failed or None while ungraded); a participant
    in either is judged. The record is dated the run's last meeting.
    """
    course, rule = _course(program, component)
    days = sorted(set(held))
    if not days:
        raise OutcomeError(f"{component}: no meetings held, so no outcome can be decided")
    if course.sessions is not None and len(days) > course.sessions:
        raise OutcomeError(f"{component} has {course.sessions} sessions, but {len(days)} "
                           "meetings were given as held")
    if offering is not None and (problem := identifier_problem(offering)) is not None:
        raise OutcomeError(f"offering: {problem}")
    known = set(days)
    out: dict[str, CourseOutcome] = {}
    for pid in sorted({*attendance, *grades}):
        if (problem := identifier_problem(pid)) is not None:
            raise OutcomeError(f"participant: {problem}")
        present = set(attendance.get(pid, ()))
        if stray := sorted(present - known):
            raise OutcomeError(f"{pid}: present on {stray[0].isoformat()}, which is not a "
                               f"meeting the {component} run held")
        sessions = Attendance(attended=len(present), of=len(days))
        record = Record(component=component, date=days[-1], offering=offering,
                        attendance=sessions,
                        assessments=_graded(course, pid, grades.get(pid, {})))
        out[pid] = _decide(pid, record, course, rule, sessions)
    return out


def _course(program: Program, code: str) -> tuple[Component, Graduation]:
    course = program.components.get(code)
    if course is None:
        raise OutcomeError(f"{show_value(code)} is not a component of {program.id} "
                           f"{program.version}")
    if course.graduation is None:
        raise OutcomeError(f"{code} is a {course.kind} with no graduation rule; its "
                           "outcome is recorded directly")
    return course, course.graduation


def _graded(course: Component, pid: str, given: Mapping[str, Grade]) -> dict[str, str]:
    known = course.known_assessments
    out: dict[str, str] = {}
    for name, grade in given.items():
        if name not in known:
            raise OutcomeError(f"{pid}: {course.code} has no assessment {show_value(name)} "
                               f"(its assessments: {', '.join(known)})")
        if grade is None:
            continue
        if grade not in ASSESSMENT_RESULTS:
            raise OutcomeError(f"{pid}: {name}: {show_value(grade)} is not one of "
                               f"{', '.join(ASSESSMENT_RESULTS)} (or None while ungraded)")
        out[name] = grade
    return out


def _decide(pid: str, record: Record, course: Component, rule: Graduation,
            sessions: Attendance) -> CourseOutcome:
    if record_passes(record, course):
        reasons = (f"attended {sessions.attended} of {sessions.of} sessions, "
                   f"{rule.min_sessions} needed",
                   *(f"{name} passed" for name in rule.assessments))
        return CourseOutcome(pid, "passed", reasons, record)
    gaps = graduation_shortfalls(record, course)
    status: Status = "failed" if any(gap.settled for gap in gaps) else "incomplete"
    return CourseOutcome(pid, status, tuple(gap.reason for gap in gaps), record)
