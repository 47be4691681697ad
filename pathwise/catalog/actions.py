"""The catalogue's writers: program versions from their TOML files, intakes, offerings."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from django.db import transaction

from pathwise.auditlog.log import Actor, log
from pathwise.catalog.models import Intake, Offering, ProgramVersion
from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import date_problem, identifier_problem, show_value
from pathwise.core.offerings import condensed, move_is_one_week, occurrences, offering_problem
from pathwise.core.program import PROGRAMS_DIR_VARIABLE, ProgramLibrary, folders_named
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
    version id). A version nobody is on yet may still be corrected.
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
        if enrolled:
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


def _source_text(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def library() -> ProgramLibrary:
    """Every program version in the database, parsed."""
    return ProgramLibrary(row.program for row in ProgramVersion.objects.all())


@transaction.atomic
def publish_intake(actor: Actor, version: ProgramVersion, code: str,
                   starts_on: dt.date) -> Intake:
    """Create or update an intake; its code is an identifier and its start a plausible date."""
    problem = identifier_problem(code) or date_problem(starts_on)
    if problem is not None:
        raise PathwiseError(f"intake {show_value(code)}: {problem}")
    intake, created = Intake.objects.update_or_create(
        code=code, defaults={"program_version": version, "starts_on": starts_on})
    if created:
        log(actor, "intake.published", target_type="intake", target_id=code,
            new={"starts_on": starts_on.isoformat()})
    return intake


@transaction.atomic
def publish_offering(actor: Actor, version: ProgramVersion, code: str,
                     **fields: Any) -> Offering:
    """Create or update an offering; its capacity may not exceed the component's.

    Its code, intake, organization and dates are checked by the same rules as an
    offerings file's (`pathwise.core.offerings.offering_problem`).
    """
    problem = offering_problem(Offering(code=code, program_version=version, **fields).to_core())
    if problem is not None:
        key, what = problem
        raise PathwiseError(f"offering {show_value(code)}: {'code' if key == 'id' else key}: "
                            f"{what}")
    component = version.program.components.get(fields["component"])
    if component is None:
        raise PathwiseError(f"offering {code}: unknown component {fields['component']!r}")
    if component.capacity is not None and fields["capacity"] > component.capacity:
        raise PathwiseError(f"offering {code}: capacity {fields['capacity']} is more than "
                            f"{component.code}'s {component.capacity}")
    offering, created = Offering.objects.update_or_create(
        code=code, defaults={"program_version": version, **fields})
    why = condensed(offering.to_core(), component.sessions)
    if why is not None:
        raise PathwiseError(f"offering {why}")
    if created:
        log(actor, "offering.published", target_type="offering", target_id=code,
            new={"component": offering.component,
                 "starts_on": offering.starts_on.isoformat(), "capacity": offering.capacity})
    catalogue_changed(offering)
    return offering


@transaction.atomic
def cancel_meeting(actor: Actor, offering: Offering, day: dt.date) -> None:
    """Cancel one meeting; calendars drop it."""
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if not any(start.date() == day for start, _ in occurrences(offering.to_core())):
        raise PathwiseError(f"{offering.code} has no meeting on {day.isoformat()}")
    offering.cancelled = sorted({*offering.cancelled, day.isoformat()})
    offering.save(update_fields=["cancelled", "updated_at"])
    log(actor, "offering.meeting_cancelled", target_type="offering", target_id=offering.code,
        new={"date": day.isoformat()})
    catalogue_changed(offering)


@transaction.atomic
def move_meeting(actor: Actor, offering: Offering, day: dt.date, to: dt.date) -> None:
    """Move one meeting by a week, keeping its time."""
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if not move_is_one_week(day, to):
        raise PathwiseError(f"a meeting moves by one week: {day.isoformat()} can move to "
                            f"{(day + dt.timedelta(days=7)).isoformat()}, not {to.isoformat()}")
    if not any(start.date() == day for start, _ in occurrences(offering.to_core())):
        raise PathwiseError(f"{offering.code} has no meeting on {day.isoformat()}")
    offering.moved = [*offering.moved, {"from": day.isoformat(), "to": to.isoformat()}]
    offering.save(update_fields=["moved", "updated_at"])
    log(actor, "offering.meeting_moved", target_type="offering", target_id=offering.code,
        new={"from": day.isoformat(), "to": to.isoformat()})
    catalogue_changed(offering)
