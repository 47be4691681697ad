"""`db_worker`, as django-tasks-db runs it, after preparing signing in this process.

Signing credentials is the worker's job; preparing it first (`prepare_signing`)
means the first credential a worker signs costs what any other does.
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from pathwise.catalog.actions import library
from pathwise.core.credentials.issuer import prepare_signing
from pathwise.credentials.actions import issuer_settings


class Command(WorkerCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        prepare_signing(library(), issuer_settings())
        super().handle(*args, **options)
