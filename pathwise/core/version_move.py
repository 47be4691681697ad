"""Moving a participant to another version of their program: what it would change.

The same records are audited under the version they are on and under the
target, and the two audits are set side by side, requirement by requirement
(a requirement only one version has shows as absent from the other). The move
itself is refused when it would not be a move (the same version, or another
program) or when the records do not validate under the target.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pathwise.core.audit import Audit, RequirementResult, evaluate
from pathwise.core.errors import PathwiseError, RecordsError
from pathwise.core.program import Program, ProgramLibrary
from pathwise.core.records import ParticipantRecords, dump_records, parse_records


@dataclass(frozen=True, slots=True)
class Side:
    """One requirement under one version; `result` is None where the version lacks it."""

    result: RequirementResult | None

    def to_json(self) -> dict[str, Any] | None:
        return self.result.to_json() if self.result is not None else None


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    title: str
    before: Side
    after: Side

    @property
    def sides(self) -> tuple[Side, Side]:
        return (self.before, self.after)

    @property
    def changes(self) -> bool:
        b, a = self.before.result, self.after.result
        if b is None or a is None:
            return True
        return (b.met, b.done, b.needed) != (a.met, a.done, a.needed) or b.title != a.title


@dataclass(frozen=True, slots=True)
class MovePreview:
    """The audit now and under the target; `problem` says why the move is refused, if it is."""

    participant: str
    before: Audit
    after: Audit | None
    problem: str | None
    rows: tuple[Row, ...]

    @property
    def badges_gained(self) -> list[str]:
        if self.after is None:
            return []
        had = {b.achievement for b in self.before.badges}
        return [b.achievement for b in self.after.badges if b.achievement not in had]

    @property
    def badges_lost(self) -> list[str]:
        if self.after is None:
            return []
        will = {b.achievement for b in self.after.badges}
        return [b.achievement for b in self.before.badges if b.achievement not in will]

    def to_json(self) -> dict[str, Any]:
        return {
            "participant": self.participant,
            "allowed": self.problem is None,
            "problem": self.problem,
            "current": self.before.to_json(),
            "target": self.after.to_json() if self.after is not None else None,
            "requirements": [{"id": r.id, "title": r.title, "changes": r.changes,
                              "current": r.before.to_json(), "target": r.after.to_json()}
                             for r in self.rows],
            "badges_gained": self.badges_gained,
            "badges_lost": self.badges_lost,
        }


def move_problem(current: Program, target: Program, participant: str) -> str | None:
    """Why moving from `current` to `target` is not a version move, or None."""
    if target.id != current.id:
        return (f"{participant} is in {current.id}; a version move stays within the program, "
                f"so {target.id} {target.version} is not one of its versions")
    if target.version == current.version:
        return f"{participant} is already on {current.id} {current.version}"
    return None


def records_under(target: Program, records: ParticipantRecords) -> ParticipantRecords:
    """The same records as a file for `target`, validated as an import would be."""
    data = dump_records(records)
    data["program"], data["program_version"] = target.id, target.version
    return parse_records(
        data, source=f"{records.participant.id}'s records under {target.id} {target.version}",
        library=ProgramLibrary([target]))


def preview(current: Program, target: Program, records: ParticipantRecords,
            as_of: dt.date) -> MovePreview:
    pid = records.participant.id
    before = evaluate(current, records, as_of)
    problem = move_problem(current, target, pid)
    after = None
    if problem is None:
        try:
            after = evaluate(target, records_under(target, records), as_of)
        except RecordsError as exc:
            problem = f"the records do not validate: {exc}"
    return MovePreview(pid, before, after, problem, _rows(before, after))


def check_move(current: Program, target: Program, records: ParticipantRecords) -> (
        ParticipantRecords):
    """The records under `target`, or the refusal naming why the move cannot be made."""
    problem = move_problem(current, target, records.participant.id)
    if problem is not None:
        raise PathwiseError(problem)
    try:
        return records_under(target, records)
    except RecordsError as exc:
        raise PathwiseError(f"cannot move to {target.id} {target.version}: the records do "
                            f"not validate: {exc}") from exc


def _rows(before: Audit, after: Audit | None) -> tuple[Row, ...]:
    """The target's requirements in its order, then those only the current version has."""
    now = {r.id: r for r in before.requirements}
    then = {r.id: r for r in after.requirements} if after is not None else {}
    order = [*then, *(i for i in now if i not in then)] if after is not None else list(now)
    return tuple(Row(i, (then.get(i) or now[i]).title, Side(now.get(i)), Side(then.get(i)))
                 for i in order)
