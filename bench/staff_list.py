"""The staff participant list with 5,000 participants, against a trivial view in the same server.

Builds a throwaway SQLite database (in a temporary folder) with 5,000 enrolled
participants and their stored standing, signs a staff member in, then asks, in
turn, through Django's own request handling, for
`/staff/participants/?status=on_track` (the first page, filtered in the
database), for a trivial page (signed in, the site's layout with nothing in
it: what every page of the site costs) and for a bare view that answers "ok".
Prints the median and p95 of each and the number of queries the list makes
with 50 and with 5,000 participants.

    .venv/bin/python bench/staff_list.py [--participants N] [--requests N]

Last line: `ratio: X` = p95 of the list / p95 of the trivial page (target < 2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

import throwaway  # noqa: F401  (Django on a throwaway database, before its imports)
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import sync_programs
from pathwise.catalog.models import ProgramVersion
from pathwise.participants.models import Enrollment, Participant
from pathwise.standing.models import StandingRow

STATUSES = ["on_track", "on_track", "on_track", "certified", "at_risk", "overdue", "withdrawn"]


@login_required
def trivial(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench/trivial/", trivial), path("bench/bare/", bare),
               path("", include("pathwise.site.urls"))]


def fill(count: int, start: int = 0) -> None:
    """Participants, enrollments and stored standings, written in bulk (this is the data,
    not what is measured)."""
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    people = Participant.objects.bulk_create(
        Participant(public_id=f"P-{n:05d}", name=f"Person {n:05d}", timezone="Europe/London",
                    email=f"person{n}@example.org", organization=f"Org {n % 40}",
                    updated_by="bench") for n in range(start, start + count))
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(participant=p, program_version=version, enrolled_on=dt.date(2025, 10, 1),
                   updated_by="bench") for p in people)
    today = timezone.localdate()
    StandingRow.objects.bulk_create(
        StandingRow(participant=e.participant, enrollment=e, status=STATUSES[i % 7],
                    public_id=e.participant.public_id, name=e.participant.name,
                    organization=e.participant.organization or "",
                    timezone=e.participant.timezone,
                    status_since=today, deadline=dt.date(2027, 9, 30), left=["PBK course"],
                    left_count=1, plan_feasible=True, plan_finishes_on=dt.date(2027, 3, 1),
                    next_step="Next: enroll in PBK.", as_of=today)
        for i, e in enumerate(enrollments))


def timed(client: Client, url: str) -> float:
    begin = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - begin
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    sync_programs(Actor("bench"))
    get_user_model().objects.create_user("staff", is_staff=True)
    client = Client()
    client.force_login(get_user_model().objects.get(username="staff"))
    listed = "/staff/participants/?status=on_track"
    with override_settings(ROOT_URLCONF=__name__):
        fill(50)
        few = queries(client, listed)
        fill(args.participants - 50, start=50)
        many = queries(client, listed)
        for _ in range(20):  # warm: templates compiled, connections open
            timed(client, listed)
            timed(client, "/bench/trivial/")
            timed(client, "/bench/bare/")
        page, base, bare_ = [], [], []
        for _ in range(args.requests):
            page.append(timed(client, listed))
            base.append(timed(client, "/bench/trivial/"))
            bare_.append(timed(client, "/bench/bare/"))
    print(f"participants: {args.participants}, requests: {args.requests} each, in turn")
    print(f"queries for the list: {few} with 50 participants, {many} with "
          f"{args.participants}")
    print(f"bare view:    median {statistics.median(bare_) * 1000:.2f} ms, "
          f"p95 {p95(bare_) * 1000:.2f} ms")
    print(f"trivial page: median {statistics.median(base) * 1000:.2f} ms, "
          f"p95 {p95(base) * 1000:.2f} ms")
    print(f"staff list:   median {statistics.median(page) * 1000:.2f} ms, "
          f"p95 {p95(page) * 1000:.2f} ms")
    print(f"the list against the bare view: {p95(page) / p95(bare_):.2f} at p95")
    print(f"ratio: {p95(page) / p95(base):.2f}")


if __name__ == "__main__":
    main()
