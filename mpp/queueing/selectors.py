"""Reads of the queue: free slots, a citizen's bookings, a ticket's place, the display board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.core.errors import NotFound
from mpp.queueing import capacity
from mpp.queueing.models import (
    Booking,
    Counter,
    CrisisMeasure,
    QueueService,
    Slot,
    Ticket,
    TicketStatus,
)
from mpp.queueing.services.desk import call_rank, today

RECENT_SERVICES = 20


def bookable_services() -> QuerySet[QueueService]:
    return (
        QueueService.objects.filter(
            is_bookable=True, service__is_active=True, service__agency__is_active=True
        )
        .select_related("service", "agency")
        .order_by("agency__name", "service__name")
    )


def queue_service_by_slug(slug: str) -> QueueService:
    found = bookable_services().filter(service__slug=slug).first()
    if found is None:
        raise NotFound(_("Layanan tidak ditemukan atau tidak dapat dipesan."))
    return found


def slots_of(service: QueueService, day: dt.date) -> list[Slot]:
    """The day's slots (created when the window is open); empty before it opens."""
    if not capacity.is_window_open(day) or day < timezone.localdate():
        return []
    capacity.ensure_slots(service, day)
    return list(Slot.objects.filter(service=service, date=day).order_by("starts_at"))


def free_slots(service: QueueService, day: dt.date) -> list[Slot]:
    now = timezone.now()
    return [
        s for s in slots_of(service, day) if s.booked < s.capacity and capacity.slot_start(s) > now
    ]


def slot_for(service: QueueService, slot_id: int | str) -> Slot:
    try:
        pk = int(slot_id)
    except (TypeError, ValueError):
        pk = 0
    slot = Slot.objects.select_related("service").filter(pk=pk, service=service).first()
    if slot is None:
        raise NotFound(_("Slot tidak ditemukan."))
    return slot


def bookings_of(user) -> QuerySet[Booking]:
    """The bookings the account made (for itself or as kuasa), soonest first."""
    return (
        Booking.objects.filter(account_id=user.pk)
        .select_related("slot", "service__service", "service__agency")
        .order_by("-date", "-slot__starts_at")
    )


def booking_of(user, code: str) -> Booking:
    booking = bookings_of(user).filter(code=(code or "").strip().upper()).first()
    if booking is None:
        raise NotFound(_("Pesanan tidak ditemukan."))
    return booking


# Where am I in the queue ----------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    ticket: Ticket
    position: int | None  # 1 = next; None when not waiting
    wait_minutes: int | None
    counter_name: str


def average_service_seconds(service: QueueService, day: dt.date) -> float:
    """Mean of the last services finished today, else the configured minutes."""
    recent = list(
        Ticket.objects.filter(service=service, date=day, finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("started_at", "finished_at")[:RECENT_SERVICES]
    )
    spans = [(b - a).total_seconds() for a, b in recent if a and b]
    return sum(spans) / len(spans) if spans else service.service_minutes * 60


def place_of(ticket: Ticket) -> Place:
    """Position and estimated wait: people ahead × mean service time ÷ open counters."""
    counter_name = ticket.counter.name if ticket.counter_id else ""
    if ticket.status != TicketStatus.WAITING:
        return Place(ticket, None, None, counter_name)
    now = timezone.now()
    waiting = Ticket.objects.filter(
        service=ticket.service, date=ticket.date, status=TicketStatus.WAITING
    ).only("pk", "due_at", "priority", "arrived_at")
    ahead = sum(1 for t in waiting if call_rank(t, now) < call_rank(ticket, now))
    open_counters = max(1, ticket.service.counters.filter(is_open=True).count())
    seconds = (ahead + 1) * average_service_seconds(ticket.service, ticket.date) / open_counters
    return Place(ticket, ahead + 1, max(1, round(seconds / 60)), counter_name)


def ticket_by_code(code: str) -> Ticket:
    ticket = (
        Ticket.objects.select_related("service__service", "counter", "agency")
        .filter(code=code)
        .first()
    )
    if ticket is None:
        raise NotFound(_("Tiket tidak ditemukan."))
    return ticket


# The display board ---------------------------------------------------------------------------


def board(agency_id: int | None = None) -> dict:
    """Now serving at each counter and the next numbers per service (4 queries)."""
    day = today()
    now = timezone.now()
    counters = Counter.objects.select_related("agency").order_by("agency__name", "name")
    tickets = Ticket.objects.filter(date=day).select_related("service")
    if agency_id is not None:
        counters = counters.filter(agency_id=agency_id)
        tickets = tickets.filter(agency_id=agency_id)
    current: dict[int, Ticket] = {}
    waiting: list[Ticket] = []
    for t in tickets.filter(status__in=("waiting", "called", "serving")).order_by("called_at"):
        if t.status == TicketStatus.WAITING:
            waiting.append(t)
        elif t.counter_id:
            current[t.counter_id] = t
    rows = []
    for counter in counters:
        t = current.get(counter.pk)
        rows.append(
            {
                "counter": counter.name,
                "agency": counter.agency.short_name,
                "number": t.number if t else None,
                "status": t.status if t else None,
                "called_at": t.called_at.isoformat() if t and t.called_at else None,
                "calls": t.call_count if t else 0,
            }
        )
    by_service: dict[str, list[Ticket]] = {}
    for t in sorted(waiting, key=lambda t: call_rank(t, now)):
        by_service.setdefault(t.service.prefix, []).append(t)
    upcoming = [
        {"prefix": prefix, "numbers": [t.number for t in ts[:3]]}
        for prefix, ts in sorted(by_service.items())
    ]
    return {"counters": rows, "next": upcoming, "at": now.isoformat()}


# Crisis notices ---------------------------------------------------------------------------------


def current_notices() -> list[CrisisMeasure]:
    """Measures in force now or announced for the booking window (shown on every page)."""
    day = today()
    horizon = day + dt.timedelta(days=14)
    return list(
        CrisisMeasure.objects.filter(
            lifted_at__isnull=True, ends_on__gte=day, starts_on__lte=horizon
        ).order_by("starts_on")[:3]
    )


def service_stats_avg(service: QueueService, days: int = 30) -> dict:
    since = today() - dt.timedelta(days=days)
    return service.stats.filter(date__gte=since).aggregate(
        wait=Avg("avg_wait_seconds"), serve=Avg("avg_service_seconds"), no_show=Avg("no_show_rate")
    )
