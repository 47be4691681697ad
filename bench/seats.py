"""The seat race on PostgreSQL: many people ask for the last seats of a run at once.

Creates a throwaway database next to DATABASE_URL's (default the local `test`
database), fills a 25-seat run to 22, then lets 50 threads ask for a seat at
the same moment through `take_seat`. For contrast the same race is run without
the row lock. Prints requests, seats, enrolled, waitlisted and lost for both,
and the time per request.

    .venv/bin/python bench/seats.py [--requests N] [--capacity N] [--taken N]

Last line: `ratio: X` = enrolled / capacity under the lock (1.00 means the run
was filled exactly and never oversold).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import threading
import time
from collections.abc import Callable

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathwise.site.settings")

import django

django.setup()

from django.db import connection, connections, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from pathwise.auditlog.log import Actor  # noqa: E402
from pathwise.catalog.actions import sync_programs  # noqa: E402
from pathwise.catalog.models import Offering, ProgramVersion  # noqa: E402
from pathwise.enrollment.actions import take_seat  # noqa: E402
from pathwise.enrollment.models import Seat  # noqa: E402
from pathwise.participants.models import Participant  # noqa: E402


def race(people: list[Participant], ask: Callable[[Participant], object]) -> tuple[float, int]:
    start = threading.Barrier(len(people))
    failures = [0]
    lock = threading.Lock()

    def worker(person: Participant) -> None:
        try:
            start.wait()
            ask(person)
        except Exception:
            with lock:
                failures[0] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(p,)) for p in people]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - began, failures[0]


def naive_take(person: Participant, run: Offering) -> None:
    with transaction.atomic():
        taken = Seat.objects.filter(offering=run, status=Seat.ENROLLED).count()
        time.sleep(0.005)
        status = Seat.ENROLLED if taken < run.capacity else Seat.WAITLISTED
        # Unique by construction, so that only the seat count can go wrong.
        Seat.objects.create(offering=run, participant=person, status=status,
                            queue_number=1_000_000 + person.pk,
                            created_by="naive", updated_by="naive")


def scenario(code: str, version: ProgramVersion, args: argparse.Namespace,
             ask: Callable[[Participant, Offering], object]) -> dict[str, float]:
    run = Offering.objects.create(
        code=code, program_version=version, component="CODE", capacity=args.capacity,
        starts_on=dt.date(2027, 1, 26), ends_on=dt.date(2027, 3, 16), meeting_days=["TU"],
        meeting_time=dt.time(12), meeting_minutes=90, timezone="America/New_York")

    def person(prefix: str, i: int) -> Participant:
        return Participant.objects.create(public_id=f"{code}-{prefix}{i}", name=f"P {i}",
                                          timezone="UTC", updated_by="bench")
    for i in range(args.taken):
        Seat.objects.create(offering=run, participant=person("E", i), status=Seat.ENROLLED,
                            queue_number=i + 1, created_by="bench", updated_by="bench")
    people = [person("R", i) for i in range(args.requests)]
    elapsed, failed = race(people, lambda p: ask(p, run))
    asked = {p.pk for p in people}
    seats = Seat.objects.filter(offering=run)
    enrolled = seats.filter(status=Seat.ENROLLED).count()
    waitlisted = seats.filter(status=Seat.WAITLISTED).count()
    holders = {s.participant_id for s in seats if s.participant_id in asked}
    return {"requests": args.requests, "seats": args.capacity, "seats left": args.capacity -
            args.taken, "enrolled": enrolled, "waitlisted": waitlisted,
            "lost": len(asked - holders) + failed, "ms per request": elapsed * 1000 /
            args.requests}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=25)
    parser.add_argument("--taken", type=int, default=22)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/seats.py needs PostgreSQL: set DATABASE_URL=postgres://…")

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        sync_programs(Actor("bench"))
        version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
        locked = scenario("LOCKED", version, args,
                          lambda p, run: take_seat(p, run, Actor("bench")))
        naive = scenario("NAIVE", version, args, naive_take)
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    for label, result in (("with the row lock (take_seat)", locked),
                          ("without it (naive, for contrast)", naive)):
        figures = ", ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}"
                            for k, v in result.items())
        print(f"{label}: {figures}")
    print(f"ratio: {locked['enrolled'] / args.capacity:.2f}")


if __name__ == "__main__":
    main()
