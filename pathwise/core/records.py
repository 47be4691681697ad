"""A participant's records file: parse and validate it against its program, and write it back.

`parse_records` and `dump_records` are inverses: a file in canonical form
(the shape `dump_records` writes) survives a round trip unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pathwise.core.errors import RecordsError
from pathwise.core.fields import Table, parse_date
from pathwise.core.program import Program, ProgramLibrary

OUTCOMES = ("attended", "absent", "passed", "failed", "credited", "withdrawn")
Outcome = Literal["attended", "absent", "passed", "failed", "credited", "withdrawn"]
ASSESSMENT_RESULTS = ("passed", "failed")

_RECORD_KEYS = frozenset({"component", "offering", "date", "outcome", "role", "attendance",
                          "assessments", "basis", "conditions_met"})
_TOP_KEYS = frozenset({"program", "program_version", "participant", "enrolled_on",
                       "deadline_extended_to", "withdrawn_on", "records"})
_PARTICIPANT_KEYS = frozenset({"id", "name", "timezone", "email", "organization",
                               "employment", "availability"})


@dataclass(frozen=True, slots=True)
class Attendance:
    attended: int
    of: int


@dataclass(frozen=True, slots=True)
class Record:
    component: str
    date: dt.date
    outcome: Outcome | None = None
    offering: str | None = None
    role: str | None = None
    attendance: Attendance | None = None
    assessments: Mapping[str, str] | None = None
    basis: str | None = None
    conditions_met: bool | None = None


@dataclass(frozen=True, slots=True)
class Employment:
    organization: str
    started_on: dt.date
    ended_on: dt.date | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Participant:
    id: str
    name: str
    timezone: str
    email: str | None = None
    organization: str | None = None
    employment: tuple[Employment, ...] = ()
    # Kept verbatim for the planner, which owns its meaning.
    availability: tuple[Mapping[str, Any], ...] | None = None


@dataclass(frozen=True, slots=True)
class ParticipantRecords:
    program: str
    program_version: str
    participant: Participant
    enrolled_on: dt.date
    deadline_extended_to: dt.date | None = None
    withdrawn_on: dt.date | None = None
    records: tuple[Record, ...] = field(default=())


def load_records_json(text: str, *, source: str, library: ProgramLibrary) -> ParticipantRecords:
    """Parse a records file's text; every failure is a one-line `RecordsError`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordsError(
            f"{source}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    except RecursionError as exc:
        raise RecordsError(f"{source}: not valid JSON: nested too deeply") from exc
    return parse_records(data, source=source, library=library)


def parse_records(data: object, *, source: str, library: ProgramLibrary) -> ParticipantRecords:
    top = Table(data, source=source, error=RecordsError)
    top.only(_TOP_KEYS)
    program_id = top.str("program")
    version = top.raw("program_version")
    if not isinstance(version, str) or not version:
        top.fail(f"expected a version string, got {version!r}", "program_version")
    program = library.get(program_id, version)
    if program is None:
        known = library.versions(program_id)
        hint = f"known versions: {', '.join(known)}" if known else "no such program"
        top.fail(f"program {program_id!r} version {version!r} does not exist ({hint})",
                 "program_version" if known else "program")

    enrolled_on = top.date("enrolled_on")
    extended = top.date("deadline_extended_to", None)
    if extended is not None and extended < enrolled_on:
        top.fail(f"{extended.isoformat()} is before enrolled_on {enrolled_on.isoformat()}",
                 "deadline_extended_to")
    withdrawn = top.date("withdrawn_on", None)
    if withdrawn is not None and withdrawn < enrolled_on:
        top.fail(f"{withdrawn.isoformat()} is before enrolled_on {enrolled_on.isoformat()}",
                 "withdrawn_on")

    return ParticipantRecords(
        program=program_id,
        program_version=version,
        participant=_participant(top.table("participant")),
        enrolled_on=enrolled_on,
        deadline_extended_to=extended,
        withdrawn_on=withdrawn,
        records=tuple(_record(t, program) for t in top.tables("records")),
    )


def _participant(t: Table) -> Participant:
    t.only(_PARTICIPANT_KEYS)
    tz = t.str("timezone")
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a name like "Europe" is a folder of zones, not a zone.
        t.fail(f"{tz!r} is not a known IANA time zone (e.g. Europe/London)", "timezone")
    employment = []
    for e in t.tables("employment", []):
        e.only({"organization", "role", "from", "to"})
        started, ended = e.date("from"), e.date("to", None)
        if ended is not None and ended < started:
            e.fail(f"{ended.isoformat()} is before from {started.isoformat()}", "to")
        employment.append(Employment(e.str("organization"), started, ended, e.str("role", None)))
    availability = t.raw("availability", None)
    if availability is not None and not (
        isinstance(availability, list) and all(isinstance(a, dict) for a in availability)
    ):
        t.fail("expected a list of {days, from, to} objects", "availability")
    email = t.str("email", None)
    if email is not None and "@" not in email:
        t.fail(f"{email!r} is not an e-mail address", "email")
    return Participant(
        id=t.str("id"),
        name=t.str("name"),
        timezone=tz,
        email=email,
        organization=t.str("organization", None),
        employment=tuple(employment),
        availability=tuple(availability) if availability is not None else None,
    )


def _record(t: Table, program: Program) -> Record:
    t.only(_RECORD_KEYS)
    code = t.str("component")
    component = program.components.get(code)
    if component is None:
        t.fail(f"unknown component {code!r} in {program.id} {program.version}", "component")
    day = t.date("date")
    outcome = t.choice("outcome", OUTCOMES, None)

    attendance = None
    if "attendance" in t:
        a = t.table("attendance")
        a.only({"attended", "of"})
        attendance = Attendance(a.int("attended"), a.int("of", minimum=1))
        if attendance.attended > attendance.of:
            a.fail(f"attended {attendance.attended} is more than of {attendance.of}", "attended")
        if component.sessions is not None and attendance.of > component.sessions:
            a.fail(f"{code} has {component.sessions} sessions, not {attendance.of}", "of")
    assessments = None
    if "assessments" in t:
        s = t.table("assessments")
        known = component.known_assessments
        if not known:
            t.fail(f"{code} has no assessments", "assessments")
        s.only(frozenset(known))
        assessments = {name: s.choice(name, ASSESSMENT_RESULTS)
                       for name in s.keys()}  # noqa: SIM118 - a Table is not iterable

    if outcome is None:
        if component.graduation is None:
            t.fail(f"missing required key (a {component.kind} record needs an outcome)",
                   "outcome")
        if attendance is None and assessments is None:
            t.fail("a course record needs `outcome`, or `attendance`/`assessments` "
                   "for its graduation rule", "outcome")

    conditions_met = t.bool("conditions_met", None)
    basis = t.str("basis", None)
    if outcome != "credited" and (conditions_met is not None or basis is not None):
        t.fail("`basis` and `conditions_met` belong to a credited record only",
               "conditions_met" if conditions_met is not None else "basis")
    return Record(
        component=code,
        date=day,
        outcome=outcome,
        offering=t.str("offering", None),
        role=t.str("role", None),
        attendance=attendance,
        assessments=assessments,
        basis=basis,
        conditions_met=conditions_met,
    )


# -- writing -------------------------------------------------------------------


def dump_records(records: ParticipantRecords) -> dict[str, Any]:
    """The canonical JSON object for a participant's records."""
    p = records.participant
    participant: dict[str, Any] = {"id": p.id, "name": p.name, "timezone": p.timezone}
    if p.email is not None:
        participant["email"] = p.email
    if p.organization is not None:
        participant["organization"] = p.organization
    if p.employment:
        participant["employment"] = [_employment(e) for e in p.employment]
    if p.availability is not None:
        participant["availability"] = [dict(a) for a in p.availability]
    out: dict[str, Any] = {
        "program": records.program,
        "program_version": records.program_version,
        "participant": participant,
        "enrolled_on": records.enrolled_on.isoformat(),
        "deadline_extended_to": _iso(records.deadline_extended_to),
    }
    if records.withdrawn_on is not None:
        out["withdrawn_on"] = records.withdrawn_on.isoformat()
    out["records"] = [dump_record(r) for r in records.records]
    return out


def _employment(e: Employment) -> dict[str, Any]:
    out: dict[str, Any] = {"organization": e.organization}
    if e.role is not None:
        out["role"] = e.role
    out["from"] = e.started_on.isoformat()
    out["to"] = _iso(e.ended_on)
    return out


def dump_record(r: Record) -> dict[str, Any]:
    out: dict[str, Any] = {"component": r.component}
    if r.offering is not None:
        out["offering"] = r.offering
    out["date"] = r.date.isoformat()
    if r.outcome is not None:
        out["outcome"] = r.outcome
    if r.role is not None:
        out["role"] = r.role
    if r.attendance is not None:
        out["attendance"] = {"attended": r.attendance.attended, "of": r.attendance.of}
    if r.assessments is not None:
        out["assessments"] = dict(r.assessments)
    if r.basis is not None:
        out["basis"] = r.basis
    if r.conditions_met is not None:
        out["conditions_met"] = r.conditions_met
    return out


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def parse_as_of(value: str) -> dt.date:
    """A command-line date, failing in the same words as a file's dates."""

    def fail(message: str) -> Any:
        raise RecordsError(f"--as-of: {message}")

    return parse_date(value, fail)
