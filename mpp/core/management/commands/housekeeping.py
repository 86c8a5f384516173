"""Periodic work the task queue cannot schedule by itself, in one command.

`bin/serve` runs it every MPP_HOUSEKEEPING_SECONDS beside the worker; elsewhere run it from
cron or a systemd timer. Each job is a management command named in MPP_HOUSEKEEPING_JOBS;
a failing job is reported and the others still run.
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from mpp.core import notify


class Command(BaseCommand):
    help = "Run the periodic jobs once (or for ever with --every SECONDS)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args, every: int, **options) -> None:
        while True:
            self.run_once()
            if every <= 0:
                return
            time.sleep(every)

    def run_once(self) -> None:
        sent = notify.retry_due()
        self.stdout.write(f"notifications retried: {sent}")
        for job in getattr(settings, "MPP_HOUSEKEEPING_JOBS", []):
            try:
                call_command(job, stdout=self.stdout, stderr=self.stderr)
            except Exception as exc:  # one failing job must not stop the others
                self.stderr.write(f"{job} failed: {type(exc).__name__}: {exc}")
