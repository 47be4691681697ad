"""Course outcomes at the end of a run: the course's graduation rule over what the run recorded.

The run knows the meetings it held, who was present at each and the grades
given. Each participant's course record is built from those, in the shape of
the records file (`attendance` {attended, of}, `assessments`), and the audit's
own rule (`record_passes`, `graduation_shortfalls` in `pathwise.core.audit`)
decides it, so what the run page says and what the audit later counts are one
decision. `run_outcomes` adds what a run knows besides: a run with meetings
still to come is not decided yet, and a mini-workshop, orientation or skills
share, which has no graduation rule, was attended by whoever was present at
every meeting it held (the presenter of a skills share with the role
`presenter`). Nothing here writes: the Django side stores the record it is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pathwise.core.audit import graduation_shortfalls, record_passes
from pathwise.core.errors import OutcomeError
from pathwise.core.inputs import identifier_problem, show_value
from pathwise.core.program import Component, Graduation, Program
from pathwise.core.records import ASSESSMENT_RESULTS, Attendance, Record, dump_record

Status = Literal["passed", "failed", "incomplete"]
Grade = Literal["passed", "failed"] | None
Result = Literal["passed", "failed", "attended", "absent", "incomplete"]


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


# -- a run: its course outcomes, or attendance for a one-meeting component ----------


@dataclass(frozen=True)
class RunOutcome:
    result: Result
    reasons: tuple[str, ...]
    record: Record | None  # the completion record to write; None while incomplete


def _meetings(n: int) -> str:
    return f"{n} meeting{'' if n == 1 else 's'}"


def run_outcomes(program: Program, component: str, *, offering: str,
                 meetings: Sequence[dt.date], held: Sequence[dt.date],
                 present: Mapping[str, set[dt.date]], presenters: set[str],
                 grades: Mapping[str, Mapping[str, Grade]],
                 people: Sequence[str]) -> dict[str, RunOutcome]:
    """Each of `people`'s outcome on a run meeting on `meetings`, of which `held` are past."""
    waiting = ((f"{_meetings(len(meetings) - len(held))} of {len(meetings)} still to come",)
               if len(held) < len(meetings) else ())
    spec = program.components[component]
    if spec.graduation is None:
        return {pid: _attended(component, offering, meetings, held=held,
                               present=present.get(pid, set()), presented=pid in presenters,
                               waiting=waiting) for pid in people}
    try:
        decided = course_outcomes(program, component, held=held,
                                  attendance={pid: present.get(pid, set()) & set(held)
                                              for pid in people},
                                  grades={pid: grades.get(pid, {}) for pid in people},
                                  offering=offering)
    except OutcomeError as exc:
        return {pid: RunOutcome("incomplete", (*waiting, str(exc)), None) for pid in people}
    out = {}
    for pid in people:
        core = decided[pid]
        ungraded = tuple(f"{name} not graded yet" for name in spec.known_assessments
                         if name not in grades.get(pid, {}))
        if waiting or core.status == "incomplete":
            out[pid] = RunOutcome("incomplete", (*waiting, *ungraded) or core.reasons, None)
        else:
            out[pid] = RunOutcome(core.status, core.reasons, core.record)
    return out


def _attended(component: str, offering: str, meetings: Sequence[dt.date], *,
              held: Sequence[dt.date], present: set[dt.date], presented: bool,
              waiting: tuple[str, ...]) -> RunOutcome:
    if waiting or not meetings:
        return RunOutcome("incomplete", waiting or ("no meetings",), None)
    went = set(held) <= present
    record = Record(component=component, date=meetings[-1], offering=offering,
                    outcome="attended" if went else "absent",
                    role="presenter" if presented and went else None)
    count = len(present & set(held))
    words = (f"attended {count} of {_meetings(len(held))}"
             + (" and presented a lightning talk" if presented and went else ""))
    return RunOutcome("attended" if went else "absent", (words,), record)
