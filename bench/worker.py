"""The worker draining 5,000 queued signings, against signing the same 5,000 directly.

On PostgreSQL: creates a throwaway database next to DATABASE_URL's, with 5,000
participants who have each just earned one badge (a passed CODE course). The
baseline signs them in this process by calling the signing action directly
(`pathwise.credentials.actions.issue_earned`, one participant after another).
Then the credentials are deleted, two `pathwise manage db_worker` processes
are started on the same database, the 5,000 signings are queued in one
transaction as an import queues them (`issue_credentials`, `CHUNK` participants
a task), and the time from that commit until no signing is left is the
worker's (each signing also queues its "badge issued" e-mail, as the direct
ones do; the workers send those after the signings, untimed). The bench checks
every participant holds exactly one credential with one signed copy, and that
no task failed. `--contrast` also times one task per
participant (how an import queued them before).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb .venv/bin/python bench/worker.py

Last line: `ratio: X` = the two workers' time / the direct signing's (target < 2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FOLDER = tempfile.mkdtemp(prefix="pathwise-bench-")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
os.environ["PATHWISE_DATA_DIR"] = FOLDER
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ["DEBUG"] = "false"
os.environ["DJANGO_SETTINGS_MODULE"] = "pathwise.site.settings"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django

django.setup()
# ruff: noqa: E402  (Django is set up from the environment above before its imports)

from django.db import connection, connections, transaction
from django.db.models import Count
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import library, sync_programs
from pathwise.catalog.models import ProgramVersion
from pathwise.core.credentials.issuer import prepare_signing
from pathwise.credentials.actions import issue_earned, issuer_settings
from pathwise.credentials.models import Credential, SignedCopy
from pathwise.credentials.tasks import CHUNK, issue_credentials
from pathwise.notifications.background import enqueue
from pathwise.participants.models import CompletionRecord, Enrollment, Participant


def fill(count: int) -> list[Participant]:
    """Participants who passed CODE last month (written in bulk: data, not measured)."""
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    today = timezone.now().date()
    people = Participant.objects.bulk_create(
        Participant(public_id=f"P-{n:05d}", name=f"Person {n:05d}", timezone="Europe/London",
                    email=f"person{n}@example.org", updated_by="bench") for n in range(count))
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(participant=p, program_version=version,
                   enrolled_on=today - dt.timedelta(days=200), updated_by="bench")
        for p in people)
    CompletionRecord.objects.bulk_create(
        CompletionRecord(enrollment=e, position=0, component="CODE", outcome="passed",
                         date=today - dt.timedelta(days=30), created_by="bench")
        for e in enrollments)
    return people


def forget_credentials() -> None:
    SignedCopy.objects.all().delete()
    Credential.objects.all().delete()
    DBTaskResult.objects.all().delete()
    # So that the next phase does not read past the rows just deleted.
    with connection.cursor() as cursor:
        for model in (SignedCopy, Credential, DBTaskResult):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


SIGNINGS = DBTaskResult.objects.filter(task_path=issue_credentials.module_path)


def check_each_signed_once(people: list[Participant]) -> None:
    held = dict(Credential.objects.values_list("participant_id").annotate(n=Count("id")))
    assert all(held.get(p.pk) == 1 for p in people), "a participant without exactly one"
    assert SignedCopy.objects.count() == len(people), "a credential signed twice"
    # Each signing also queues its "badge issued" e-mail, sent later: only a failure counts.
    failed = DBTaskResult.objects.filter(status="FAILED").first()
    assert failed is None, f"a task failed: {failed.traceback if failed else ''}"
    assert not SIGNINGS.filter(status__in=("READY", "RUNNING")).exists(), "a signing is left"


def drained(workers: list[subprocess.Popen[bytes]], chunk: int, people: list[Participant],
            limit: float) -> float:
    """Queue the signings, `chunk` participants a task; seconds until none is left."""
    with transaction.atomic():
        for start in range(0, len(people), chunk):
            enqueue(issue_credentials, *(p.pk for p in people[start:start + chunk]))
    began = time.perf_counter()
    # The signings, not the e-mails they queue (sent after them: the queue is first in,
    # first out), are what is timed.
    while SIGNINGS.filter(status__in=("READY", "RUNNING")).exists():
        if any(w.poll() is not None for w in workers):
            raise SystemExit("a worker stopped")
        if time.perf_counter() - began > limit:
            raise SystemExit("the queue was not drained in time")
        time.sleep(0.02)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=5_000)
    parser.add_argument("--contrast", action="store_true",
                        help="also time one task per participant")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/worker.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    old_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        sync_programs(Actor("bench"))
        people = fill(args.participants)
        prepare_signing(library(), issuer_settings())
        began = time.perf_counter()
        now = timezone.now()
        for person in people:
            issue_earned(person, now)
        direct = time.perf_counter() - began
        check_each_signed_once(people)
        forget_credentials()

        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
        env = {**os.environ, "DATABASE_URL": url}
        workers = [subprocess.Popen(  # noqa: S603 (our own command)
            [str(ROOT / ".venv/bin/pathwise"), "manage", "db_worker", "--interval", "0.1",
             "--no-startup-delay", "--worker-id", f"bench-{n}"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for n in range(2)]
        time.sleep(6)  # both started and signing prepared, polling an empty queue
        chunked = drained(workers, CHUNK, people, limit=direct * 10)
        check_each_signed_once(people)
        single = None
        if args.contrast:
            forget_credentials()
            single = drained(workers, 1, people, limit=direct * 10)
            check_each_signed_once(people)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    n = args.participants
    print(f"participants: {n}, one credential each; PostgreSQL, two worker processes")
    print(f"signing directly (issue_earned):  {direct:6.2f} s ({direct / n * 1e3:.2f} ms each)")
    print(f"two workers, {CHUNK} a task:         {chunked:6.2f} s "
          f"({chunked / n * 1e3:.2f} ms each)")
    if single is not None:
        print(f"two workers, one a task:          {single:6.2f} s "
              f"({single / n * 1e3:.2f} ms each)")
    print(f"ratio: {chunked / direct:.2f}")


if __name__ == "__main__":
    main()
