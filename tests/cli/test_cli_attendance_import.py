"""`pathwise attendance import`: a meeting's register from a video-call export, as JSON."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pathwise.auditlog.models import AuditEntry
from pathwise.runs.models import Attendance
from tests.cli.conftest import Run
from tests.runs.conftest import EXPORT_DAY, EXPORTS, ExportRun, export_run  # noqa: F401

pytestmark = pytest.mark.django_db

ZOOM = EXPORTS / "zoom_with_meeting.csv"


def test_import_prints_the_contract_and_saves_the_register(
        export_run: ExportRun, pathwise: Callable[..., Run]) -> None:  # noqa: F811
    run = pathwise("attendance", "import", "PBK-M", ZOOM, "--actor", "ina")
    assert run.code == 0, run.err
    assert run.json() == {
        "offering": "PBK-M", "meeting": "2026-03-11", "format": "zoom",
        "present": ["P-001", "P-002", "P-004"], "absent": ["P-003"],
        "unmatched": [{"name": "Host Person", "email": "host@example.org", "minutes": 90.0},
                      {"name": "Mystery Guest", "email": None, "minutes": 15.0}]}
    assert {a.participant.public_id: a.present for a in Attendance.objects.all()} == {
        "P-001": True, "P-002": True, "P-003": False, "P-004": True}
    assert AuditEntry.objects.filter(action="attendance.imported", actor_label="ina").exists()


def test_a_dry_run_prints_the_same_and_saves_nothing(
        export_run: ExportRun, pathwise: Callable[..., Run]) -> None:  # noqa: F811
    teams = EXPORTS / "teams_with_activities.csv"
    run = pathwise("attendance", "import", "PBK-M", teams, "--meeting", "2026-03-11",
                   "--dry-run")
    assert run.code == 0, run.err
    assert (run.json()["format"], run.json()["present"]) == ("teams", ["P-001", "P-002"])
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(("args", "message"), [
    (("--meeting", "soon"), "--meeting: 'soon' is not a date"),
    (("--meeting", "2026-03-12"), "PBK-M has no meeting on 2026-03-12"),
])
def test_a_bad_meeting_is_refused_in_one_line(
        args: tuple[str, ...], message: str, export_run: ExportRun,  # noqa: F811
        pathwise: Callable[..., Run], refused: Callable[..., str]) -> None:
    assert message in refused(pathwise("attendance", "import", "PBK-M", ZOOM, *args),
                              "attendance")
    assert not Attendance.objects.exists()


def test_a_file_that_is_not_an_export_is_refused_in_one_line_and_nothing_saved(
        export_run: ExportRun, pathwise: Callable[..., Run],  # noqa: F811
        refused: Callable[..., str], tmp_path: Path) -> None:
    bad = tmp_path / "report.csv"
    bad.write_bytes(b"Name (Original Name),User Email\nAda Lovelace,ada@example.org\n")
    message = refused(pathwise("attendance", "import", "PBK-M", bad, "--meeting",
                               EXPORT_DAY.isoformat()), "attendance")
    assert "report.csv: line 1: the Zoom participants table has no 'Join time'" in message
    assert "no such file" in refused(pathwise("attendance", "import", "PBK-M",
                                              tmp_path / "gone.csv"), "attendance")
    assert not Attendance.objects.exists()


def test_without_a_meeting_an_export_of_no_held_meeting_asks_for_one(
        export_run: ExportRun, pathwise: Callable[..., Run],  # noqa: F811
        refused: Callable[..., str]) -> None:
    assert "say which meeting it is" in refused(
        pathwise("attendance", "import", "PBK-O", ZOOM), "attendance")
