"""Queue statistics per service and day, stored for the dashboards (insights reads them)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from mpp.queueing.models import Booking, BookingStatus, QueueDayStats, QueueService, Ticket


def _mean_seconds(pairs: list[tuple[dt.datetime | None, dt.datetime | None]]) -> int | None:
    spans = [(b - a).total_seconds() for a, b in pairs if a and b and b >= a]
    return round(sum(spans) / len(spans)) if spans else None


def stats_for(service: QueueService, day: dt.date) -> dict:
    tickets = list(
        Ticket.objects.filter(service=service, date=day).values_list(
            "status", "arrived_at", "called_at", "started_at", "finished_at", "due_at", "booking_id"
        )
    )
    bookings = Booking.objects.filter(service=service, date=day).exclude(
        status__in=(BookingStatus.CANCELLED, BookingStatus.DISPLACED)
    )
    no_show_bookings = bookings.filter(status=BookingStatus.NO_SHOW).count()
    # A booking's no-show is counted once, on the booking; walk-ins on their ticket.
    walk_ins = [t for t in tickets if t[6] is None]
    no_show_tickets = sum(1 for t in walk_ins if t[0] == "no_show")
    expected = bookings.count() + len(walk_ins)
    # Wait: from arrival (or the slot time, when the visitor came early) until called.
    waits = [(max(t[1], t[5]) if t[5] else t[1], t[2]) for t in tickets]
    no_shows = no_show_bookings + no_show_tickets
    return {
        "tickets": len(tickets),
        "served": sum(1 for t in tickets if t[0] == "done"),
        "no_shows": no_shows,
        "bookings": bookings.count(),
        "avg_wait_seconds": _mean_seconds(waits),
        "avg_service_seconds": _mean_seconds([(t[3], t[4]) for t in tickets]),
        "no_show_rate": round(no_shows / expected, 4) if expected else None,
    }


@transaction.atomic
def compute_day_stats(*, day: dt.date) -> int:
    """Store (or refresh) the figures of every queued service on the day."""
    count = 0
    for service in QueueService.objects.all():
        QueueDayStats.objects.update_or_create(
            service=service,
            date=day,
            defaults={**stats_for(service, day), "computed_at": timezone.now()},
        )
        count += 1
    return count
