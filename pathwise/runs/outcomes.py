"""What a run's record will say for one participant: the core's course outcomes, plus when
the run has said all it will, and the one-meeting components that have no rule.

A course is decided by `pathwise.core.outcomes.course_outcomes` (the program's
graduation rule, as the audit applies it) over the meetings held so far; this
module adds that a run with meetings still to come is not decided yet, and turns
a run that does not fit its course (more meetings held than it has sessions)
into a reason rather than an error. A mini-workshop, orientation or skills share
has no graduation rule: whoever was at every meeting attended it, the presenter
of a skills share with the role `presenter`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from pathwise.core.errors import OutcomeError
from pathwise.core.outcomes import Grade, course_outcomes
from pathwise.core.program import Program
from pathwise.core.records import Record

Result = Literal["passed", "failed", "attended", "absent", "incomplete"]


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
