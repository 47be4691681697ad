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
from tests.builders import ada_file

pytestmark = pytest.mark.django_db(transaction=True)  # the worker runs after real commits


def test_a_status_changes_when_the_date_passes_the_deadline(grace: m.Participant) -> None:
    assert StandingRow.objects.get(participant=grace).status == "on_track"
    after = dt.datetime(2027, 10, 2, 12, tzinfo=dt.UTC)  # her deadline was 2027-09-30
    assert refresh_all(now=after, stale_only=True) == 1
    row = StandingRow.objects.get(participant=grace)
    assert row.status == "overdue"
    assert row.status_since == dt.date(2027, 10, 2)
    assert row.as_of == dt.date(2027, 10, 2)


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
