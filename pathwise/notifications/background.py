"""Background work: Django's Tasks framework, stored in the database by django-tasks-db.

An action that needs a side effect (an e-mail, signing a credential, a webhook)
calls `enqueue` inside its own transaction. The database backend writes the
task's row in that transaction, so the task exists exactly when the change
does: a rolled-back change leaves none, a committed one is never lost, and the
worker (`pathwise manage db_worker`) can only see it after the commit. A
broker-backed backend (RQ on Redis, say) knows nothing of the transaction, so
`enqueue` hands it the task once the transaction has committed instead. A task
that fails therefore never turns the committed action into an error.

Django's framework does not retry; `retried` does, here and nowhere else. Every
attempt is a task result of its own, so a failed one keeps its error and
traceback, and `failing` reads what keeps failing for the staff page.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, Task, TaskResultStatus, task
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

ATTEMPT = "attempt"  # the keyword each retry carries its number in
type Row = DBTaskResult[Any, Any]


def retried[**P, R](func: Callable[P, R]) -> Task[P, R]:
    """Make `func` a task that, when it raises, is tried again later.

    The first retry waits `TASK_RETRY_SECONDS`, each later one twice as long
    as the one before, up to `TASK_ATTEMPTS` attempts in all; after the last
    the failure stays on record (and on the staff page) instead of vanishing.
    """
    if ATTEMPT in inspect.signature(func).parameters:
        raise TypeError(f"{func.__qualname__}: {ATTEMPT!r} is the retry count's keyword")

    def run(*args: Any, attempt: int = 1, **kwargs: Any) -> R:
        try:
            return func(*args, **kwargs)
        except Exception:
            if attempt < settings.TASK_ATTEMPTS:
                wait = dt.timedelta(seconds=settings.TASK_RETRY_SECONDS * 2 ** (attempt - 1))
                enqueue(background.using(run_after=timezone.now() + wait),
                        *args, **{**kwargs, ATTEMPT: attempt + 1})
            raise

    # The worker finds a task by its function's dotted path, which must name the task.
    run.__module__, run.__qualname__ = func.__module__, func.__qualname__
    run.__name__, run.__doc__ = func.__name__, func.__doc__
    background: Task[..., R] = task(run)
    return cast("Task[P, R]", background)


def enqueue[**P](work: Task[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
    """Queue `work` as part of the change being made (see the module's docstring)."""
    if isinstance(work.get_backend(), DatabaseBackend):
        work.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: work.enqueue(*args, **kwargs), robust=True)


def run_ready_tasks() -> None:
    """Run every task that is due, in this process, exactly as `db_worker --batch` does."""
    Worker(queue_names=["*"], excluded_queue_names=[], interval=0, batch=True,
           backend_name=DEFAULT_TASK_BACKEND_ALIAS, startup_delay=False, max_tasks=None,
           worker_id=f"inline-{get_random_string(12)}").run()


@dataclass(frozen=True)
class Failing:
    """One piece of background work that failed and has not succeeded since."""

    task: str
    arguments: str
    attempts: int  # failed attempts since it last succeeded
    error: str  # the last one's exception, as its traceback ends
    failed_at: dt.datetime
    next_attempt_at: dt.datetime | None  # None: no attempt is left, it gave up


def failing() -> list[Failing]:
    """Work whose attempts since its last success include a failure, latest failure first.

    The same task with the same arguments is the same work, whichever attempt
    (or later request for it) ran.
    """
    failed = DBTaskResult.objects.failed()
    oldest = failed.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    if oldest is None:
        return []
    rows = (DBTaskResult.objects
            .filter(enqueued_at__gte=oldest,
                    task_path__in=failed.values_list("task_path", flat=True).distinct())
            .defer("traceback", "return_value").order_by("enqueued_at"))
    since_success: dict[str, list[Row]] = {}
    for row in rows:
        key, _ = _work(row)
        if row.status == TaskResultStatus.SUCCESSFUL:
            since_success.pop(key, None)
        else:
            since_success.setdefault(key, []).append(row)
    found = []
    for attempts in since_success.values():
        failures = [r for r in attempts if r.status == TaskResultStatus.FAILED]
        if not failures:
            continue
        waiting = [_due(r) for r in attempts if r.status != TaskResultStatus.FAILED]
        last = failures[-1]
        found.append(Failing(
            task=last.task_path.rpartition(".")[2], arguments=_work(last)[1],
            attempts=len(failures),
            error=last.traceback.strip().splitlines()[-1] if last.traceback else
            last.exception_class_path, failed_at=last.finished_at or last.enqueued_at,
            next_attempt_at=min(waiting) if waiting else None))
    return sorted(found, key=lambda f: f.failed_at, reverse=True)


def _due(row: Row) -> dt.datetime:
    # A task enqueued without `run_after` is stored with the latest date there is.
    due: dt.datetime = row.enqueued_at if row.run_after == get_date_max() else row.run_after
    return due


def _work(row: Row) -> tuple[str, str]:
    """What the row does (its task and arguments, whichever attempt it is), and how to show it."""
    args = row.args_kwargs["args"]
    kwargs = {k: v for k, v in row.args_kwargs["kwargs"].items() if k != ATTEMPT}
    key = json.dumps([row.task_path, args, kwargs], sort_keys=True)
    shown = [_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in sorted(kwargs.items())]
    return key, ", ".join(shown)


def _short(value: object, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else f"{text[:limit - 1]}…"
