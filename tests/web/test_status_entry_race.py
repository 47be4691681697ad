"""Re-issuing several credentials with one key at the same moment, on PostgreSQL.

Each new copy takes the next free entry of its key's status list. The first
test shows the race: reading the last entry and writing the next collide. The
second shows that the action, which retries past a taken entry, gives every
copy its own entry and loses none.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.db.models import Max
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.credentials.actions import reissue
from pathwise.credentials.models import Credential, SignedCopy
from pathwise.notifications.background import run_ready_tasks
from tests.builders import make_records_file

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="real concurrency needs PostgreSQL"),
]


@pytest.fixture
def credentials(import_files: Callable[..., list[str]], settings: Any,
                tmp_path: Path) -> list[Credential]:
    settings.DATA_DIR = tmp_path
    import_files(make_records_file())
    run_ready_tasks()
    issued = list(Credential.objects.all())
    assert len(issued) == 4
    return issued


def run_together(credentials: list[Credential],
                 act: Callable[[Credential], object]) -> list[str]:
    """Each credential is acted on at once from its own thread and connection."""
    start = threading.Barrier(len(credentials))
    errors: list[str] = []

    def worker(credential: Credential) -> None:
        try:
            start.wait()
            act(credential)
        except Exception as exc:
            errors.append(f"{credential.achievement}: {exc!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(c,)) for c in credentials]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


def naive_copy(credential: Credential) -> None:
    """A new copy at the next entry, without retrying past one taken meanwhile."""
    key = credential.signed_with
    with transaction.atomic():
        last = SignedCopy.objects.filter(signed_with=key).aggregate(n=Max("status_index"))["n"]
        time.sleep(0.05)  # the time it takes to sign
        SignedCopy.objects.create(credential=credential, signed_with=key,
                                  status_index=last + 1, document="{}",
                                  signed_at=timezone.now(), signed_by="naive")


def test_without_retrying_concurrent_copies_collide_on_one_entry(
    credentials: list[Credential],
) -> None:
    errors = run_together(credentials, naive_copy)
    assert errors
    assert all("one_copy_per_status_entry" in e for e in errors), errors


def test_concurrent_reissues_each_get_their_own_entry(credentials: list[Credential]) -> None:
    errors = run_together(credentials, lambda c: reissue(c, Actor("sam"), timezone.now()))
    assert errors == []
    entries = list(SignedCopy.objects.values_list("signed_with", "status_index"))
    assert len(entries) == 8
    assert len(set(entries)) == 8
    assert sorted(index for _, index in entries) == list(range(8))
    for credential in credentials:
        assert credential.copies.count() == 2
