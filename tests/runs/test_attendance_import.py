"""A meeting's register from a Zoom, Teams or Google Meet export: previewed, then saved."""

from __future__ import annotations

import pytest

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.core.errors import PathwiseError
from pathwise.runs.actions import export_meeting, import_attendance
from pathwise.runs.models import Attendance, RememberedAddress
from pathwise.runs.read import meetings
from tests.runs.conftest import EXPORT_DAY, EXPORTS, ExportRun

pytestmark = pytest.mark.django_db

ZOOM = (EXPORTS / "zoom_with_meeting.csv").read_bytes()
TEAMS = (EXPORTS / "teams_with_activities.csv").read_bytes()


def saved(export_run: ExportRun) -> dict[str, tuple[bool, int | None, str]]:
    return {a.participant.public_id: (a.present, a.minutes, a.source)
            for a in Attendance.objects.filter(offering=export_run.run, day=EXPORT_DAY)}


def test_the_run_has_twelve_meetings_the_first_on_the_exports_day(
        export_run: ExportRun) -> None:
    found = meetings(export_run.run)
    assert len(found) == 12
    assert found[0][0].date() == EXPORT_DAY


def test_a_zoom_export_marks_present_those_in_the_meeting_long_enough(
        export_run: ExportRun) -> None:
    result = import_attendance(export_run.run, EXPORT_DAY, ZOOM, Actor("ina"), dry_run=False)
    assert (result.present, result.absent) == (("P-001", "P-002", "P-004"), ("P-003",))
    assert saved(export_run) == {"P-001": (True, 88, "zoom"), "P-002": (True, 75, "zoom"),
                                 "P-003": (False, 40, "zoom"), "P-004": (True, 88, "zoom")}
    assert [u.to_json() for u in result.unmatched] == [
        {"name": "Host Person", "email": "host@example.org", "minutes": 90.0},
        {"name": "Mystery Guest", "email": None, "minutes": 15.0}]
    assert AuditEntry.objects.filter(action="attendance.recorded", actor_label="ina").exists()
    entry = AuditEntry.objects.get(action="attendance.imported")
    assert entry.new_value["format"] == "zoom"


def test_a_teams_export_marks_the_same_meeting_from_its_own_columns(
        export_run: ExportRun) -> None:
    result = import_attendance(export_run.run, EXPORT_DAY, TEAMS, Actor("ina"), dry_run=False)
    assert (result.format, result.present) == ("teams", ("P-001", "P-002"))
    assert {pid for pid, (present, _, _) in saved(export_run).items() if not present} == {
        "P-003", "P-004"}
    assert [u.name for u in result.unmatched] == ["Guest Viewer"]


def test_a_dry_run_shows_the_register_and_saves_nothing(export_run: ExportRun) -> None:
    result = import_attendance(export_run.run, EXPORT_DAY, ZOOM, Actor("ina"), dry_run=True,
                               assignments={"host@example.org": "P-003"})
    assert "P-003" in result.present
    assert not Attendance.objects.exists()
    assert not RememberedAddress.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="attendance").exists()


def test_an_address_assigned_by_hand_is_remembered_for_the_next_export(
        export_run: ExportRun) -> None:
    first = import_attendance(export_run.run, EXPORT_DAY, ZOOM, Actor("ina"), dry_run=False,
                              assignments={"host@example.org": "P-003"})
    assert "P-003" in first.present
    assert [u.name for u in first.unmatched] == ["Mystery Guest"]
    remembered = RememberedAddress.objects.get()
    assert (remembered.email, remembered.participant.public_id) == ("host@example.org", "P-003")
    assert AuditEntry.objects.filter(action="attendance.address_remembered",
                                     target_id="host@example.org").exists()
    Attendance.objects.all().delete()
    again = import_attendance(export_run.run, EXPORT_DAY, ZOOM, Actor("ina"), dry_run=False)
    assert "P-003" in again.present
    assert saved(export_run)["P-003"] == (True, 90, "zoom")


@pytest.mark.parametrize(("assignments", "message"), [
    ({"not an address": "P-003"}, "is not one e-mail address"),
    ({"host@example.org": "P-999"}, "P-999 is not enrolled"),
    ({"ada@example.org": "P-003"}, "it is P-001's own address"),
    ({"nobody@example.org": "P-003"}, "no row of export has that address"),
])
def test_a_bad_assignment_is_refused_and_nothing_saved(
        assignments: dict[str, str], message: str, export_run: ExportRun) -> None:
    with pytest.raises(PathwiseError, match=message):
        import_attendance(export_run.run, EXPORT_DAY, ZOOM, Actor("ina"), dry_run=False,
                          assignments=assignments)
    assert not Attendance.objects.exists()
    assert not RememberedAddress.objects.exists()


@pytest.mark.parametrize(("data", "message"), [
    ("Name,Email\nAda,ada@example.org\n".encode("utf-16-le"), "export.csv: "),
    (b"Name (Original Name),User Email\nAda Lovelace,ada@example.org\n",
     "has no 'Join time' column"),
    (b"\xff\xfe\x00garbage\x80\x81", "export.csv: "),
    (b"", "export.csv: "),
])
def test_a_file_that_is_not_an_export_is_refused_naming_why_and_nothing_saved(
        data: bytes, message: str, export_run: ExportRun) -> None:
    with pytest.raises(PathwiseError, match=message):
        import_attendance(export_run.run, EXPORT_DAY, data, Actor("ina"), dry_run=False,
                          source="export.csv")
    assert not Attendance.objects.exists()


def test_a_file_larger_than_an_export_can_be_is_refused_unread(export_run: ExportRun) -> None:
    with pytest.raises(PathwiseError, match="at most 5,000,000"):
        import_attendance(export_run.run, EXPORT_DAY, b"x" * 5_000_001, Actor("ina"),
                          dry_run=True, source="big.csv")


def test_a_day_the_run_does_not_meet_is_refused(export_run: ExportRun) -> None:
    with pytest.raises(PathwiseError, match="PBK-M has no meeting on 2026-03-12"):
        import_attendance(export_run.run, EXPORT_DAY.replace(day=12), ZOOM, Actor("ina"),
                          dry_run=True)


def test_the_meeting_an_export_is_of_is_found_from_its_dates(export_run: ExportRun) -> None:
    assert export_meeting(export_run.run, ZOOM, source="zoom.csv") == EXPORT_DAY
    assert export_meeting(export_run.run, TEAMS, source="teams.csv") == EXPORT_DAY
    with pytest.raises(PathwiseError, match=r"zoom\.csv: nobody in it was at a held meeting"):
        export_meeting(export_run.other, ZOOM, source="zoom.csv")
