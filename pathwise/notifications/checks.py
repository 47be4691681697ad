"""The outbox's promise needs the database backend: refuse to start with another."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend


def tasks_are_stored_in_the_database(**kwargs: Any) -> list[checks.CheckMessage]:
    # Actions enqueue inside their transaction. Only a backend that stores the
    # task in that same transaction drops it with a rollback and keeps it
    # through a crash; an immediate backend would run it before the commit.
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if isinstance(backend, DatabaseBackend):
        return []
    return [checks.Error(
        f"TASKS['default'] is {type(backend).__name__}: Pathwise enqueues tasks "
        "inside the transaction of the change they follow, which needs "
        "django_tasks_db.DatabaseBackend",
        id="pathwise.E001")]
