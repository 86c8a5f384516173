import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mpp.accounts.models import Representation
from mpp.accounts.testing import make_citizen
from mpp.core.errors import NotFound, PermissionDenied
from mpp.core.models import AuditRecord, DomainEvent
from mpp.queueing import errors
from mpp.queueing.models import Booking, BookingStatus, PersonDay, Slot
from mpp.queueing.selectors import free_slots, slots_of
from mpp.queueing.services.booking import booking_cancel, booking_create, booking_reschedule
from mpp.queueing.testing import make_queue_service

from .conftest import MONDAY

pytestmark = pytest.mark.usefixtures("clock")


def first_slot(service, day=MONDAY, n=0) -> Slot:
    return slots_of(service, day)[n]


def test_a_verified_citizen_books_a_slot(qservice, citizen_a):
    slot = first_slot(qservice)
    booking = booking_create(actor=citizen_a, slot=slot)
    slot.refresh_from_db()
    assert slot.booked == 1 == slot.capacity
    assert booking.nik == "3573010101900001" and booking.status == BookingStatus.ACTIVE
    assert len(booking.code) == 10 and booking.code.isalnum()
    assert AuditRecord.objects.filter(action="queueing.booking_created").count() == 1
    assert DomainEvent.objects.filter(type="queue.booking.created").count() == 1
    assert PersonDay.objects.get(nik=booking.nik, date=MONDAY).active == 1


def test_unverified_and_anonymous_may_not_book(qservice, make_user):
    from django.contrib.auth.models import AnonymousUser

    unverified = make_citizen(make_user, "belum", "3573010101900009", verified=False)
    for actor in (unverified, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            booking_create(actor=actor, slot=first_slot(qservice))
    assert not Booking.objects.exists()


def test_an_officer_without_nik_may_not_book(qservice, admin_a):
    admin_a.email_verified_at = admin_a.date_joined
    admin_a.save()
    with pytest.raises(PermissionDenied, match="NIK"):
        booking_create(actor=admin_a, slot=first_slot(qservice))


def test_a_full_slot_refuses_with_capacity_full(qservice, citizen_a, citizen_b):
    slot = first_slot(qservice)
    booking_create(actor=citizen_a, slot=slot)
    with pytest.raises(errors.CapacityFull) as info:
        booking_create(actor=citizen_b, slot=slot)
    assert info.value.type == "capacity-full"
    assert "habis" in info.value.detail
    assert Booking.objects.count() == 1
    assert not PersonDay.objects.filter(nik="3573014101900002", active__gt=0).exists()


def test_one_active_booking_per_nik_service_and_day(qservice, citizen_a):
    booking_create(actor=citizen_a, slot=first_slot(qservice, n=0))
    with pytest.raises(errors.OnePerNikPerDay) as info:
        booking_create(actor=citizen_a, slot=first_slot(qservice, n=1))
    assert info.value.type == "one-per-nik-per-day"
    assert "3573••••••••0001" in info.value.detail
    # Another day is fine.
    booking_create(actor=citizen_a, slot=first_slot(qservice, day=MONDAY + dt.timedelta(days=1)))


def test_the_database_refuses_a_second_active_booking_even_without_the_check(qservice, citizen_a):
    from django.db import IntegrityError, transaction

    first = booking_create(actor=citizen_a, slot=first_slot(qservice, n=0))
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            service=qservice,
            slot=first_slot(qservice, n=1),
            date=MONDAY,
            account=citizen_a,
            nik=first.nik,
            name="x",
        )


def test_at_most_n_bookings_per_person_per_day(hours, agency_a, citizen_a, settings):
    settings.MPP_QUEUE_MAX_PER_DAY = 2
    services = [make_queue_service(agency=agency_a, prefix=p) for p in "BCD"]
    booking_create(actor=citizen_a, slot=first_slot(services[0]))
    booking_create(actor=citizen_a, slot=first_slot(services[1]))
    with pytest.raises(errors.DailyLimit) as info:
        booking_create(actor=citizen_a, slot=first_slot(services[2]))
    assert info.value.type == "daily-limit" and "2" in info.value.detail
    assert first_slot(services[2]).booked == 0
    # Cancelling one frees a place in the limit.
    booking_cancel(actor=citizen_a, code=Booking.objects.first().code)
    booking_create(actor=citizen_a, slot=first_slot(services[2]))


def _kuasa(representative, nik, name="Ibu Sumi"):
    return Representation.objects.create(
        representative=representative,
        represented_nik=nik,
        represented_name=name,
        relationship="parent",
        power_of_attorney="kuasa/x.pdf",
        power_of_attorney_type="application/pdf",
        valid_from=dt.date(2026, 11, 1),
        valid_until=dt.date(2027, 1, 31),
    )


def test_a_kuasa_booking_counts_against_the_represented_person(
    hours, agency_a, citizen_a, citizen_b, settings
):
    settings.MPP_QUEUE_MAX_PER_DAY = 1
    one, two = (make_queue_service(agency=agency_a, prefix=p) for p in "BC")
    _kuasa(citizen_a, citizen_b.citizen.nik, "Siti")
    booking = booking_create(actor=citizen_a, slot=first_slot(one), for_nik=citizen_b.citizen.nik)
    assert (booking.nik, booking.name, booking.account) == (
        citizen_b.citizen.nik,
        "Siti",
        citizen_a,
    )
    assert booking.representation is not None
    # Siti's own booking that day hits her limit, although she made none herself.
    with pytest.raises(errors.DailyLimit):
        booking_create(actor=citizen_b, slot=first_slot(two))
    # The representative's own limit is untouched.
    booking_create(actor=citizen_a, slot=first_slot(two))


def test_booking_for_a_stranger_is_refused(qservice, citizen_a):
    with pytest.raises(errors.NotRepresented) as info:
        booking_create(actor=citizen_a, slot=first_slot(qservice), for_nik="3573014101900002")
    assert info.value.type == "not-represented"
    revoked = _kuasa(citizen_a, "3573014101900002")
    revoked.revoked_at = revoked.created_at
    revoked.save()
    with pytest.raises(errors.NotRepresented):
        booking_create(actor=citizen_a, slot=first_slot(qservice), for_nik="3573014101900002")


def test_the_window_is_not_open_yet(qservice, citizen_a):
    day = dt.date(2026, 12, 9)  # opens Wednesday 2 December 00:00
    assert slots_of(qservice, day) == []
    from mpp.queueing.capacity import ensure_slots

    ensure_slots(qservice, day)
    slot = Slot.objects.filter(service=qservice, date=day).first()
    with pytest.raises(errors.WindowNotOpen) as info:
        booking_create(actor=citizen_a, slot=slot)
    assert info.value.type == "window-not-open"
    assert "02-12-2026 00.00 WIB" in info.value.detail


def test_a_slot_that_started_cannot_be_booked(qservice, citizen_a):
    today = dt.date(2026, 12, 1)
    slots = slots_of(qservice, today)
    started = [s for s in slots if s.starts_at <= dt.time(10, 0)]
    with pytest.raises(errors.WindowNotOpen):
        booking_create(actor=citizen_a, slot=started[-1])
    assert all(s.starts_at > dt.time(10, 0) for s in free_slots(qservice, today))


def test_cancel_returns_the_place(qservice, citizen_a, citizen_b):
    slot = first_slot(qservice)
    booking = booking_create(actor=citizen_a, slot=slot)
    with pytest.raises(NotFound):
        booking_cancel(actor=citizen_b, code=booking.code)  # not theirs
    booking_cancel(actor=citizen_a, code=booking.code)
    slot.refresh_from_db()
    assert slot.booked == 0
    with pytest.raises(errors.BookingNotActive):
        booking_cancel(actor=citizen_a, code=booking.code)  # replay
    booking_create(actor=citizen_b, slot=slot)


def test_reschedule_moves_the_place_and_keeps_the_code(qservice, citizen_a, citizen_b):
    old, new = first_slot(qservice, n=0), first_slot(qservice, n=1)
    booking = booking_create(actor=citizen_a, slot=old)
    moved = booking_reschedule(actor=citizen_a, code=booking.code, slot=new)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (moved.code, moved.slot_id, old.booked, new.booked) == (booking.code, new.pk, 0, 1)
    assert moved.ics_sequence == 1
    # Full target: the booking stays where it is.
    other = booking_create(actor=citizen_b, slot=old)
    with pytest.raises(errors.CapacityFull):
        booking_reschedule(actor=citizen_b, code=other.code, slot=new)
    other.refresh_from_db()
    assert other.slot_id == old.pk


def test_reschedule_to_another_day_moves_the_daily_count(qservice, citizen_a):
    booking = booking_create(actor=citizen_a, slot=first_slot(qservice))
    tuesday = MONDAY + dt.timedelta(days=1)
    booking_reschedule(actor=citizen_a, code=booking.code, slot=first_slot(qservice, day=tuesday))
    assert PersonDay.objects.get(nik=booking.nik, date=MONDAY).active == 0
    assert PersonDay.objects.get(nik=booking.nik, date=tuesday).active == 1


def test_reschedule_to_another_service_is_refused(hours, agency_a, qservice, citizen_a):
    other = make_queue_service(agency=agency_a, prefix="Z")
    booking = booking_create(actor=citizen_a, slot=first_slot(qservice))
    with pytest.raises(NotFound):
        booking_reschedule(actor=citizen_a, code=booking.code, slot=first_slot(other))


def test_counters_cannot_go_over_capacity_in_the_database(qservice):
    from django.db import IntegrityError, transaction

    slot = first_slot(qservice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=slot.capacity + 1)


def test_elderly_citizens_are_priority(qservice, make_user):
    from mpp.accounts.models import CitizenProfile

    elder = make_citizen(make_user, "kakek", "3573010101500003")
    CitizenProfile.objects.filter(user=elder).update(birth_date=dt.date(1950, 1, 1))
    assert booking_create(actor=elder, slot=first_slot(qservice)).priority is True


def test_invalid_hours_are_refused(manager):
    from mpp.queueing.services.setup import opening_hours_set

    with pytest.raises(Exception) as info:
        opening_hours_set(actor=manager, weekday=0, opens_at=dt.time(9), closes_at=dt.time(8))
    assert "closes_at" in info.value.errors
    assert not isinstance(info.value, ValidationError)
