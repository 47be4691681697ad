"""The stored standing follows the date: the hourly pass refreshes whoever's day moved on,
once per hour however many workers run, and schedules the next hour itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pathwise.catalog.models import Offering
from pathwise.participants import models as m
from pathwise.standing.actions import hourly_pass, refresh_all
from pathwise.standing.models import RefreshRun, StandingRow
from pathwise.standing.tasks import start_hourly_refresh, this_hour
from tests.builders import ada_file, make_records_file

pytestmark = pytest.mark.django_db(transaction=True)  # the worker runs after real commits


def test_a_status_changes_when_the_date_passes_the_deadline(grace: m.Participant) -> None:
    assert StandingRow.objects.get(participant=grace).status == "on_track"
    after = dt.datetime(2027, 10, 2, 12, tzinfo=dt.UTC)  # her deadline was 2027-09-30
    assert refresh_all(now=after, stale_only=True) == 1
    row = StandingRow.objects.get(participant=grace)
    assert row.status == "overdue"
    # Overdue from the first day after her deadline, though first seen a day later.
    assert row.status_since == dt.date(2027, 10, 1)
    assert row.as_of == dt.date(2027, 10, 2)


def test_a_status_first_seen_late_is_dated_from_when_it_began(
    import_files: Callable[..., list[str]],
) -> None:
    """Imported long after the fact, a participant is overdue since the day after their
    deadline, certified since the day they were, withdrawn since they withdrew; a status
    nothing dates is dated from the day it was first seen."""
    late = ada_file("P-050", "Long Overdue", enrolled_on="2019-01-01")
    gone = ada_file("P-051", "Withdrew", enrolled_on="2025-10-01")
    gone["withdrawn_on"] = "2026-02-03"
    fresh = ada_file("P-052", "Just Started", enrolled_on="2026-06-01")
    done = make_records_file(participant={"id": "P-053", "name": "Done Already",
                                          "timezone": "Europe/London"})
    import_files(late, gone, fresh, done)
    first_seen = StandingRow.objects.get(participant__public_id="P-052").as_of
    refresh_all(now=dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC))
    rows = {row.participant.public_id: row for row in StandingRow.objects.all()}
    assert rows["P-050"].status == "overdue"
    assert rows["P-050"].status_since == rows["P-050"].deadline + dt.timedelta(days=1)
    assert (rows["P-051"].status, rows["P-051"].status_since) == ("withdrawn",
                                                                 dt.date(2026, 2, 3))
    assert rows["P-052"].status == "on_track"
    assert rows["P-052"].status_since == first_seen
    assert rows["P-053"].status == "certified"
    assert rows["P-053"].status_since == rows["P-053"].certified_on


def test_the_hourly_pass_refreshes_only_those_whose_own_date_moved_on(
    import_files: Callable[..., list[str]],
) -> None:
    tokyo = ada_file("P-010", "In Tokyo", enrolled_on="2025-10-01")
    tokyo["participant"]["timezone"] = "Asia/Tokyo"
    london = ada_file("P-011", "In London", enrolled_on="2025-10-01")
    import_files(tokyo, london)
    # Stored as of 1 March; at 16:00 UTC on 1 March it is already 2 March in Tokyo.
    march = dt.datetime(2027, 3, 1, 10, tzinfo=dt.UTC)
    refresh_all(now=march)
    later = dt.datetime(2027, 3, 1, 16, tzinfo=dt.UTC)
    assert refresh_all(now=later, stale_only=True) == 1
    assert StandingRow.objects.get(participant__public_id="P-010").as_of == dt.date(2027, 3, 2)
    assert StandingRow.objects.get(participant__public_id="P-011").as_of == dt.date(2027, 3, 1)


def test_one_hour_is_refreshed_once_however_often_it_is_asked(grace: m.Participant) -> None:
    slot = this_hour(timezone.now())
    assert hourly_pass(slot) is not None
    assert hourly_pass(slot) is None
    assert RefreshRun.objects.filter(slot=slot).count() == 1


def test_the_worker_runs_this_hour_once_and_queues_exactly_one_next_hour(
    grace: m.Participant,
) -> None:
    from pathwise.notifications.background import run_ready_tasks

    start_hourly_refresh()
    start_hourly_refresh()  # a second start (say, a restart) must not fork the chain
    run_ready_tasks()
    now = this_hour(timezone.now())
    assert RefreshRun.objects.get(slot=now).finished_at is not None
    waiting = DBTaskResult.objects.filter(task_path__endswith="refresh_standing_hourly",
                                          status="READY")
    assert [t.args_kwargs["args"] for t in waiting] == [[(now + dt.timedelta(hours=1))
                                                         .isoformat()]]


def test_a_run_published_for_someone_at_risk_reaches_them_at_the_next_pass(
    grace: m.Participant, publish_run: Callable[..., Offering],
) -> None:
    # Runs reach past her deadline, but none of PBK: at risk.
    publish_run("CODE-FAR", "CODE", starts_on=dt.date(2028, 1, 4))
    from pathwise.standing.actions import refresh_standing

    refresh_standing(grace)
    row = StandingRow.objects.get(participant=grace)
    assert row.status == "at_risk"
    publish_run("PBK-A", "PBK", starts_in=30)
    assert StandingRow.objects.get(participant=grace).stale
    refresh_all(stale_only=True)
    row = StandingRow.objects.get(participant=grace)
    assert not row.stale
    assert "PBK course" not in row.reason


def test_holders_of_a_changed_run_stand_anew_in_the_same_transaction(
    grace: m.Participant, publish_run: Callable[..., Offering],
) -> None:
    from pathwise.auditlog.log import Actor
    from pathwise.catalog.actions import cancel_meeting
    from pathwise.enrollment.actions import take_seat

    run = publish_run("PBK-A", "PBK", starts_in=30)
    take_seat(grace, run, Actor("grace"))
    before = StandingRow.objects.get(participant=grace).updated_at
    cancel_meeting(Actor("staff"), run, run.starts_on)
    row = StandingRow.objects.get(participant=grace)
    assert row.updated_at > before
    assert not row.stale
