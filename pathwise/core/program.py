"""Program definitions: load a versioned TOML file, validate it, and answer questions about it.

A program is data. This module knows a small, fixed vocabulary — component
kinds and requirement rule kinds — and nothing about any particular program.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pathwise.core.errors import DefinitionError
from pathwise.core.fields import Table

KINDS = ("orientation", "course", "mini-workshop", "skills-share", "capstone")
Kind = Literal["orientation", "course", "mini-workshop", "skills-share", "capstone"]

#: Kinds whose components take calendar time one after another; the at-risk
#: rule adds up their lengths.
SEQUENTIAL_KINDS = frozenset({"course", "capstone"})

#: Kinds completed by attending (the others by passing, or by credit).
COMPLETED_BY_ATTENDING = frozenset({"orientation", "mini-workshop", "skills-share"})

#: Kinds a participant may take again and again, each session counting on its own
#: ("attend as many as you like"); also the only ones open once certified.
REPEATABLE_KINDS = frozenset({"skills-share"})

RULES = ("attend", "pass", "pass_one_of", "distinct", "sessions", "role")
Rule = Literal["attend", "pass", "pass_one_of", "distinct", "sessions", "role"]

WINDOW_ENDS = ("end_of_month_before_anniversary", "day_before_anniversary")
WindowEnds = Literal["end_of_month_before_anniversary", "day_before_anniversary"]

TRACKS = ("main", "alongside")

#: The share of a meeting's scheduled minutes that counts as present, when a
#: program's `[attendance]` table does not give `present_minutes_share`.
DEFAULT_PRESENT_MINUTES_SHARE = 0.75

SHIPPED_PROGRAMS_DIR = Path(__file__).resolve().parent.parent / "programs"

#: The environment variable naming more folders of definitions (os.pathsep between them).
PROGRAMS_DIR_VARIABLE = "PATHWISE_PROGRAMS_DIR"


def folders_named(value: str | None) -> list[Path]:
    """The folders a `PATHWISE_PROGRAMS_DIR` value names, in order (empty parts skipped)."""
    return [Path(part) for part in (value or "").split(os.pathsep) if part]


@dataclass(frozen=True, slots=True)
class Graduation:
    """How a course is passed from its attendance and assessments."""

    min_sessions: int
    assessments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Component:
    code: str
    kind: Kind
    name: str
    description: str
    length_days: int = 0
    sessions: int | None = None
    capacity: int | None = None
    weekly_hours: int | None = None
    textbook: str | None = None
    badge: bool = False
    graduation: Graduation | None = None

    @property
    def known_assessments(self) -> tuple[str, ...]:
        return self.graduation.assessments if self.graduation else ()


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    title: str
    rule: Rule
    track: str
    components: tuple[str, ...] = ()
    kind: Kind | None = None
    count: int = 1
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Prerequisite:
    """What must be passed before a component is taken.

    It always governs enrollment and planning. With `applies_to_records`, the
    audit applies it too: a record of the component counts only when dated
    after the prerequisites were passed (a capstone submitted before the courses
    were complete does not count). Without it, records in any order count, as
    prior-learning credit may predate what it would otherwise need.
    """

    component: str
    requires: tuple[str, ...] = ()
    requires_one_of: tuple[str, ...] = ()
    applies_to_records: bool = False

    @property
    def needs(self) -> tuple[str, ...]:
        return (*self.requires, *self.requires_one_of)


@dataclass(frozen=True, slots=True)
class Window:
    months: int
    ends: WindowEnds


@dataclass(frozen=True, slots=True)
class Fees:
    """What the program charges, in one currency. Amounts are `Decimal`, never float."""

    currency: str
    program: Decimal
    extra_mini_workshop: Decimal
    change: Decimal
    office_hours_per_course: Decimal
    free_change_days: int
    included_mini_workshops: int
    #: The kinds whose change or drop can cost the change fee ("changing a course choice").
    change_fee_kinds: tuple[Kind, ...] = ("course",)


@dataclass(frozen=True, slots=True)
class Cadence:
    """How often runs of some kinds are offered: each component once a calendar year
    (`every_months` None), or some component of the kinds every so many months."""

    kinds: tuple[Kind, ...]
    every_months: int | None = None


@dataclass(frozen=True, slots=True)
class MeetingLength:
    """How long a meeting of a run of `kinds` lasts, in minutes (both bounds included)."""

    kinds: tuple[Kind, ...]
    low: int
    high: int


@dataclass(frozen=True, slots=True)
class CatalogueRules:
    """What the program's runs must be (refused) and how often they come (warned)."""

    never_condensed: bool = False
    cadences: tuple[Cadence, ...] = ()
    lengths: tuple[MeetingLength, ...] = ()


@dataclass(frozen=True, slots=True)
class FinalBadge:
    name: str
    certificate_title: str
    description: str
    criteria: str


@dataclass(frozen=True, slots=True)
class Program:
    id: str
    version: str
    name: str
    issuer: str
    description: str
    window: Window
    final_badge: FinalBadge
    components: Mapping[str, Component]
    requirements: tuple[Requirement, ...]
    prerequisites: tuple[Prerequisite, ...]
    fees: Fees | None = None
    #: Present at a meeting = in it for at least this share of its scheduled minutes
    #: (attendance taken from a video-call export).
    present_minutes_share: float = DEFAULT_PRESENT_MINUTES_SHARE
    catalogue: CatalogueRules = CatalogueRules()
    source: str = field(default="", compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    def of_kind(self, kind: str) -> list[Component]:
        return [c for c in self.components.values() if c.kind == kind]


def load_program(path: Path) -> Program:
    """Read and validate one definition file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionError(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise DefinitionError(
            f"{path}: not UTF-8 text (byte {exc.start} cannot be decoded)") from exc
    return parse_program(text, source=str(path))


def parse_program(text: str, *, source: str) -> Program:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{source}: not valid TOML: {exc}") from exc
    except RecursionError as exc:
        raise DefinitionError(f"{source}: not valid TOML: nested too deeply") from exc
    except ValueError as exc:  # after TOMLDecodeError, which is one
        raise DefinitionError(f"{source}: not valid TOML: a number of more than 4,300 digits"
                              ) from exc
    top = Table(data, source=source, error=DefinitionError)
    top.only({"program", "window", "final_badge", "components", "requirements",
              "prerequisites", "fees", "attendance", "catalogue"})

    meta = top.table("program")
    meta.only({"id", "version", "name", "issuer", "description"})
    window_t = top.table("window")
    window_t.only({"months", "ends"})
    window = Window(months=window_t.int("months", minimum=1),
                    ends=window_t.choice("ends", WINDOW_ENDS))
    badge_t = top.table("final_badge")
    badge_t.only({"name", "certificate_title", "description", "criteria"})
    final_badge = FinalBadge(
        name=badge_t.str("name"),
        certificate_title=badge_t.str("certificate_title", badge_t.str("name")),
        description=badge_t.str("description"),
        criteria=badge_t.str("criteria").strip(),
    )

    components = _components(top)
    requirements = _requirements(top, components)
    prerequisites = _prerequisites(top, components)
    return Program(
        id=meta.str("id"),
        version=str(meta.str("version")),
        name=meta.str("name"),
        issuer=meta.str("issuer"),
        description=meta.str("description").strip(),
        window=window,
        final_badge=final_badge,
        components=components,
        requirements=requirements,
        prerequisites=prerequisites,
        fees=_fees(top.table("fees")) if "fees" in top else None,
        present_minutes_share=_present_share(top.table("attendance", {})),
        catalogue=_catalogue(top.table("catalogue", {})),
        source=source,
    )


def _present_share(t: Table) -> float:
    t.only({"present_minutes_share"})
    share: float = t.number("present_minutes_share", DEFAULT_PRESENT_MINUTES_SHARE)
    if not 0 < share <= 1:
        t.fail(f"must be more than 0 and at most 1 (a share of the meeting), got {share!r}",
               "present_minutes_share")
    return float(share)


def _catalogue(t: Table) -> CatalogueRules:
    t.only({"never_condensed", "offered", "minutes"})
    cadences = []
    for c in t.tables("offered", []):
        c.only({"kinds", "each", "every_months"})
        kinds = _kinds(c, "kinds")
        if ("each" in c) == ("every_months" in c):
            c.fail("give either each = \"calendar_year\" or every_months", "kinds")
        if "each" in c:
            c.choice("each", ("calendar_year",))
            cadences.append(Cadence(kinds))
        else:
            cadences.append(Cadence(kinds, c.int("every_months", minimum=1)))
    lengths = []
    for m in t.tables("minutes", []):
        m.only({"kinds", "min", "max"})
        low, high = m.int("min", minimum=1), m.int("max", minimum=1)
        if high < low:
            m.fail(f"{high} is less than min {low}", "max")
        lengths.append(MeetingLength(_kinds(m, "kinds"), low, high))
    return CatalogueRules(t.bool("never_condensed", False), tuple(cadences), tuple(lengths))


_AMOUNT = re.compile(r"^\d{1,9}(\.\d{1,2})?$")


def _fees(t: Table) -> Fees:
    t.only({"currency", "program", "extra_mini_workshop", "change", "office_hours_per_course",
            "free_change_days", "included_mini_workshops", "change_fee_kinds"})
    currency = t.str("currency")
    if not re.fullmatch(r"[A-Z]{3}", currency):
        t.fail(f"{currency!r} is not an ISO 4217 currency code such as USD", "currency")

    def amount(key: str) -> Decimal:
        # Amounts are strings so that no float ever touches money.
        text = t.str(key)
        if not _AMOUNT.match(text):
            t.fail(f"{text!r} is not an amount such as \"150.00\"", key)
        return Decimal(text)

    return Fees(
        currency=currency,
        program=amount("program"),
        extra_mini_workshop=amount("extra_mini_workshop"),
        change=amount("change"),
        office_hours_per_course=amount("office_hours_per_course"),
        free_change_days=t.int("free_change_days", minimum=0),
        included_mini_workshops=t.int("included_mini_workshops", minimum=0),
        change_fee_kinds=_kinds(t, "change_fee_kinds", ["course"]),
    )


def _kinds(t: Table, key: str, default: list[str] | None = None) -> tuple[Kind, ...]:
    kinds = t.str_list(key) if default is None else t.str_list(key, default)
    for kind in kinds:
        if kind not in KINDS:
            t.fail(f"{kind!r} is not a component kind (one of {', '.join(KINDS)})", key)
    return tuple(kinds)


def _components(top: Table) -> dict[str, Component]:
    components: dict[str, Component] = {}
    for t in top.tables("components"):
        t.only({"code", "kind", "name", "description", "length_days", "sessions", "capacity",
                "weekly_hours", "textbook", "badge", "graduation"})
        code = t.str("code")
        if code in components:
            t.fail(f"component {code!r} is defined twice", "code")
        kind = t.choice("kind", KINDS)
        graduation = None
        sessions = t.int("sessions", None, minimum=1)
        if "graduation" in t:
            g = t.table("graduation")
            g.only({"min_sessions", "assessments"})
            if sessions is None:
                t.fail("a graduation rule needs `sessions` on the component", "graduation")
            min_sessions = g.int("min_sessions", minimum=0)
            if min_sessions > sessions:
                g.fail(f"{min_sessions} is more than the component's {sessions} sessions",
                       "min_sessions")
            graduation = Graduation(min_sessions, tuple(g.str_list("assessments", [])))
        elif kind == "course":
            t.fail("a course needs a graduation rule", "graduation")
        length_days = t.int("length_days", 0)
        if kind in SEQUENTIAL_KINDS and length_days < 1:
            t.fail(f"a {kind} needs length_days of at least 1", "length_days")
        components[code] = Component(
            code=code,
            kind=kind,
            name=t.str("name"),
            description=t.str("description"),
            length_days=length_days,
            sessions=sessions,
            capacity=t.int("capacity", None, minimum=1),
            weekly_hours=t.int("weekly_hours", None, minimum=1),
            textbook=t.str("textbook", None),
            badge=t.bool("badge", False),
            graduation=graduation,
        )
    if not components:
        top.fail("a program needs at least one component", "components")
    return components


def _known(t: Table, key: str, codes: Iterable[str], components: Mapping[str, Component]) -> None:
    for code in codes:
        if code not in components:
            t.fail(f"unknown component {code!r}", key)


def _requirements(top: Table, components: Mapping[str, Component]) -> tuple[Requirement, ...]:
    requirements: list[Requirement] = []
    seen: set[str] = set()
    for t in top.tables("requirements"):
        rule = t.choice("rule", RULES)
        common = {"id", "title", "rule", "track"}
        req_id = t.str("id")
        if req_id in seen:
            t.fail(f"requirement {req_id!r} is defined twice", "id")
        seen.add(req_id)
        title = t.str("title")
        track = t.choice("track", TRACKS, "main")
        if rule in ("attend", "pass_one_of"):
            t.only(common | {"components"})
            codes = t.str_list("components")
            _known(t, "components", codes, components)
            req = Requirement(req_id, title, rule, track, components=tuple(codes))
        elif rule == "distinct":
            t.only(common | {"kind", "count"})
            kind = t.choice("kind", KINDS)
            count = t.int("count", minimum=1)
            available = len([c for c in components.values() if c.kind == kind])
            if count > available:
                t.fail(f"needs {count} distinct {kind} components but the program "
                       f"defines only {available}", "count")
            req = Requirement(req_id, title, rule, track, kind=kind, count=count)
        else:
            allowed = {"component", "count"} if rule == "sessions" else {"component"}
            if rule == "role":
                allowed = {"component", "role"}
            t.only(common | allowed)
            code = t.str("component")
            _known(t, "component", [code], components)
            req = Requirement(
                req_id, title, rule, track,
                components=(code,),
                count=t.int("count", minimum=1) if rule == "sessions" else 1,
                role=t.str("role") if rule == "role" else None,
            )
        requirements.append(req)
    if not requirements:
        top.fail("a program needs at least one requirement", "requirements")
    return tuple(requirements)


def _prerequisites(top: Table, components: Mapping[str, Component]) -> tuple[Prerequisite, ...]:
    prerequisites: list[Prerequisite] = []
    for t in top.tables("prerequisites", []):
        t.only({"component", "requires", "requires_one_of", "applies_to_records"})
        code = t.str("component")
        _known(t, "component", [code], components)
        requires = t.str_list("requires", [])
        one_of = t.str_list("requires_one_of", [])
        if not requires and not one_of:
            t.fail("needs `requires` or `requires_one_of`", "requires")
        _known(t, "requires", requires, components)
        _known(t, "requires_one_of", one_of, components)
        if any(p.component == code for p in prerequisites):
            t.fail(f"{code} already has a prerequisite; list everything it needs in one",
                   "component")
        prerequisites.append(Prerequisite(code, tuple(requires), tuple(one_of),
                                          t.bool("applies_to_records", False)))
    cycle = _find_cycle(prerequisites)
    if cycle:
        top.fail("cycle: " + " -> ".join(cycle), "prerequisites")
    return tuple(prerequisites)


def _find_cycle(prerequisites: Iterable[Prerequisite]) -> list[str] | None:
    graph: dict[str, set[str]] = {}
    for p in prerequisites:
        graph.setdefault(p.component, set()).update(p.requires, p.requires_one_of)
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> list[str] | None:
        if node in trail:
            return [*trail[trail.index(node):], node]
        if node in done:
            return None
        for nxt in sorted(graph.get(node, ())):
            found = visit(nxt, [*trail, node])
            if found:
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return None


class ProgramLibrary:
    """Every program version found in a set of folders, by (id, version)."""

    def __init__(self, programs: Iterable[Program]) -> None:
        self._programs: dict[tuple[str, str], Program] = {}
        for program in programs:
            if program.key in self._programs:
                first = self._programs[program.key].source
                raise DefinitionError(
                    f"{program.source}: program {program.id} version {program.version} "
                    f"is already defined in {first}")
            self._programs[program.key] = program

    @classmethod
    def from_dirs(cls, dirs: Iterable[Path]) -> ProgramLibrary:
        files: list[Path] = []
        for folder in dirs:
            if not folder.is_dir():
                raise DefinitionError(f"{folder}: programs folder does not exist")
            files.extend(sorted(folder.rglob("*.toml")))
        return cls(load_program(f) for f in files)

    @classmethod
    def shipped(cls, extra_dirs: Iterable[Path] = ()) -> ProgramLibrary:
        return cls.from_dirs([SHIPPED_PROGRAMS_DIR, *extra_dirs])

    def get(self, program_id: str, version: str) -> Program | None:
        return self._programs.get((program_id, version))

    def versions(self, program_id: str) -> list[str]:
        return sorted(v for (p, v) in self._programs if p == program_id)

    def __iter__(self) -> Iterator[Program]:
        return iter(self._programs.values())

    def __len__(self) -> int:
        return len(self._programs)
