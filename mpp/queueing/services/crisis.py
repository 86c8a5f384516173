"""The crisis switch of the MPP manager: reduce capacity, close walk-ins, close a service.

Bookings above a reduced capacity are never silently dropped (ADR 0024): the newest bookings
of an over-full slot are moved to the first free slot of the same service outside the
measure (the holder is told and may change or cancel it); when there is none the booking is
marked "displaced", its place is released, and the holder is asked to choose another slot.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.agencies.permissions import require_mpp_manager
from mpp.core.audit import audit, record_event
from mpp.core.cache import bump
from mpp.core.errors import ValidationFailed
from mpp.queueing import capacity
from mpp.queueing.errors import CapacityFull, DailyLimit
from mpp.queueing.models import (
    Booking,
    BookingStatus,
    CrisisKind,
    CrisisMeasure,
    QueueService,
    Slot,
)
from mpp.queueing.services import booking as booking_services


def _validate(kind: str, percent: int, starts_on: dt.date, ends_on: dt.date, notice: str) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in CrisisKind.values:
        errors["kind"] = [_("Pilih jenis tindakan.")]
    if kind == CrisisKind.REDUCE_CAPACITY and not 1 <= percent <= 100:
        errors["percent"] = [_("Pengurangan antara 1 dan 100 persen.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("Tanggal akhir tidak boleh sebelum tanggal mulai.")]
    if not notice.strip():
        errors["notice"] = [_("Tulis pengumuman untuk warga.")]
    if errors:
        raise ValidationFailed(errors=errors)


def crisis_declare(
    *,
    actor,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    notice: str,
    service: QueueService | None = None,
    percent: int = 0,
) -> CrisisMeasure:
    """Put a measure in force; affected bookings are moved or displaced, holders told."""
    require_mpp_manager(actor)
    _validate(kind, percent, starts_on, ends_on, notice)
    with transaction.atomic():
        measure = CrisisMeasure.objects.create(
            kind=kind,
            service=service,
            percent=100 if kind == CrisisKind.CLOSE_SERVICE else percent,
            starts_on=starts_on,
            ends_on=ends_on,
            notice=notice.strip(),
            created_by=actor,
            modified_by=actor,
        )
        data = {
            "kind": kind,
            "percent": measure.percent,
            "from": str(starts_on),
            "to": str(ends_on),
        }
        audit(actor=actor, action="queueing.crisis_declared", target=measure, data=data)
        record_event(
            type="queue.crisis.declared", subject=measure.public_id, agency_id=None, data=data
        )
        if kind != CrisisKind.CLOSE_WALK_IN:
            _apply_capacity(measure, actor)
        bump("catalog")  # the notice shows on every (cached) public page
    return measure


def crisis_lift(*, actor, measure: CrisisMeasure) -> CrisisMeasure:
    """End a measure early; slot capacities return to what the remaining measures allow."""
    require_mpp_manager(actor)
    with transaction.atomic():
        measure.lifted_at = timezone.now()
        measure.modified_by = actor
        measure.save(update_fields=["lifted_at", "modified_by", "modified_at"])
        audit(actor=actor, action="queueing.crisis_lifted", target=measure)
        for slot in _affected_slots(measure):
            slot.capacity = capacity.reduced(
                slot.base_capacity, capacity.crisis_percent(slot.service, slot.date)
            )
            slot.save(update_fields=["capacity"])
        bump("catalog")
    return measure


def _affected_slots(measure: CrisisMeasure):
    slots = Slot.objects.select_related("service").filter(
        date__range=(measure.starts_on, measure.ends_on)
    )
    if measure.service_id:
        slots = slots.filter(service_id=measure.service_id)
    return slots.select_for_update().order_by("date", "starts_at", "pk")


def _apply_capacity(measure: CrisisMeasure, actor) -> None:
    for slot in _affected_slots(measure):
        new_capacity = capacity.reduced(
            slot.base_capacity, capacity.crisis_percent(slot.service, slot.date)
        )
        over = slot.booked - new_capacity
        if over > 0:
            newest = (
                Booking.objects.filter(slot=slot, status=BookingStatus.ACTIVE)
                .select_related("account", "service__service", "slot")
                .order_by("-created_at", "-pk")[:over]
            )
            for booking in newest:
                _rehome(booking, measure, actor)
        slot.refresh_from_db(fields=["booked"])
        slot.capacity = max(new_capacity, slot.booked)
        slot.save(update_fields=["capacity"])


def _alternatives(booking: Booking, measure: CrisisMeasure):
    """Free slots outside the measure, nearest day to the original first (later on a tie)."""
    now = timezone.now()
    days = [
        d
        for d in capacity.bookable_days(now)
        if not measure.starts_on <= d <= measure.ends_on and d != booking.date
    ]
    days.sort(key=lambda d: (abs((d - booking.date).days), d < booking.date))
    for day in days:
        capacity.ensure_slots(booking.service, day)
        for slot in Slot.objects.filter(service=booking.service, date=day).order_by("starts_at"):
            if slot.booked < slot.capacity and capacity.slot_start(slot) > now:
                yield slot


def _rehome(booking: Booking, measure: CrisisMeasure, actor) -> None:
    old_slot = booking.slot
    for slot in _alternatives(booking, measure):
        try:
            with transaction.atomic():
                booking_services._move(booking, slot, actor)
        except (CapacityFull, DailyLimit, IntegrityError):
            # Full meanwhile, or the person already holds a booking on that day: try on.
            booking.refresh_from_db()
            continue
        _tell(booking, measure, old_slot, moved=True, actor=actor)
        return
    booking_services._release_seat(booking.slot_id)
    booking_services._release_person_day(booking.nik, booking.date)
    booking.status = BookingStatus.DISPLACED
    booking.modified_by = actor
    booking.save(update_fields=["status", "modified_by", "modified_at"])
    _tell(booking, measure, old_slot, moved=False, actor=actor)


def _tell(booking: Booking, measure: CrisisMeasure, old_slot: Slot, *, moved: bool, actor) -> None:
    action = "queueing.booking_moved_by_crisis" if moved else "queueing.booking_displaced"
    data = {"code": booking.code, "measure": measure.public_id, "from_slot": old_slot.pk}
    audit(
        actor=actor, action=action, target=booking, agency_id=booking.service.agency_id, data=data
    )
    record_event(
        type="queue.booking.displaced" if not moved else "queue.booking.moved",
        subject=booking.code,
        agency_id=booking.service.agency_id,
        data=data,
    )
    booking_services._send_confirmation(
        booking,
        "queueing/email/booking_crisis",
        measure=measure,
        old_slot=old_slot,
        moved=moved,
    )
