"""The catalogue's writers: program versions from their TOML files, intakes, offerings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import msgspec
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from pathwise.auditlog.log import Actor, log
from pathwise.catalog.models import Intake, Offering, ProgramVersion
from pathwise.core.catalogue import orientation_runs, run_problem, single_meeting, term_warnings
from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import date_problem, identifier_problem, show_value
from pathwise.core.offerings import (
    Meetings,
    OfferingsFile,
    load_offerings_json,
    move_problem,
    occurrences,
    offering_problem,
    with_move,
)
from pathwise.core.offerings import Offering as CoreOffering
from pathwise.core.program import (
    PROGRAMS_DIR_VARIABLE,
    CatalogueRules,
    Program,
    ProgramLibrary,
    folders_named,
)
from pathwise.core.when import day_text, moment_text, zone_named
from pathwise.enrollment.models import Seat
from pathwise.notifications.mail import tell
from pathwise.participants.models import Participant
from pathwise.runs.models import Instructor
from pathwise.standing.actions import catalogue_changed

Change = Literal["added", "changed", "unchanged"]


@dataclass(frozen=True)
class Synced:
    """One definition file after a sync: its version's row and what the sync did to it."""

    version: ProgramVersion
    change: Change

    def to_json(self) -> dict[str, str]:
        return {"program": self.version.program_id, "version": self.version.version,
                "change": self.change, "source": self.version.source_path}


def file_library(extra_dirs: Iterable[Path] = ()) -> ProgramLibrary:
    """Every definition on disk: the shipped ones, `extra_dirs`, and `PATHWISE_PROGRAMS_DIR`'s."""
    return ProgramLibrary.shipped(
        [*extra_dirs, *folders_named(os.environ.get(PROGRAMS_DIR_VARIABLE))])


@transaction.atomic
def sync_programs(actor: Actor, library: ProgramLibrary | None = None) -> list[Synced]:
    """Make the database hold every definition file, all or nothing; unchanged files are no-ops.

    A version anyone is enrolled on never changes under them: a file that now says
    something else for it is refused, naming the version (the change needs a new
    version id). What is not theirs may still change: comments and layout, and the
    `[catalogue]` rules, which say how runs are scheduled, not what anyone must do.
    A version nobody is on yet may be corrected in anything.
    """
    library = library or file_library()
    synced = []
    for program in sorted(library, key=lambda p: p.key):
        text = _source_text(program.source)
        target = f"{program.id}/{program.version}"
        row = ProgramVersion.objects.select_for_update().filter(
            program_id=program.id, version=program.version).first()
        if row is None:
            row = ProgramVersion.objects.create(
                program_id=program.id, version=program.version, name=program.name,
                source_path=program.source, definition=text)
            log(actor, "program.loaded", target_type="program_version", target_id=target,
                new={"source": program.source})
            synced.append(Synced(row, "added"))
            continue
        if row.definition == text:
            synced.append(Synced(row, "unchanged"))
            continue
        enrolled = row.enrollments.count()
        if enrolled and _participants_rules(row.program) != _participants_rules(program):
            raise PathwiseError(
                f"{program.source}: program {program.id} version {program.version} differs "
                f"from the definition {enrolled} participant(s) are enrolled on; a version in "
                f"use never changes, so give the changed definition a new version id "
                f"([program] version) and move participants to it if they should follow it")
        orphans = sorted(row.offerings.exclude(component__in=list(program.components))
                         .values_list("code", flat=True))
        if orphans:
            raise PathwiseError(
                f"{program.source}: program {program.id} version {program.version} no longer "
                f"defines the component of its run(s) {', '.join(orphans)}; keep the component "
                f"or give the changed definition a new version id")
        old = row.definition
        row.name, row.source_path, row.definition = program.name, program.source, text
        row.save()
        log(actor, "program.updated", target_type="program_version", target_id=target,
            old={"definition": old}, new={"definition": text})
        synced.append(Synced(row, "changed"))
    return synced


def _participants_rules(program: Program) -> Program:
    """The definition as it bears on participants: all of it but the catalogue rules."""
    return dataclasses.replace(program, catalogue=CatalogueRules())


def _source_text(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def library() -> ProgramLibrary:
    """Every program version in the database, parsed."""
    return ProgramLibrary(row.program for row in ProgramVersion.objects.all())


# -- intakes ---------------------------------------------------------------------------


@transaction.atomic
def publish_intake(actor: Actor, version: ProgramVersion, code: str,
                   starts_on: dt.date) -> Intake:
    """Create or update an intake row alone (the demo adds its own orientation runs)."""
    _intake_input(code, starts_on)
    intake, created = Intake.objects.update_or_create(
        code=code, defaults={"program_version": version, "starts_on": starts_on})
    if created:
        log(actor, "intake.published", target_type="intake", target_id=code,
            new={"starts_on": starts_on.isoformat()})
    return intake


def _intake_input(code: str, starts_on: dt.date) -> None:
    problem = identifier_problem(code) or date_problem(starts_on)
    if problem is not None:
        raise PathwiseError(f"intake {show_value(code)}: {problem}")


@dataclass(frozen=True)
class OrientationPlan:
    """When and where an intake's orientation meets, and how many each of its runs
    takes (no more than its component's capacity)."""

    time: dt.time
    minutes: int
    timezone: str
    capacity: int
    published: bool = True


@transaction.atomic
def open_intake(actor: Actor, version: ProgramVersion, code: str, starts_on: dt.date,
                plan: OrientationPlan) -> Intake:
    """A new intake with the runs it opens with: the live orientation meeting on its
    first day and the orientation mini-workshops after it (`core.catalogue.orientation_runs`),
    each run coded COMPONENT-INTAKE."""
    _intake_input(code, starts_on)
    if Intake.objects.filter(code=code).exists():
        raise PathwiseError(f"intake {code} exists already; edit it instead")
    intake = Intake.objects.create(code=code, program_version=version, starts_on=starts_on)
    log(actor, "intake.published", target_type="intake", target_id=code,
        new={"starts_on": starts_on.isoformat()})
    for run in orientation_runs(version.program, starts_on):
        publish_offering(actor, version, f"{run.component}-{code}"[:40],
                         **_orientation_fields(run.component, run.day, intake, plan))
    return intake


def _orientation_fields(component: str, day: dt.date, intake: Intake,
                        plan: OrientationPlan) -> dict[str, Any]:
    limit = intake.program_version.program.components[component].capacity
    return {"component": component, "starts_on": day, "ends_on": day, "intake": intake,
            "capacity": min(plan.capacity, limit or plan.capacity),
            "meeting_days": [_WEEKDAYS[day.weekday()]],
            "meeting_time": plan.time, "meeting_minutes": plan.minutes,
            "timezone": plan.timezone, "published": plan.published}


@transaction.atomic
def move_intake(actor: Actor, intake: Intake, starts_on: dt.date) -> Intake:
    """Start the intake on another day, its runs moving with it by as many days.

    Refused once anyone holds a seat on one of them (`publish_offering` says which).
    """
    _intake_input(intake.code, starts_on)
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    shift = starts_on - intake.starts_on
    if not shift:
        return intake
    old = intake.starts_on
    intake.starts_on = starts_on
    intake.save(update_fields=["starts_on"])
    log(actor, "intake.moved", target_type="intake", target_id=intake.code,
        old={"starts_on": old.isoformat()}, new={"starts_on": starts_on.isoformat()})
    for run in Offering.objects.filter(intake=intake).select_related("program_version"):
        day = run.starts_on + shift
        publish_offering(actor, run.program_version, run.code, starts_on=day,
                         ends_on=run.ends_on + shift, cancelled=[], moved=[],
                         meeting_days=list(single_meeting(day, _meetings_of(run)).days)
                         if run.starts_on == run.ends_on else run.meeting_days)
    return intake


def _meetings_of(run: Offering) -> Meetings:
    return Meetings(days=tuple(run.meeting_days), time=run.meeting_time.strftime("%H:%M"),
                    minutes=run.meeting_minutes, timezone=run.timezone)


# -- runs ------------------------------------------------------------------------------

#: What may not change on a run once someone holds a seat on it: their place is for
#: these meetings (single meetings move and are cancelled on the run's meetings page).
FIXED_WITH_SEATS = ("component", "intake", "starts_on", "ends_on",
                    "meeting_days", "meeting_time", "meeting_minutes", "timezone", "private_to")

#: The model fields an offering is published with (and an offerings file's row gives).
RUN_FIELDS = ("component", "intake", "starts_on", "ends_on", "capacity", "private_to",
              "public_seats", "meeting_days", "meeting_time", "meeting_minutes", "timezone",
              "meeting_link", "published", "cancelled", "moved")


class RunRefusedError(PathwiseError):
    """A run may not be published so; `field` names what is wrong (e.g. capacity)."""

    def __init__(self, code: str, refusal: str) -> None:
        super().__init__(f"offering {show_value(code)}: {refusal}")
        found = re.match(r"[\w.\[\]]+", refusal)
        self.field = found.group() if found else "offering"


def run_refusal(version: ProgramVersion, code: str, fields: dict[str, Any],
                instructors: Iterable[str] | None = None,
                existing: Offering | None = None) -> str | None:
    """Why publishing `code` with `fields` (over `existing`, if it is there) is refused,
    as "field: what", or None. Writes nothing: an offerings file asks it of every row
    before any is written."""
    base = {f: getattr(existing, f) for f in RUN_FIELDS} if existing is not None else {}
    values = {**base, **fields}
    missing = [f for f in ("component", "starts_on", "ends_on", "capacity", "meeting_days",
                           "meeting_time", "meeting_minutes", "timezone") if f not in values]
    if missing:
        return f"{missing[0]}: missing"
    candidate = Offering(code=code, program_version=version, **values)
    if existing is not None and existing.program_version_id != version.pk:
        return (f"program_version: {code} is a run of {existing.program_version}, "
                f"not {version}")
    intake = values.get("intake")
    if intake is not None and intake.program_version_id != version.pk:
        return f"intake: {intake.code} is an intake of {intake.program_version}, not {version}"
    names = tuple(instructors) if instructors is not None else ()
    core = candidate.to_core(instructors=names)
    problem = offering_problem(core)
    if problem is not None:
        key, what = problem
        return f"{'code' if key == 'id' else key}: {what}"
    why = run_problem(version.program, core, candidate.capacity)
    if why is not None:
        return why if why.startswith("capacity") else f"meetings: {why}"
    if instructors is not None:
        known = set(get_user_model().objects.filter(username__in=names)
                    .values_list("username", flat=True))
        unknown = [n for n in names if n not in known]
        if unknown:
            return f"instructors: no account is called {unknown[0]!r}"
    if existing is not None:
        return _seat_refusal(existing, values)
    return None


def _seat_refusal(existing: Offering, values: dict[str, Any]) -> str | None:
    """What a change to a run would break for those holding a seat on it."""
    seats = Seat.objects.filter(offering=existing)
    enrolled = seats.filter(status=Seat.ENROLLED).count()
    live = enrolled + seats.filter(status=Seat.WAITLISTED).count()
    if not live:
        return None
    if values["capacity"] < enrolled:
        return (f"capacity: {values['capacity']} is fewer than the {enrolled} seats taken on "
                f"{existing.code}; drop seats first")
    for name in FIXED_WITH_SEATS:
        if values[name] != getattr(existing, name):
            return (f"{name}: {existing.code} has {live} seat(s) taken or waitlisted, so its "
                    "dates and meetings stay as they are; move or cancel single meetings "
                    "on its meetings page, or publish another run")
    if not values["published"]:
        return (f"published: {existing.code} has {live} seat(s) taken or waitlisted; "
                "drop them before unpublishing it")
    return None


@transaction.atomic
def publish_offering(actor: Actor, version: ProgramVersion, code: str, *,
                     instructors: Iterable[str] | None = None, **fields: Any) -> Offering:
    """Create a run, or change the one with this code (fields not given stay).

    Checked by the offerings file's rules (`core.offerings.offering_problem`) and the
    program's (`core.catalogue.run_problem`); a run with seats keeps its dates,
    meetings and enough capacity for them. Those enrolled are told of a new meeting
    link. `instructors`, when given, are exactly who teaches it.
    """
    existing = Offering.objects.select_for_update().filter(code=code).first()
    names = list(instructors) if instructors is not None else None
    refusal = run_refusal(version, code, fields, names, existing)
    if refusal is not None:
        raise RunRefusedError(code, refusal)
    if existing is None:
        offering = Offering.objects.create(code=code, program_version=version, **fields)
        log(actor, "offering.published", target_type="offering", target_id=code,
            new={"component": offering.component, "starts_on": offering.starts_on.isoformat(),
                 "capacity": offering.capacity, "published": offering.published})
    else:
        offering = existing
        old = _loggable({f: getattr(offering, f) for f in fields})
        for name, value in fields.items():
            setattr(offering, name, value)
        offering.save()
        new = _loggable(fields)
        changed = {k: v for k, v in new.items() if old.get(k) != v}
        if changed:
            log(actor, "offering.changed", target_type="offering", target_id=code,
                old={k: old.get(k) for k in changed}, new=changed)
        if "meeting_link" in changed:
            for participant in _enrolled(offering):
                tell(participant, f"{code}: a new meeting link",
                     f"The meetings of {code} are now at "
                     f"{offering.meeting_link or 'a link we will send you'}.",
                     kind="meeting.link")
        if "cancelled" in changed or "moved" in changed:
            for participant in _enrolled(offering):
                tell(participant, f"{code}: its meetings changed",
                     f"Some meetings of {code} were cancelled or moved; your schedule and "
                     "calendar feed show them as they are now.", kind="meeting.moved")
    if names is not None:
        _set_instructors(actor, offering, names)
    catalogue_changed(offering)
    return offering


def _loggable(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Intake):
            out[name] = value.code
        elif isinstance(value, dt.date | dt.time):
            out[name] = value.isoformat()
        else:
            out[name] = value
    return out


def _set_instructors(actor: Actor, offering: Offering, names: list[str]) -> None:
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=names)}
    now = {row.user.get_username(): row
           for row in Instructor.objects.filter(offering=offering).select_related("user")}
    for name in names:
        if name not in now:
            Instructor.objects.create(offering=offering, user=users[name],
                                      created_by=actor.label)
            log(actor, "run.instructor_added", target_type="offering",
                target_id=offering.code, new={"username": name})
    for name, row in now.items():
        if name not in names:
            row.delete()
            log(actor, "run.instructor_removed", target_type="offering",
                target_id=offering.code, old={"username": name})


def instructors_of(offering: Offering) -> tuple[str, ...]:
    return tuple(sorted(Instructor.objects.filter(offering=offering)
                        .values_list("user__username", flat=True)))


@transaction.atomic
def set_published(actor: Actor, offering: Offering, published: bool) -> Offering:
    """Put a run in participants' catalogues and plans, or take it out (refused while
    anyone holds or waits for a seat on it)."""
    return publish_offering(actor, offering.program_version, offering.code,
                            published=published)


# -- meetings --------------------------------------------------------------------------


def _meeting_on(offering: Offering, day: dt.date) -> dt.datetime:
    """When the offering's meeting on `day` starts; refused if it has none that day."""
    start = next((s for s, _ in occurrences(offering.to_core()) if s.date() == day), None)
    if start is None:
        raise PathwiseError(f"{offering.code} has no meeting on {day.isoformat()}")
    return start


def _enrolled(offering: Offering) -> list[Participant]:
    return list(Participant.objects.filter(seats__offering=offering,
                                           seats__status=Seat.ENROLLED).distinct()
                .order_by("public_id"))


@transaction.atomic
def cancel_meeting(actor: Actor, offering: Offering, day: dt.date) -> int:
    """Cancel one meeting; calendars drop it and those enrolled are told, with its time on
    their own clock. Returns how many were told."""
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    start = _meeting_on(offering, day)
    offering.cancelled = sorted({*offering.cancelled, day.isoformat()})
    offering.save(update_fields=["cancelled", "updated_at"])
    log(actor, "offering.meeting_cancelled", target_type="offering", target_id=offering.code,
        new={"date": day.isoformat()})
    catalogue_changed(offering)
    told = _enrolled(offering)
    for participant in told:
        zone = participant.timezone
        tell(participant, f"Meeting cancelled: {offering.code} on {day_text(day)}",
             f"The {offering.code} meeting of {moment_text(start, zone)} is cancelled. "
             "Your schedule and calendar feed no longer show it.", kind="meeting.cancelled")
    return len(told)


@transaction.atomic
def move_meeting(actor: Actor, offering: Offering, day: dt.date, to: dt.date) -> int:
    """Move the meeting held on `day` to any other day `to`, at its usual time; those
    enrolled are told (on their own clock) and their calendars show the new day. Returns
    how many were told."""
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    core = offering.to_core()
    problem = move_problem(core, day, to)
    if problem is not None:
        raise PathwiseError(problem)
    assert core.meetings is not None
    start = _meeting_on(offering, day)
    moves = with_move(core.meetings.moved, day, to)
    offering.moved = [{"from": m.from_.isoformat(), "to": m.to.isoformat()} for m in moves]
    offering.save(update_fields=["moved", "updated_at"])
    log(actor, "offering.meeting_moved", target_type="offering", target_id=offering.code,
        new={"from": day.isoformat(), "to": to.isoformat()})
    catalogue_changed(offering)
    # The usual time in the run's own zone on the new day (daylight saving applied).
    moved_to = dt.datetime.combine(to, offering.meeting_time,
                                   tzinfo=zone_named(offering.timezone))
    told = _enrolled(offering)
    for participant in told:
        zone = participant.timezone
        tell(participant, f"Meeting moved: the {offering.code} meeting of {day_text(day)} "
                          f"moves to {day_text(to)}",
             f"The {offering.code} meeting of {moment_text(start, zone)} moves to "
             f"{moment_text(moved_to, zone)}. Your schedule and calendar feed show the new "
             "date.", kind="meeting.moved")
    return len(told)


# -- offerings files -------------------------------------------------------------------


class ImportRefusedError(PathwiseError):
    """An offerings file was not imported: every problem found, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(problems[0] + more)


@dataclass
class ImportRow:
    code: str
    component: str
    starts_on: dt.date
    #: "new", "changed" or "unchanged"
    what: str
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an offerings file does (or, on a dry run, would do) to the catalogue."""

    source: str
    version: ProgramVersion
    rows: list[ImportRow]
    warnings: list[str]
    dry_run: bool

    def counts(self) -> dict[str, int]:
        return {w: sum(1 for r in self.rows if r.what == w)
                for w in ("new", "changed", "unchanged")}

    def as_json(self) -> dict[str, Any]:
        return {"file": self.source, "program": self.version.program_id,
                "program_version": self.version.version, "dry_run": self.dry_run,
                **self.counts(),
                "offerings": [{"code": r.code, "component": r.component,
                               "starts_on": r.starts_on.isoformat(), "what": r.what,
                               "changes": r.changes} for r in self.rows],
                "warnings": self.warnings}


def _file_fields(row: CoreOffering, intakes: dict[str, Intake]) -> dict[str, Any]:
    m = row.meetings
    assert m is not None
    assert row.capacity is not None
    return {
        "component": row.component, "starts_on": row.starts_on, "ends_on": row.ends_on,
        "capacity": row.capacity, "private_to": row.private_to or "",
        "public_seats": row.public_seats, "meeting_days": list(m.days),
        "meeting_time": m.start_time, "meeting_minutes": m.minutes, "timezone": m.timezone,
        "meeting_link": row.meeting_link or "", "published": row.published,
        "cancelled": [d.isoformat() for d in m.cancelled],
        "moved": [{"from": mv.from_.isoformat(), "to": mv.to.isoformat()} for mv in m.moved],
        "intake": intakes[row.intake] if row.intake is not None else None,
    }


def import_offerings(actor: Actor, text: str, *, source: str,
                     dry_run: bool = False) -> ImportReport:
    """Publish a whole offerings file (`pathwise offerings export`'s shape), or nothing.

    Every row is checked before any is written, and every problem is reported
    (`ImportRefusedError`), each naming the file, the row and the field. A run whose
    code exists is changed within the rules of `publish_offering`; `seats_left` is
    ignored. With `dry_run`, nothing is written.
    """
    parsed = load_offerings_json(text, source=source)
    version = _file_version(parsed, source)
    problems: list[str] = []
    intakes = {i.code: i for i in Intake.objects.filter(
        code__in={o.intake for o in parsed.offerings if o.intake})}
    existing = {o.code: o for o in Offering.objects.filter(
        code__in=[o.id for o in parsed.offerings]).select_related("intake")}
    planned: list[tuple[CoreOffering, dict[str, Any]]] = []
    for index, row in enumerate(parsed.offerings):
        where = f"{source}: offerings[{index}] ({row.id})"
        if row.capacity is None:
            problems.append(f"{where}.capacity: missing (how many seats the run has)")
            continue
        if row.meetings is None:
            problems.append(f"{where}.meetings: missing (when the run meets)")
            continue
        if row.intake is not None and row.intake not in intakes:
            problems.append(f"{where}.intake: no intake {row.intake!r}; create it first")
            continue
        fields = _file_fields(row, intakes)
        refusal = run_refusal(version, row.id, fields, row.instructors, existing.get(row.id))
        if refusal is not None:
            problems.append(f"{where}.{refusal}")
            continue
        planned.append((row, fields))
    if problems:
        raise ImportRefusedError(problems)
    rows = [_import_row(row, fields, existing.get(row.id)) for row, fields in planned]
    others = [o.to_core() for o in Offering.objects.filter(program_version=version)
              .exclude(code__in=[r.id for r in parsed.offerings]).select_related("intake")]
    report = ImportReport(source, version, rows, term_warnings(
        version.program, [*others, *parsed.offerings],
        {o.starts_on.year for o in parsed.offerings}), dry_run)
    if not dry_run:
        with transaction.atomic():
            for row, fields in planned:
                publish_offering(actor, version, row.id, instructors=row.instructors,
                                 **fields)
            log(actor, "offerings.imported", target_type="program_version",
                target_id=f"{version.program_id}/{version.version}",
                new={"source": source[:200], **report.counts()})
    return report


def _file_version(parsed: OfferingsFile, source: str) -> ProgramVersion:
    if parsed.program is None or parsed.program_version is None:
        key = "program" if parsed.program is None else "program_version"
        raise ImportRefusedError([f"{source}: {key}: missing (which program version the "
                                  "runs are of, as `pathwise offerings export` writes)"])
    version = ProgramVersion.objects.filter(program_id=parsed.program,
                                            version=parsed.program_version).first()
    if version is None:
        raise ImportRefusedError([f"{source}: program_version: no program "
                                  f"{show_value(parsed.program)} version "
                                  f"{show_value(parsed.program_version)} is loaded"])
    return version


def _import_row(row: CoreOffering, fields: dict[str, Any],
                existing: Offering | None) -> ImportRow:
    if existing is None:
        return ImportRow(row.id, row.component, row.starts_on, "new")
    changes = [name for name, value in fields.items() if getattr(existing, name) != value]
    if set(instructors_of(existing)) != set(row.instructors):
        changes.append("instructors")
    return ImportRow(row.id, row.component, row.starts_on,
                     "changed" if changes else "unchanged", changes)


def export_offerings(version: ProgramVersion, *, from_: dt.date | None = None) -> bytes:
    """The offerings file of `version`'s runs (those ending on or after `from_`): what
    `pathwise plan` reads and `import_offerings` publishes again unchanged."""
    runs = Offering.objects.filter(program_version=version).select_related("intake")
    if from_ is not None:
        runs = runs.filter(ends_on__gte=from_)
    taken = dict(Seat.objects.filter(offering__in=runs, status=Seat.ENROLLED)
                 .values("offering_id").annotate(n=Count("pk")).values_list("offering_id", "n"))
    teachers: dict[int, list[str]] = {}
    for offering_id, name in (Instructor.objects.filter(offering__in=runs)
                              .order_by("user__username")
                              .values_list("offering_id", "user__username")):
        teachers.setdefault(offering_id, []).append(name)
    cores = tuple(o.to_core(seats_left=max(o.capacity - taken.get(o.pk, 0), 0),
                            instructors=tuple(teachers.get(o.pk, ())))
                  for o in runs.order_by("starts_on", "code"))
    document = OfferingsFile(offerings=cores, program=version.program_id,
                             program_version=version.version)
    return msgspec.json.format(msgspec.json.encode(document), indent=1) + b"\n"


def version_named(text: str) -> ProgramVersion | None:
    """The loaded version `text` names as PROGRAM/VERSION, if any."""
    program, _, version = text.partition("/")
    return ProgramVersion.objects.filter(program_id=program, version=version).first()


def unknown_version(text: str) -> str:
    """What to say of a PROGRAM/VERSION that names no loaded version."""
    return f"no {text[:60]!r} is loaded (give it as PROGRAM/VERSION, e.g. cscce-cm/2023)"


def versions_with_runs() -> list[ProgramVersion]:
    """The versions that have runs, newest last."""
    with_runs = ProgramVersion.objects.filter(offerings__isnull=False).distinct()
    return sorted(with_runs, key=lambda v: (v.program_id, _version_key(v.version)))


def newest_version() -> ProgramVersion | None:
    """The version the catalogue pages and the export start from: the newest with runs."""
    found = versions_with_runs()
    return found[-1] if found else None


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.split("."))


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
