"""A meeting's register: present or absent per person, saved at once, edits audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.actions import cancel_meeting
from pathwise.core.errors import PathwiseError
from pathwise.runs.actions import record_attendance
from pathwise.runs.models import Attendance
from pathwise.runs.read import meetings
from tests.runs.conftest import Runs, seat_before_start

pytestmark = pytest.mark.django_db


def marks(runs: Runs, day: dt.date) -> dict[str, bool]:
    return {a.participant.public_id: a.present
            for a in Attendance.objects.filter(offering=runs.a, day=day)}


def test_saving_a_register_marks_the_ticked_present_and_everyone_else_absent(
        ina: Client, runs: Runs) -> None:
    day = runs.held_days()[0]
    response = ina.post(f"/runs/PBK-A/meetings/{day}/", {"present": ["P-003"]})
    assert response.status_code == 302
    assert marks(runs, day) == {"P-002": False, "P-003": True}
    entry = AuditEntry.objects.get(action="attendance.recorded")
    assert entry.actor_label == "ina"
    assert entry.new_value == {"P-002": "absent", "P-003": "present"}


def test_changing_a_saved_register_keeps_the_old_and_new_marks_in_the_audit(
        runs: Runs) -> None:
    day = runs.held_days()[1]
    record_attendance(runs.a, day, ["P-002"], Actor("ina"))
    record_attendance(runs.a, day, ["P-002", "P-003"], Actor("ina"))
    assert marks(runs, day) == {"P-002": True, "P-003": True}
    entry = AuditEntry.objects.get(action="attendance.corrected")
    assert entry.old_value == {"P-002": "present", "P-003": "absent"}
    assert entry.new_value == {"P-002": "present", "P-003": "present"}
    assert Attendance.objects.filter(offering=runs.a, day=day).count() == 2


def test_a_day_the_run_does_not_meet_is_refused_naming_its_meetings(ina: Client,
                                                                   runs: Runs) -> None:
    day = runs.held_days()[0] + dt.timedelta(days=1)
    response = ina.post(f"/runs/PBK-A/meetings/{day}/", {"present": ["P-002"]})
    assert response.status_code == 400
    assert f"PBK-A has no meeting on {day.isoformat()}" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_cancelled_meeting_takes_no_attendance(runs: Runs) -> None:
    day = runs.held_days()[2]
    cancel_meeting(Actor("staff"), runs.a, day)
    runs.a.refresh_from_db()
    with pytest.raises(PathwiseError, match=f"no meeting on {day.isoformat()}"):
        record_attendance(runs.a, day, ["P-002"], Actor("ina"))


def test_a_meeting_still_to_come_takes_no_attendance(runs: Runs) -> None:
    upcoming = meetings(runs.a)[-1][0].date()
    with pytest.raises(PathwiseError, match="has not started yet"):
        record_attendance(runs.a, upcoming, [], Actor("ina"))


@pytest.mark.parametrize("who", ["P-999", "P-\x00", "P-002\n"])
def test_someone_not_on_the_roster_is_refused_and_nothing_saved(ina: Client, runs: Runs,
                                                               who: str) -> None:
    day = runs.held_days()[0]
    with pytest.raises(PathwiseError, match="is not enrolled on PBK-A"):
        record_attendance(runs.a, day, ["P-002", who], Actor("ina"))
    assert not Attendance.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="attendance").exists()


def test_a_presenter_is_recorded_only_at_a_skills_share(runs: Runs, publish_run: object,
                                                        ) -> None:
    with pytest.raises(PathwiseError, match="not a skills share"):
        record_attendance(runs.a, runs.held_days()[0], [], Actor("ina"), presenter="P-002")
    share = publish_run("QSS-A", "QSS", starts_on=runs.a.starts_on,  # type: ignore[operator]
                        meeting_time=dt.time(18))
    for person in runs.people:
        seat_before_start(person, share)
    rows = record_attendance(share, share.starts_on, ["P-003"], Actor("ina"),
                             presenter="P-002")
    assert {(r.participant.public_id, r.present, r.presented) for r in rows} == {
        ("P-002", True, True), ("P-003", True, False)}


def test_the_register_page_lists_everyone_enrolled_with_a_labelled_box(ina: Client,
                                                                       runs: Runs) -> None:
    day = runs.held_days()[0]
    page = ina.get(f"/runs/PBK-A/meetings/{day}/").content.decode()
    assert '<label for="present-P-002">Grace Hopper' in page
    assert '<label for="present-P-003">Linus Pauling' in page
    assert "Save attendance" in page
