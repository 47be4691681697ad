"""A program and its components in words, for the public pages a prospective participant reads.

Everything here is said from the program data (the TOML definition): what a
component asks of you (its graduation rule, sessions, weekly load, textbook),
what comes first, what it costs, and what the program requires. The pages only
lay these sentences out, so a program with other rules reads correctly without
a template change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pathwise.core.deadline import deadline
from pathwise.core.fees import Money
from pathwise.core.program import Component, Program, Requirement
from pathwise.core.when import day_text
from pathwise.core.words import and_list, or_list

KIND_NAMES = {"orientation": "Orientation", "course": "Course",
              "mini-workshop": "Mini-workshop", "skills-share": "Skills share",
              "capstone": "Capstone"}


@dataclass(frozen=True, slots=True)
class ComponentFacts:
    """One component as its public page states it; None where the data says nothing."""

    code: str
    name: str
    kind: str  # "Course", "Mini-workshop", …
    description: str
    completion: str  # how it is completed, in a sentence
    sessions: str | None  # "12 sessions over 7 weeks"
    load: str | None  # "About 4 hours a week, class included"
    textbook: str | None
    fee: str
    before: str | None  # what must be passed first
    counts_for: tuple[str, ...]  # the requirements it helps meet, by title


def _name(program: Program, code: str) -> str:
    component = program.components.get(code)
    return f"{component.name} ({code})" if component else code


def completion_text(component: Component) -> str:
    """How a participant completes it, in one sentence."""
    rule = component.graduation
    if rule is not None:
        parts = []
        if rule.min_sessions:
            of = f" of the {component.sessions}" if component.sessions else ""
            parts.append(f"attend at least {rule.min_sessions}{of} sessions")
        if rule.assessments:
            named = and_list([a.replace("-", " ") for a in rule.assessments])
            parts.append(f"pass the {named}")
        return (and_list(parts) or "complete it").capitalize() + "."
    if component.kind == "capstone":
        return "Submit it on your page; staff review it and pass it or ask for changes."
    if component.kind == "skills-share":
        return "Attend a session; presenting a lightning talk at one also counts."
    return "Attend it: be present at its meeting" + (
        "s." if component.sessions and component.sessions > 1 else ".")


def sessions_text(component: Component) -> str | None:
    if not component.sessions:
        return None
    weeks = round(component.length_days / 7) if component.length_days else 0
    over = f" over {weeks} weeks" if weeks > 1 else ""
    return f"{component.sessions} session{'s' if component.sessions != 1 else ''}{over}"


def load_text(component: Component) -> str | None:
    if not component.weekly_hours:
        return None
    return (f"About {component.weekly_hours} hour{'s' if component.weekly_hours != 1 else ''}"
            " a week, class included, while it runs")


def fee_text(program: Program, component: Component) -> str:
    """What taking it costs beyond (or within) the program fee."""
    fees = program.fees
    if fees is None:
        return "No fee is set for it."
    program_fee = Money(fees.program, fees.currency)
    if component.kind == "course":
        text = f"Included in the program fee ({program_fee})."
        if fees.office_hours_per_course:
            text += (" Optional office hours (supervisor worksheets and weekly private "
                     f"tutorials): {Money(fees.office_hours_per_course, fees.currency)}.")
        return text
    if component.kind == "mini-workshop":
        return (f"The first {fees.included_mini_workshops} mini-workshops are included in "
                "the program fee; each one after that is "
                f"{Money(fees.extra_mini_workshop, fees.currency)}.")
    if component.kind == "skills-share":
        return "Free: attend as many as you like."
    return f"Included in the program fee ({program_fee})."


def before_text(program: Program, code: str) -> str | None:
    """What must be passed before it, from the program's prerequisites."""
    for gate in program.prerequisites:
        if gate.component != code:
            continue
        needs = [_name(program, c) for c in gate.requires]
        if gate.requires_one_of:
            needs.append("one of " + or_list([_name(program, c)
                                              for c in gate.requires_one_of]))
        return f"Pass {and_list(needs)} first."
    return None


def covers(program: Program, requirement: Requirement, code: str) -> bool:
    if requirement.rule == "distinct":
        return program.components[code].kind == requirement.kind
    return code in requirement.components


def requirement_text(program: Program, requirement: Requirement) -> str:
    """A requirement in words: "Pass Content Design (CODE)."."""
    names = [_name(program, c) for c in requirement.components]
    match requirement.rule:
        case "attend":
            return f"Attend {and_list(names)}."
        case "pass":
            return f"Pass {and_list(names)}."
        case "pass_one_of":
            return f"Pass one of {or_list(names)}."
        case "distinct":
            kind = KIND_NAMES.get(requirement.kind or "", requirement.kind or "").lower()
            return (f"Complete {requirement.count} different {kind}s "
                    "(a repeat of the same one counts once).")
        case "sessions":
            return f"Attend {requirement.count} {or_list(names)} sessions."
        case "role":
            role = ("Present a lightning talk" if requirement.role == "presenter"
                    else f"Take the role {requirement.role}")
            return f"{role} at a {or_list(names)} session."
    return requirement.title + "."


#: The enrollment day the window's example is worked from.
EXAMPLE_ENROLLED = dt.date(2023, 9, 15)


def window_text(program: Program) -> str:
    """The completion window, with an example worked out by the deadline rule itself."""
    years, months = divmod(program.window.months, 12)
    span = (f"{years} year{'s' if years != 1 else ''}" if not months
            else f"{program.window.months} months")
    ends = ("the last day of the month before the anniversary month"
            if program.window.ends == "end_of_month_before_anniversary"
            else "the day before the anniversary")
    example = deadline(EXAMPLE_ENROLLED, program.window)
    return (f"Everything is completed within {span} of enrolling, by {ends} (enrolled in "
            f"{EXAMPLE_ENROLLED:%B %Y}, the deadline is {day_text(example)}). Staff may "
            "extend it for one participant.")


def component_facts(program: Program, code: str) -> ComponentFacts:
    component = program.components[code]
    return ComponentFacts(
        code=code, name=component.name, kind=KIND_NAMES.get(component.kind, component.kind),
        description=component.description, completion=completion_text(component),
        sessions=sessions_text(component), load=load_text(component),
        textbook=component.textbook, fee=fee_text(program, component),
        before=before_text(program, code),
        counts_for=tuple(r.title for r in program.requirements if covers(program, r, code)))
