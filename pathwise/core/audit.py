"""The requirement audit: where a participant stands on a given day.

One pass over the records collects, per component, the first day it was
attended and the first day it was passed; each requirement rule then reads
those facts. Records dated after `as_of` do not exist yet.
"""

from __future__ import annotations

import datetime as dt
import linecache
import operator
from collections.abc import Callable, Mapping
from typing import Any, Literal, NamedTuple

import msgspec

from pathwise.core.deadline import deadline as compute_deadline
from pathwise.core.program import (
    SEQUENTIAL_KINDS,
    Component,
    Prerequisite,
    Program,
    Requirement,
)
from pathwise.core.records import ParticipantRecords, Record
from pathwise.core.when import day_text
from pathwise.core.words import and_list, or_list

Status = Literal["certified", "on_track", "at_risk", "overdue", "withdrawn"]
STATUSES: tuple[Status, ...] = ("certified", "on_track", "at_risk", "overdue", "withdrawn")


class RequirementResult(msgspec.Struct, frozen=True, gc=False):
    """One requirement's standing. The explanation is worded only when someone reads it."""

    requirement: Requirement
    met_on: dt.date | None
    done: int
    needed: int
    facts: _Facts

    @property
    def id(self) -> str:
        return self.requirement.id

    @property
    def title(self) -> str:
        return self.requirement.title

    @property
    def track(self) -> str:
        return self.requirement.track

    @property
    def met(self) -> bool:
        return self.met_on is not None

    @property
    def explanation(self) -> str:
        return _explain(self)

    @property
    def counted(self) -> tuple[Counted, ...]:
        """What counts towards it so far, oldest first (the journey map draws these)."""
        return _counted(self)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "met": self.met,
            "met_on": self.met_on.isoformat() if self.met_on else None,
            "progress": {"done": self.done, "of": self.needed},
            "explanation": self.explanation,
        }


How = Literal["attended", "passed", "credited", "presented"]


class Counted(msgspec.Struct, frozen=True, gc=False):
    """One thing that counts towards a requirement: a component, the day, and how."""

    component: str
    on: dt.date
    how: How


class Badge(msgspec.Struct, frozen=True, gc=False):
    achievement: str
    earned_on: dt.date

    def to_json(self) -> dict[str, Any]:
        return {"achievement": self.achievement, "earned_on": self.earned_on.isoformat()}


class Audit(msgspec.Struct, frozen=True, gc=False):
    participant: str
    program: str
    program_version: str
    as_of: dt.date
    deadline: dt.date
    status: Status
    certified_on: dt.date | None
    requirements: tuple[RequirementResult, ...]
    badges: tuple[Badge, ...]

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


class Shortfall(NamedTuple):
    """What a course record lacks under its graduation rule, and whether that is settled:
    too few sessions or a failed assessment stay so; an ungraded assessment may yet pass."""

    reason: str
    settled: bool


def graduation_shortfalls(record: Record, component: Component) -> list[Shortfall]:
    """Why a course record without an outcome does not pass its graduation rule, in words;
    none when it passes (`record_passes` says the same, faster)."""
    rule = component.graduation
    if rule is None:
        return []
    gaps = []
    attendance = record.attendance
    if attendance is None:
        gaps.append(Shortfall("attendance not recorded", settled=False))
    elif attendance.attended < rule.min_sessions:
        gaps.append(Shortfall(f"attended {attendance.attended} of {attendance.of} sessions, "
                              f"{rule.min_sessions} needed", settled=True))
    results = record.assessments or {}
    for name in rule.assessments:
        result = results.get(name)
        if result != "passed":
            gaps.append(Shortfall(f"{name} {result or 'not yet assessed'}",
                                  settled=result is not None))
    return gaps


# A session's day, from its (offering, day).
_DAY = operator.itemgetter(1)
# Badges in the order they were earned; on one day, by achievement.
_BADGE_ORDER = operator.attrgetter("earned_on", "achievement")


def _tie_order(r: Record) -> tuple[Any, ...]:
    """Orders records of one component on one day, so a file's order never matters."""
    attendance = (r.attendance.attended, r.attendance.of) if r.attendance else (-1, -1)
    return (r.outcome or "", r.offering or "", r.role or "", attendance,
            sorted((r.assessments or {}).items()), r.basis or "",
            r.conditions_met is True, r.conditions_met is None)


def _later(new: Record, old: Record | None) -> bool:
    if old is None or new.date > old.date:
        return True
    return new.date == old.date and _tie_order(new) > _tie_order(old)


# Most participants have no early pass: they share this table, which is never written to
# (`_apply_gate` replaces it).
_NONE_EARLY: dict[str, tuple[Record, Prerequisite]] = {}


class _Facts(msgspec.Struct, eq=False, gc=False):
    """What the records up to `as_of` establish, per component: one pass, no sorting.

    Made by `_facts`; a Struct because one is built in C from the pass's tables, where a
    class's `__init__` costs a Python call and ten attribute stores per audit. Compared by
    identity, as results holding them always were. `latest` and `pending_credit` only word
    explanations, so they are worked out on first use rather than in the pass every audit
    makes.
    """

    program: Program
    records: tuple[Record, ...]
    as_of: dt.date
    attended: dict[str, dt.date]
    passed: dict[str, Record]
    sessions: dict[str, set[tuple[str | None, dt.date]]]
    roles: dict[tuple[str, str], dt.date]
    # Passes that came before their prerequisites were complete, so do not count.
    early: dict[str, tuple[Record, Prerequisite]]
    _latest: dict[str, Record] | None = None
    _pending: dict[str, Record] | None = None

    def _apply_gates(self, gates: tuple[Prerequisite, ...], passed: dict[str, Record]) -> None:
        components = self.program.components
        for gate in gates:
            if gate.component in passed:
                self._apply_gate(gate, passed, components[gate.component])

    def _apply_gate(self, gate: Prerequisite, passed: dict[str, Record],
                    component: Component) -> None:
        """Keep a gated component's pass only if it came after its prerequisites were passed.

        The first pass usually does, so the records are read again only when it did not.
        """
        code = gate.component
        first = passed.get(code)
        if first is None:
            return
        ready = _ready_on(gate, passed)
        if ready is not None and first.date > ready:
            return
        best: Record | None = None
        if ready is not None:
            for r in self.records:
                if (r.component == code and ready < r.date <= self.as_of
                        and record_passes(r, component)
                        and (best is None or r.date < best.date
                             or (r.date == best.date and _tie_order(r) < _tie_order(best)))):
                    best = r
        if best is None:
            del passed[code]
            self.early = {**self.early, code: (first, gate)}
        else:
            passed[code] = best

    def _scan(self) -> dict[str, Record]:
        latest: dict[str, Record] = {}
        pending: dict[str, Record] = {}
        for r in self.records:
            if r.date > self.as_of:
                continue
            if _later(r, latest.get(r.component)):
                latest[r.component] = r
            if r.outcome == "credited" and r.conditions_met is not True and _later(
                r, pending.get(r.component)
            ):
                pending[r.component] = r
        self._pending = pending
        return latest

    @property
    def latest(self) -> dict[str, Record]:
        """Each component's most recent record."""
        if self._latest is None:
            self._latest = self._scan()
        return self._latest

    @property
    def pending_credit(self) -> dict[str, Record]:
        """Each component's latest credit still waiting for its conditions."""
        if self._pending is None:
            self._latest = self._scan()
        assert self._pending is not None
        return self._pending


def _facts(compiled: _Compiled, records: tuple[Record, ...], as_of: dt.date) -> _Facts:
    """One pass over the records: per component the first day attended and the first pass,
    the sessions counted and the first day in each role; then the prerequisites' gates."""
    attended: dict[str, dt.date] = {}
    passed: dict[str, Record] = {}
    sessions: dict[str, set[tuple[str | None, dt.date]]] = {}
    roles: dict[tuple[str, str], dt.date] = {}
    counted = compiled.session_components
    graduation = compiled.graduation
    for r in records:
        outcome = r.outcome
        # The outcomes in the order records most often have them. Past this test a record
        # is attended, or passed; the day is compared only then (an absence counts for
        # nothing whatever its day).
        if outcome == "attended":
            pass
        elif outcome == "absent":
            continue
        elif outcome is None:
            # `record_passes`, inlined: a course record decided by its graduation rule.
            rule = graduation.get(r.component)
            attendance = r.attendance
            if rule is None or attendance is None or attendance.attended < rule[0]:
                continue
            results = r.assessments
            # A plain loop: cheaper in CPython 3.12 than `all(map(...))` over one or two names.
            ungraded = False
            for name in rule[1]:
                if results is None or results.get(name) != "passed":
                    ungraded = True
                    break
            if ungraded:
                continue
        elif outcome == "passed":
            pass
        elif outcome != "credited" or r.conditions_met is not True:
            continue
        day = r.date
        if day > as_of:
            continue
        code = r.component
        if code not in attended or day < attended[code]:
            attended[code] = day
        if code in counted:
            held = sessions.get(code)
            if held is None:
                held = sessions[code] = set()
            held.add((r.offering, day))
        if r.role is not None:
            key = (code, r.role)
            if key not in roles or day < roles[key]:
                roles[key] = day
        if outcome != "attended":
            prev = passed.get(code)
            if prev is None or day < prev.date or (
                day == prev.date and _tie_order(r) < _tie_order(prev)
            ):
                passed[code] = r
    facts = _Facts(compiled.program, records, as_of, attended, passed, sessions, roles,
                   _NONE_EARLY)
    if not compiled.gated.isdisjoint(passed):
        facts._apply_gates(compiled.gates, passed)
    return facts


def _d(day: dt.date) -> str:
    return day_text(day)


def _ready_on(gate: Prerequisite, passed: Mapping[str, Record]) -> dt.date | None:
    """The day a prerequisite was complete (its last needed pass), or None while it is not."""
    last: dt.date | None = None
    for code in gate.requires:
        record = passed.get(code)
        if record is None:
            return None
        if last is None or record.date > last:
            last = record.date
    if gate.requires_one_of:
        options = [r.date for c in gate.requires_one_of if (r := passed.get(c)) is not None]
        if not options:
            return None
        first = min(options)
        if last is None or first > last:
            last = first
    return last


def _needs_text(gate: Prerequisite) -> str:
    needs = list(gate.requires)
    if gate.requires_one_of:
        needs.append("one of " + or_list(gate.requires_one_of))
    return and_list(needs)


def _early_text(code: str, record: Record, gate: Prerequisite, facts: _Facts) -> str:
    """Why a pass dated before its prerequisites were complete does not count."""
    passed = facts.passed
    ready = _ready_on(gate, passed)
    needs = _needs_text(gate)
    if ready is None:
        missing = [c for c in gate.requires if c not in passed]
        if gate.requires_one_of and not any(c in passed for c in gate.requires_one_of):
            missing.append(or_list(gate.requires_one_of))
        verb = "is" if len(missing) == 1 else "are"
        return (f"{code} passed on {_d(record.date)} does not count yet: it counts only "
                f"once {needs} are complete, and {and_list(missing)} {verb} not yet passed")
    return (f"{code} passed on {_d(record.date)} does not count: it came before {needs} were "
            f"complete (on {_d(ready)}); a {code} passed after that day is needed")


def _why_not_passed(code: str, facts: _Facts, program: Program) -> str:
    """Why a course or capstone has not been passed yet, from its latest record."""
    component = program.components[code]
    if code in facts.early:
        record, gate = facts.early[code]
        return _early_text(code, record, gate, facts)
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
    gaps = [gap.reason for gap in graduation_shortfalls(latest, component)]
    return f"{code} not passed yet: " + "; ".join(gaps) if gaps else f"{code} not passed yet"


def _passed_text(record: Record) -> str:
    if record.outcome == "credited":
        basis = f" ({record.basis})" if record.basis else ""
        return f"{record.component} credited{basis} on {_d(record.date)}."
    return f"{record.component} passed on {_d(record.date)}."


Measures = Callable[["_Facts"], tuple[tuple[RequirementResult, ...], tuple[dt.date | None, ...],
                                      int]]


def _measures(program: Program, sequential_days: tuple[tuple[int, int], ...]) -> Measures:
    """One function measuring all of a program's requirements: whether and when each was
    met and how far along it is, the days each was met (None while not), and the days the
    unmet multi-week courses take back to back.

    Built once per program, so an audit spends its time on the participant's records
    rather than on reading the program again. One function, its lines written for the
    program's rules, saves an audit a call and a closure per requirement and a list per
    rule over several components: about 7% of an audit (bench/README.md). The program's
    values reach it as its globals (`code2`, `needed5`), never as text, so nothing in a
    program file becomes code.
    """
    names: dict[str, Any] = {"Result": RequirementResult, "_DAY": _DAY}
    lines = ["def measures(f):",
             "    attended, passed, sessions, roles = f.attended, f.passed, f.sessions, f.roles",
             "    left = 0"]
    sequential = dict(sequential_days)
    requirements = program.requirements
    for i, req in enumerate(requirements):
        names[f"req{i}"] = req
        body, values = _measure_lines(i, req, program)
        names.update(values)
        lines.append(body)
        if i in sequential:
            names[f"days{i}"] = sequential[i]
            lines.append(f"    if d{i} is None:\n        left += days{i}")
    results, days = ("".join(f"{letter}{i}, " for i in range(len(requirements)))
                     for letter in "rd")
    lines.append(f"    return ({results}), ({days}), left")
    source = "\n".join(lines) + "\n"
    filename = f"<pathwise.core.audit: measures of {program.id} {program.version}>"
    exec(compile(source, filename, "exec"), names)  # noqa: S102 (our lines, see above)
    # So that a traceback through it shows its lines.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    measures: Measures = names["measures"]
    return measures


def _measure_lines(i: int, req: Requirement, program: Program) -> tuple[str, dict[str, Any]]:
    """The lines setting `d{i}` (the day requirement `i` was met) and `r{i}` (its result),
    and the values they read, by name."""
    codes = req.components
    rule = req.rule
    if rule == "attend" and len(codes) == 1:
        return (f"    d{i} = attended.get(code{i})\n"
                f"    r{i} = Result(req{i}, d{i}, 0 if d{i} is None else 1, 1, f)",
                {f"code{i}": codes[0]})
    if rule == "attend":
        # Each component read on its own line: cheaper than a list of what was attended.
        each = range(len(codes))
        return ("".join(f"    x{j} = attended.get(code{i}_{j})\n" for j in each)
                + f"    done = {' + '.join(f'(x{j} is not None)' for j in each)}\n"
                f"    d{i} = max({', '.join(f'x{j}' for j in each)}) if done == needed{i} "
                "else None\n"
                f"    r{i} = Result(req{i}, d{i}, done, needed{i}, f)",
                {f"needed{i}": len(codes)} | {f"code{i}_{j}": c for j, c in enumerate(codes)})
    if rule in ("pass", "pass_one_of") and len(codes) == 1:
        return (f"    first = passed.get(code{i})\n"
                f"    d{i} = None if first is None else first.date\n"
                f"    r{i} = Result(req{i}, d{i}, 0 if first is None else 1, 1, f)",
                {f"code{i}": codes[0]})
    if rule in ("pass", "pass_one_of"):
        # The first pass of any; on one day, the first by code, as the components are
        # read in the order of their codes.
        ordered = sorted(codes)
        return ("    first = None\n"
                + "".join(f"    x = passed.get(code{i}_{j})\n"
                          "    if x is not None and (first is None or x.date < first.date):\n"
                          "        first = x\n" for j in range(len(ordered)))
                + f"    d{i} = None if first is None else first.date\n"
                f"    r{i} = Result(req{i}, d{i}, 0 if first is None else 1, 1, f)",
                {f"code{i}_{j}": c for j, c in enumerate(ordered)})
    if rule == "distinct":
        # Over what was attended, one set test each: cheaper than a test and a read per
        # component of the kind (0.64 against 0.78 µs for ten mini-workshops).
        return (f"    days = [day for code, day in attended.items() if code in of_kind{i}]\n"
                f"    if len(days) < needed{i}:\n"
                f"        d{i} = None\n"
                f"        r{i} = Result(req{i}, None, len(days), needed{i}, f)\n"
                "    else:\n"
                f"        if len(days) == needed{i}:\n"
                f"            d{i} = max(days)\n"
                "        else:\n"
                "            days.sort()\n"
                f"            d{i} = days[needed{i} - 1]\n"
                f"        r{i} = Result(req{i}, d{i}, needed{i}, needed{i}, f)",
                {f"of_kind{i}": frozenset(c.code for c in program.of_kind(req.kind or "")),
                 f"needed{i}": req.count})
    if rule == "sessions":
        return (f"    held = sessions.get(code{i}, ())\n"
                f"    if len(held) < needed{i}:\n"
                f"        d{i} = None\n"
                f"        r{i} = Result(req{i}, None, len(held), needed{i}, f)\n"
                "    else:\n"
                f"        d{i} = sorted(map(_DAY, held))[needed{i} - 1]\n"
                f"        r{i} = Result(req{i}, d{i}, needed{i}, needed{i}, f)",
                {f"code{i}": codes[0], f"needed{i}": req.count})
    return (f"    d{i} = roles.get(key{i})\n"
            f"    r{i} = Result(req{i}, d{i}, 0 if d{i} is None else 1, 1, f)",
            {f"key{i}": (codes[0], req.role or "")})


class _Compiled:
    """A program made ready for auditing: one measure per requirement, and what the
    audit would otherwise look up in the program for every participant."""

    __slots__ = ("badges", "deadlines", "gated", "gates", "graduation", "measures", "program",
                 "sequential_days", "session_components")

    def __init__(self, program: Program) -> None:
        self.program = program
        self.gates = _gates_in_order(program)
        self.gated = frozenset(gate.component for gate in self.gates)
        self.session_components = frozenset(
            c for req in program.requirements if req.rule == "sessions" for c in req.components)
        self.graduation = {c.code: (c.graduation.min_sessions, c.graduation.assessments)
                           for c in program.components.values() if c.graduation is not None}
        self.badges = frozenset(c.code for c in program.components.values() if c.badge)
        self.sequential_days = _sequential_days(program)
        self.measures = _measures(program, self.sequential_days)
        self.deadlines: dict[dt.date, dt.date] = {}

    def deadline(self, enrolled_on: dt.date) -> dt.date:
        """The program's deadline for an enrollment day, worked out once per day."""
        due = self.deadlines.get(enrolled_on)
        if due is None:
            due = compute_deadline(enrolled_on, self.program.window)
            if len(self.deadlines) < 100_000:
                self.deadlines[enrolled_on] = due
        return due


def _sequential_days(program: Program) -> tuple[tuple[int, int], ...]:
    """Per requirement met by sequential components (by index): the calendar days they take
    back to back (the shortest option for a choice of one)."""
    out = []
    for index, req in enumerate(program.requirements):
        if req.rule not in ("attend", "pass", "pass_one_of"):
            continue
        lengths = [program.components[c].length_days for c in req.components
                   if program.components[c].kind in SEQUENTIAL_KINDS]
        if lengths:
            out.append((index, min(lengths) if req.rule == "pass_one_of" else sum(lengths)))
    return tuple(out)


def _gates_in_order(program: Program) -> tuple[Prerequisite, ...]:
    """The prerequisites the audit applies, each after those its own prerequisites are
    gated by (the definition has no cycles)."""
    gates = {p.component: p for p in program.prerequisites if p.applies_to_records}
    ordered: list[Prerequisite] = []

    def visit(code: str) -> None:
        gate = gates.get(code)
        if gate is None or gate in ordered:
            return
        for needed in gate.needs:
            visit(needed)
        ordered.append(gate)

    for code in gates:
        visit(code)
    return tuple(ordered)


_COMPILED: dict[int, _Compiled] = {}


def _compiled(program: Program) -> _Compiled:
    found = _COMPILED.get(id(program))
    if found is None or found.program is not program:
        found = _COMPILED[id(program)] = _Compiled(program)
    return found


def _first_pass(req: Requirement, facts: _Facts) -> Record | None:
    """The earliest passing record among the requirement's components."""
    passed = facts.passed
    if len(req.components) == 1:
        return passed.get(req.components[0])
    passes = [passed[c] for c in req.components if c in passed]
    return _earliest(passes) if passes else None


def _earliest(passes: list[Record]) -> Record:
    """The first of several passes; on one day, by component code."""
    return passes[0] if len(passes) == 1 else min(passes, key=lambda r: (r.date, r.component))


def _counted(result: RequirementResult) -> tuple[Counted, ...]:
    """The components (or sessions) each rule counts, with the day each counted from."""
    req, f = result.requirement, result.facts
    codes = req.components
    out: list[Counted]
    if req.rule == "attend":
        out = [Counted(c, f.attended[c], "attended") for c in codes if c in f.attended]
    elif req.rule in ("pass", "pass_one_of"):
        first = _first_pass(req, f)
        out = [] if first is None else [Counted(
            first.component, first.date, "credited" if first.outcome == "credited" else "passed")]
    elif req.rule == "distinct":
        out = [Counted(c, day, "attended") for c, day in f.attended.items()
               if f.program.components[c].kind == req.kind]
    elif req.rule == "sessions":
        out = [Counted(codes[0], day, "attended") for _, day in f.sessions.get(codes[0], ())]
    else:
        day = f.roles.get((codes[0], req.role or ""))
        out = [] if day is None else [Counted(codes[0], day, "presented")]
    return tuple(sorted(out, key=lambda c: (c.on, c.component)))


def _explain(result: RequirementResult) -> str:
    """A sentence a participant understands about one requirement."""
    req, facts, met_on = result.requirement, result.facts, result.met_on
    program = facts.program
    done, needed = result.done, result.needed
    rule = req.rule
    if rule == "attend":
        got = [(c, facts.attended[c]) for c in req.components if c in facts.attended]
        if needed == 1:
            name = program.components[req.components[0]].name
            return f"Attended {name} on {_d(met_on)}." if met_on else f"{name} not attended yet."
        listed = ", ".join(f"{c} ({_d(d)})" for c, d in got)
        missing = [c for c in req.components if c not in facts.attended]
        if met_on:
            return f"All {needed} completed: {listed}."
        return (f"{done} of {needed} completed{': ' + listed if got else ''}; "
                f"still needed: {', '.join(missing)}.")
    if rule in ("pass", "pass_one_of"):
        first = _first_pass(req, facts)
        if first is not None:
            return _passed_text(first)
        if rule == "pass":
            return _why_not_passed(req.components[0], facts, program) + "."
        options = req.components
        names = (f"Neither {options[0]} nor {options[1]}" if len(options) == 2
                 else "None of " + ", ".join(options))
        started = [c for c in options if c in facts.latest]
        detail = "; ".join(_why_not_passed(c, facts, program) for c in started)
        return f"{names} passed yet; one is needed" + (f" ({detail})." if detail else ".")
    if rule == "distinct":
        codes = sorted((d, c) for c, d in facts.attended.items()
                       if program.components[c].kind == req.kind)
        kind = f"{req.kind}s"
        listed = ", ".join(c for _, c in codes)
        count = len(codes)
        if met_on:
            return f"{count} of {needed} distinct {kind}: {listed}."
        if count:
            return f"{count} of {needed} distinct {kind}: {listed}; {needed - count} more needed."
        return f"0 of {needed} distinct {kind}; {needed} needed."
    if rule == "sessions":
        code = req.components[0]
        days = sorted(day for _, day in facts.sessions.get(code, ()))
        name = program.components[code].name
        listed = ", ".join(_d(d) for d in days)
        if met_on:
            return f"{len(days)} {name} sessions attended ({listed}); {needed} needed."
        return (f"{len(days)} of {needed} {name} sessions attended"
                f"{' (' + listed + ')' if days else ''}; {needed - len(days)} more needed.")
    name = program.components[req.components[0]].name
    role = req.role or ""
    if met_on:
        return f"{req.title}: {role} at the {name} on {_d(met_on)}."
    return f"{req.title}: not yet a {role} at a {name}."


def evaluate(program: Program, records: ParticipantRecords, as_of: dt.date) -> Audit:
    """Audit `records` against `program` as things stood at the end of `as_of`."""
    compiled = _compiled(program)
    facts = _facts(compiled, records.records, as_of)
    results, met_on, left = compiled.measures(facts)
    enrolled = records.enrolled_on
    due = (records.deadline_extended_to or compiled.deadlines.get(enrolled)
           or compiled.deadline(enrolled))

    last_met = None if None in met_on else max(met_on)  # type: ignore[type-var]
    certified_on = last_met if last_met is not None and last_met <= due else None

    status: Status
    if certified_on is not None:
        status = "certified"
    elif records.withdrawn_on is not None and records.withdrawn_on <= as_of:
        status = "withdrawn"
    elif as_of > due:
        status = "overdue"
    elif (due - as_of).days < left:
        # The unmet multi-week courses, taken back to back, no longer fit.
        status = "at_risk"
    else:
        status = "on_track"

    passed = facts.passed
    earned: tuple[Badge, ...] = ()
    if passed or certified_on is not None:
        earns_badge = compiled.badges
        badges = [Badge(code, r.date) for code, r in passed.items() if code in earns_badge]
        if len(badges) > 1:
            badges.sort(key=_BADGE_ORDER)
        if certified_on is not None:
            badges.append(Badge(program.id, certified_on))
        earned = tuple(badges)
    return Audit(records.participant.id, program.id, program.version, as_of, due, status,
                 certified_on, results, earned)


def at_risk_from(program: Program, audit: Audit) -> dt.date | None:
    """The first day the time rule finds `audit`'s unmet multi-week courses no longer fit
    back to back before the deadline; None when none is left."""
    compiled = _compiled(program)
    left = sum([days for index, days in compiled.sequential_days
                if audit.requirements[index].met_on is None])
    # At risk once fewer days than `left` remain: from the deadline less `left` - 1 days.
    return audit.deadline - dt.timedelta(days=left - 1) if left else None
