"""What a run's record will say for one participant, decided by the program's own rules.

Until the core has its outcomes module this is the small bridge to it: the
graduation rule itself is `pathwise.core.audit.record_passes`, asked about the
record a run would write, so the rule lives in one place. This module only says
when a run has said all it will (every meeting held, every assessment graded)
and puts the result in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pathwise.core.audit import record_passes
from pathwise.core.program import Component
from pathwise.core.records import Attendance, Record
from pathwise.core.words import and_list

Result = Literal["passed", "failed", "attended", "absent", "incomplete"]


@dataclass(frozen=True)
class RunOutcome:
    result: Result
    reasons: tuple[str, ...]
    record: Record | None  # the completion record to write; None while incomplete


def _meetings(n: int) -> str:
    return f"{n} meeting{'' if n == 1 else 's'}"


def run_outcome(component: Component, *, offering: str, meetings: int, held: int,
                attended: int, presented: bool, grades: Mapping[str, str],
                last_day: dt.date) -> RunOutcome:
    """The outcome for someone who attended `attended` of the `held` meetings so far (of
    `meetings` in all), with `grades` by assessment; `last_day` dates the record."""
    rule = component.graduation
    waiting = []
    if held < meetings:
        waiting.append(f"{_meetings(meetings - held)} of {meetings} still to come")
    if rule is None:
        if waiting:
            return RunOutcome("incomplete", tuple(waiting), None)
        went = attended >= meetings > 0
        record = Record(component=component.code, date=last_day, offering=offering,
                        outcome="attended" if went else "absent",
                        role="presenter" if presented and went else None)
        words = (f"attended {attended} of {_meetings(meetings)}"
                 + (" and presented a lightning talk" if presented and went else ""))
        return RunOutcome("attended" if went else "absent", (words,), record)
    missing = [name for name in rule.assessments if name not in grades]
    waiting += [f"{name} not graded yet" for name in missing]
    if waiting:
        return RunOutcome("incomplete", tuple(waiting), None)
    # A run with more meetings than the course has sessions counts at most its sessions,
    # as a records file may not say more.
    cap = component.sessions or meetings
    attendance = Attendance(attended=min(attended, cap), of=min(meetings, cap))
    assessments = {name: grades[name] for name in rule.assessments}
    passing = Record(component=component.code, date=last_day, offering=offering,
                     attendance=attendance, assessments=assessments or None)
    reasons = [f"attended {attendance.attended} of {_meetings(attendance.of)}, "
               f"{rule.min_sessions} needed"]
    reasons += [f"{name} {result}" for name, result in assessments.items()]
    if record_passes(passing, component):
        return RunOutcome("passed", (and_list(reasons),), passing)
    failed = Record(component=component.code, date=last_day, offering=offering,
                    outcome="failed", attendance=attendance, assessments=assessments or None)
    short = []
    if attendance.attended < rule.min_sessions:
        short.append(reasons[0])
    short += [f"{name} failed" for name, result in assessments.items() if result != "passed"]
    return RunOutcome("failed", (and_list(short),), failed)
