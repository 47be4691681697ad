"""Bring the database and static files up to this release, once however many servers start.

Every app server runs it before serving (scripts/serve): the first to take the
lock migrates, loads the program definitions and collects static files; the
others wait for it and then find nothing left to do. Finally the hourly
standing refresh is queued (harmless when it already is: one chain runs).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import sync_programs
from pathwise.standing.tasks import start_hourly_refresh

# Any fixed number: it names this lock among the database's advisory locks.
PREPARE_LOCK = 0x7061746877697365  # "pathwise"


@contextmanager
def one_at_a_time() -> Iterator[None]:
    """Hold a PostgreSQL session lock (SQLite has one writer anyway, and one server)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [PREPARE_LOCK])
        try:
            yield
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [PREPARE_LOCK])


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = {"verbosity": 0, "interactive": False}
        with one_at_a_time():
            call_command("migrate", **quiet)
            versions = sync_programs(Actor("prepare"))
            call_command("collectstatic", **quiet)
        start_hourly_refresh()
        self.stdout.write(f"database migrated, {len(versions)} program version(s) loaded, "
                          "static files collected, hourly standing refresh queued")
