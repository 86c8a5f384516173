"""Demo queues (idempotent): Monday–Friday hours, and two counters for the first services
of a few demo agencies, so that /antrean/ has something to book after seed_demo."""

import datetime as dt

from django.core.management.base import BaseCommand

from mpp.catalog.models import Service
from mpp.queueing.models import Counter, OpeningHours, QueueService

AGENCIES = ("dispendukcapil", "polresta-malang-kota", "bapenda", "disnaker-pmptsp")
SERVICES_PER_AGENCY = 3


class Command(BaseCommand):
    help = "Create demo opening hours, queued services and counters (safe to run again)."

    def handle(self, *args, **options) -> None:
        t = dt.time
        for weekday in range(5):
            closes = t(14, 30) if weekday == 4 else t(15, 0)
            OpeningHours.objects.get_or_create(
                weekday=weekday,
                defaults={
                    "opens_at": t(8, 0),
                    "closes_at": closes,
                    "break_starts_at": t(12, 0),
                    "break_ends_at": t(13, 0),
                },
            )
        prefixes = iter("ABCDEFGHJKLMNPRSTUVW")
        queued = 0
        for slug in AGENCIES:
            services = Service.objects.filter(agency__slug=slug, is_active=True).order_by("name")
            for index, service in enumerate(services[:SERVICES_PER_AGENCY]):
                prefix = next(prefixes)
                queue_service, created = QueueService.objects.get_or_create(
                    service=service,
                    defaults={"agency_id": service.agency_id, "prefix": prefix},
                )
                queued += created
                counter, _ = Counter.objects.get_or_create(
                    agency_id=service.agency_id, name=f"Loket {index + 1}"
                )
                counter.services.add(queue_service)
        self.stdout.write(f"queued services created: {queued}")
