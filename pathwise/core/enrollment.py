"""May this person take a seat in this offering? The enrollment rules, in one place.

Pages, the API, the command line and the planner all ask `check` (or
`refusals`); none of them decides on its own. The rules read the program's
data — its kinds and `[[prerequisites]]` — and never name a component:

- ``own-program``: a run belongs to one program version; only its participants
  may take it (every other rule reads that program's components).
- ``private-run``: a run private to an organization is only for its staff.
- ``own-intake``: orientation is taken in the participant's own intake, and a
  run that belongs to an intake (its ``intake`` is set) is only for that intake.
- ``prerequisite``: every component a prerequisite names is passed (or
  credited) before the candidate run starts.
- ``one-course-at-a-time``: a multi-week course (kind ``course``) may not
  overlap another course run the participant holds; both ends count, so a run
  starting on the day another ends overlaps it.

When does a prerequisite count as "completed first"? It must be passed on a
day strictly before the candidate run's first day. Real enrollment (pages, API)
passes only what the records show as of today, so someone still in PBK is
refused NOC until PBK is passed, as the seeds ask ("completed before
enrolling"). The planner adds the runs it plans, each passed on its last day,
so it may plan NOC after a PBK run that ends before NOC starts; turning the
plan into enrollments checks again at that moment.

Seats are not a rule here: a full run means the waitlist, not a refusal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pathwise.core.audit import record_passes
from pathwise.core.errors import PathwiseError
from pathwise.core.offerings import Offering
from pathwise.core.program import Prerequisite, Program
from pathwise.core.records import Record

RULE_IDS = ("own-program", "private-run", "own-intake", "prerequisite",
            "one-course-at-a-time")


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an enrollment is refused: the rule's id and a sentence saying what would satisfy it."""

    rule: str
    message: str


@dataclass(frozen=True, slots=True)
class Enrollee:
    """What the rules need to know about the person enrolling.

    `passed` maps a component to the first day it was passed or credited (see
    `passed_on`); `runs` are the offerings they already hold or plan to take;
    `program` is the (id, version) they are enrolled under, None when the caller
    already knows it is the offering's (the planner).
    """

    passed: Mapping[str, dt.date] = field(default_factory=dict)
    intake: str | None = None
    organization: str | None = None
    runs: Sequence[Offering] = ()
    program: tuple[str, str] | None = None


def passed_on(program: Program, records: Iterable[Record], as_of: dt.date) -> dict[str, dt.date]:
    """The first day each component was passed or credited, counting records up to `as_of`.

    Passing means what the audit means by it (`record_passes`), so a credit
    counts only with its conditions met and a course by its graduation rule.
    """
    passed: dict[str, dt.date] = {}
    components = program.components
    for record in records:
        if record.date > as_of:
            continue
        if record_passes(record, components[record.component]):
            first = passed.get(record.component)
            if first is None or record.date < first:
                passed[record.component] = record.date
    return passed


def check(program: Program, who: Enrollee, offering: Offering) -> Refusal | None:
    """None if `who` may enroll in `offering`, else the first rule it breaks."""
    found = refusals(program, who, offering)
    return found[0] if found else None


def refusals(program: Program, who: Enrollee, offering: Offering) -> list[Refusal]:
    """Every rule `offering` breaks for `who`, in a fixed order (program, privacy, intake,
    order, time).

    `program` is the offering's. A run of another program breaks that rule alone:
    the others speak of components the participant's program may not have.
    """
    if who.program is not None and who.program != program.key:
        own_id, own_version = who.program
        return [Refusal("own-program", (
            f"{offering.id} is a run of {program.id} {program.version}; you are enrolled in "
            f"{own_id} {own_version} — choose a run of your own program."))]
    component = program.components.get(offering.component)
    if component is None:
        raise PathwiseError(f"offering {offering.id}: unknown component {offering.component!r} "
                            f"in {program.id} {program.version}")
    out: list[Refusal] = []
    if offering.private_to is not None and offering.private_to != who.organization:
        out.append(Refusal("private-run", (
            f"{offering.id} is a private run for {offering.private_to}; only its staff may "
            f"enroll — choose a public run of {offering.component}.")))
    if component.kind == "orientation" or offering.intake is not None:
        refusal = _intake_refusal(offering, component.name, who.intake)
        if refusal is not None:
            out.append(refusal)
    for prerequisite in program.prerequisites:
        if prerequisite.component == offering.component:
            refusal = prerequisite_refusal(prerequisite, who.passed, offering.starts_on)
            if refusal is not None:
                out.append(refusal)
    if component.kind == "course":
        for run in who.runs:
            if run.id == offering.id:
                continue
            other = program.components.get(run.component)
            if other is None or other.kind != "course":
                continue
            if run.starts_on <= offering.ends_on and offering.starts_on <= run.ends_on:
                out.append(Refusal("one-course-at-a-time", (
                    f"{offering.id} ({_span(offering)}) overlaps your {run.component} run "
                    f"{run.id} ({_span(run)}); only one multi-week course at a time — choose "
                    f"a {offering.component} run that starts after {run.ends_on.isoformat()} "
                    f"or ends before {run.starts_on.isoformat()}.")))
    return out


def prerequisite_refusal(prerequisite: Prerequisite, passed: Mapping[str, dt.date],
                         starts_on: dt.date) -> Refusal | None:
    """The refusal for one prerequisite of something starting on `starts_on`, if unmet.

    Also used for components without offerings (a capstone is "taken" on the
    day the planner puts it).
    """
    def done(code: str) -> bool:
        day = passed.get(code)
        return day is not None and day < starts_on

    code = prerequisite.component
    missing = [c for c in prerequisite.requires if not done(c)]
    options = prerequisite.requires_one_of
    missing_choice = bool(options) and not any(done(c) for c in options)
    if not missing and not missing_choice:
        return None
    needs = list(prerequisite.requires)
    if options:
        needs.append("one of " + or_list(options))
    gaps = []
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        gaps.append(f"{and_list(missing)} {verb} not yet passed")
    if missing_choice:
        gaps.append(f"none of {or_list(options)} is passed yet" if len(options) > 1
                    else f"{options[0]} is not yet passed")
    takes = [f"a {c} run" for c in missing]
    if missing_choice:
        takes.append(f"a {or_list(options)} run")
    when = (f"ends before {code} starts ({starts_on.isoformat()})" if len(takes) == 1
            else f"end before {code} starts ({starts_on.isoformat()})")
    return Refusal("prerequisite", (
        f"{code} needs {and_list(needs)} completed first; {'; '.join(gaps)} — take "
        f"{and_list(takes)} that {when}."))


def _intake_refusal(offering: Offering, name: str, intake: str | None) -> Refusal | None:
    if offering.intake is not None and offering.intake == intake:
        return None
    if offering.intake is None:
        return Refusal("own-intake", (
            f"{offering.id} belongs to no intake; {name} is taken only in your own intake "
            "— choose the run of your intake."))
    if intake is None:
        return Refusal("own-intake", (
            f"{offering.id} is for intake {offering.intake} and no intake is recorded for "
            f"you; {name} is taken only in your own intake — ask staff to record it."))
    return Refusal("own-intake", (
        f"{offering.id} is for intake {offering.intake}, not yours ({intake}); {name} is "
        f"taken only in your own intake — choose the {intake} run."))


def _span(offering: Offering) -> str:
    return f"{offering.starts_on.isoformat()} to {offering.ends_on.isoformat()}"


def and_list(items: Sequence[str]) -> str:
    """"CODE", "CODE and PBK", "CODE, PBK and NOC"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def or_list(items: Sequence[str]) -> str:
    """"NOC", "NOC or COP", "NOC, COP or XYZ"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
