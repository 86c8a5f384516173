"""Opening minutes, daily capacity, the booking window and the slots of a day.

Daily capacity of a service = counters serving it × open minutes ÷ minutes per visit, split
into an online quota (online_percent) and a walk-in quota (the rest). The online quota is
spread over the day's slots in proportion to their length, so the slots add up exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from mpp.core.calendar import JAKARTA, is_working_day
from mpp.queueing.models import CrisisKind, CrisisMeasure, OpeningHours, QueueService, Slot


@dataclass(frozen=True)
class DayCapacity:
    counters: int
    open_minutes: int
    total: int
    online: int
    walk_in: int


def open_intervals(day: dt.date) -> list[tuple[dt.time, dt.time]]:
    """The day's open periods (breaks removed); empty on a closed weekday or a holiday."""
    hours = OpeningHours.objects.filter(weekday=day.weekday()).first()
    if hours is None or not is_working_day(day):
        return []
    if hours.break_starts_at is None:
        return [(hours.opens_at, hours.closes_at)]
    return [(hours.opens_at, hours.break_starts_at), (hours.break_ends_at, hours.closes_at)]


def _minutes(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def counters_serving(service: QueueService) -> int:
    return service.counters.count()


def day_capacity(service: QueueService, day: dt.date) -> DayCapacity:
    """Capacity of the service on the day before any crisis reduction."""
    counters = counters_serving(service)
    minutes = sum(_minutes(a, b) for a, b in open_intervals(day))
    total = counters * minutes // service.service_minutes
    online = total * service.online_percent // 100 if service.is_bookable else 0
    return DayCapacity(counters, minutes, total, online, total - online)


def _slot_bounds(day: dt.date, length: int) -> list[tuple[dt.time, dt.time]]:
    bounds = []
    for start, end in open_intervals(day):
        cursor = dt.datetime.combine(day, start)
        stop = dt.datetime.combine(day, end)
        while cursor < stop:
            nxt = min(cursor + dt.timedelta(minutes=length), stop)
            bounds.append((cursor.time(), nxt.time()))
            cursor = nxt
    return bounds


def planned_slots(service: QueueService, day: dt.date) -> list[tuple[dt.time, dt.time, int]]:
    """(start, end, online capacity) of each slot; capacities add up to the online quota."""
    counters = counters_serving(service)
    if not service.is_bookable or counters == 0:
        return []
    result, cumulative, given = [], 0, 0
    for start, end in _slot_bounds(day, service.slot_minutes):
        cumulative += counters * _minutes(start, end)
        target = (cumulative // service.service_minutes) * service.online_percent // 100
        result.append((start, end, target - given))
        given = target
    return result


def active_measures(day: dt.date, service: QueueService | None = None):
    """Crisis measures in force on the day (for the service, or for every service)."""
    qs = CrisisMeasure.objects.filter(lifted_at__isnull=True, starts_on__lte=day, ends_on__gte=day)
    if service is not None:
        qs = qs.filter(Q(service__isnull=True) | Q(service=service))
    return qs


def reduced(capacity: int, percent: int) -> int:
    return capacity * (100 - percent) // 100


def crisis_percent(service: QueueService, day: dt.date) -> int:
    """The largest capacity reduction in force (100 when the service is closed)."""
    percent = 0
    for measure in active_measures(day, service):
        if measure.kind == CrisisKind.CLOSE_SERVICE:
            return 100
        if measure.kind == CrisisKind.REDUCE_CAPACITY:
            percent = max(percent, measure.percent)
    return percent


def ensure_slots(service: QueueService, day: dt.date) -> None:
    """Create the day's slots once (idempotent, safe when two processes race)."""
    if Slot.objects.filter(service=service, date=day).exists():
        return
    percent = crisis_percent(service, day)
    Slot.objects.bulk_create(
        [
            Slot(
                service=service,
                date=day,
                starts_at=start,
                ends_at=end,
                capacity=reduced(cap, percent),
                base_capacity=cap,
            )
            for start, end, cap in planned_slots(service, day)
        ],
        ignore_conflicts=True,
    )


def window_opens_at(day: dt.date) -> dt.datetime:
    """When slots of the day can first be booked (e.g. 00:00 seven days before)."""
    hour, minute = (int(x) for x in settings.MPP_QUEUE_WINDOW_OPENS_AT.split(":"))
    opening_day = day - dt.timedelta(days=settings.MPP_QUEUE_WINDOW_DAYS)
    return dt.datetime.combine(opening_day, dt.time(hour, minute), tzinfo=JAKARTA)


def slot_start(slot: Slot) -> dt.datetime:
    return dt.datetime.combine(slot.date, slot.starts_at, tzinfo=JAKARTA)


def slot_end(slot: Slot) -> dt.datetime:
    return dt.datetime.combine(slot.date, slot.ends_at, tzinfo=JAKARTA)


def is_window_open(day: dt.date, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return window_opens_at(day) <= now


def bookable_days(now: dt.datetime | None = None) -> list[dt.date]:
    """Days whose window is open now and that are not over, in order."""
    now = now or timezone.now()
    today = now.astimezone(JAKARTA).date()
    days = [today + dt.timedelta(days=n) for n in range(settings.MPP_QUEUE_WINDOW_DAYS + 1)]
    return [d for d in days if is_window_open(d, now) and open_intervals(d)]
