"""The journey map: a participant's way through the program, drawn from their standing.

The program's requirements give the map its shape: those on the `main` track
form the main line, in the program's order; the others run alongside it, one
row each. Every requirement is a stop holding what already counts towards it
(from the audit, with its day) and what the plan has for it (runs held and runs
planned, with their dates). Nothing here knows any particular program.

The current stop is the main-line one being taken, or to be taken next: of
those not met, the one whose held or planned run starts first, or the first
in order when nothing is planned for any. Once certified or withdrawn there
is none. Only held runs are drawn for someone certified, withdrawn or overdue,
as nothing more can be planned for them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal

from pathwise.core.audit import How, RequirementResult
from pathwise.core.planner import Step
from pathwise.core.program import Program
from pathwise.core.standing import Standing

ItemState = Literal["done", "held", "planned"]
StopState = Literal["done", "held", "planned", "unplanned"]

#: Standings for which nothing new is planned: only the runs already held are drawn.
_NOTHING_PLANNED = frozenset({"certified", "withdrawn", "overdue"})


@dataclass(frozen=True, slots=True)
class Item:
    """One component on the map: done on a day, or a run held or planned."""

    component: str
    name: str
    state: ItemState
    starts_on: dt.date  # the day it counted from, or its run's first day
    ends_on: dt.date  # the same day when done
    how: How | None = None  # how a done item counted
    offering: str | None = None  # the run held or planned (None for a capstone)
    role: str | None = None  # "presenter" for a planned lightning talk
    badge: bool = False  # a done item that earned a badge
    next: bool = False  # the run the participant's next step is about
    late: bool = False  # a run held or planned that ends after the deadline


@dataclass(frozen=True, slots=True)
class Stop:
    """One requirement on the map."""

    id: str
    title: str
    state: StopState
    done: int
    needed: int
    met_on: dt.date | None
    items: tuple[Item, ...]
    current: bool = False

    @property
    def open(self) -> int:
        """How many more are needed with nothing held or planned for them."""
        if self.state == "done":
            return 0
        coming = sum(1 for i in self.items if i.state != "done")
        return max(0, self.needed - self.done - coming)

    @property
    def badges(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.badge)


@dataclass(frozen=True, slots=True)
class Journey:
    main: tuple[Stop, ...]
    alongside: tuple[Stop, ...]
    deadline: dt.date
    certified_on: dt.date | None
    finishes_on: dt.date | None  # when the plan finishes, if it finishes in time

    @property
    def current(self) -> Stop | None:
        return next((s for s in self.main if s.current), None)


def journey(program: Program, s: Standing, *, next_offering: str | None = None) -> Journey:
    """The map of `s`; `next_offering` is the run the next step names, marked on the map."""
    audit = s.audit
    earned = {b.achievement for b in audit.badges}
    steps = s.plan.steps if s.plan is not None else ()
    if s.status in _NOTHING_PLANNED:
        steps = tuple(st for st in steps if st.held)
    stops = [_stop(program, result, steps, earned=earned, next_offering=next_offering,
                   deadline=audit.deadline) for result in audit.requirements]
    main = [st for st, r in zip(stops, audit.requirements, strict=True) if r.track == "main"]
    if s.status not in ("certified", "withdrawn"):
        main = _mark_current(main)
    finishes = s.plan.finishes_on if s.plan is not None and s.plan.feasible else None
    return Journey(
        main=tuple(main),
        alongside=tuple(st for st, r in zip(stops, audit.requirements, strict=True)
                        if r.track != "main"),
        deadline=audit.deadline, certified_on=audit.certified_on, finishes_on=finishes)


def _covers(program: Program, result: RequirementResult, step: Step) -> bool:
    req = result.requirement
    if req.rule == "distinct":
        return program.components[step.component].kind == req.kind
    if req.rule == "role":
        return step.component in req.components and step.role == req.role
    return step.component in req.components


def _stop(program: Program, result: RequirementResult, steps: tuple[Step, ...], *,
          earned: set[str], next_offering: str | None, deadline: dt.date) -> Stop:
    names = program.components
    items = [Item(c.component, names[c.component].name, "done", c.on, c.on, how=c.how,
                  badge=c.component in earned and c.how in ("passed", "credited"))
             for c in result.counted]
    for step in sorted(steps, key=lambda st: (st.starts_on, st.component)):
        if (result.met and not step.held) or not _covers(program, result, step):
            continue
        run = step.offering.id if step.offering is not None else None
        items.append(Item(step.component, names[step.component].name,
                          "held" if step.held else "planned", step.starts_on, step.ends_on,
                          offering=run, role=step.role,
                          next=run is not None and run == next_offering,
                          late=step.ends_on > deadline))
    state: StopState
    if result.met:
        state = "done"
    elif any(i.state == "held" for i in items):
        state = "held"
    elif any(i.state == "planned" for i in items):
        state = "planned"
    else:
        state = "unplanned"
    return Stop(result.id, result.title, state, result.done, result.needed, result.met_on,
                tuple(items))


def _mark_current(main: list[Stop]) -> list[Stop]:
    unmet = [(i, st) for i, st in enumerate(main) if st.state != "done"]
    if not unmet:
        return main

    def first_run(entry: tuple[int, Stop]) -> tuple[dt.date, int]:
        index, stop = entry
        starts = [i.starts_on for i in stop.items if i.state != "done"]
        return (min(starts) if starts else dt.date.max, index)

    index, _ = min(unmet, key=first_run)
    return [replace(st, current=True) if i == index else st for i, st in enumerate(main)]
