"""Issue credentials for participants whose records changed, every few seconds."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pathwise.credentials.actions import issue_earned
from pathwise.credentials.queue import process_pending


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="handle what waits, then stop")
        parser.add_argument("--interval", type=float, default=5.0,
                            help="seconds between looks at the queue (default 5)")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            handled = process_pending(issue_earned)
            if handled:
                self.stdout.write(f"handled {handled} issuing request(s)")
            if options["once"]:
                return
            time.sleep(options["interval"])
