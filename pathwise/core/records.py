"""A participant's records file: parse and validate it against its program, and write it back.

`parse_records` and `dump_records` are inverses: a file in canonical form
(the shape `dump_records` writes) survives a round trip unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from collections.abc import Iterable
from typing import Annotated, Any, Generic, Literal, NoReturn

import msgspec
from typing_extensions import TypeVar

from pathwise.core.availability import parse_availability
from pathwise.core.errors import RecordsError
from pathwise.core.fields import parse_date
from pathwise.core.inputs import (
    EARLIEST_DATE,
    LATEST_DATE,
    date_problem,
    email_problem,
    identifier_problem,
    is_identifier,
    locate,
    out_of_range,
    show_value,
    text_problem,
)
from pathwise.core.program import Component, Program, ProgramLibrary

OUTCOMES = ("attended", "absent", "passed", "failed", "credited", "withdrawn")
Outcome = Literal["attended", "absent", "passed", "failed", "credited", "withdrawn"]
ASSESSMENT_RESULTS = ("passed", "failed")


# The shapes of a records file. msgspec checks types, required and unknown keys
# and dates while it decodes (in C: a records file costs about what `json.loads`
# does); `_check` below adds what depends on the program and on several fields,
# and the rules of `pathwise.core.inputs` (identifiers, one-line text, plausible
# dates), which cost less in Python, once per value, than as msgspec patterns.


# No course has a thousand sessions; the bound keeps counts inside any database's integers.
MAX_SESSIONS = 1000
# A record's role is stored in 40 characters.
ROLE_MAX = 40


class Attendance(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    attended: Annotated[int, msgspec.Meta(ge=0, le=MAX_SESSIONS)]
    of: Annotated[int, msgspec.Meta(ge=1, le=MAX_SESSIONS)]


# The types `_Reading`'s shapes narrow. Everywhere else they are what the file format
# allows (their defaults). There, a record's component is one of the library's codes and its
# role one its requirements name, as `Literal`s: msgspec then hands out its own copy of
# each (one string, its hash known) instead of a new string per record. And a record has
# no credit fields (`basis` and `conditions_met` are `None`): a credited record is rare,
# and the file holding one is read by the plain shapes. So `_check` need not look at a
# record's role or credit fields in the files most often read.
Code = TypeVar("Code", bound=str, default=str)
Role = TypeVar("Role", bound=str, default=str)
Basis = TypeVar("Basis", bound=str | None, default=str)
Met = TypeVar("Met", bound=bool | None, default=bool)


class Record(msgspec.Struct, Generic[Code, Role, Basis, Met], frozen=True,
             forbid_unknown_fields=True, gc=False):
    component: Code
    date: dt.date
    outcome: Outcome | None = None
    offering: str | None = None
    role: Role | None = None
    attendance: Attendance | None = None
    assessments: dict[str, str] | None = None
    basis: Basis | None = None
    conditions_met: Met | None = None


class Employment(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    organization: str
    started_on: dt.date = msgspec.field(name="from")
    ended_on: dt.date | None = msgspec.field(default=None, name="to")
    role: str | None = None


class Participant(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    id: str
    name: str
    timezone: str
    email: str | None = None
    organization: str | None = None
    employment: tuple[Employment, ...] = ()
    # Checked by `pathwise.core.availability`, kept verbatim for the planner.
    availability: tuple[dict[str, Any], ...] | None = None


AnyRecord = TypeVar("AnyRecord", bound=Record, default=Record)


class ParticipantRecords(msgspec.Struct, Generic[AnyRecord], frozen=True,
                         forbid_unknown_fields=True, gc=False):
    program: str
    program_version: str
    participant: Participant
    enrolled_on: dt.date
    records: tuple[AnyRecord, ...]
    deadline_extended_to: dt.date | None = None
    withdrawn_on: dt.date | None = None
    # The runs (offering ids) the participant holds a seat in.
    holding: tuple[str, ...] = ()


_DECODER = msgspec.json.Decoder(ParticipantRecords[Record])


def load_records_json(text: str, *, source: str, library: ProgramLibrary) -> ParticipantRecords:
    """Parse a records file's text; every failure is a one-line `RecordsError`."""
    reading = _reading(library)
    try:
        records = reading.decoder.decode(text)
        narrowed = True
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
        # The plain shapes find what is wrong, in our words and in the order `_check` looks.
        records = _decode(text, source)
        narrowed = False
    _check(records, source, reading, narrowed=narrowed)
    return records


# Per component with a graduation rule: its sessions, the assessments its records most
# often hold (listed: a dict compares faster than two set tests), and all it may hold.
_Graded = dict[str, tuple[int | None, tuple[dict[str, str], ...], frozenset[str]]]


class _Reading:
    """What reading a library's records files takes, worked out once per library: the
    narrowed shapes (see `Code`), and each program with what `_check` asks of its graded
    components.

    Every file the narrowed shapes take, the plain shapes take too, with equal values: a
    file they refuse is decoded again by the plain ones, which say why. Each record's code
    is then msgspec's one copy of it, which the checks and the audit look up in their
    tables at the cost of a pointer compare (0.2 to 1 µs of the 18 a file takes,
    `bench/README.md`).
    """

    __slots__ = ("decoder", "library", "programs")

    def __init__(self, library: ProgramLibrary) -> None:
        self.library = library
        codes = tuple(sorted({code for program in library for code in program.components}))
        roles = tuple(sorted({
            req.role for program in library for req in program.requirements
            if req.role is not None and text_problem(req.role, max_length=ROLE_MAX) is None}))
        code: Any = Literal[codes] if codes else str
        role: Any = Literal[roles] if roles else None
        shape: Any = Record[code, role, None, None]
        self.decoder: msgspec.json.Decoder[ParticipantRecords] = msgspec.json.Decoder(
            ParticipantRecords[shape])
        self.programs: dict[tuple[str, str], tuple[Program, _Graded]] = {
            program.key: (program, {
                code: (c.sessions, _assessment_shapes(c.known_assessments),
                       frozenset(c.known_assessments))
                for code, c in program.components.items() if c.graduation is not None})
            for program in library}


_READING: dict[int, _Reading] = {}


def _reading(library: ProgramLibrary) -> _Reading:
    found = _READING.get(id(library))
    if found is None or found.library is not library:
        if len(_READING) >= 16:
            _READING.clear()
        found = _READING[id(library)] = _Reading(library)
    return found


def _decode(text: str, source: str) -> ParticipantRecords:
    """The file in the plain shapes; what they refuse, in one line naming where."""
    try:
        return _DECODER.decode(text)
    except msgspec.ValidationError as exc:
        _explain_shape_error(exc, _loads(text, source), source)
    except msgspec.DecodeError:
        _loads(text, source)  # raises with json's line and column
        raise RecordsError(f"{source}: not valid JSON") from None
    except RecursionError:
        raise RecordsError(f"{source}: not valid JSON: nested too deeply") from None


def parse_records(data: object, *, source: str, library: ProgramLibrary) -> ParticipantRecords:
    """Validate an already parsed records file (a dict)."""
    try:
        records = msgspec.convert(data, ParticipantRecords[Record])
    except msgspec.ValidationError as exc:
        _explain_shape_error(exc, data, source)
    except RecursionError:
        raise RecordsError(f"{source}: nested too deeply") from None
    _check(records, source, _reading(library))
    return records


def _loads(text: str, source: str) -> Any:
    """The file as plain JSON, to point at the value msgspec refused; None when even that fails."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordsError(
            f"{source}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise RecordsError(f"{source}: not valid JSON: nested too deeply") from None
    except ValueError:
        # A number of more than 4,300 digits: msgspec said where, the value cannot be shown.
        return None


# -- turning msgspec's messages into ours -----------------------------------------

_EXPECTED = {"str": "a string", "int": "a whole number", "bool": "true or false",
             "date": "a date as YYYY-MM-DD", "object": "a table/object", "array": "a list"}
_ALLOWED: dict[str, type[msgspec.Struct]] = {
    "": ParticipantRecords, "participant": Participant, "employment": Employment,
    "records": Record, "attendance": Attendance,
}


def _explain_shape_error(exc: msgspec.ValidationError, raw: object, source: str) -> NoReturn:
    message, segments, value = locate(exc, raw)
    if m := re.fullmatch(r"Object (missing required|contains unknown) field `(.+)`", message,
                         re.DOTALL):
        kind, field = m.groups()
        context = next((s for s in reversed(segments) if isinstance(s, str)), "")
        segments.append(field if is_identifier(field) else show_value(field))
        if kind == "missing required":
            what = "missing required key"
        else:
            names = (f.encode_name for f in msgspec.structs.fields(_ALLOWED[context]))
            what = f"unknown key (allowed: {', '.join(sorted(names))})"
    elif message.startswith("Invalid RFC3339 encoded date"):
        what = f"{show_value(value)} is not a valid date (YYYY-MM-DD)"
    elif message.startswith("Invalid enum value"):
        what = f"{show_value(value)} is not one of {', '.join(OUTCOMES)}"
    elif m := re.match(r"Expected `int` >= (\d+)", message):
        what = f"must be at least {m.group(1)}, got {show_value(value)}"
    elif m := re.match(r"Expected `int` <= (\d+)", message):
        what = f"must be at most {m.group(1)}, got {show_value(value)}"
    elif (described := out_of_range(message, value)) is not None:
        what = described
    elif m := re.match(r"Expected `(\w+)", message):
        what = f"expected {_EXPECTED.get(m.group(1), m.group(1))}, got {show_value(value)}"
    else:
        what = message
    _fail(source, _path(segments), what)


def _path(segments: list[str | int]) -> str:
    out = ""
    for seg in segments:
        out += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if out else seg)
    return out or "(top level)"


def _fail(source: str, where: str, what: str) -> NoReturn:
    raise RecordsError(f"{source}: {where}: {what}")


# -- what the shapes cannot say -----------------------------------------------------


def _check(records: ParticipantRecords, source: str, reading: _Reading, *,
           narrowed: bool = False) -> None:
    """What the shapes cannot say; `narrowed` when they were the narrowed ones."""
    found = reading.programs.get((records.program, records.program_version))
    if found is None:
        known = reading.library.versions(records.program)
        hint = f"known versions: {', '.join(known)}" if known else "no such program"
        _fail(source, "program_version" if known else "program",
              f"program {records.program!r} version {records.program_version!r} "
              f"does not exist ({hint})")
    enrolled = records.enrolled_on
    if not EARLIEST_DATE <= enrolled <= LATEST_DATE:
        _check_date(source, "enrolled_on", enrolled)
    if records.deadline_extended_to is not None or records.withdrawn_on is not None:
        _check_end_dates(records, source)
    _check_participant(records.participant, source)
    if records.holding:
        _check_holding(records.holding, source)
    program, graded = found
    components = program.components
    earliest, latest = EARLIEST_DATE, LATEST_DATE
    known_offerings, known_roles = _KNOWN_OFFERINGS, _KNOWN_ROLES
    results = _ASSESSMENT_RESULT_SET
    records_ = records.records
    # One test per record, in a comprehension (no call, no loop of statements), lets the
    # good ones of the two common shapes through: no credit fields and a role already seen
    # (if any; the narrowed shapes allow nothing else), a plausible date, a run already
    # seen (if any), and either a known component and an outcome, or a course record
    # graded by its rule (attendance, assessments). `_check_record` would find nothing
    # wrong with either. The others are checked one by one, in order, so the first bad
    # record is the one named.
    others = [
        r for r in records_
        if not ((narrowed or (r.basis is None and r.conditions_met is None
                              and ((role := r.role) is None or role in known_roles)))
                and earliest <= r.date <= latest
                and ((offering := r.offering) is None or offering in known_offerings)
                and ((r.outcome is not None and r.attendance is None
                      and r.assessments is None and r.component in components)
                     or (r.outcome is None and (attendance := r.attendance) is not None
                         and (rule := graded.get(r.component)) is not None
                         and attendance.attended <= attendance.of
                         and (rule[0] is None or attendance.of <= rule[0])
                         and ((assessments := r.assessments) is None or assessments in rule[1]
                              or (rule[2].issuperset(assessments)
                                  and results.issuperset(assessments.values()))))))]
    if others:
        _check_others(records_, others, program, source)


def _check_others(records: tuple[Record, ...], others: list[Record], program: Program,
                  source: str) -> None:
    """The records the one test did not let through (in file order), field by field.

    Their indexes, for the messages, are found here: counting every record in the one
    test (`enumerate`) cost more than this second pass in the few files that need it.
    """
    waiting = iter(others)
    record: Record | None = next(waiting)
    for index, candidate in enumerate(records):
        if candidate is not record:
            continue
        component = program.components.get(record.component)
        if component is None:
            _fail(source, f"records[{index}].component", f"unknown component "
                  f"{show_value(record.component)} in {program.id} {program.version}")
        _check_record(record, component, source, index)
        record = next(waiting, None)
        if record is None:
            return


def _check_end_dates(records: ParticipantRecords, source: str) -> None:
    enrolled = records.enrolled_on
    for key, day in (("deadline_extended_to", records.deadline_extended_to),
                     ("withdrawn_on", records.withdrawn_on)):
        if day is not None:
            _check_date(source, key, day)
            if day < enrolled:
                _fail(source, key,
                      f"{day.isoformat()} is before enrolled_on {enrolled.isoformat()}")


def _check_holding(holding: tuple[str, ...], source: str) -> None:
    for index, held in enumerate(holding):
        problem = identifier_problem(held)
        if problem is not None:
            _fail(source, f"holding[{index}]", problem)
        if held in holding[:index]:
            _fail(source, f"holding[{index}]", f"{held!r} is listed twice")


def _assessment_shapes(names: Iterable[str]) -> tuple[dict[str, str], ...]:
    """Every assessments table a record may hold, all assessments first, passed before
    failed; none for more than two assessments (the sets test them)."""
    names = sorted(names)
    if len(names) > 2:
        return ()
    shapes: list[dict[str, str]] = [{}]
    for name in names:
        shapes = [{**shape, name: result}
                  for shape in shapes for result in ASSESSMENT_RESULTS] + shapes
    return tuple(shapes)


def _check_date(source: str, where: str, day: dt.date) -> None:
    problem = date_problem(day)
    if problem is not None:
        _fail(source, where, problem)


_KNOWN_ZONES: set[str] = set()
# Offering codes recur across records and files; each is checked once per process.
_KNOWN_OFFERINGS: set[str] = set()


def _check_offering_code(code: str, source: str, index: int) -> None:
    problem = identifier_problem(code)
    if problem is not None:
        _fail(source, f"records[{index}].offering", problem)
    if len(_KNOWN_OFFERINGS) < 100_000:
        _KNOWN_OFFERINGS.add(code)


def _check_participant(p: Participant, source: str) -> None:
    if (problem := identifier_problem(p.id)) is not None:
        _fail(source, "participant.id", problem)
    if (problem := text_problem(p.name)) is not None:
        _fail(source, "participant.name", problem)
    if p.email is not None and (problem := email_problem(p.email)) is not None:
        _fail(source, "participant.email", problem)
    if p.organization is not None and (problem := text_problem(p.organization)) is not None:
        _fail(source, "participant.organization", problem)
    if p.timezone not in _KNOWN_ZONES:
        try:
            zoneinfo.ZoneInfo(p.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            # OSError: a name like "Europe" is a folder of zones, not a zone.
            _fail(source, "participant.timezone", f"{show_value(p.timezone)} is not a known "
                  "IANA time zone (e.g. Europe/London)")
        _KNOWN_ZONES.add(p.timezone)
    if p.employment:
        _check_employment(p.employment, source)
    if p.availability is not None:
        # Checked here, not only by the planner, so that no stored participant holds
        # windows a plan would refuse.
        parse_availability(p.availability, source=source, error=RecordsError)


def _check_employment(employment: tuple[Employment, ...], source: str) -> None:
    for i, job in enumerate(employment):
        if (problem := text_problem(job.organization)) is not None:
            _fail(source, f"participant.employment[{i}].organization", problem)
        if job.role is not None and (problem := text_problem(job.role)) is not None:
            _fail(source, f"participant.employment[{i}].role", problem)
        _check_date(source, f"participant.employment[{i}].from", job.started_on)
        if job.ended_on is not None:
            _check_date(source, f"participant.employment[{i}].to", job.ended_on)
            if job.ended_on < job.started_on:
                _fail(source, f"participant.employment[{i}].to",
                      f"{job.ended_on.isoformat()} is before from {job.started_on.isoformat()}")


def _check_record(record: Record, component: Component, source: str, index: int) -> None:
    """The checks for records that carry more than a component, a date and an outcome.

    Each test lets a good value through at once; `_record_problem` words what is wrong.
    """
    if not EARLIEST_DATE <= record.date <= LATEST_DATE:
        _check_date(source, f"records[{index}].date", record.date)
    offering = record.offering
    if offering is not None and offering not in _KNOWN_OFFERINGS:
        _check_offering_code(offering, source, index)
    role = record.role
    if role is not None and role not in _KNOWN_ROLES:
        if problem := text_problem(role, max_length=ROLE_MAX):
            _fail(source, f"records[{index}].role", problem)
        if len(_KNOWN_ROLES) < 1000:
            _KNOWN_ROLES.add(role)
    if record.basis is not None and (problem := text_problem(record.basis)):
        _fail(source, f"records[{index}].basis", problem)
    attendance = record.attendance
    assessments = record.assessments
    outcome = record.outcome
    if ((attendance is not None and (
            attendance.attended > attendance.of
            or (component.sessions is not None and attendance.of > component.sessions)))
            or (assessments is not None and not (
                all(map(component.known_assessments.__contains__, assessments))
                and _ASSESSMENT_RESULT_SET.issuperset(assessments.values())))
            or (outcome is None and (component.graduation is None
                                     or (attendance is None and assessments is None)))
            or (outcome != "credited" and (record.basis is not None
                                           or record.conditions_met is not None))):
        _record_problem(record, component, source, index)


_KNOWN_ROLES: set[str] = set()
_ASSESSMENT_RESULT_SET = frozenset(ASSESSMENT_RESULTS)


def _record_problem(record: Record, component: Component, source: str, index: int) -> NoReturn:
    """Fail naming the first thing wrong with a record's attendance, assessments or outcome."""
    code = record.component
    attendance = record.attendance
    if attendance is not None:
        if attendance.attended > attendance.of:
            _fail(source, f"records[{index}].attendance.attended",
                  f"attended {attendance.attended} is more than of {attendance.of}")
        if component.sessions is not None and attendance.of > component.sessions:
            _fail(source, f"records[{index}].attendance.of",
                  f"{code} has {component.sessions} sessions, not {attendance.of}")
    if record.assessments is not None:
        known = component.known_assessments
        if not known:
            _fail(source, f"records[{index}].assessments", f"{code} has no assessments")
        for name, result in record.assessments.items():
            if name not in known:
                shown = name if is_identifier(name) else show_value(name)
                _fail(source, f"records[{index}].assessments.{shown}",
                      f"unknown key (allowed: {', '.join(sorted(known))})")
            if result not in ASSESSMENT_RESULTS:
                _fail(source, f"records[{index}].assessments.{name}",
                      f"{show_value(result)} is not one of {', '.join(ASSESSMENT_RESULTS)}")
    if record.outcome is None:
        if component.graduation is None:
            _fail(source, f"records[{index}].outcome",
                  f"missing required key (a {component.kind} record needs an outcome)")
        if attendance is None and record.assessments is None:
            _fail(source, f"records[{index}].outcome", "a course record needs `outcome`, or "
                  "`attendance`/`assessments` for its graduation rule")
    key = "conditions_met" if record.conditions_met is not None else "basis"
    _fail(source, f"records[{index}].{key}",
          "`basis` and `conditions_met` belong to a credited record only")


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
    if records.holding:
        out["holding"] = list(records.holding)
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
    """A command-line date, failing in the same words (and range) as a file's dates."""

    def fail(message: str) -> NoReturn:
        raise RecordsError(f"--as-of: {message}")

    return parse_date(value, fail)
