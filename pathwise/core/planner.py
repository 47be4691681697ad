"""The planner: the earliest-finishing journey a participant can still take, from real offerings.

What it uses: offerings that start after `as_of`, have seats left, are open to
the participant (public, or private to their organization) and whose every
meeting falls inside one of their availability windows, in their own time
zone. Every step is allowed by `pathwise.core.enrollment`; what the audit says
is already met is not planned again.

How it searches. Multi-week courses cannot overlap, so any set of course runs
is a sequence in time. For a fixed order of components, taking at each step the
allowed run that ends earliest is optimal (a run that ends earlier leaves every
later choice open), so the search tries every order and every choice among
alternatives (NOC or COP), greedily, with a bound on the best finish so far —
a few dozen short scans. Mini-workshops and skills shares may overlap courses
and each other, so they are independent picks of the earliest suitable runs of
distinct components. A capstone has no offerings: it is placed on the day
after the last course requirement is met.

Decisions the contract leaves open:
- ``seats_left: null`` means the run keeps no seat count (a skills share is
  free and unlimited), so it is usable; ``0`` is full and skipped.
- An offering without ``meetings`` has nothing to clash with availability.
- No availability in the records means any time suits.
- A component is met on its run's ``ends_on``; the plan finishes on the day
  the last requirement would be met. A prerequisite planned in the same plan
  counts once its run has ended (see `pathwise.core.enrollment`).
- Orientation is only ever planned in the participant's own intake, which the
  records file does not carry: without `intake`, an unmet orientation has no
  run open to them, and the plan says so.
- When some requirement has no suitable run, `finishes_on` is None, `steps`
  still show everything that could be planned (for the courses, the longest
  sequence any order reached), and `reasons` name each requirement left out
  and what kept its runs out (full, private, outside availability, a rule).
"""

from __future__ import annotations

import datetime as dt
import heapq
import operator
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pathwise.core import enrollment
from pathwise.core.audit import Audit, RequirementResult, evaluate
from pathwise.core.availability import Window, parse_availability
from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import show_value
from pathwise.core.offerings import (
    Offering,
    OfferingsError,
    OfferingsFile,
    first_clash,
    meeting_days,
)
from pathwise.core.program import Program, Requirement
from pathwise.core.records import ParticipantRecords
from pathwise.core.when import day_text, zone_named
from pathwise.core.words import or_list

_ONE_DAY = dt.timedelta(days=1)


class PlanError(PathwiseError):
    """Input the planner cannot use (a participant's availability, say)."""


# -- availability -----------------------------------------------------------------------


def fits(offering: Offering, zone: zoneinfo.ZoneInfo, windows: tuple[Window, ...] | None) -> bool:
    """Whether every meeting of `offering` lies inside one window, on the participant's clock."""
    return windows is None or _fits(_spans(offering), zone, windows)


def _spans(offering: Offering) -> Iterator[tuple[float, float]]:
    """`meeting_spans`, one at a time: most runs are refused on their first meeting."""
    m = offering.meetings
    if m is None:
        return
    zone = zone_named(m.timezone)
    start_time = m.start_time
    length = m.minutes * 60
    combine = dt.datetime.combine
    for day in meeting_days(offering, in_order=False):
        start = combine(day, start_time, tzinfo=zone).timestamp()
        yield start, start + length


def _fits(meetings: Iterable[tuple[float, float]], zone: zoneinfo.ZoneInfo,
          windows: tuple[Window, ...]) -> bool:
    """Every meeting (UTC timestamps) inside a window; stops at the first that is not,
    which for a run at the wrong hours is its first."""
    at = dt.datetime.fromtimestamp
    for start, end in meetings:
        # The offset each zone has on that instant, so a meeting fixed at noon in New
        # York moves an hour on a London clock in the weeks when only one of the two
        # has changed to summer time.
        local_start = at(start, zone)
        local_end = at(end, zone)
        first = local_start.hour * 60 + local_start.minute
        if local_end.date() == local_start.date():
            last = local_end.hour * 60 + local_end.minute
        elif local_end.date() == local_start.date() + _ONE_DAY and not (
                local_end.hour or local_end.minute):
            last = 24 * 60
        else:
            return False  # runs past midnight: no single day's window holds it
        weekday = local_start.weekday()
        for w in windows:
            if weekday in w.days and w.start <= first and last <= w.end:
                break
        else:
            return False
    return True


# -- the catalogue, prepared once per offerings file ------------------------------------


class _Catalogue:
    """Offerings by component, ordered by when they end, and their meetings worked out once."""

    __slots__ = ("_unsorted", "by_component", "by_id", "fit_cache", "offerings", "program",
                 "usable_cache")

    def __init__(self, program: Program, offerings: OfferingsFile, source: str) -> None:
        self.program = program
        self.offerings = offerings
        runs = offerings.offerings
        by_component: dict[str, list[Offering]] = {code: [] for code in program.components}
        try:
            for offering in runs:
                by_component[offering.component].append(offering)
        except KeyError:
            index, unknown = next((i, o) for i, o in enumerate(runs)
                                  if o.component not in program.components)
            raise OfferingsError(
                f"{source}: offerings[{index}].component: unknown component "
                f"{show_value(unknown.component)} in {program.id} {program.version}") from None
        self._unsorted = by_component
        # Each component's runs by when they end, sorted when the planner first asks.
        self.by_component: dict[str, list[Offering]] = {}
        self.by_id = {o.id: o for o in runs}
        # Participants in one zone with the same hours share their answers.
        self.fit_cache: dict[tuple[str, tuple[Window, ...]], dict[str, bool]] = {}
        # And so do those planned as of the same day in the same organization.
        self.usable_cache: dict[tuple[dt.date, str | None, str, tuple[Window, ...] | None],
                                dict[str, bool]] = {}

    def runs(self, code: str) -> list[Offering]:
        """The runs of `code`, the earliest-ending first."""
        found = self.by_component.get(code)
        if found is None:
            runs = self._unsorted.get(code, [])
            # One date per run compares much faster than a tuple; runs ending on the same
            # day, which are few, are ordered by their start and id as well.
            found = sorted(runs, key=_END)
            if len(set(map(_END, runs))) < len(runs):
                found.sort(key=_BY_END)
            self.by_component[code] = found
        return found

    def fits(self, offering: Offering, zone: zoneinfo.ZoneInfo,
             windows: tuple[Window, ...] | None) -> bool:
        if windows is None or offering.meetings is None:
            return True
        key = (zone.key, windows)
        answers = self.fit_cache.get(key)
        if answers is None:
            if len(self.fit_cache) > 256:
                self.fit_cache.clear()
            answers = self.fit_cache[key] = {}
        found = answers.get(offering.id)
        if found is None:
            found = answers[offering.id] = _fits(_spans(offering), zone, windows)
        return found

    def usable_answers(self, as_of: dt.date, organization: str | None,
                       zone: zoneinfo.ZoneInfo,
                       windows: tuple[Window, ...] | None) -> dict[str, bool]:
        """Which runs are usable (`_Planner.usable`) by anyone planned with these, by id."""
        key = (as_of, organization, zone.key, windows)
        answers = self.usable_cache.get(key)
        if answers is None:
            if len(self.usable_cache) > 256:
                self.usable_cache.clear()
            answers = self.usable_cache[key] = {}
        return answers


_END = operator.attrgetter("ends_on")
_BY_END = operator.attrgetter("ends_on", "starts_on", "id")
_CATALOGUES: dict[tuple[int, int], _Catalogue] = {}


def _catalogue(program: Program, offerings: OfferingsFile, source: str) -> _Catalogue:
    key = (id(program), id(offerings))
    found = _CATALOGUES.get(key)
    if found is None or found.program is not program or found.offerings is not offerings:
        if len(_CATALOGUES) >= 8:
            _CATALOGUES.clear()  # a long-running process sees new files; keep only recent ones
        found = _CATALOGUES[key] = _Catalogue(program, offerings, source)
    return found


# -- the plan ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One thing to do: a run of a component (None for a capstone), and the role if any.

    A `held` step is a run the participant already holds a seat in: a fixed part
    of the plan, never planned against.
    """

    component: str
    offering: Offering | None
    starts_on: dt.date
    ends_on: dt.date
    role: str | None = None
    held: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "offering": self.offering.id if self.offering is not None else None,
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "role": self.role,
            "held": self.held,
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """The contract's plan; its JSON carries `reasons` only when it is not feasible."""

    feasible: bool
    finishes_on: dt.date | None
    deadline: dt.date
    steps: tuple[Step, ...]
    reasons: tuple[str, ...] = ()
    # The first day planning again may give another plan with nothing but the date changed
    # (None: never): a run it found or counted starts, or a day its reasons name comes.
    replan_on: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "feasible": self.feasible,
            "finishes_on": self.finishes_on.isoformat() if self.finishes_on else None,
            "deadline": self.deadline.isoformat(),
            "steps": [s.to_json() for s in self.steps],
        }
        if not self.feasible:
            out["reasons"] = list(self.reasons)
        return out


def plan(program: Program, records: ParticipantRecords, offerings: OfferingsFile,
         as_of: dt.date, *, intake: str | None = None, records_source: str = "records",
         offerings_source: str = "offerings", audit: Audit | None = None) -> Plan:
    """The earliest-finishing plan for `records` from `offerings`, as things stand on `as_of`.

    `audit` is the records' audit as of that day, when the caller has it already.
    """
    catalogue = _catalogue(program, offerings, offerings_source)
    windows = parse_availability(records.participant.availability, source=records_source,
                                 error=PlanError)
    held = []
    for index, run_id in enumerate(records.holding):
        run = catalogue.by_id.get(run_id)
        if run is None:
            raise PlanError(f"{records_source}: holding[{index}]: {run_id!r} is not in "
                            f"{offerings_source}")
        held.append(run)
    if audit is None:
        audit = evaluate(program, records, as_of)
    held_steps = tuple(Step(r.component, r, r.starts_on, r.ends_on, held=True)
                       for r in sorted(held, key=lambda r: (r.starts_on, r.id)))
    if audit.certified_on is not None:
        return Plan(True, audit.certified_on, audit.deadline, held_steps)
    if records.withdrawn_on is not None and records.withdrawn_on <= as_of:
        return Plan(False, None, audit.deadline, held_steps,
                    (f"withdrew from the program on {day_text(records.withdrawn_on)}",))
    planner = _Planner(catalogue, records, as_of, audit.deadline, intake=intake,
                       windows=windows, held=tuple(held))
    return planner.run(audit.requirements)


Slot = tuple[Requirement, tuple[str, ...]]

#: How a reason names the enrollment rule that kept a run out.
_CAUSES = {"private-run": "private to another organization",
           "own-intake": "not in your intake",
           "prerequisite": "before its prerequisites are done",
           "one-course-at-a-time": "overlapping another course",
           "meeting-clash": "meeting at the same time as another of your runs",
           "already-holding": "already in the plan",
           "already-completed": "already completed"}

#: Independent picks in this order: what counts towards a later rule comes first
#: (orientation mini-workshops count as distinct ones; a talk is given at a session).
_PICK_ORDER = {"attend": 0, "pass": 0, "pass_one_of": 0, "distinct": 1, "sessions": 2, "role": 3}


class _Planner:
    """One participant's plan: the course sequence first, then the independent picks."""

    def __init__(self, catalogue: _Catalogue, records: ParticipantRecords, as_of: dt.date,
                 deadline: dt.date, *, intake: str | None,
                 windows: tuple[Window, ...] | None, held: tuple[Offering, ...] = ()) -> None:
        self.program = program = catalogue.program
        self.catalogue = catalogue
        self.as_of = as_of
        self.deadline = deadline
        self.zone = zone_named(records.participant.timezone)
        self.windows = windows
        self.organization = records.participant.organization
        self.intake = intake
        self.held = held
        self.completed = enrollment.completed_on(program, records.records, as_of)
        # What is passed, counting each held run as passed on its last day.
        self.passed = enrollment.passed_on(program, records.records, as_of)
        for run in held:
            self.passed.setdefault(run.component, run.ends_on)
        self._usable = catalogue.usable_answers(as_of, self.organization, self.zone, windows)
        self.steps: list[Step] = [Step(r.component, r, r.starts_on, r.ends_on, held=True)
                                  for r in held]
        self.met_on: dict[str, dt.date | None] = {}
        self.reasons: list[str] = []
        self.replan_on: dt.date | None = None
        # Who is enrolling once the courses are planned: their runs count as passed.
        self.who = self.enrollee(self.passed, ())

    def enrollee(self, passed: Mapping[str, dt.date],
                 planned: Sequence[Offering]) -> enrollment.Enrollee:
        """The participant as the rules see them with these runs planned (and theirs held)."""
        return enrollment.Enrollee(passed, self.intake, self.organization,
                                   (*self.held, *planned), completed=self.completed,
                                   timezone=self.zone.key)

    # -- which runs may be used at all

    def usable(self, offering: Offering) -> bool:
        """Starts after as-of, has a seat, is open to them and fits their hours (rules aside)."""
        found = self._usable.get(offering.id)
        if found is None:
            found = self._usable[offering.id] = (
                offering.starts_on > self.as_of
                and (offering.seats_left is None or offering.seats_left > 0)
                and (offering.private_to is None or offering.private_to == self.organization)
                and self.catalogue.fits(offering, self.zone, self.windows))
        return found

    def earliest_after(self, code: str, after: dt.date, who: enrollment.Enrollee,
                       exclude: frozenset[str] | set[str] = frozenset()) -> Offering | None:
        """The allowed, usable run of `code` starting after `after` that ends first."""
        found = self.earliest_from(code, after, who, exclude, 0)
        return found[1] if found is not None else None

    def earliest_from(self, code: str, after: dt.date, who: enrollment.Enrollee,
                      exclude: frozenset[str] | set[str], start: int
                      ) -> tuple[int, Offering] | None:
        """`earliest_after` among the runs of `code` from the `start`-th on (in the order
        of `_Catalogue.runs`), with where it is in them."""
        # Runs starting before the prerequisites are passed are refused: skip them
        # without asking the rules (and wording their refusal) one by one.
        waits = enrollment.prerequisites_wait_until(self.program, code, who.passed)
        if waits is not None and waits > after:
            if waits == dt.date.max:
                return None
            after = waits
        runs = self.catalogue.runs(code)
        for index in range(start, len(runs)):
            run = runs[index]
            if (run.starts_on > after and run.id not in exclude and self.usable(run)
                    and enrollment.allowed(self.program, who, run)):
                # A run passed over stays passed over as days go by; one found is gone
                # once it starts.
                self.replan_from(run.starts_on)
                return index, run
        return None

    def replan_from(self, day: dt.date) -> None:
        """What is planned may differ from `day` on (`Plan.replan_on`)."""
        if self.replan_on is None or day < self.replan_on:
            self.replan_on = day

    def why_none(self, codes: Sequence[str], after: dt.date, who: enrollment.Enrollee) -> str:
        """What kept the runs of `codes` starting after `after` out, counted by cause."""
        causes: dict[str, int] = {}
        for code in codes:
            for o in self.catalogue.runs(code):
                if o.starts_on <= after:
                    continue
                self.replan_from(o.starts_on)  # counted until it starts
                if o.seats_left == 0:
                    cause = "full"
                elif o.private_to is not None and o.private_to != self.organization:
                    cause = "private to another organization"
                elif not self.catalogue.fits(o, self.zone, self.windows):
                    cause = "outside your availability"
                else:
                    rule = enrollment.broken_rule(self.program, who, o)
                    cause = _CAUSES.get(rule, rule) if rule else "already in the plan"
                causes[cause] = causes.get(cause, 0) + 1
        if not causes:
            return "none is offered"
        return ", ".join(f"{n} {cause}" for cause, n in causes.items())

    # -- the whole plan

    def run(self, results: tuple[RequirementResult, ...]) -> Plan:
        program = self.program
        kinds = {code: c.kind for code, c in program.components.items()}
        slots: list[Slot] = []
        capstones: list[Requirement] = []
        later: list[RequirementResult] = []
        for result in results:
            req = result.requirement
            self.met_on[req.id] = result.met_on
            if result.met:
                continue
            codes = req.components
            if codes and all(kinds[c] == "course" for c in codes) and req.rule in (
                    "pass", "pass_one_of", "attend"):
                if req.rule == "pass_one_of":
                    slots.append((req, codes))
                else:
                    done = result.facts.passed if req.rule == "pass" else result.facts.attended
                    slots.extend((req, (c,)) for c in codes if c not in done)
            elif codes and any(kinds[c] == "capstone" for c in codes):
                capstones.append(req)
            else:
                later.append(result)

        open_slots = []
        for slot in slots:
            req, options = slot
            run = next((r for r in self.held if r.component in options), None)
            if run is None:
                open_slots.append(slot)
            else:
                self.meet(req, run)
        chain, complete = self.courses(open_slots)
        passed = dict(self.passed)
        for (req, _), run in chain:
            self.steps.append(Step(run.component, run, run.starts_on, run.ends_on))
            passed.setdefault(run.component, run.ends_on)
            self.meet(req, run)
        self.who = self.enrollee(passed, tuple(run for _, run in chain))
        self.check_held()
        for req in capstones:
            self.capstone(req, courses_planned=complete)
        picks = _Picks(self)
        for result in sorted(later, key=lambda r: _PICK_ORDER[r.requirement.rule]):
            picks.plan(result)

        steps = sorted(self.steps, key=lambda s: (s.starts_on, s.ends_on, s.component,
                                                  s.offering.id if s.offering else ""))
        days = list(self.met_on.values())
        finishes_on = None if None in days else max(d for d in days if d is not None)
        if finishes_on is not None and finishes_on > self.deadline:
            for req in program.requirements:
                day = self.met_on[req.id]
                if day is not None and day > self.deadline:
                    self.reasons.append(self.late(req, day))
        feasible = finishes_on is not None and not self.reasons
        # Every reason starts with its requirement's id: list them in the program's order.
        order = {req.id: index for index, req in enumerate(program.requirements)}
        reasons = sorted(self.reasons, key=lambda r: order.get(r.partition(":")[0], len(order)))
        return Plan(feasible, finishes_on, self.deadline, tuple(steps), tuple(reasons),
                    self.replan_on)

    def meet(self, req: Requirement, run: Offering) -> None:
        """`req` is met with `run` (an "attend all" over courses, with its last run)."""
        day = self.met_on[req.id]
        self.met_on[req.id] = run.ends_on if day is None else max(day, run.ends_on)

    def check_held(self) -> None:
        """Held runs are fixed, so the plan must make room for them: their prerequisites
        done before they start, and no two of them meeting at once."""
        passed = self.who.passed
        for run in self.held:
            for prerequisite in self.program.prerequisites:
                if prerequisite.component != run.component:
                    continue
                refusal = enrollment.prerequisite_refusal(prerequisite, passed, run.starts_on)
                if refusal is not None:
                    self.reasons.append(f"{self._req_id(run.component)}: you hold {run.id}, "
                                        f"but {refusal.message}")
        for index, run in enumerate(self.held):
            for other in self.held[index + 1:]:
                if first_clash(run, other) is not None:
                    self.reasons.append(f"{self._req_id(run.component)}: you hold {run.id} "
                                        f"and {other.id}, which meet at the same time")

    def _req_id(self, code: str) -> str:
        for req in self.program.requirements:
            if code in self._codes_of(req):
                return req.id
        return code

    def late(self, req: Requirement, day: dt.date) -> str:
        due = day_text(self.deadline)
        codes = self._codes_of(req)
        step = next((s for s in self.steps if s.ends_on == day and s.component in codes), None)
        if step is None:
            return f"{req.id}: met on {day_text(day)}, after the deadline {due}"
        if step.offering is None:
            return (f"{req.id}: {step.component} can come only on {day_text(day)}, the day "
                    f"after the courses end, after the deadline {due}")
        return (f"{req.id}: the earliest {step.component} run open to you that fits the plan, "
                f"{step.offering.id}, ends on {day_text(day)}, after the deadline {due}")

    def _codes_of(self, req: Requirement) -> tuple[str, ...]:
        if req.rule == "distinct":
            return tuple(c.code for c in self.program.of_kind(req.kind or ""))
        return req.components

    # -- courses

    def courses(self, slots: list[Slot]) -> tuple[list[tuple[Slot, Offering]], bool]:
        """A run per slot, the last ending earliest, and True; or the most found, and False."""
        if not slots:
            return [], True
        best: list[tuple[int, Offering]] | None = None
        best_end: dt.date | None = None
        # The furthest any order got before running out of runs: its runs are still
        # worth showing, and the slot it could not fill is the reason.
        stuck: tuple[list[tuple[int, Offering]], int, dt.date, enrollment.Enrollee] | None = None

        def search(chosen: list[tuple[int, Offering]], after: dt.date) -> None:
            nonlocal best, best_end, stuck
            if len(chosen) == len(slots):
                if best_end is None or after < best_end:
                    best, best_end = list(chosen), after
                return
            if best_end is not None and after >= best_end:
                return  # every completion ends later than the best found
            taken = {i for i, _ in chosen}
            passed = dict(self.passed)
            for _, run in chosen:
                passed.setdefault(run.component, run.ends_on)
            who = self.enrollee(passed, tuple(run for _, run in chosen))
            for index, (_, options) in enumerate(slots):
                if index in taken:
                    continue
                for code in options:
                    found = self.earliest_after(code, after, who)
                    if found is None:
                        if stuck is None or len(chosen) > len(stuck[0]):
                            stuck = (list(chosen), index, after, who)
                        continue
                    chosen.append((index, found))
                    search(chosen, found.ends_on)
                    chosen.pop()

        search([], self.as_of)
        if best is None:
            assert stuck is not None
            partial, index, after, who = stuck
            req, options = slots[index]
            since = (f"starts after {partial[-1][1].component} ends on {day_text(after)}"
                     if partial else "is still to start")
            self.reasons.append(f"{req.id}: no {or_list(options)} run open to you {since} "
                                f"({self.why_none(options, after, who)})")
            return [(slots[i], run) for i, run in partial], False
        by_slot = dict(best)
        return [(slot, by_slot[i]) for i, slot in enumerate(slots)], True

    # -- the capstone

    def capstone(self, req: Requirement, *, courses_planned: bool) -> None:
        """The day after every course requirement is met (as DESIGN.md puts it)."""
        if not courses_planned:
            self.reasons.append(f"{req.id}: waits for the courses, which cannot all be planned")
            return
        components = self.program.components
        days = [d for r in self.program.requirements
                if r.components and all(components[c].kind == "course" for c in r.components)
                and (d := self.met_on[r.id]) is not None]
        day = max([self.as_of, *days]) + _ONE_DAY
        for code in req.components:
            for prerequisite in self.program.prerequisites:
                if prerequisite.component == code:
                    refusal = enrollment.prerequisite_refusal(prerequisite, self.who.passed, day)
                    if refusal is not None:
                        self.replan_from(day)  # the refusal names it
                        self.reasons.append(f"{req.id}: {refusal.message}")
                        return
        self.steps.append(Step(req.components[0], None, day, day))
        self.met_on[req.id] = day


class _Picks:
    """Runs that may overlap a course's dates: the earliest suitable ones, one at a time,
    each checked against every run already held or planned (so no meetings clash)."""

    def __init__(self, planner: _Planner) -> None:
        self.planner = planner
        self.steps = planner.steps
        self.met_on = planner.met_on
        self.used: set[str] = {s.offering.id for s in self.steps if s.offering is not None}
        # The earliest run of each component found so far. Taking a run only adds to the
        # runs held or planned and to those used, so a run refused stays refused: one
        # found stays the earliest while it is still allowed and unused, and a component
        # with none keeps having none; one no longer allowed is looked for after it.
        self.found: dict[str, tuple[int, Offering] | None] = {}

    def take(self, run: Offering, role: str | None = None) -> dt.date:
        self.steps.append(Step(run.component, run, run.starts_on, run.ends_on, role))
        self.used.add(run.id)
        p = self.planner
        p.who = p.who.also_holding(run)
        return run.ends_on

    def earliest(self, code: str) -> Offering | None:
        p = self.planner
        start = 0
        if code in self.found:
            found = self.found[code]
            if found is None:
                return None
            index, run = found
            if run.id not in self.used and enrollment.allowed(p.program, p.who, run):
                return run
            start = index + 1
        found = self.found[code] = p.earliest_from(code, p.as_of, p.who, self.used, start)
        return found[1] if found is not None else None

    def planned(self, code: str) -> list[Step]:
        return [s for s in self.steps if s.component == code]

    def missing(self, req: Requirement, codes: Sequence[str]) -> None:
        p = self.planner
        p.reasons.append(f"{req.id}: no {or_list(codes)} run open to you is still to start "
                         f"({p.why_none(codes, p.as_of, p.who)})")

    def plan(self, result: RequirementResult) -> None:
        req = result.requirement
        rule = req.rule
        if rule == "pass_one_of":
            runs = [r for c in req.components if (r := self.earliest(c)) is not None]
            if not runs:
                self.missing(req, req.components)
                return
            self.met_on[req.id] = self.take(min(runs, key=lambda r: (r.ends_on, r.id)))
        elif rule in ("attend", "pass"):
            self.every(result)
        elif rule == "distinct":
            self.distinct(result)
        elif rule == "sessions":
            self.sessions(result)
        else:
            self.role(result)

    def every(self, result: RequirementResult) -> None:
        """Attend (or pass) every listed component: what is missing, at its earliest run."""
        req, facts = result.requirement, result.facts
        days: list[dt.date] = []
        missing = []
        for code in req.components:
            if req.rule == "pass" and code in facts.passed:
                days.append(facts.passed[code].date)
            elif req.rule == "attend" and code in facts.attended:
                days.append(facts.attended[code])
            elif existing := self.planned(code):
                days.append(existing[0].ends_on)
            elif (found := self.earliest(code)) is not None:
                days.append(self.take(found))
            else:
                missing.append(code)
        if missing:
            self.missing(req, missing)
        else:
            self.met_on[req.id] = max(days)

    def distinct(self, result: RequirementResult) -> None:
        """Count what they have and what is planned; add new components, the earliest-ending
        first, one at a time so that each is checked against those picked before it."""
        req = result.requirement
        of_kind = [c.code for c in self.planner.program.of_kind(req.kind or "")]
        attended = result.facts.attended
        have = [attended[c] for c in of_kind if c in attended]
        planned = {s.component: s.ends_on for s in self.steps
                   if s.component in of_kind and s.component not in attended}
        have.extend(planned.values())
        needed = req.count - len(have)
        left = [c for c in of_kind if c not in attended and c not in planned]
        picked = 0
        # The earliest-ending of the components' earliest runs, each taken one at a time.
        # A component's earliest run only moves later as runs are taken (`earliest`), so
        # the first in this queue that is still its component's earliest is the one.
        queue = [(run.ends_on, run.starts_on, run.id, c) for c in left
                 if (run := self.earliest(c)) is not None]
        heapq.heapify(queue)
        while picked < needed and queue:
            *_, run_id, code = heapq.heappop(queue)
            run = self.earliest(code)
            if run is None:
                continue
            if run.id != run_id:
                heapq.heappush(queue, (run.ends_on, run.starts_on, run.id, code))
                continue
            have.append(self.take(run))
            left.remove(code)
            picked += 1
        if picked < needed:
            p = self.planner
            p.reasons.append(
                f"{req.id}: {needed} more distinct {req.kind}s needed but only {picked} "
                f"{'has' if picked == 1 else 'have'} a run open to you still to start; "
                f"none of {or_list(left)} does")
            return
        self.met_on[req.id] = sorted(have)[req.count - 1]

    def sessions(self, result: RequirementResult) -> None:
        """Enough sessions: the earliest distinct runs after those already attended."""
        req = result.requirement
        code = req.components[0]
        for _ in range(req.count - result.done - len(self.planned(code))):
            found = self.earliest(code)
            if found is None:
                self.missing(req, (code,))
                return
            self.take(found)
        days = sorted([d for _, d in result.facts.sessions.get(code, ())]
                      + [s.ends_on for s in self.planned(code)])
        self.met_on[req.id] = days[req.count - 1]

    def role(self, result: RequirementResult) -> None:
        """A role at a session: on the first one already planned, or on the earliest run."""
        req = result.requirement
        code = req.components[0]
        existing = self.planned(code)
        if existing:
            first = existing[0]
            self.steps[self.steps.index(first)] = replace(first, role=req.role)
            self.met_on[req.id] = first.ends_on
            return
        found = self.earliest(code)
        if found is None:
            self.missing(req, (code,))
            return
        self.met_on[req.id] = self.take(found, req.role)
