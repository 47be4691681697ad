"""`pathwise import` / `export` and the import action: all or nothing, exact round trip, audited."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.cli import main
from pathwise.enrollment.actions import take_seat
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m
from tests.builders import ada_file

pytestmark = pytest.mark.django_db(transaction=True)


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_import_then_export_gives_back_the_same_file(tmp_path: Path, capsys: Any) -> None:
    original = ada_file()
    original["participant"].update({
        "email": "ada@example.org", "organization": "Analytical Engines",
        "employment": [
            {"organization": "Babbage & Co", "role": "Analyst", "from": "2020-01-01",
             "to": "2024-05-31"},
            {"organization": "Analytical Engines", "from": "2024-06-01", "to": None},
        ],
        "availability": [{"days": ["MO", "TU"], "from": "08:00", "to": "18:00"}],
    })
    original["withdrawn_on"] = "2025-01-01"
    original["deadline_extended_to"] = "2025-12-31"
    assert main(["import", write(tmp_path, "ada.json", original)]) == 0
    assert "imported P-001" in capsys.readouterr().out

    assert main(["export", "--participant", "P-001"]) == 0
    exported = capsys.readouterr().out
    assert json.loads(exported) == original

    # Exporting what was exported changes nothing, byte for byte.
    assert main(["import", write(tmp_path, "again.json", exported)]) == 0
    capsys.readouterr()
    assert main(["export", "--participant", "P-001"]) == 0
    assert capsys.readouterr().out == exported


def test_export_to_a_folder_writes_one_file_per_participant(tmp_path: Path, capsys: Any) -> None:
    files = [write(tmp_path, f"{i}.json", ada_file(f"P-00{i}", f"Person {i}"))
             for i in (1, 2)]
    assert main(["import", *files]) == 0
    out = tmp_path / "out"
    assert main(["export", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["P-001.json", "P-002.json"]
    assert json.loads((out / "P-002.json").read_text())["participant"]["name"] == "Person 2"


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ("{not json", "bad.json: not valid JSON"),
        (ada_file("P-009", records=[{"component": "NOPE", "date": "2024-01-01",
                                          "outcome": "attended"}]),
         "bad.json: records[0].component: unknown component 'NOPE'"),
        (ada_file("P-009", records=[{"component": "ORIENT", "date": "2024-02-30",
                                          "outcome": "attended"}]),
         "bad.json: records[0].date: '2024-02-30' is not a valid date"),
        (ada_file("P-009", records=[{"component": "ORIENT", "date": "2024-02-03",
                                          "outcome": "went"}]),
         "bad.json: records[0].outcome: 'went' is not one of"),
        (ada_file("P-009", program_version="1999"),
         "bad.json: program_version: program 'cscce-cm' version '1999' does not exist"),
    ],
)
def test_a_bad_file_among_good_ones_imports_nothing_and_says_why(
    tmp_path: Path, capsys: Any, bad: Any, expected: str
) -> None:
    good = write(tmp_path, "good.json", ada_file("P-001"))
    bad_path = write(tmp_path, "bad.json", bad)
    audit_before = AuditEntry.objects.count()

    assert main(["import", good, bad_path]) == 2

    err = capsys.readouterr().err
    assert expected in err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert not m.Participant.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_the_same_participant_twice_in_one_import_is_refused(tmp_path: Path, capsys: Any) -> None:
    a = write(tmp_path, "a.json", ada_file("P-001"))
    b = write(tmp_path, "b.json", ada_file("P-001"))
    assert main(["import", a, b]) == 2
    assert "'P-001' is also in" in capsys.readouterr().err
    assert not m.Participant.objects.exists()


def test_every_change_records_who_made_it_and_when(
    import_files: Callable[..., list[str]],
) -> None:
    import_files(ada_file(), actor="alice")
    changed = ada_file()
    changed["records"].append({"component": "MW-FEEDBACK", "date": "2023-10-05",
                               "outcome": "attended"})
    import_files(changed, actor="bob")
    import_files(changed, actor="carol")  # no change, no entry

    entries = list(AuditEntry.objects.filter(target_id="P-001").order_by("id"))
    assert [(e.actor_label, e.action) for e in entries] == [
        ("alice", "records.imported"), ("bob", "records.replaced")]
    assert entries[1].old_value == ada_file()
    assert entries[1].new_value == changed
    assert entries[1].at is not None
    record = m.CompletionRecord.objects.get(component="MW-FEEDBACK")
    assert record.created_by == "bob"


def test_audit_entries_cannot_be_edited_or_deleted(
    import_files: Callable[..., list[str]],
) -> None:
    import_files(ada_file())
    entry = AuditEntry.objects.get(action="records.imported")
    entry.action = "something.else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(action="x")


def test_exporting_an_unknown_participant_says_so(capsys: Any) -> None:
    assert main(["export", "--participant", "P-404"]) == 2
    assert "no participant 'P-404'" in capsys.readouterr().err


def test_importing_into_a_database_never_migrated_says_so_in_one_line(tmp_path: Path) -> None:
    records = write(tmp_path, "ada.json", ada_file())
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
           "SECRET_KEY": "test", "DJANGO_SETTINGS_MODULE": "pathwise.site.settings"}
    done = subprocess.run([sys.executable, "-m", "pathwise.cli", "import", records],
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "database error" in done.stderr
    assert "pathwise manage migrate" in done.stderr


def test_export_lists_the_runs_held_and_importing_it_back_changes_no_seat(
    grace: m.Participant, publish_run: Callable[..., Any], tmp_path: Path, capsys: Any,
) -> None:
    first = publish_run("PBK-A", "PBK", starts_in=30)
    full = publish_run("MW-FULL", "MW-ROLES", starts_in=40, capacity=1,
                       meeting_time=dt.time(15))
    take_seat(grace, first, Actor("grace"))
    Seat.objects.create(offering=full, participant=grace, status=Seat.WAITLISTED,
                        queue_number=1, created_by="t", updated_by="t")
    assert main(["export", "--participant", "P-002"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["holding"] == ["PBK-A"]  # a seat, not a waitlist place
    seats = list(Seat.objects.values_list("offering__code", "status"))
    assert main(["import", write(tmp_path, "grace.json", exported)]) == 0
    capsys.readouterr()
    assert list(Seat.objects.values_list("offering__code", "status")) == seats
    assert main(["export", "--participant", "P-002"]) == 0
    assert json.loads(capsys.readouterr().out) == exported
