import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from mpp.core.calendar import JAKARTA
from mpp.queueing import errors
from mpp.queueing.context_processors import crisis_notices
from mpp.queueing.models import Booking, BookingStatus, CrisisKind, Slot
from mpp.queueing.selectors import slots_of
from mpp.queueing.services import desk
from mpp.queueing.services.booking import booking_create, send_reminder
from mpp.queueing.services.crisis import crisis_declare, crisis_lift
from mpp.queueing.testing import make_queue_service

from .conftest import MONDAY

pytestmark = pytest.mark.usefixtures("clock")
TUESDAY = MONDAY + dt.timedelta(days=1)


@pytest.fixture
def roomy(hours, agency_a):
    """Two online places per slot."""
    return make_queue_service(agency=agency_a, prefix="R", counters=2)


def declare(manager, **fields):
    defaults = {
        "kind": CrisisKind.REDUCE_CAPACITY,
        "percent": 50,
        "starts_on": MONDAY,
        "ends_on": MONDAY,
        "notice": "Pembatasan kunjungan karena wabah.",
    }
    return crisis_declare(actor=manager, **(defaults | fields))


def test_reduced_capacity_moves_the_newest_booking_and_tells_the_holder(
    roomy, citizen_a, citizen_b, manager, smtp_server, django_capture_on_commit_callbacks
):
    slot = slots_of(roomy, MONDAY)[0]
    first = booking_create(actor=citizen_a, slot=slot)
    second = booking_create(actor=citizen_b, slot=slot)
    with django_capture_on_commit_callbacks(execute=True):
        declare(manager, service=roomy)
    slot.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (slot.capacity, slot.booked) == (1, 1)
    assert first.slot_id == slot.pk and first.status == BookingStatus.ACTIVE
    # The newer booking went to the first free slot outside the measure, still active.
    assert second.status == BookingStatus.ACTIVE and second.date == TUESDAY
    assert second.ics_sequence == 1
    bodies = smtp_server.bodies_to(citizen_b.email)
    assert any("Pembatasan kunjungan" in b and "memindahkan" in b for b in bodies)
    assert not any("Pembatasan" in b for b in smtp_server.bodies_to(citizen_a.email))


def test_new_slots_inside_the_measure_are_reduced(roomy, manager):
    declare(manager, service=roomy, percent=50)
    assert [s.capacity for s in slots_of(roomy, MONDAY)][:2] == [1, 1]
    assert slots_of(roomy, TUESDAY)[0].capacity == 2


def test_closing_a_service_displaces_bookings_when_no_other_slot_is_free(
    qservice, citizen_a, manager, settings, smtp_server, django_capture_on_commit_callbacks
):
    booking = booking_create(actor=citizen_a, slot=slots_of(qservice, MONDAY)[0])
    with django_capture_on_commit_callbacks(execute=True):
        declare(
            manager,
            kind=CrisisKind.CLOSE_SERVICE,
            service=qservice,
            starts_on=dt.date(2026, 12, 1),
            ends_on=dt.date(2026, 12, 31),
        )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DISPLACED
    assert sum(Slot.objects.filter(date=MONDAY).values_list("booked", flat=True)) == 0
    assert any("pilih jadwal lain" in b for b in smtp_server.bodies_to(citizen_a.email))
    with pytest.raises(errors.ServiceClosed):
        booking_create(actor=citizen_a, slot=slots_of(qservice, TUESDAY)[0])


def test_close_walk_ins(qservice, manager):
    declare(manager, kind=CrisisKind.CLOSE_WALK_IN, starts_on=dt.date(2026, 12, 1))
    with pytest.raises(errors.WalkInClosed):
        desk.walk_in_issue(actor=None, service=qservice)


def test_lifting_restores_capacity(roomy, manager):
    slots_of(roomy, MONDAY)
    measure = declare(manager, service=roomy)
    crisis_lift(actor=manager, measure=measure)
    assert slots_of(roomy, MONDAY)[0].capacity == 2


def test_only_the_mpp_manager_may_declare(roomy, admin_a):
    from mpp.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        declare(admin_a)


def test_bad_measures_are_refused(manager):
    from mpp.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as info:
        declare(manager, percent=0, ends_on=MONDAY - dt.timedelta(days=1), notice=" ")
    assert set(info.value.errors) == {"percent", "ends_on", "notice"}


def test_the_notice_is_in_every_page_context(client, manager):
    declare(manager, notice="MPP tutup sebagian minggu depan.")
    notices = crisis_notices(None)["queue_notices"]
    assert [n.notice for n in notices] == ["MPP tutup sebagian minggu depan."]
    assert "MPP tutup sebagian minggu depan." in client.get("/antrean/").content.decode()


def test_the_reminder_is_scheduled_for_the_day_before(
    qservice, citizen_a, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_create(actor=citizen_a, slot=slots_of(qservice, MONDAY)[0])
    reminder = DBTaskResult.objects.get(task_path__endswith="send_booking_reminder")
    assert reminder.run_after == dt.datetime(2026, 12, 6, 8, 0, tzinfo=JAKARTA)
    assert reminder.args_kwargs["args"] == [booking.pk, 0]


def test_the_reminder_is_sent_once_and_not_after_a_change(
    qservice, citizen_a, smtp_server, django_capture_on_commit_callbacks
):
    booking = booking_create(actor=citizen_a, slot=slots_of(qservice, MONDAY)[0])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminder(booking_pk=booking.pk, sequence=0) is True
        assert send_reminder(booking_pk=booking.pk, sequence=0) is False
        assert send_reminder(booking_pk=booking.pk, sequence=5) is False
    reminders = [b for b in smtp_server.bodies_to(citizen_a.email) if "besok" in b]
    assert len(reminders) == 1 and booking.code in reminders[0]
    assert Booking.objects.get(pk=booking.pk).reminded_at is not None
