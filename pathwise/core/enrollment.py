"""May this person take a seat in this offering? The enrollment rules, in one place.

Pages, the API, the command line, waitlist promotion and the planner all ask
`check` (or `refusals`); none of them decides on its own. The rules read the
program's data — its kinds and `[[prerequisites]]` — and never name a
component. In the order they are asked:

- ``own-program``: a run belongs to one program version; only its participants
  may take it (every other rule reads that program's components).
- ``withdrawn`` / ``overdue``: no seat for someone who left the program or
  whose deadline has passed; ``certified``: once certified, only the kinds one
  may repeat (skills shares, "attend as many as you like").
- ``started``: no seat on a run that has started (or ended).
- ``already-completed``: nothing already passed, credited or (for what is
  completed by attending) attended; a retake after a recorded failure is fine.
  Repeatable kinds are exempt.
- ``already-holding``: one live place (seat or waitlist) per component;
  changing a choice gives the old one up (`leaving`). Repeatable kinds are exempt.
- ``not-published``: a run staff have not published is in nobody's catalogue.
- ``private-run``: a run private to an organization is only for its staff, unless
  it opens some seats to the public (``public_seats``; how many are left is the
  seat count's business, not a rule's).
- ``own-intake``: orientation is taken in the participant's own intake, and a
  run that belongs to an intake (its ``intake`` is set) is only for that intake.
- ``prerequisite``: every component a prerequisite names is passed (or
  credited) before the candidate run starts.
- ``one-course-at-a-time``: a multi-week course (kind ``course``) may not
  overlap another course run the participant holds; both ends count, so a run
  starting on the day another ends overlaps it.
- ``meeting-clash``: one person is never in two meetings at once: no meeting
  of the run may overlap, in time, a meeting of a run they hold or plan
  (cancellations, moves, zones and daylight saving applied). Workshops and
  skills shares may still fall within a course's *dates*.

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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pathwise.core.audit import record_passes
from pathwise.core.errors import PathwiseError
from pathwise.core.offerings import Offering, first_clash
from pathwise.core.program import (
    COMPLETED_BY_ATTENDING,
    REPEATABLE_KINDS,
    Component,
    Prerequisite,
    Program,
)
from pathwise.core.records import Record
from pathwise.core.when import day_text, span_text
from pathwise.core.words import and_list, or_list

RULE_IDS = ("own-program", "withdrawn", "overdue", "certified", "started",
            "already-completed", "already-holding", "private-run", "own-intake",
            "prerequisite", "one-course-at-a-time", "meeting-clash")

#: Where the participant stands, as far as the rules care (None: in the program, on time).
Standing = Literal["withdrawn", "overdue", "certified"] | None


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an enrollment is refused: the rule's id and a sentence saying what would satisfy it."""

    rule: str
    message: str


@dataclass(frozen=True, slots=True)
class Enrollee:
    """What the rules need to know about the person enrolling.

    `passed` maps a component to the first day it was passed or credited (see
    `passed_on`), `completed` to the first day it was completed (`completed_on`:
    also what is completed by attending); `runs` are the offerings they already
    hold (seats and waitlist places) or plan to take. `program` is the (id,
    version) they are enrolled under, None when the caller already knows it is
    the offering's (the planner). `today` is the day of enrolling (None for the
    planner, which only looks at runs after its as-of day); `timezone` is theirs,
    for the times a refusal names.
    """

    passed: Mapping[str, dt.date] = field(default_factory=dict)
    intake: str | None = None
    organization: str | None = None
    runs: Sequence[Offering] = ()
    completed: Mapping[str, dt.date] = field(default_factory=dict)
    standing: Standing = None
    deadline: dt.date | None = None
    today: dt.date | None = None
    timezone: str = "UTC"
    program: tuple[str, str] | None = None

    def also_holding(self, run: Offering) -> Enrollee:
        """The same person with `run` added to theirs (`dataclasses.replace`, without its
        cost: the planner adds every run it picks so)."""
        return Enrollee(self.passed, self.intake, self.organization, (*self.runs, run),
                        self.completed, self.standing, self.deadline, self.today,
                        self.timezone, self.program)


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


def completed_on(program: Program, records: Iterable[Record],
                 as_of: dt.date) -> dict[str, dt.date]:
    """The first day each component was completed: passed or credited, or attended for
    the kinds completed by attending (orientation, mini-workshops, skills shares)."""
    records = tuple(records)
    done = passed_on(program, records, as_of)
    components = program.components
    for record in records:
        if (record.date <= as_of and record.outcome == "attended"
                and components[record.component].kind in COMPLETED_BY_ATTENDING):
            first = done.get(record.component)
            if first is None or record.date < first:
                done[record.component] = record.date
    return done


def check(program: Program, who: Enrollee, offering: Offering) -> Refusal | None:
    """None if `who` may enroll in `offering`, else the first rule it breaks."""
    return next(_refusals(program, who, offering), None)


def refusals(program: Program, who: Enrollee, offering: Offering) -> list[Refusal]:
    """Every rule `offering` breaks for `who`, in the documented order."""
    return list(_refusals(program, who, offering))


def allowed(program: Program, who: Enrollee, offering: Offering) -> bool:
    """Whether `check` finds nothing, without wording a refusal: the planner asks it of
    dozens of runs a plan, most of them allowed."""
    if who.program is not None and who.program != program.key:
        return False
    component = _component(program, offering)
    # A plain loop: `all()` over a generator costs a frame per call on the planner's path.
    for _, breaks, _ in _RULES:  # noqa: SIM110
        if breaks(program, who, offering, component):
            return False
    return True


def broken_rule(program: Program, who: Enrollee, offering: Offering) -> str | None:
    """The id of the rule `check` refuses by (None if none), without wording it: the
    planner counts why runs were kept out by it."""
    if who.program is not None and who.program != program.key:
        return "own-program"
    component = _component(program, offering)
    for rule, breaks, _ in _RULES:
        found = breaks(program, who, offering, component)
        if found:
            return rule or found[0]
    return None


def _refusals(program: Program, who: Enrollee, offering: Offering) -> Iterator[Refusal]:
    """The rules' refusals, lazily, so that `check` stops at the first.

    `program` is the offering's. A run of another program breaks that rule alone:
    the others speak of components the participant's program may not have.
    """
    if who.program is not None and who.program != program.key:
        own_id, own_version = who.program
        yield Refusal("own-program", (
            f"{offering.id} is a run of {program.id} {program.version}; you are enrolled in "
            f"{own_id} {own_version} — choose a run of your own program."))
        return
    component = _component(program, offering)
    for _, breaks, words in _RULES:
        for what in breaks(program, who, offering, component):
            yield words(program, who, offering, component, what)


def _component(program: Program, offering: Offering) -> Component:
    component = program.components.get(offering.component)
    if component is None:
        raise PathwiseError(f"offering {offering.id}: unknown component {offering.component!r} "
                            f"in {program.id} {program.version}")
    return component


# Each rule is its id and two functions: what in the offering breaks it for this person
# (an empty sequence, usually; else one item per refusal), and the refusal worded for
# each item. `allowed` and `broken_rule` ask only the first, `check` and `refusals` both.
# The standing rule's id is what breaks it: the standing (withdrawn, overdue, certified).
Breaks = Callable[[Program, Enrollee, Offering, Component], Sequence[Any]]
Words = Callable[[Program, Enrollee, Offering, Component, Any], Refusal]

_NONE: tuple[()] = ()
_ONCE = (True,)


def _standing_breaks(program: Program, who: Enrollee, offering: Offering,
                     component: Component) -> Sequence[Any]:
    standing = who.standing
    if standing is None or (standing == "certified" and component.kind in REPEATABLE_KINDS):
        return _NONE
    return (standing,)


def _standing_words(program: Program, who: Enrollee, offering: Offering,
                    component: Component, standing: Standing) -> Refusal:
    if standing == "withdrawn":
        return Refusal("withdrawn", (
            "You have withdrawn from the program, so you cannot take a seat — ask staff "
            "if you would like to come back."))
    if standing == "overdue":
        due = f" ({day_text(who.deadline)})" if who.deadline else ""
        return Refusal("overdue", (
            f"Your deadline{due} has passed, so you cannot take a seat — ask staff about "
            "an extension."))
    kinds = sorted(k.replace("-", " ") + "s" for k in REPEATABLE_KINDS)
    return Refusal("certified", (
        f"You are certified: only {and_list(kinds)} remain open to you, and "
        f"{offering.component} is a {component.kind.replace('-', ' ')}."))


def _started_breaks(program: Program, who: Enrollee, offering: Offering,
                    component: Component) -> Sequence[Any]:
    return _ONCE if who.today is not None and offering.starts_on <= who.today else _NONE


def _started_words(program: Program, who: Enrollee, offering: Offering,
                   component: Component, _: object) -> Refusal:
    assert who.today is not None
    verb = ("ended on " + day_text(offering.ends_on) if offering.ends_on < who.today
            else "started on " + day_text(offering.starts_on))
    return Refusal("started", (
        f"{offering.id} {verb}; seats are only for runs that have not started — choose "
        f"a later run of {offering.component}."))


def _completed_breaks(program: Program, who: Enrollee, offering: Offering,
                      component: Component) -> Sequence[Any]:
    return (_ONCE if offering.component in who.completed
            and component.kind not in REPEATABLE_KINDS else _NONE)


def _completed_words(program: Program, who: Enrollee, offering: Offering,
                     component: Component, _: object) -> Refusal:
    code = offering.component
    return Refusal("already-completed", (
        f"You completed {code} ({component.name}) on {day_text(who.completed[code])}; it "
        "is taken again only after a recorded failure."))


def _holding_breaks(program: Program, who: Enrollee, offering: Offering,
                    component: Component) -> Sequence[Any]:
    if component.kind in REPEATABLE_KINDS:
        return _NONE
    code = offering.component
    for run in who.runs:
        if run.component == code and run.id != offering.id:
            return (run,)
    return _NONE


def _holding_words(program: Program, who: Enrollee, offering: Offering,
                   component: Component, other: Offering) -> Refusal:
    return Refusal("already-holding", (
        f"You already hold a place on {other.id} for {offering.component}; change that "
        "choice instead of taking a second one."))


def _published_breaks(program: Program, who: Enrollee, offering: Offering,
                      component: Component) -> Sequence[Any]:
    return _NONE if offering.published else _ONCE


def _published_words(program: Program, who: Enrollee, offering: Offering,
                     component: Component, _: object) -> Refusal:
    return Refusal("not-published", (
        f"{offering.id} is not published yet; choose a run in the catalogue."))


def _private_breaks(program: Program, who: Enrollee, offering: Offering,
                    component: Component) -> Sequence[Any]:
    return (_ONCE if offering.private_to is not None and offering.private_to != who.organization
            and not offering.public_seats else _NONE)


def _private_words(program: Program, who: Enrollee, offering: Offering,
                   component: Component, _: object) -> Refusal:
    return Refusal("private-run", (
        f"{offering.id} is a private run for {offering.private_to}; only its staff may "
        f"enroll — choose a public run of {offering.component}."))


def _intake_breaks(program: Program, who: Enrollee, offering: Offering,
                   component: Component) -> Sequence[Any]:
    if offering.intake is None:
        return _ONCE if component.kind == "orientation" else _NONE
    return _NONE if offering.intake == who.intake else _ONCE


def _intake_words(program: Program, who: Enrollee, offering: Offering,
                  component: Component, _: object) -> Refusal:
    return _found(_intake_refusal(offering, component.name, who.intake))


def _prerequisites_breaks(program: Program, who: Enrollee, offering: Offering,
                          component: Component) -> Sequence[Any]:
    code = offering.component
    starts_on = offering.starts_on
    passed = who.passed
    unmet: tuple[Prerequisite, ...] = ()
    for prerequisite in program.prerequisites:
        if prerequisite.component == code and not _prerequisite_met(prerequisite, passed,
                                                                     starts_on):
            unmet = (*unmet, prerequisite)
    return unmet


def _prerequisites_words(program: Program, who: Enrollee, offering: Offering,
                         component: Component, prerequisite: Prerequisite) -> Refusal:
    return _found(prerequisite_refusal(prerequisite, who.passed, offering.starts_on))


def _found(refusal: Refusal | None) -> Refusal:
    """The refusal a rule's own function words, once its `breaks` found it broken: the
    intake and prerequisite rules share theirs with callers that ask without knowing."""
    assert refusal is not None
    return refusal


def _one_course_breaks(program: Program, who: Enrollee, offering: Offering,
                       component: Component) -> Sequence[Any]:
    if component.kind != "course":
        return _NONE
    overlaps: list[Offering] = []
    for run in who.runs:
        if run.id == offering.id:
            continue
        other = program.components.get(run.component)
        if other is None or other.kind != "course":
            continue
        if run.starts_on <= offering.ends_on and offering.starts_on <= run.ends_on:
            overlaps.append(run)
    return overlaps


def _one_course_words(program: Program, who: Enrollee, offering: Offering,
                      component: Component, run: Offering) -> Refusal:
    return Refusal("one-course-at-a-time", (
        f"{offering.id} ({_span(offering)}) overlaps your {run.component} run "
        f"{run.id} ({_span(run)}); only one multi-week course at a time — choose "
        f"a {offering.component} run that starts after {day_text(run.ends_on)} "
        f"or ends before {day_text(run.starts_on)}."))


def _clash_breaks(program: Program, who: Enrollee, offering: Offering,
                  component: Component) -> Sequence[Any]:
    clashes: list[tuple[Offering, tuple[dt.datetime, dt.datetime]]] = []
    for run in who.runs:
        if run.id == offering.id:
            continue
        clash = first_clash(offering, run)
        if clash is not None:
            clashes.append((run, clash))
    return clashes


def _clash_words(program: Program, who: Enrollee, offering: Offering, component: Component,
                 clash: tuple[Offering, tuple[dt.datetime, dt.datetime]]) -> Refusal:
    run, (start, end) = clash
    return Refusal("meeting-clash", (
        f"{offering.id} meets {span_text(start, end, who.timezone)}, at the same "
        f"time as your {run.component} run {run.id}; one person is never in two "
        "meetings at once — choose another run."))


_RULES: tuple[tuple[str | None, Breaks, Words], ...] = (
    (None, _standing_breaks, _standing_words),
    ("started", _started_breaks, _started_words),
    ("already-completed", _completed_breaks, _completed_words),
    ("already-holding", _holding_breaks, _holding_words),
    ("not-published", _published_breaks, _published_words),
    ("private-run", _private_breaks, _private_words),
    ("own-intake", _intake_breaks, _intake_words),
    ("prerequisite", _prerequisites_breaks, _prerequisites_words),
    ("one-course-at-a-time", _one_course_breaks, _one_course_words),
    ("meeting-clash", _clash_breaks, _clash_words),
)


def prerequisites_wait_until(program: Program, code: str,
                             passed: Mapping[str, dt.date]) -> dt.date | None:
    """The last day a run of `code` could start and still be refused by ``prerequisite``
    (every run up to it is; `dt.date.max` if some prerequisite is not passed at all),
    or None when nothing waits. The same rule as `prerequisite_refusal`, without its
    words: the planner skips runs by it before asking `check`."""
    until: dt.date | None = None
    for prerequisite in program.prerequisites:
        if prerequisite.component != code:
            continue
        for needed in prerequisite.requires:
            day = passed.get(needed, dt.date.max)
            until = day if until is None else max(until, day)
        if prerequisite.requires_one_of:
            day = min(passed.get(c, dt.date.max) for c in prerequisite.requires_one_of)
            until = day if until is None else max(until, day)
    return until


def prerequisite_refusal(prerequisite: Prerequisite, passed: Mapping[str, dt.date],
                         starts_on: dt.date) -> Refusal | None:
    """The refusal for one prerequisite of something starting on `starts_on`, if unmet.

    Also used for components without offerings (a capstone is "taken" on the
    day the planner puts it).
    """
    if _prerequisite_met(prerequisite, passed, starts_on):
        return None

    def done(code: str) -> bool:
        day = passed.get(code)
        return day is not None and day < starts_on

    code = prerequisite.component
    missing = [c for c in prerequisite.requires if not done(c)]
    options = prerequisite.requires_one_of
    missing_choice = bool(options) and not any(done(c) for c in options)
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
    when = (f"ends before {code} starts ({day_text(starts_on)})" if len(takes) == 1
            else f"end before {code} starts ({day_text(starts_on)})")
    return Refusal("prerequisite", (
        f"{code} needs {and_list(needs)} completed first; {'; '.join(gaps)} — take "
        f"{and_list(takes)} that {when}."))


def _prerequisite_met(prerequisite: Prerequisite, passed: Mapping[str, dt.date],
                      starts_on: dt.date) -> bool:
    """Every component `prerequisite` requires (and one of its choices) passed on a day
    before `starts_on`."""
    for code in prerequisite.requires:
        day = passed.get(code)
        if day is None or day >= starts_on:
            return False
    options = prerequisite.requires_one_of
    if not options:
        return True
    for code in options:
        day = passed.get(code)
        if day is not None and day < starts_on:
            return True
    return False


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
    return f"{day_text(offering.starts_on)} to {day_text(offering.ends_on)}"
