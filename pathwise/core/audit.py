"""The requirement audit: where a participant stands on a given day.

One pass over the records collects, per component, the first day it was
attended and the first day it was passed; each requirement rule then reads
those facts. Records dated after `as_of` do not exist yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pathwise.core.deadline import deadline as compute_deadline
from pathwise.core.program import SEQUENTIAL_KINDS, Component, Program, Requirement
from pathwise.core.records import ParticipantRecords, Record

Status = Literal["certified", "on_track", "at_risk", "overdue", "withdrawn"]
STATUSES: tuple[Status, ...] = ("certified", "on_track", "at_risk", "overdue", "withdrawn")


@dataclass(frozen=True, slots=True)
class RequirementResult:
    id: str
    title: str
    track: str
    met: bool
    met_on: dt.date | None
    done: int
    needed: int
    explanation: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "met": self.met,
            "met_on": self.met_on.isoformat() if self.met_on else None,
            "progress": {"done": self.done, "of": self.needed},
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class Badge:
    achievement: str
    earned_on: dt.date

    def to_json(self) -> dict[str, Any]:
        return {"achievement": self.achievement, "earned_on": self.earned_on.isoformat()}


@dataclass(frozen=True, slots=True)
class Audit:
    participant: str
    program: str
    program_version: str
    as_of: dt.date
    deadline: dt.date
    status: Status
    certified_on: dt.date | None
    requirements: tuple[RequirementResult, ...]
    badges: tuple[Badge, ...]
    remaining_days: int

    @property
    def certified(self) -> bool:
        return self.certified_on is not None

    @property
    def unmet(self) -> list[RequirementResult]:
        return [r for r in self.requirements if not r.met]

    def to_json(self) -> dict[str, Any]:
        return {
            "participant": self.participant,
            "program": self.program,
            "program_version": self.program_version,
            "as_of": self.as_of.isoformat(),
            "deadline": self.deadline.isoformat(),
            "status": self.status,
            "certified": self.certified,
            "certified_on": self.certified_on.isoformat() if self.certified_on else None,
            "requirements": [r.to_json() for r in self.requirements],
            "badges": [b.to_json() for b in self.badges],
        }


# -- what one record means ---------------------------------------------------------


def record_passes(record: Record, component: Component) -> bool:
    """Passed or credited (with its conditions met), or passed by the graduation rule."""
    outcome = record.outcome
    if outcome is not None:
        return outcome == "passed" or (outcome == "credited" and record.conditions_met is True)
    rule = component.graduation
    if rule is None or record.attendance is None or record.attendance.attended < rule.min_sessions:
        return False
    results = record.assessments or {}
    return all(results.get(name) == "passed" for name in rule.assessments)


def record_attends(record: Record, component: Component) -> bool:
    """Took part: attended, or anything that passes."""
    return record.outcome == "attended" or record_passes(record, component)


def _record_order(r: Record) -> tuple[Any, ...]:
    """A total order on records, by date first: the audit reads them in this order,
    never in the file's, so that shuffling a file cannot change its audit."""
    attendance = (r.attendance.attended, r.attendance.of) if r.attendance else (-1, -1)
    return (r.date, r.component, r.outcome or "", r.offering or "", r.role or "", attendance,
            sorted((r.assessments or {}).items()), r.basis or "",
            r.conditions_met is True, r.conditions_met is None)


class _Facts:
    """What the records up to `as_of` establish, per component."""

    __slots__ = ("attended", "latest", "passed", "pending_credit", "roles", "sessions")

    def __init__(self, program: Program, records: tuple[Record, ...], as_of: dt.date) -> None:
        self.attended: dict[str, dt.date] = {}
        self.passed: dict[str, Record] = {}
        self.sessions: dict[str, dict[tuple[str | None, dt.date], None]] = {}
        self.roles: dict[tuple[str, str], dt.date] = {}
        self.latest: dict[str, Record] = {}
        self.pending_credit: dict[str, Record] = {}
        components = program.components
        for r in sorted(records, key=_record_order):
            day = r.date
            if day > as_of:
                continue
            code = r.component
            latest = self.latest.get(code)
            if latest is None or day >= latest.date:
                self.latest[code] = r
            if r.outcome == "credited" and r.conditions_met is not True:
                self.pending_credit[code] = r
            if not record_attends(r, components[code]):
                continue
            if code not in self.attended or day < self.attended[code]:
                self.attended[code] = day
            self.sessions.setdefault(code, {})[(r.offering, day)] = None
            if r.role is not None:
                key = (code, r.role)
                if key not in self.roles or day < self.roles[key]:
                    self.roles[key] = day
            if record_passes(r, components[code]) and (
                code not in self.passed or day < self.passed[code].date
            ):
                self.passed[code] = r


def _d(day: dt.date) -> str:
    return day.isoformat()


def _why_not_passed(code: str, facts: _Facts, program: Program) -> str:
    """Why a course or capstone has not been passed yet, from its latest record."""
    component = program.components[code]
    pending = facts.pending_credit.get(code)
    if pending is not None:
        basis = f" ({pending.basis})" if pending.basis else ""
        return f"{code} credit{basis} counts once its conditions are met"
    latest = facts.latest.get(code)
    if latest is None:
        return f"{code} not taken yet"
    if latest.outcome == "failed":
        return f"{code} not passed on {_d(latest.date)}; a retake is needed"
    if latest.outcome == "withdrawn":
        return f"withdrew from {code} on {_d(latest.date)}"
    if latest.outcome is not None:
        return f"{code} {latest.outcome} on {_d(latest.date)}, not yet passed"
    rule = component.graduation
    gaps = []
    if rule is not None:
        if latest.attendance is not None and latest.attendance.attended < rule.min_sessions:
            gaps.append(f"attended {latest.attendance.attended} of {latest.attendance.of} "
                        f"sessions, {rule.min_sessions} needed")
        results = latest.assessments or {}
        for name in rule.assessments:
            if results.get(name) != "passed":
                gaps.append(f"{name} {results.get(name, 'not yet assessed')}")
    return f"{code} not passed yet: " + "; ".join(gaps) if gaps else f"{code} not passed yet"


def _passed_text(record: Record) -> str:
    if record.outcome == "credited":
        basis = f" ({record.basis})" if record.basis else ""
        return f"{record.component} credited{basis} on {_d(record.date)}."
    return f"{record.component} passed on {_d(record.date)}."


def _evaluate(  # noqa: PLR0915 - one branch per rule kind, kept side by side
    req: Requirement, facts: _Facts, program: Program
) -> RequirementResult:
    rule = req.rule
    met_on: dt.date | None
    if rule == "attend":
        dates = [facts.attended.get(c) for c in req.components]
        got = [(c, d) for c, d in zip(req.components, dates, strict=True) if d is not None]
        done, needed = len(got), len(req.components)
        met_on = max(d for _, d in got) if done == needed else None
        if needed == 1:
            code = req.components[0]
            name = program.components[code].name
            text = (f"Attended {name} on {_d(met_on)}." if met_on else
                    f"{name} not attended yet.")
        else:
            listed = ", ".join(f"{c} ({_d(d)})" for c, d in got)
            missing = [c for c in req.components if c not in facts.attended]
            text = (f"All {needed} completed: {listed}." if met_on else
                    f"{done} of {needed} completed{': ' + listed if got else ''}; "
                    f"still needed: {', '.join(missing)}.")
    elif rule in ("pass", "pass_one_of"):
        passes = sorted(
            (facts.passed[c] for c in req.components if c in facts.passed),
            key=lambda r: (r.date, r.component),
        )
        done, needed = min(len(passes), 1), 1
        met_on = passes[0].date if passes else None
        if passes:
            text = _passed_text(passes[0])
        elif rule == "pass":
            text = _why_not_passed(req.components[0], facts, program) + "."
        else:
            options = req.components
            names = (f"Neither {options[0]} nor {options[1]}" if len(options) == 2
                     else "None of " + ", ".join(options))
            started = [c for c in options if c in facts.latest]
            detail = "; ".join(_why_not_passed(c, facts, program) for c in started)
            text = f"{names} passed yet; one is needed" + (
                f" ({detail})." if detail else ".")
    elif rule == "distinct":
        codes = sorted(
            (d, c) for c, d in facts.attended.items()
            if program.components[c].kind == req.kind
        )
        done, needed = len(codes), req.count
        met_on = codes[needed - 1][0] if done >= needed else None
        kind = f"{req.kind}s"
        listed = ", ".join(c for _, c in codes)
        if met_on:
            text = f"{done} of {needed} distinct {kind}: {listed}."
        elif done:
            text = (f"{done} of {needed} distinct {kind}: {listed}; "
                    f"{needed - done} more needed.")
        else:
            text = f"0 of {needed} distinct {kind}; {needed} needed."
    elif rule == "sessions":
        code = req.components[0]
        days = sorted(day for _, day in facts.sessions.get(code, {}))
        done, needed = len(days), req.count
        met_on = days[needed - 1] if done >= needed else None
        name = program.components[code].name
        listed = ", ".join(_d(d) for d in days)
        if met_on:
            text = f"{done} {name} sessions attended ({listed}); {needed} needed."
        else:
            text = (f"{done} of {needed} {name} sessions attended"
                    f"{' (' + listed + ')' if days else ''}; {needed - done} more needed.")
    else:  # role
        code = req.components[0]
        role = req.role or ""
        met_on = facts.roles.get((code, role))
        done, needed = (1 if met_on else 0), 1
        name = program.components[code].name
        text = (f"{req.title}: {role} at the {name} on {_d(met_on)}." if met_on else
                f"{req.title}: not yet a {role} at a {name}.")
    return RequirementResult(req.id, req.title, req.track, met_on is not None, met_on,
                             min(done, needed), needed, text)


def _remaining_days(program: Program, results: tuple[RequirementResult, ...]) -> int:
    """Calendar days the unmet sequential components need, taken back to back."""
    total = 0
    for req, result in zip(program.requirements, results, strict=True):
        if result.met or req.rule not in ("attend", "pass", "pass_one_of"):
            continue
        lengths = [program.components[c].length_days for c in req.components
                   if program.components[c].kind in SEQUENTIAL_KINDS]
        if not lengths:
            continue
        total += min(lengths) if req.rule == "pass_one_of" else sum(lengths)
    return total


def evaluate(program: Program, records: ParticipantRecords, as_of: dt.date) -> Audit:
    """Audit `records` against `program` as things stood at the end of `as_of`."""
    facts = _Facts(program, records.records, as_of)
    results = tuple(_evaluate(req, facts, program) for req in program.requirements)
    due = compute_deadline(records.enrolled_on, program.window, records.deadline_extended_to)

    last_met = max((r.met_on for r in results if r.met_on), default=None)
    all_met = all(r.met for r in results)
    certified_on = last_met if all_met and last_met is not None and last_met <= due else None
    remaining = _remaining_days(program, results)

    status: Status
    if certified_on is not None:
        status = "certified"
    elif records.withdrawn_on is not None and records.withdrawn_on <= as_of:
        status = "withdrawn"
    elif as_of > due:
        status = "overdue"
    elif as_of + dt.timedelta(days=remaining) > due:
        status = "at_risk"
    else:
        status = "on_track"

    badges = sorted(
        (Badge(code, r.date) for code, r in facts.passed.items()
         if program.components[code].badge),
        key=lambda b: (b.earned_on, b.achievement),
    )
    if certified_on is not None:
        badges.append(Badge(program.id, certified_on))
    return Audit(
        participant=records.participant.id,
        program=program.id,
        program_version=program.version,
        as_of=as_of,
        deadline=due,
        status=status,
        certified_on=certified_on,
        requirements=results,
        badges=tuple(badges),
        remaining_days=remaining,
    )
