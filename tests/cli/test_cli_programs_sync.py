"""`pathwise programs sync` and `migrate`: the definition files and the database agree.

A version found in a `PATHWISE_PROGRAMS_DIR` folder is listed, synced and then
imported into; a version nobody is on may be corrected; one anyone is on never
changes under them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.actions import publish_offering
from pathwise.catalog.models import ProgramVersion
from pathwise.core.program import SHIPPED_PROGRAMS_DIR
from pathwise.participants.models import Enrollment
from tests.cli.conftest import Run

pytestmark = pytest.mark.django_db

SHIPPED_2023 = (SHIPPED_PROGRAMS_DIR / "cscce-cm" / "2023.toml").read_text(encoding="utf-8")
RECORDS = Path(__file__).resolve().parents[2] / "examples" / "records" / "new.json"


def definition(version: str, name: str = "CSCCE Community Manager Certification Program") -> str:
    return (SHIPPED_2023.replace('version = "2023"', f'version = "{version}"', 1)
            .replace('name = "CSCCE Community Manager Certification Program"',
                     f'name = "{name}"', 1))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A programs folder named by PATHWISE_PROGRAMS_DIR, holding a version 2026."""
    programs = tmp_path / "programs"
    programs.mkdir()
    (programs / "cm-2026.toml").write_text(definition("2026"), encoding="utf-8")
    monkeypatch.setenv("PATHWISE_PROGRAMS_DIR", str(programs))
    return programs


def records_on(version: str, tmp_path: Path) -> Path:
    data: dict[str, Any] = json.loads(RECORDS.read_text(encoding="utf-8"))
    data["program_version"] = version
    path = tmp_path / f"on-{version}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def synced(run: Run) -> dict[str, str]:
    assert run.code == 0, run.err
    return {f"{s['program']} {s['version']}": s["change"] for s in run.json()}


def test_a_version_in_the_folder_is_listed_synced_and_then_imported_into(
        folder: Path, tmp_path: Path, pathwise: Callable[..., Run]) -> None:
    listed = pathwise("programs")
    assert "cscce-cm\t2026\t" in listed.out
    assert synced(pathwise("programs", "sync", "--json")) == {
        "cscce-cm 2023": "added", "cscce-cm 2025": "added", "cscce-cm 2026": "added"}
    assert AuditEntry.objects.filter(action="program.loaded",
                                     target_id="cscce-cm/2026").exists()
    imported = pathwise("import", records_on("2026", tmp_path))
    assert imported.code == 0, imported.err
    assert Enrollment.objects.get(participant__public_id="S-001").program_version.version == (
        "2026")
    again = pathwise("programs", "sync")
    assert again.code == 0, again.err
    assert [line.split("\t")[:3] for line in again.out.splitlines()] == [
        ["unchanged", "cscce-cm", "2023"], ["unchanged", "cscce-cm", "2025"],
        ["unchanged", "cscce-cm", "2026"]]


def test_import_syncs_the_folder_itself_so_a_listed_version_is_never_refused(
        folder: Path, tmp_path: Path, pathwise: Callable[..., Run]) -> None:
    """The issue: listed by `pathwise programs`, refused by `pathwise import`."""
    run = pathwise("import", records_on("2026", tmp_path))
    assert run.code == 0, run.err
    assert run.out.strip() == "imported S-001"


def test_import_with_programs_flag_knows_the_flags_folder(
        tmp_path: Path, pathwise: Callable[..., Run]) -> None:
    programs = tmp_path / "elsewhere"
    programs.mkdir()
    (programs / "v.toml").write_text(definition("2026"), encoding="utf-8")
    run = pathwise("--programs", programs, "import", records_on("2026", tmp_path))
    assert run.code == 0, run.err


def test_a_version_nobody_is_on_may_be_corrected(
        folder: Path, pathwise: Callable[..., Run]) -> None:
    synced(pathwise("programs", "sync", "--json"))
    (folder / "cm-2026.toml").write_text(definition("2026", "Renamed Program"),
                                         encoding="utf-8")
    assert synced(pathwise("programs", "sync", "--json"))["cscce-cm 2026"] == "changed"
    assert ProgramVersion.objects.get(version="2026").name == "Renamed Program"
    assert AuditEntry.objects.filter(action="program.updated",
                                     target_id="cscce-cm/2026").exists()


def test_a_version_anyone_is_on_never_changes_and_the_refusal_names_it(
        folder: Path, tmp_path: Path, pathwise: Callable[..., Run],
        refused: Callable[..., str]) -> None:
    assert pathwise("import", records_on("2026", tmp_path)).code == 0
    before = ProgramVersion.objects.get(version="2026").definition
    entries = AuditEntry.objects.count()
    (folder / "cm-2026.toml").write_text(definition("2026", "Renamed Program"),
                                         encoding="utf-8")
    message = refused(pathwise("programs", "sync"), "programs")
    assert "program cscce-cm version 2026 differs from the definition 1 participant(s)" in (
        message)
    assert "new version id" in message
    assert ProgramVersion.objects.get(version="2026").definition == before
    assert AuditEntry.objects.count() == entries
    # An import syncs first, so it is refused the same way rather than using a changed file.
    assert "version 2026 differs" in refused(
        pathwise("import", records_on("2026", tmp_path)), "import")


def test_what_is_not_a_participants_may_change_under_a_version_in_use(
        folder: Path, tmp_path: Path, pathwise: Callable[..., Run]) -> None:
    """Comments and the catalogue's scheduling rules bind staff, not participants: an
    upgrade that adds them to a version people are on syncs (and is audited)."""
    assert pathwise("import", records_on("2026", tmp_path)).code == 0
    changed = (definition("2026").replace("[catalogue]", "# Rules for the runs, not for anyone's"
                                          " record.\n[catalogue]", 1)
               .replace("min = 90\nmax = 120", "min = 60\nmax = 120", 1))
    assert changed != definition("2026")
    (folder / "cm-2026.toml").write_text(changed, encoding="utf-8")
    assert synced(pathwise("programs", "sync", "--json"))["cscce-cm 2026"] == "changed"
    row = ProgramVersion.objects.get(version="2026")
    assert row.program.catalogue.lengths[0].low == 60
    assert AuditEntry.objects.filter(action="program.updated",
                                     target_id="cscce-cm/2026").exists()


def test_a_malformed_file_is_refused_naming_it_and_nothing_is_loaded(
        folder: Path, pathwise: Callable[..., Run], refused: Callable[..., str]) -> None:
    bad = folder / "broken.toml"
    bad.write_text('[program\nid = "x"\n', encoding="utf-8")
    message = refused(pathwise("programs", "sync"), "programs")
    assert f"{bad}: not valid TOML" in message
    assert not ProgramVersion.objects.exists()


def test_a_missing_folder_is_refused_naming_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pathwise: Callable[..., Run],
        refused: Callable[..., str]) -> None:
    monkeypatch.setenv("PATHWISE_PROGRAMS_DIR", str(tmp_path / "nope"))
    assert f"{tmp_path / 'nope'}: programs folder does not exist" in refused(
        pathwise("programs", "sync"), "programs")


def test_migrate_loads_every_definition_and_refuses_a_changed_version_in_use(
        folder: Path, tmp_path: Path, settings: Any, pathwise: Callable[..., Run]) -> None:
    settings.SYNC_PROGRAMS_AT_MIGRATE = True
    call_command("migrate", verbosity=0)
    assert sorted(ProgramVersion.objects.values_list("version", flat=True)) == [
        "2023", "2025", "2026"]
    assert AuditEntry.objects.filter(action="program.loaded", actor_label="migrate").count() == 3
    assert pathwise("import", records_on("2026", tmp_path)).code == 0
    (folder / "cm-2026.toml").write_text(definition("2026", "Renamed Program"),
                                         encoding="utf-8")
    with pytest.raises(CommandError, match="program cscce-cm version 2026 differs"):
        call_command("migrate", verbosity=0)


def test_a_change_dropping_the_component_of_a_run_is_refused_naming_the_run(
        folder: Path, pathwise: Callable[..., Run], refused: Callable[..., str]) -> None:
    synced(pathwise("programs", "sync", "--json"))
    version = ProgramVersion.objects.get(version="2026")
    publish_offering(Actor("staff"), version, "ROLES-26", component="MW-ROLES",
                     starts_on=dt.date(2027, 3, 3), ends_on=dt.date(2027, 3, 3), capacity=20,
                     meeting_days=["WE"], meeting_time=dt.time(16), meeting_minutes=90,
                     timezone="Europe/London")
    text = definition("2026")
    start = text.index('[[components]]\ncode = "MW-ROLES"')
    end = text.index("[[components]]", start + 1)
    (folder / "cm-2026.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    message = refused(pathwise("programs", "sync"), "programs")
    assert "version 2026 no longer defines the component of its run(s) ROLES-26" in message
    assert "MW-ROLES" in ProgramVersion.objects.get(version="2026").program.components
