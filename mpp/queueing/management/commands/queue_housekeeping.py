"""Run from cron or a timer every few minutes: late bookings become no-shows, and the day's
queue statistics are stored (today so far, and yesterday in full)."""

import datetime as dt

from django.core.management.base import BaseCommand

from mpp.queueing.services.desk import expire_late_bookings, today
from mpp.queueing.services.stats import compute_day_stats


class Command(BaseCommand):
    help = "Mark missed bookings as no-shows and store queue statistics."

    def handle(self, *args, **options) -> None:
        expired = expire_late_bookings()
        day = today()
        rows = compute_day_stats(day=day) + compute_day_stats(day=day - dt.timedelta(days=1))
        self.stdout.write(f"no-shows: {expired}, statistics rows: {rows}")
