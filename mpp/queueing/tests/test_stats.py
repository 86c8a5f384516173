import datetime as dt
import io

import time_machine
from django.core.management import call_command

from mpp.core.calendar import JAKARTA
from mpp.queueing.models import QueueDayStats
from mpp.queueing.selectors import slots_of
from mpp.queueing.services import desk
from mpp.queueing.services.booking import booking_create
from mpp.queueing.services.stats import compute_day_stats

from .conftest import MONDAY


def at(hour, minute=0):
    return time_machine.travel(
        dt.datetime.combine(MONDAY, dt.time(hour, minute), tzinfo=JAKARTA), tick=False
    )


def test_waiting_time_service_time_and_no_show_rate(qservice, desk_a, citizen_a):
    counter = qservice.counters.order_by("name").first()
    with at(7):
        booking_create(actor=citizen_a, slot=slots_of(qservice, MONDAY)[0])  # never comes
    with at(8):
        desk.walk_in_issue(actor=None, service=qservice)
        desk.walk_in_issue(actor=None, service=qservice)
    with at(8, 10):
        desk.call_next(actor=desk_a, counter=counter)
        desk.start_service(actor=desk_a, counter=counter)
    with at(8, 30):
        desk.finish_service(actor=desk_a, counter=counter)
        desk.call_next(actor=desk_a, counter=counter)
        desk.skip_no_show(actor=desk_a, counter=counter)
    with at(17):
        call_command("queue_housekeeping", stdout=io.StringIO())
    stats = QueueDayStats.objects.get(service=qservice, date=MONDAY)
    assert (stats.tickets, stats.served, stats.bookings, stats.no_shows) == (2, 1, 1, 2)
    # Waits: 10 and 30 minutes; one service of 20 minutes; 2 no-shows of 3 expected visits.
    assert (stats.avg_wait_seconds, stats.avg_service_seconds) == (1200, 1200)
    assert stats.no_show_rate == round(2 / 3, 4)


def test_recomputing_replaces_the_figures(qservice):
    with at(17):
        compute_day_stats(day=MONDAY)
        compute_day_stats(day=MONDAY)
    stats = QueueDayStats.objects.get(service=qservice, date=MONDAY)
    assert stats.tickets == 0 and stats.no_show_rate is None
