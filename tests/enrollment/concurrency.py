"""Run calls at the same moment, each from its own thread and database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def at_once(calls: dict[str, Callable[[], object]]) -> list[str]:
    """Start every call together; returns the errors, each named by its call's key."""
    start = threading.Barrier(len(calls))
    errors: list[str] = []

    def worker(name: str, call: Callable[[], object]) -> None:
        try:
            start.wait()
            call()
        except Exception as exc:
            errors.append(f"{name}: {exc!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=item) for item in calls.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors
