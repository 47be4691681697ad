"""A participant is told once when their stored standing becomes at risk or overdue: on
the change, by whichever refresh finds it, and never again while it stays so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from pathwise.catalog.models import Offering
from pathwise.notifications.background import run_ready_tasks
from pathwise.notifications.models import OutboxMessage
from pathwise.participants import models as m
from pathwise.standing.actions import refresh_all, refresh_standing
from pathwise.standing.models import StandingRow
from tests.builders import ada_file
from tests.notifications import refusing_mail

pytestmark = pytest.mark.django_db(transaction=True)  # the worker runs after real commits


@pytest.fixture
def grace_mailed(grace: m.Participant) -> m.Participant:
    m.Participant.objects.filter(pk=grace.pk).update(email="grace@example.org")
    grace.refresh_from_db()
    run_ready_tasks()
    mail.outbox.clear()
    OutboxMessage.objects.all().delete()
    return grace


def warnings() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind="standing.at_risk").order_by("id"))


def test_becoming_at_risk_is_told_once_with_the_reason_and_the_next_step(
    grace_mailed: m.Participant, publish_run: Callable[..., Offering],
) -> None:
    assert StandingRow.objects.get(participant=grace_mailed).status == "on_track"
    # Runs reach past her deadline, but none of PBK: at risk.
    publish_run("CODE-FAR", "CODE", starts_on=dt.date(2028, 1, 4))
    row = refresh_standing(grace_mailed)
    assert row is not None
    assert row.status == "at_risk"
    [message] = warnings()
    assert (message.participant, message.to) == (grace_mailed, "grace@example.org")
    assert message.subject == "Your standing: At risk"
    assert row.reason in message.body
    assert row.next_step in message.body
    assert "/participants/P-002/" in message.body
    refresh_standing(grace_mailed)
    refresh_all(stale_only=True)
    refresh_all()
    assert len(warnings()) == 1  # the same status, refreshed again: not news
    run_ready_tasks()
    assert [e.subject for e in mail.outbox] == ["Your standing: At risk"]


def test_the_hourly_pass_tells_of_a_deadline_passed_once(
    grace_mailed: m.Participant,
) -> None:
    after = dt.datetime(2027, 10, 2, 12, tzinfo=dt.UTC)  # her deadline was 2027-09-30
    refresh_all(now=after, stale_only=True)
    assert StandingRow.objects.get(participant=grace_mailed).status == "overdue"
    [message] = warnings()
    assert message.subject == "Your standing: Overdue"
    assert message.to == "grace@example.org"
    refresh_all(now=after + dt.timedelta(days=1), stale_only=True)
    refresh_all(now=after + dt.timedelta(days=2))
    assert len(warnings()) == 1


def test_a_mail_server_that_is_down_does_not_undo_the_new_standing(
    grace_mailed: m.Participant, settings: Any,
) -> None:
    settings.MAILERS = refusing_mail.SETTING
    after = dt.datetime(2027, 10, 2, 12, tzinfo=dt.UTC)
    refresh_all(now=after, stale_only=True)
    run_ready_tasks()
    assert StandingRow.objects.get(participant=grace_mailed).status == "overdue"
    [message] = warnings()
    assert message.state == "failing"
    assert mail.outbox == []


def test_a_first_standing_is_no_change_and_tells_nobody(
    import_files: Callable[..., list[str]],
) -> None:
    late = ada_file("P-030", "Long Overdue", enrolled_on="2019-01-01")
    late["participant"]["email"] = "late@example.org"
    import_files(late)
    assert StandingRow.objects.get(participant__public_id="P-030").status == "overdue"
    assert warnings() == []
