"""Load program definitions from their TOML files into the database."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from pathwise.auditlog.log import Actor, log
from pathwise.catalog.models import ProgramVersion
from pathwise.core.program import ProgramLibrary


@transaction.atomic
def sync_programs(actor: Actor, library: ProgramLibrary | None = None) -> list[ProgramVersion]:
    """Create or update a ProgramVersion for every definition file; unchanged files are no-ops."""
    library = library or ProgramLibrary.shipped()
    rows = []
    for program in library:
        text = _source_text(program.source)
        row = ProgramVersion.objects.select_for_update().filter(
            program_id=program.id, version=program.version).first()
        if row is None:
            row = ProgramVersion.objects.create(
                program_id=program.id, version=program.version, name=program.name,
                source_path=program.source, definition=text)
            log(actor, "program.loaded", target_type="program_version",
                target_id=f"{program.id}/{program.version}", new={"source": program.source})
        elif row.definition != text:
            old = row.definition
            row.name, row.source_path, row.definition = program.name, program.source, text
            row.save()
            log(actor, "program.updated", target_type="program_version",
                target_id=f"{program.id}/{program.version}", old={"definition": old},
                new={"definition": text})
        rows.append(row)
    return rows


def _source_text(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def library() -> ProgramLibrary:
    """Every program version in the database, parsed."""
    return ProgramLibrary(row.program for row in ProgramVersion.objects.all())
