"""Builders for tests and the benchmark: opening hours, a queued service with counters."""

import datetime as dt

from mpp.catalog.testing import make_service
from mpp.queueing.models import Counter, OpeningHours, QueueService

WEEKDAYS = range(5)


def make_hours(
    opens: str = "08:00", closes: str = "16:00", break_: tuple[str, str] | None = ("12:00", "13:00")
) -> None:
    """Monday to Friday with the given hours (and a break)."""
    t = dt.time.fromisoformat
    for weekday in WEEKDAYS:
        OpeningHours.objects.update_or_create(
            weekday=weekday,
            defaults={
                "opens_at": t(opens),
                "closes_at": t(closes),
                "break_starts_at": t(break_[0]) if break_ else None,
                "break_ends_at": t(break_[1]) if break_ else None,
            },
        )


def make_queue_service(
    *,
    agency,
    prefix: str = "A",
    counters: int = 1,
    service_minutes: int = 30,
    slot_minutes: int = 30,
    online_percent: int = 100,
    **service_fields,
) -> QueueService:
    """A catalog service queued at the mall with `counters` counters of its agency."""
    service = make_service(agency=agency, **service_fields)
    queue_service = QueueService.objects.create(
        service=service,
        agency=agency,
        prefix=prefix,
        service_minutes=service_minutes,
        slot_minutes=slot_minutes,
        online_percent=online_percent,
    )
    existing = Counter.objects.filter(agency=agency).count()
    for n in range(counters):
        counter = Counter.objects.create(agency=agency, name=f"Loket {prefix}{existing + n + 1}")
        counter.services.add(queue_service)
    return queue_service
