"""Citizens book, cancel and reschedule visits; the rules against brokers (calo) hold here.

Every rule that must survive concurrency is enforced by the database (ADR 0020):

* capacity: ``UPDATE slot SET booked = booked + 1 WHERE id = ? AND booked < capacity``
  (a row lock serialises competing writers; CHECK booked <= capacity as a backstop);
* N per person per day: the same conditional UPDATE on the person's ``PersonDay`` row;
* one per NIK, service and day: a partial unique constraint on active bookings.

Locks are always taken in the same order (person-day, slot, booking row) so that two
transactions never wait on each other in a cycle.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import Representation
from mpp.accounts.nik import mask_nik
from mpp.accounts.permissions import require_verified_contact
from mpp.accounts.selectors import active_representation_for, citizen_profile_for
from mpp.core.audit import audit, record_event
from mpp.core.calendar import JAKARTA
from mpp.core.errors import NotFound, PermissionDenied
from mpp.core.mail import queue_email
from mpp.queueing import capacity
from mpp.queueing.errors import (
    BookingNotActive,
    CapacityFull,
    DailyLimit,
    NotRepresented,
    OnePerNikPerDay,
    ServiceClosed,
    WindowNotOpen,
)
from mpp.queueing.models import (
    ACTIVE_BOOKING,
    Booking,
    BookingStatus,
    PersonDay,
    QueueService,
    Slot,
)

logger = logging.getLogger(__name__)

ELDERLY_AGE = 60
REMINDER_HOUR = 8  # the reminder goes out at 08:00 Jakarta time the day before


def max_per_day() -> int:
    return int(settings.MPP_QUEUE_MAX_PER_DAY)


# Who comes ------------------------------------------------------------------------------


def _person(actor, for_nik: str | None) -> tuple[str, str, Representation | None, bool]:
    """(nik, name, kuasa, elderly) of the person who will come; refuses strangers' NIKs."""
    profile = citizen_profile_for(actor)
    if profile is None:
        raise PermissionDenied(_("Hanya warga yang terdaftar dengan NIK dapat memesan antrean."))
    for_nik = (for_nik or "").strip()
    if not for_nik or for_nik == profile.nik:
        age = (timezone.localdate() - profile.birth_date).days // 365
        return profile.nik, actor.display_name(), None, age >= ELDERLY_AGE
    representation = active_representation_for(representative=actor, represented_nik=for_nik)
    if representation is None:
        raise NotRepresented(
            _(
                "Anda hanya dapat memesan untuk diri sendiri atau untuk orang yang Anda wakili "
                "dengan surat kuasa yang berlaku. Daftarkan kuasa di Akun saya > Kuasa."
            )
        )
    return representation.represented_nik, representation.represented_name, representation, False


# Checks before any write -------------------------------------------------------------------


def check_window_open(day: dt.date, now: dt.datetime | None = None) -> None:
    """Refuse a day whose booking window has not opened yet, or that is over."""
    now = now or timezone.now()
    opens = capacity.window_opens_at(day)
    if now < opens:
        raise WindowNotOpen(
            _("Pemesanan untuk %(day)s dibuka pada %(when)s.")
            % {
                "day": day.strftime("%d-%m-%Y"),
                "when": opens.astimezone(JAKARTA).strftime("%d-%m-%Y %H.%M WIB"),
            }
        )
    if day < now.astimezone(JAKARTA).date():
        raise WindowNotOpen(_("Tanggal itu sudah lewat; pilih hari lain."))


def _check_slot_open(slot: Slot, now: dt.datetime) -> None:
    check_window_open(slot.date, now)
    if now >= capacity.slot_start(slot):
        raise WindowNotOpen(_("Slot ini sudah dimulai atau lewat; pilih slot lain."))
    if capacity.crisis_percent(slot.service, slot.date) >= 100:
        raise ServiceClosed(_("Layanan ini ditutup sementara pada hari itu; pilih hari lain."))


def _check_not_booked(nik: str, service: QueueService, day: dt.date) -> None:
    if Booking.objects.filter(
        nik=nik, service=service, date=day, status__in=ACTIVE_BOOKING
    ).exists():
        raise _one_per_nik_error(nik)


# Counters held by the database ---------------------------------------------------------------


def _take_person_day(nik: str, day: dt.date) -> None:
    limit = max_per_day()
    PersonDay.objects.get_or_create(nik=nik, date=day, defaults={"limit": limit})
    taken = PersonDay.objects.filter(nik=nik, date=day, active__lt=limit).update(
        active=F("active") + 1, limit=limit
    )
    if not taken:
        raise DailyLimit(
            _(
                "Satu orang paling banyak memegang %(limit)s pesanan aktif per hari (termasuk "
                "pesanan yang dibuat kuasanya). Batalkan pesanan lain pada hari itu bila perlu."
            )
            % {"limit": limit}
        )


def _release_person_day(nik: str, day: dt.date) -> None:
    PersonDay.objects.filter(nik=nik, date=day, active__gt=0).update(active=F("active") - 1)


def _take_seat(slot: Slot) -> None:
    if not Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1):
        raise _capacity_full()


def _capacity_full() -> CapacityFull:
    return CapacityFull(_("Kuota slot ini sudah habis; pilih slot atau hari lain."))


def _release_seat(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _one_per_nik_error(nik: str) -> OnePerNikPerDay:
    return OnePerNikPerDay(
        _(
            "NIK %(nik)s sudah memiliki pesanan aktif untuk layanan ini pada hari itu. "
            "Satu orang hanya boleh memegang satu pesanan per layanan per hari; ubah "
            "jadwal pesanan yang ada bila perlu."
        )
        % {"nik": mask_nik(nik)}
    )


# Services ---------------------------------------------------------------------------------


def booking_create(
    *, actor, slot: Slot, for_nik: str | None = None, priority: bool = False
) -> Booking:
    """Book a slot for the actor or for someone they represent (kuasa)."""
    require_verified_contact(actor)
    nik, name, representation, elderly = _person(actor, for_nik)
    if not Slot.service.is_cached(slot):
        slot = Slot.objects.select_related("service").get(pk=slot.pk)
    now = timezone.now()
    _check_slot_open(slot, now)
    _check_not_booked(nik, slot.service, slot.date)
    if slot.booked >= slot.capacity:
        # Most refusals in a surge: full is full, no transaction needed to say so.
        raise _capacity_full()
    try:
        with transaction.atomic():
            _take_person_day(nik, slot.date)
            _take_seat(slot)
            booking = Booking.objects.create(
                service=slot.service,
                slot=slot,
                date=slot.date,
                account=actor,
                nik=nik,
                name=name,
                representation=representation,
                priority=priority or elderly,
                created_by=actor,
                modified_by=actor,
            )
            _record(actor, booking, "queueing.booking_created", "queue.booking.created")
            _schedule_reminder(booking)
            _send_confirmation(booking, "queueing/email/booking_created")
    except IntegrityError as exc:
        # Only the partial unique constraint can fail here: the counters refuse by UPDATE.
        raise _one_per_nik_error(nik) from exc
    return booking


def _owned(actor, code: str) -> Booking:
    booking = (
        Booking.objects.select_related("slot", "service__service")
        .filter(code=code, account_id=actor.pk)
        .first()
    )
    if booking is None:
        raise NotFound(_("Pesanan tidak ditemukan."))
    return booking


def booking_cancel(*, actor, code: str) -> Booking:
    """Cancel one's own active booking; the place returns to the slot at once."""
    require_verified_contact(actor)
    booking = _owned(actor, code)
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != BookingStatus.ACTIVE:
            raise BookingNotActive(_("Pesanan ini sudah tidak aktif dan tidak dapat dibatalkan."))
        _release_person_day(booking.nik, booking.date)
        _release_seat(booking.slot_id)
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.modified_by = actor
        booking.save(update_fields=["status", "cancelled_at", "modified_by", "modified_at"])
        _record(actor, booking, "queueing.booking_cancelled", "queue.booking.cancelled")
    return booking


def booking_reschedule(*, actor, code: str, slot: Slot) -> Booking:
    """Move one's own booking to another slot of the same service (kept if the new one is full).

    A booking displaced by a crisis measure may be rescheduled too: it becomes active again.
    """
    require_verified_contact(actor)
    booking = _owned(actor, code)
    slot = Slot.objects.select_related("service").get(pk=slot.pk)
    if slot.service_id != booking.service_id:
        raise NotFound(_("Slot tidak ditemukan untuk layanan ini."))
    if booking.status not in (BookingStatus.ACTIVE, BookingStatus.DISPLACED):
        raise BookingNotActive(_("Pesanan ini sudah tidak aktif dan tidak dapat diubah."))
    _check_slot_open(slot, timezone.now())
    if slot.date != booking.date:
        _check_not_booked(booking.nik, slot.service, slot.date)
    try:
        with transaction.atomic():
            booking = Booking.objects.select_for_update().get(pk=booking.pk)
            _move(booking, slot, actor)
            _record(actor, booking, "queueing.booking_rescheduled", "queue.booking.rescheduled")
            _schedule_reminder(booking)
            _send_confirmation(booking, "queueing/email/booking_rescheduled")
    except IntegrityError as exc:
        raise _one_per_nik_error(booking.nik) from exc
    return booking


def _move(booking: Booking, slot: Slot, actor) -> None:
    """Take the new places, then release the old ones (inside the caller's transaction)."""
    was_active = booking.status == BookingStatus.ACTIVE
    if slot.pk == booking.slot_id and was_active:
        return
    if slot.date != booking.date or not was_active:
        _take_person_day(booking.nik, slot.date)
    _take_seat(slot)
    if was_active:
        _release_seat(booking.slot_id)
        if slot.date != booking.date:
            _release_person_day(booking.nik, booking.date)
    booking.slot, booking.date = slot, slot.date
    booking.status = BookingStatus.ACTIVE
    booking.reminded_at = None
    booking.ics_sequence += 1
    booking.modified_by = actor
    booking.save()


def _record(actor, booking: Booking, action: str, event: str) -> None:
    agency_id = booking.service.agency_id
    data = {"code": booking.code, "slot": booking.slot_id, "date": booking.date.isoformat()}
    if booking.representation_id:
        data["representation"] = booking.representation.public_id
    audit(actor=actor, action=action, target=booking, agency_id=agency_id, data=data)
    record_event(type=event, subject=booking.code, agency_id=agency_id, data=data)


# Messages --------------------------------------------------------------------------------------


def _recipient(booking: Booking) -> str:
    return booking.account.email if booking.account.email_verified_at else ""


def _send_confirmation(booking: Booking, template: str, **extra) -> None:
    to = _recipient(booking)
    if not to:
        return
    queue_email(
        to=to,
        template=template,
        context={"booking": booking, "slot": booking.slot, "service": booking.service.service}
        | extra,
        language=booking.account.preferred_language,
    )


def reminder_moment(booking: Booking) -> dt.datetime:
    day_before = booking.date - dt.timedelta(days=1)
    return dt.datetime.combine(day_before, dt.time(REMINDER_HOUR), tzinfo=JAKARTA)


def _schedule_reminder(booking: Booking) -> None:
    from mpp.queueing.tasks import send_booking_reminder

    moment = reminder_moment(booking)
    pk, sequence = booking.pk, booking.ics_sequence

    def _enqueue() -> None:
        task = send_booking_reminder
        if moment > timezone.now():
            if not task.get_backend().supports_defer:
                return  # an immediate backend (tests, development) cannot wait a day
            task = task.using(run_after=moment)
        task.enqueue(pk, sequence)

    transaction.on_commit(_enqueue)


def send_reminder(*, booking_pk: int, sequence: int) -> bool:
    """The worker's half: remind once, only if the booking is still active as scheduled."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .filter(pk=booking_pk, status=BookingStatus.ACTIVE, reminded_at__isnull=True)
            .first()
        )
        if booking is None or booking.ics_sequence != sequence:
            return False
        booking.reminded_at = timezone.now()
        booking.save(update_fields=["reminded_at"])
        _send_confirmation(booking, "queueing/email/booking_reminder")
    return True
