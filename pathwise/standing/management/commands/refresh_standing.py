"""Recompute where participants stand, now; or start the hourly refresh in the worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pathwise.standing.actions import refresh_all
from pathwise.standing.tasks import start_hourly_refresh


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schedule", action="store_true",
                            help="enqueue the hourly refresh for the worker (db_worker) instead")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            start_hourly_refresh()
            self.stdout.write("the hourly standing refresh is queued for the worker")
            return
        self.stdout.write(f"refreshed the standing of {refresh_all()} participant(s)")
