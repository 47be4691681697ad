"""The REST API through `scripts/serve` on PostgreSQL: a participant's standing through the
API against the same through their progress page, and fifty clients taking seats at once.

Makes a fresh PostgreSQL database (`BENCH_DATABASE_URL`, default
postgres://postgres@127.0.0.1:5432/pathwise_bench_api, dropped and created anew), with
50 participants who may take a CODE run of 25 seats, each with a login and a write token.
Starts two `scripts/serve --app-only` servers (as behind a load balancer) and then:

1. asks, in turn, `GET /api/v1/participants/S-001/standing/` (bearer token) and
   `GET /participants/S-001/` (the page, signed in) `--requests` times each, over real
   HTTP, and prints the median and p95 of each;
2. has the 50 participants `POST /api/v1/seats/` at the same moment, half on each
   server, and counts the seats: 25 enrolled, 25 waitlisted, 0 oversold.

    .venv/bin/python bench/api.py [--requests N]

Last line: `ratio: X` = p95 of the standing through the API / p95 of the page (target ≤ 1:
the API reads the same stored standing without rendering a page).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = os.environ.get("BENCH_DATABASE_URL",
                          "postgres://postgres@127.0.0.1:5432/pathwise_bench_api")
FOLDER = Path(tempfile.mkdtemp(prefix="pathwise-bench-api-"))
os.environ["DATABASE_URL"] = DATABASE
os.environ["PATHWISE_DATA_DIR"] = str(FOLDER)
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ["DJANGO_SETTINGS_MODULE"] = "pathwise.site.settings"
sys.path.insert(0, str(ROOT))

import psycopg

url = urllib.parse.urlparse(DATABASE)
with psycopg.connect(DATABASE.replace(url.path, "/postgres"), autocommit=True) as admin:
    admin.execute(f'DROP DATABASE IF EXISTS "{url.path[1:]}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{url.path[1:]}"')

import django

django.setup()
# ruff: noqa: E402, S310  (Django is set up from the environment above; our own http:// servers)

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.utils import timezone

from pathwise.api.actions import create_token
from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.enrollment.models import Seat
from pathwise.participants.actions import give_login, import_records_files
from pathwise.participants.models import Participant
from tests.deployment.servers import Browser, Site

PEOPLE, CAPACITY = 50, 25
PASSWORD = "bench-password-1"  # noqa: S105  (a throwaway database's logins)


def seed() -> dict[str, str]:
    """The participants, their logins and tokens, and a run of 25 seats; tokens by id."""
    call_command("migrate", verbosity=0)
    actor = Actor("bench")
    oriented = (timezone.now().date() - dt.timedelta(days=40)).isoformat()
    files = [(f"S-{i:03d}.json", json.dumps({
        "program": "cscce-cm", "program_version": "2023", "enrolled_on": oriented,
        "deadline_extended_to": None,
        "participant": {"id": f"S-{i:03d}", "name": f"Person {i}", "timezone": "Europe/London"},
        "records": [{"component": "ORIENT", "date": oriented, "outcome": "attended"}],
    })) for i in range(1, PEOPLE + 1)]
    import_records_files(files, actor)
    tokens = {}
    hashed = make_password(PASSWORD)  # once: the production hasher is slow on purpose
    for p in Participant.objects.all():
        give_login(p, p.public_id.lower(), PASSWORD, actor, hashed=hashed)
        p.refresh_from_db()
        tokens[p.public_id] = create_token(p.user, "write", actor)[1]
    starts = timezone.now().date() + dt.timedelta(days=60)
    Offering.objects.create(
        code="CODE-BENCH", program_version=ProgramVersion.objects.get(program_id="cscce-cm"),
        component="CODE", capacity=CAPACITY, starts_on=starts,
        ends_on=starts + dt.timedelta(days=42), meeting_days=["TU", "TH"],
        meeting_time=dt.time(12, 0), meeting_minutes=90, timezone="America/New_York")
    return tokens


def timed_get(opener: urllib.request.OpenerDirector, request: urllib.request.Request) -> float:
    start = time.perf_counter()
    with opener.open(request, timeout=60) as response:
        response.read()
        assert response.status == 200
    return time.perf_counter() - start


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def take_seats(servers: list[str], tokens: dict[str, str]) -> tuple[float, list[int]]:
    ready, statuses, errors = threading.Barrier(len(tokens)), [], []

    def take(i: int, token: str) -> None:
        request = urllib.request.Request(
            f"{servers[i % 2]}/api/v1/seats/", method="POST",
            data=json.dumps({"offering": "CODE-BENCH"}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            ready.wait()
            with urllib.request.urlopen(request, timeout=120) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
        except Exception as exc:  # reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=take, args=(i, t)) for i, t in enumerate(tokens.values())]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return time.perf_counter() - start, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    tokens = seed()
    site = Site(FOLDER)
    try:
        servers = [site.app(processes=2), site.app(processes=2)]
        site.wait_until_serving()
        page = Browser()
        page.sign_in(servers[0], "s-001", PASSWORD)
        api = urllib.request.build_opener()
        standing = urllib.request.Request(
            f"{servers[0]}/api/v1/participants/S-001/standing/",
            headers={"Authorization": f"Bearer {tokens['S-001']}"})
        progress = urllib.request.Request(f"{servers[0]}/participants/S-001/")
        for _ in range(20):  # every process warmed up
            timed_get(api, standing)
            timed_get(page.opener, progress)
        through_api, through_page = [], []
        for _ in range(args.requests):
            through_api.append(timed_get(api, standing))
            through_page.append(timed_get(page.opener, progress))

        took, statuses = take_seats(servers, tokens)
    finally:
        site.stop()
    enrolled = Seat.objects.filter(offering__code="CODE-BENCH", status=Seat.ENROLLED).count()
    waiting = Seat.objects.filter(offering__code="CODE-BENCH", status=Seat.WAITLISTED).count()
    ms = 1000
    print(f"standing through the API: median {statistics.median(through_api) * ms:.1f} ms, "
          f"p95 {p95(through_api) * ms:.1f} ms ({args.requests} requests)")
    print(f"the progress page:        median {statistics.median(through_page) * ms:.1f} ms, "
          f"p95 {p95(through_page) * ms:.1f} ms")
    print(f"{PEOPLE} clients taking {CAPACITY} seats at once on two servers: {took:.2f} s, "
          f"answers {sorted(set(statuses))}; enrolled {enrolled}, waitlisted {waiting}, "
          f"oversold {max(0, enrolled - CAPACITY)}")
    assert enrolled == CAPACITY
    assert waiting == PEOPLE - CAPACITY
    print(f"ratio: {p95(through_api) / p95(through_page):.2f}")


if __name__ == "__main__":
    main()
