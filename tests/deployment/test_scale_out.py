"""Two app servers and two workers on one PostgreSQL database, started by `scripts/serve`
as production starts them: people signing in on one server and taking seats on the other
never oversell a run, each credential is signed once, and the hourly standing refresh
runs once however many processes queued it; each webhook delivery reaches its receiver
once."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import global_settings
from django.db import connection
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.credentials.models import Credential, SignedCopy
from pathwise.credentials.tasks import issue_credentials
from pathwise.enrollment.models import Seat
from pathwise.notifications.models import WebhookAttempt, WebhookDelivery
from pathwise.notifications.webhooks import register_endpoint
from pathwise.participants.actions import give_login, import_records_files
from pathwise.participants.models import Participant
from pathwise.standing.models import RefreshRun
from pathwise.standing.tasks import HOUR, this_hour
from tests.builders import make_records_file
from tests.deployment.servers import Browser, running
from tests.notifications.receiver import serve

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="several processes share one database only on PostgreSQL"),
]
CAPACITY, PEOPLE, SIGNED = 10, 30, 6
PASSWORD = "scale-out-password-1"


@pytest.fixture(autouse=True)
def _production_password_hashing(settings: Any) -> None:
    # The servers check passwords with the production hashers, not the suite's fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


def person(i: int, records: list[dict[str, Any]]) -> tuple[str, str]:
    enrolled = (timezone.now().date() - dt.timedelta(days=40)).isoformat()
    data = make_records_file(records, enrolled_on=enrolled,
                             participant={"id": f"S-{i:03d}", "name": f"Person {i}",
                                          "timezone": "Europe/London"})
    return f"S-{i:03d}.json", json.dumps(data)


def oriented(i: int) -> tuple[str, str]:
    day = (timezone.now().date() - dt.timedelta(days=40)).isoformat()
    return person(i, [{"component": "ORIENT", "date": day, "outcome": "attended"}])


def passed_code(i: int) -> tuple[str, str]:
    day = (timezone.now().date() - dt.timedelta(days=40)).isoformat()
    done = (timezone.now().date() - dt.timedelta(days=2)).isoformat()
    return person(i, [{"component": "ORIENT", "date": day, "outcome": "attended"},
                      {"component": "CODE", "date": done, "outcome": "passed"}])


def wait_for_tasks(site_check: Callable[[], None], timeout: float = 120) -> None:
    """Until every task due now has run (the next hour's refresh waits, as it should)."""
    deadline = time.monotonic() + timeout
    # A task queued to run at once is stored with the latest date there is.
    due = Q(run_after=get_date_max()) | Q(run_after__lte=timezone.now() + dt.timedelta(minutes=5))
    while DBTaskResult.objects.filter(
            due, status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING)).exists():
        site_check()
        assert time.monotonic() < deadline, "the workers did not drain the queue"
        time.sleep(0.3)


def test_two_servers_and_two_workers_share_one_database_without_doing_anything_twice(
    tmp_path: Path,
) -> None:
    receiving = serve()
    receiver = next(receiving)
    register_endpoint(receiver.url, ["seat.enrolled", "seat.waitlisted", "credential.issued"],
                      Actor("test"))
    import_records_files([oriented(i) for i in range(1, PEOPLE + 1)], Actor("test"))
    for p in Participant.objects.all():
        give_login(p, p.public_id.lower(), PASSWORD, Actor("test"))
    starts = timezone.now().date() + dt.timedelta(days=60)
    run = Offering.objects.create(
        code="CODE-SCALE",
        program_version=ProgramVersion.objects.get(program_id="cscce-cm", version="2023"),
        component="CODE", capacity=CAPACITY, starts_on=starts,
        ends_on=starts + dt.timedelta(days=42), meeting_days=["TU", "TH"],
        meeting_time=dt.time(12, 0), meeting_minutes=90, timezone="America/New_York")

    with running(tmp_path, apps=2, workers=2) as site:
        first, second = site.app_urls
        # Each person signs in on one server and asks for a seat on the other, as behind a
        # load balancer without sticky sessions; everyone asks at the same moment.
        browsers = {i: Browser() for i in range(1, PEOPLE + 1)}
        for i, browser in browsers.items():
            browser.sign_in(first if i % 2 else second, f"s-{i:03d}", PASSWORD)
        ready, answers, errors = threading.Barrier(PEOPLE), {}, []

        def ask(i: int) -> None:
            server = second if i % 2 else first
            try:
                ready.wait()
                answers[i] = browsers[i].post_form(f"{server}/catalogue/",
                                                   f"{server}/catalogue/{run.code}/enroll/", {})
            except Exception as exc:  # reported below with the person's number
                errors.append(f"{i}: {exc!r}")

        threads = [threading.Thread(target=ask, args=(i,)) for i in browsers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert errors == [], site.logs()
        assert sorted(status for status, _ in answers.values()) == [200] * PEOPLE

        # Records that earn the CODE badge, each participant's signing asked for twice:
        # two workers race for the same work.
        import_records_files([passed_code(i) for i in range(1, SIGNED + 1)], Actor("test"))
        for p in Participant.objects.filter(public_id__lte=f"S-{SIGNED:03d}"):
            issue_credentials.enqueue(p.pk)
        wait_for_tasks(site.check_alive)

    # One delivery per seat taken and per credential signed, each sent exactly once.
    deliveries = WebhookDelivery.objects.all()
    assert deliveries.count() == PEOPLE + SIGNED
    assert set(deliveries.values_list("status", flat=True)) == {"delivered"}
    assert WebhookAttempt.objects.count() == PEOPLE + SIGNED
    sent = [r.headers["Pathwise-Delivery"] for r in receiver.requests]
    assert sorted(sent) == sorted(str(pk) for pk in deliveries.values_list("pk", flat=True))
    next(receiving, None)

    seats = Seat.objects.filter(offering=run)
    assert seats.filter(status=Seat.ENROLLED).count() == CAPACITY
    waiting = sorted(seats.filter(status=Seat.WAITLISTED).values_list("queue_number", flat=True))
    assert len(waiting) == PEOPLE - CAPACITY
    assert waiting == list(range(CAPACITY + 1, PEOPLE + 1))

    credentials = Credential.objects.filter(achievement="CODE")
    assert credentials.count() == SIGNED
    assert SignedCopy.objects.filter(credential__in=credentials).count() == SIGNED

    # Four processes ran `prepare`, each queueing this hour's refresh: it ran once, and
    # exactly one next hour waits in the queue. When the test runs across the turn of an
    # hour, the workers also ran the new hour's refresh (once) and queued the one after.
    hour = this_hour(timezone.now())
    slots = list(RefreshRun.objects.filter(slot__gte=hour - HOUR, finished_at__isnull=False)
                 .order_by("slot").values_list("slot", flat=True))
    assert slots in ([hour], [hour - HOUR], [hour - HOUR, hour])
    following = (slots[-1] + HOUR).isoformat()
    queued = DBTaskResult.objects.filter(task_path__endswith="refresh_standing_hourly",
                                         status=TaskResultStatus.READY)
    assert [r.args_kwargs["args"] for r in queued] == [[following]]
