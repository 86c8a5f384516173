import datetime as dt

import pytest
import time_machine

from mpp.core.calendar import JAKARTA
from mpp.core.errors import NotFound, PermissionDenied
from mpp.queueing import errors
from mpp.queueing.models import Booking, BookingStatus, Counter, Ticket, TicketStatus
from mpp.queueing.selectors import place_of, slots_of
from mpp.queueing.services import desk
from mpp.queueing.services.booking import booking_create
from mpp.queueing.testing import make_queue_service

from .conftest import MONDAY


def at(hour: int, minute: int = 0, day: dt.date = MONDAY):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=JAKARTA))


def slot_at(service, hour, minute=0):
    return next(s for s in slots_of(service, MONDAY) if s.starts_at == dt.time(hour, minute))


@pytest.fixture
def booked(qservice, citizen_a, citizen_b):
    """Budi booked 09:00, Siti 09:30 (booked on the previous Friday)."""
    with at(10, day=dt.date(2026, 12, 4)):
        return (
            booking_create(actor=citizen_a, slot=slot_at(qservice, 9)),
            booking_create(actor=citizen_b, slot=slot_at(qservice, 9, 30)),
        )


def counter_of(service) -> Counter:
    return service.counters.order_by("name").first()


def test_walk_in_numbers_restart_daily(qservice):
    with at(8):
        numbers = [desk.walk_in_issue(actor=None, service=qservice).number for _ in range(3)]
    assert numbers == ["A-001", "A-002", "A-003"]
    with at(8, day=MONDAY + dt.timedelta(days=1)):
        assert desk.walk_in_issue(actor=None, service=qservice).number == "A-001"


def test_walk_in_quota_is_the_rest_of_capacity(hours, agency_a):
    # 1 counter, 420 minutes, 30 per visit: 14 visits, 50 % online: 7 walk-ins.
    service = make_queue_service(agency=agency_a, prefix="W", online_percent=50)
    with at(8):
        for _ in range(7):
            desk.walk_in_issue(actor=None, service=service)
        with pytest.raises(errors.WalkInClosed, match="habis"):
            desk.walk_in_issue(actor=None, service=service)


def test_walk_in_nik_must_be_16_digits(qservice):
    with at(8), pytest.raises(Exception) as info:
        desk.walk_in_issue(actor=None, service=qservice, nik="12ab")
    assert "nik" in info.value.errors
    assert not Ticket.objects.exists()


def test_calling_order_bookings_due_then_priority_then_walk_ins(qservice, booked, desk_a):
    budi, siti = booked
    counter = counter_of(qservice)
    with at(8, 40):
        first_walk_in = desk.walk_in_issue(actor=None, service=qservice, name="Andi")
        early = desk.check_in(actor=None, code=siti.code)  # 09:30 slot, arrives early
    with at(8, 50):
        elder = desk.walk_in_issue(actor=None, service=qservice, name="Mbah", priority=True)
        due = desk.check_in(actor=None, code=budi.code)
    calls = []
    with at(9, 5):
        for _ in range(3):
            ticket = desk.call_next(actor=desk_a, counter=counter)
            calls.append(ticket.pk)
            desk.start_service(actor=desk_a, counter=counter)
            desk.finish_service(actor=desk_a, counter=counter)
    with at(9, 31):
        calls.append(desk.call_next(actor=desk_a, counter=counter).pk)
    # Budi's 09:00 booking, then the priority visitor, then the walk-in; Siti at 09:30.
    assert calls == [due.pk, elder.pk, first_walk_in.pk, early.pk]


def test_console_records_the_times(qservice, desk_a):
    counter = counter_of(qservice)
    with at(8):
        desk.walk_in_issue(actor=None, service=qservice)
    with at(8, 10):
        desk.call_next(actor=desk_a, counter=counter)
    with at(8, 11):
        desk.recall(actor=desk_a, counter=counter)
    with at(8, 12):
        desk.start_service(actor=desk_a, counter=counter)
    with at(8, 30):
        ticket = desk.finish_service(actor=desk_a, counter=counter)
    assert ticket.status == TicketStatus.DONE and ticket.call_count == 2
    assert ticket.called_at.astimezone(JAKARTA).time() == dt.time(8, 11)
    assert (ticket.finished_at - ticket.started_at) == dt.timedelta(minutes=18)


def test_nothing_to_call_and_one_ticket_at_a_time(qservice, desk_a):
    counter = counter_of(qservice)
    with at(8):
        with pytest.raises(errors.NothingToCall):
            desk.call_next(actor=desk_a, counter=counter)
        desk.walk_in_issue(actor=None, service=qservice)
        desk.walk_in_issue(actor=None, service=qservice)
        desk.call_next(actor=desk_a, counter=counter)
        with pytest.raises(errors.WrongTicketState):
            desk.call_next(actor=desk_a, counter=counter)
        with pytest.raises(errors.WrongTicketState):
            desk.finish_service(actor=desk_a, counter=counter)  # not started


def test_skip_as_no_show_marks_the_booking(qservice, booked, desk_a):
    counter = counter_of(qservice)
    with at(8, 55):
        desk.check_in(actor=None, code=booked[0].code)
    with at(9):
        desk.call_next(actor=desk_a, counter=counter)
        ticket = desk.skip_no_show(actor=desk_a, counter=counter)
    assert ticket.status == TicketStatus.NO_SHOW
    assert Booking.objects.get(pk=booked[0].pk).status == BookingStatus.NO_SHOW


def test_transfer_to_another_service_keeps_the_place(hours, agency_a, qservice, desk_a):
    other = make_queue_service(agency=agency_a, prefix="B", online_percent=50)
    with at(8):
        moved = desk.walk_in_issue(actor=None, service=qservice)
    with at(8, 5):
        desk.walk_in_issue(actor=None, service=other)
        desk.call_next(actor=desk_a, counter=counter_of(qservice))
        desk.transfer(actor=desk_a, counter=counter_of(qservice), to_service=other)
        first = desk.call_next(actor=desk_a, counter=counter_of(other))
    assert first.pk == moved.pk and first.service_id == other.pk


def test_transfer_to_a_counter_of_another_agency_is_refused(qservice, qservice_b, desk_a):
    with at(8):
        desk.walk_in_issue(actor=None, service=qservice)
        desk.call_next(actor=desk_a, counter=counter_of(qservice))
        with pytest.raises(NotFound):
            desk.transfer(
                actor=desk_a, counter=counter_of(qservice), to_counter=counter_of(qservice_b)
            )


def test_an_officer_cannot_call_at_another_agencys_counter(qservice, desk_b, verifier_a):
    counter = counter_of(qservice)
    with at(8):
        desk.walk_in_issue(actor=None, service=qservice)
        with pytest.raises(NotFound):
            desk.call_next(actor=desk_b, counter=counter)
        with pytest.raises(NotFound):
            desk.counter_for(desk_b, counter.public_id)
        with pytest.raises(PermissionDenied):
            desk.call_next(actor=verifier_a, counter=counter)  # own agency, wrong role
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_grace_period_then_walk_in(qservice, booked, settings):
    settings.MPP_QUEUE_GRACE_MINUTES = 15
    with at(9, 15):
        on_time = desk.check_in(actor=None, code=booked[0].code)
    assert on_time.kind == "booking" and on_time.due_at is not None
    with at(9, 46):
        late = desk.check_in(actor=None, code=booked[1].code)
    assert late.kind == "walk_in" and late.due_at is None
    assert Booking.objects.get(pk=booked[1].pk).status == BookingStatus.LATE_WALK_IN


def test_grace_period_then_no_show(qservice, booked, settings):
    settings.MPP_QUEUE_LATE_POLICY = "no_show"
    with at(9, 16), pytest.raises(errors.TooLate):
        desk.check_in(actor=None, code=booked[0].code)
    assert Booking.objects.get(pk=booked[0].pk).status == BookingStatus.NO_SHOW
    assert not Ticket.objects.exists()


def test_the_worker_marks_missed_bookings_as_no_shows(qservice, booked):
    with at(9, 20):
        assert desk.expire_late_bookings() == 1
    assert Booking.objects.get(pk=booked[0].pk).status == BookingStatus.NO_SHOW
    assert Booking.objects.get(pk=booked[1].pk).status == BookingStatus.ACTIVE
    # With the walk-in policy the late visitor still gets a ticket.
    with at(9, 25):
        assert desk.check_in(actor=None, code=booked[0].code).kind == "walk_in"


def test_check_in_twice_returns_the_same_ticket_and_codes_of_other_days_fail(qservice, booked):
    with at(8, 50):
        first = desk.check_in(actor=None, code=booked[0].code.lower())
        assert desk.check_in(actor=None, code=booked[0].code).pk == first.pk
        with pytest.raises(NotFound):
            desk.check_in(actor=None, code="NOTACODE12")
    with at(8, 50, day=MONDAY + dt.timedelta(days=1)), pytest.raises(NotFound):
        desk.check_in(actor=None, code=booked[1].code)


def test_position_and_estimated_wait(hours, agency_a, desk_a):
    service = make_queue_service(
        agency=agency_a, prefix="E", counters=2, service_minutes=10, online_percent=50
    )
    with at(8):
        tickets = [desk.walk_in_issue(actor=None, service=service) for _ in range(5)]
    with at(8, 1):
        place = place_of(tickets[4])
    # Four ahead, 10 minutes each, two counters open: (4 + 1) x 10 / 2 = 25 minutes.
    assert (place.position, place.wait_minutes) == (5, 25)
    Counter.objects.filter(agency=agency_a).update(is_open=False)
    with at(8, 1):
        assert place_of(tickets[4]).wait_minutes == 50  # nobody open: counted as one
