"""The plan page against the progress page, over a 2,000-offering catalogue in twelve zones.

Builds a throwaway SQLite database (in a temporary folder) with the catalogue of
`bench/plan.py` (2,000 runs in twelve zones, some full, some private; its first
day tomorrow) and a dozen participants, one per zone, each signed in with their
own client, at different stages and with different availability. Then asks, in
turn, through Django's own request handling, for each one's `/plan/` and their
progress page (`/participants/<id>/`), many times. Both pages read where the
participant stands (`pathwise.standing.read.standing_of`: records, seats, the
catalogue, the plan). For contrast, the plan page is also timed with the kept
catalogue forgotten before each request (read from the database and prepared
again, as every request did before).

    .venv/bin/python bench/plan_page.py [--requests N]

Last line: `ratio: X` = p95 of the plan page / p95 of the progress page (target < 2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import statistics
import time
from typing import Any

import throwaway  # noqa: F401  (Django on a throwaway database, before its imports)
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from plan import AS_OF, AVAILABILITY, INTAKES, ZONES_12, catalogue, participant
from timing import percentile

from pathwise.auditlog.log import Actor
from pathwise.catalog import read
from pathwise.catalog.actions import sync_programs
from pathwise.catalog.models import Intake, Offering, ProgramVersion
from pathwise.participants.actions import give_login, import_records_files
from pathwise.participants.models import Participant

ISO_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")


def shifted(value: Any, days: int) -> Any:
    """The generated data with every date moved by `days` (it is generated for 2025)."""
    if isinstance(value, dict):
        return {k: shifted(v, days) for k, v in value.items()}
    if isinstance(value, list):
        return [shifted(v, days) for v in value]
    if isinstance(value, str) and ISO_DAY.match(value):
        return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()
    return value


def fill(rng: random.Random, days: int) -> list[str]:
    """The catalogue as rows (written in bulk: this is the data, not what is measured)
    and a dozen participants through the import action; their ids."""
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    program = version.program
    starts = {"2025-01": 0, "2025-09": 240, "2026-01": 365, "2026-09": 605}
    intakes = {code: Intake.objects.create(
        code=code, program_version=version,
        starts_on=dt.date(2025, 1, 2) + dt.timedelta(days=starts[code] + days))
        for code in INTAKES}
    runs = shifted(catalogue(rng, program, size=2_000, zones=ZONES_12), days)["offerings"]
    Offering.objects.bulk_create(
        Offering(code=o["id"], program_version=version, component=o["component"],
                 intake=intakes.get(o.get("intake") or ""),
                 starts_on=dt.date.fromisoformat(o["starts_on"]),
                 ends_on=dt.date.fromisoformat(o["ends_on"]),
                 capacity=40 if o["seats_left"] is None else o["seats_left"],
                 private_to=o.get("private_to") or "",
                 meeting_days=o["meetings"]["days"],
                 meeting_time=dt.time.fromisoformat(o["meetings"]["time"]),
                 meeting_minutes=o["meetings"]["minutes"],
                 timezone=o["meetings"]["timezone"]) for o in runs)
    ids = []
    for n, zone in enumerate(ZONES_12):
        person = shifted(participant(rng, n, [zone], AVAILABILITY), days)
        person["participant"]["email"] = f"p{n}@example.org"
        import_records_files([(f"{n}.json", json.dumps(person))], Actor("bench"))
        public_id = person["participant"]["id"]
        give_login(Participant.objects.get(public_id=public_id), f"p{n}", "bench-password-1",
                   Actor("bench"))
        ids.append(public_id)
    return ids


def timed(client: Client, url: str) -> float:
    begin = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - begin
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="of each page")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)  # the pages name them
    sync_programs(Actor("bench"))
    tomorrow = timezone.now().date() + dt.timedelta(days=1)
    ids = fill(random.Random(42), (tomorrow - dt.date(2025, 1, 2)).days)
    clients = []
    for n, public_id in enumerate(ids):
        client = Client()
        assert client.post("/login/", {"username": f"p{n}", "password": "bench-password-1"}
                           ).status_code == 302
        clients.append((client, public_id))
    for client, public_id in clients:  # warm: templates compiled, the catalogue read
        timed(client, "/plan/")
        timed(client, f"/participants/{public_id}/")
    plans, progress, unkept = [], [], []
    for n in range(args.requests):
        client, public_id = clients[n % len(clients)]
        plans.append(timed(client, "/plan/"))
        progress.append(timed(client, f"/participants/{public_id}/"))
        if n % 5 == 0:  # slow: a fifth as many
            read._KEPT.clear()
            unkept.append(timed(client, "/plan/"))
    feasible = sum('data-feasible="yes"' in c.get("/plan/").content.decode() for c, _ in clients)
    print(f"catalogue: {Offering.objects.count()} runs in {len(ZONES_12)} zones; "
          f"{len(ids)} participants ({feasible} with a feasible plan), "
          f"{args.requests} requests of each page in turn (as of {AS_OF} moved to today)")
    for label, samples in (("progress page", progress), ("plan page", plans),
                           ("plan page, catalogue not kept", unkept)):
        print(f"{label + ':':31} median {statistics.median(samples) * 1e3:6.2f} ms, "
              f"p95 {percentile(samples, 95) * 1e3:6.2f} ms ({len(samples)})")
    print(f"ratio: {percentile(plans, 95) / percentile(progress, 95):.2f}")


if __name__ == "__main__":
    main()
