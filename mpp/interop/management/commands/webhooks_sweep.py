"""Recovery sweep for webhooks: run it every few minutes from cron or a systemd timer.

- Events whose `publish_event` never finished (a worker killed mid-task leaves its task
  RUNNING for ever) are published again after --republish-after minutes (fan-out is
  idempotent, so nothing is sent twice because of this).
- Due deliveries, and deliveries whose lease ran out, are sent.
- Idempotency records past their TTL are deleted.
"""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from mpp.core.models import DomainEvent
from mpp.core.tasks import publish_event
from mpp.interop import idempotency, outbox
from mpp.interop.models import IdempotencyRecord


class Command(BaseCommand):
    help = "Republish stuck events, send due webhook deliveries, purge old idempotency keys."

    def add_arguments(self, parser):
        parser.add_argument("--republish-after", type=int, default=10, help="minutes")
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, republish_after: int, limit: int, **options):
        cutoff = timezone.now() - dt.timedelta(minutes=republish_after)
        stuck = list(
            DomainEvent.objects.filter(published_at__isnull=True, occurred_at__lt=cutoff)
            .order_by("id")
            .values_list("pk", flat=True)[:limit]
        )
        for pk in stuck:
            publish_event.call(pk)
        sent = outbox.run_due(budget=limit)
        purged, _ = IdempotencyRecord.objects.filter(
            created_at__lt=timezone.now() - idempotency.ttl()
        ).delete()
        self.stdout.write(f"republished {len(stuck)}, sent {sent}, purged {purged}")
