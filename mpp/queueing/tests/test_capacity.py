import datetime as dt

from mpp.core.models import CalendarOverride
from mpp.queueing import capacity
from mpp.queueing.testing import make_queue_service

from .conftest import MONDAY


def test_day_capacity_is_counters_times_open_minutes_over_service_minutes(hours, agency_a):
    service = make_queue_service(agency=agency_a, counters=2, service_minutes=15, online_percent=60)
    cap = capacity.day_capacity(service, MONDAY)
    # 08-12 and 13-16: 420 minutes; 2 counters x 420 / 15 = 56; 60 % online.
    assert (cap.counters, cap.open_minutes, cap.total, cap.online, cap.walk_in) == (
        2,
        420,
        56,
        33,
        23,
    )


def test_slots_add_up_to_the_online_quota_and_skip_the_break(hours, agency_a):
    service = make_queue_service(agency=agency_a, counters=2, service_minutes=15, online_percent=60)
    planned = capacity.planned_slots(service, MONDAY)
    assert sum(c for _s, _e, c in planned) == 33
    starts = [s for s, _e, _c in planned]
    assert dt.time(12, 0) not in starts and dt.time(13, 0) in starts
    assert len(planned) == 14


def test_weekend_and_holidays_have_no_slots(hours, agency_a):
    service = make_queue_service(agency=agency_a)
    assert capacity.planned_slots(service, dt.date(2026, 12, 5)) == []  # Saturday
    assert capacity.planned_slots(service, dt.date(2026, 12, 25)) == []  # Christmas
    CalendarOverride.objects.create(date=MONDAY, is_working_day=False, reason="Banjir")
    assert capacity.planned_slots(service, MONDAY) == []


def test_window_opens_at_midnight_seven_days_ahead(settings):
    opens = capacity.window_opens_at(MONDAY)
    assert opens.isoformat() == "2026-11-30T00:00:00+07:00"
    settings.MPP_QUEUE_WINDOW_OPENS_AT = "08:30"
    settings.MPP_QUEUE_WINDOW_DAYS = 3
    assert capacity.window_opens_at(MONDAY).isoformat() == "2026-12-04T08:30:00+07:00"
