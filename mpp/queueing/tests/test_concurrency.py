"""Many parallel booking attempts on PostgreSQL: capacity and the per-NIK rules hold."""

import random
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.db import connection, connections

from mpp.accounts.models import Representation
from mpp.accounts.testing import make_citizen
from mpp.core.errors import MppError
from mpp.queueing.models import Booking, PersonDay, Slot
from mpp.queueing.selectors import slots_of
from mpp.queueing.services.booking import booking_cancel, booking_create
from mpp.queueing.testing import make_hours, make_queue_service

from .conftest import MONDAY, NOW

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 24
EXPECTED = {"capacity-full", "one-per-nik-per-day", "daily-limit", "booking-not-active"}


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")


def _nik(n: int) -> str:
    return f"35730101019{n:05d}"


def _race(jobs) -> tuple[list, list]:
    """Run the jobs from THREADS threads; return (results, unexpected errors)."""

    def run(job):
        try:
            return job()
        except MppError as exc:
            if exc.type not in EXPECTED:
                raise
            return exc.type
        finally:
            connections.close_all()

    results, unexpected = [], []
    with time_machine.travel(NOW, tick=False), ThreadPoolExecutor(THREADS) as pool:
        for future in [pool.submit(run, job) for job in jobs]:
            try:
                results.append(future.result())
            except Exception as exc:  # collected and asserted empty
                unexpected.append(repr(exc))
    return results, unexpected


def _assert_invariants():
    for slot in Slot.objects.all():
        active = Booking.objects.filter(slot=slot, status__in=("active", "checked_in")).count()
        assert slot.booked == active <= slot.capacity
    seen = set()
    for nik, service, day in Booking.objects.filter(status="active").values_list(
        "nik", "service_id", "date"
    ):
        assert (nik, service, day) not in seen
        seen.add((nik, service, day))
    for person in PersonDay.objects.all():
        count = Booking.objects.filter(nik=person.nik, date=person.date, status="active").count()
        assert person.active == count <= person.limit


def test_parallel_bookings_never_overbook_nor_double_book(agency_a, make_user, settings):
    settings.MPP_QUEUE_MAX_PER_DAY = 3
    make_hours()
    service = make_queue_service(agency=agency_a, counters=2, service_minutes=10)
    with time_machine.travel(NOW, tick=False):
        slots = slots_of(service, MONDAY)[:2]
    capacity = sum(s.capacity for s in slots)
    assert capacity == 12
    citizens = [make_citizen(make_user, f"w{n}", _nik(n)) for n in range(30)]
    # Five brokers each hold a kuasa for the same three people, and race for them too.
    brokers = [make_citizen(make_user, f"calo{n}", _nik(100 + n)) for n in range(5)]
    for broker in brokers:
        for n in range(3):
            Representation.objects.create(
                representative=broker,
                represented_nik=_nik(n),
                represented_name=f"W{n}",
                relationship="other",
                power_of_attorney="kuasa/x.pdf",
                power_of_attorney_type="application/pdf",
                valid_from=MONDAY.replace(day=1),
                valid_until=MONDAY.replace(month=12, day=31),
            )
    rng = random.Random(5)
    jobs = []
    for _ in range(240):
        slot = rng.choice(slots)
        if rng.random() < 0.3:
            actor, for_nik = rng.choice(brokers), _nik(rng.randrange(3))
        else:
            actor, for_nik = rng.choice(citizens), None
        jobs.append(lambda a=actor, s=slot, f=for_nik: booking_create(actor=a, slot=s, for_nik=f))
    results, unexpected = _race(jobs)
    assert unexpected == []
    accepted = [r for r in results if isinstance(r, Booking)]
    assert len(accepted) == capacity
    assert Booking.objects.filter(status="active").count() == capacity
    assert "capacity-full" in results and "one-per-nik-per-day" in results
    _assert_invariants()


def test_parallel_bookings_of_one_person_respect_the_daily_limit(agency_a, make_user, settings):
    settings.MPP_QUEUE_MAX_PER_DAY = 3
    make_hours()
    services = [
        make_queue_service(agency=agency_a, prefix=p, counters=3, service_minutes=10)
        for p in "ABCDEFGH"
    ]
    person = make_citizen(make_user, "satu", _nik(1))
    with time_machine.travel(NOW, tick=False):
        slots = [slots_of(s, MONDAY)[0] for s in services]
    jobs = [lambda s=s: booking_create(actor=person, slot=s) for s in slots * 4]
    results, unexpected = _race(jobs)
    assert unexpected == []
    assert sum(isinstance(r, Booking) for r in results) == 3
    _assert_invariants()
    # Cancelling in parallel (with replays) releases each place exactly once.
    codes = list(Booking.objects.values_list("code", flat=True))
    results, unexpected = _race(
        [lambda c=c: booking_cancel(actor=person, code=c) for c in codes * 5]
    )
    assert unexpected == []
    assert sum(isinstance(r, Booking) for r in results) == 3
    assert PersonDay.objects.get(nik=_nik(1)).active == 0
    assert sum(Slot.objects.values_list("booked", flat=True)) == 0
