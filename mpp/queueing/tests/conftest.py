import datetime as dt

import pytest
import time_machine

from mpp.accounts.testing import make_citizen
from mpp.agencies.models import AgencyRole, Membership
from mpp.core.calendar import JAKARTA
from mpp.queueing.testing import make_hours, make_queue_service

# Tuesday 1 December 2026, 10:00 in Malang: slots up to Tuesday 8 December are open.
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=JAKARTA)
MONDAY = dt.date(2026, 12, 7)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def hours(db):
    make_hours()


@pytest.fixture
def qservice(hours, agency_a):
    """Two counters, 30 minutes per visit, half online: one online place per 30-minute slot
    and 14 walk-ins a day."""
    return make_queue_service(agency=agency_a, prefix="A", counters=2, online_percent=50)


@pytest.fixture
def qservice_b(hours, agency_b):
    return make_queue_service(agency=agency_b, prefix="P")


@pytest.fixture
def citizen_a(make_user):
    return make_citizen(make_user, "budi", "3573010101900001")


@pytest.fixture
def citizen_b(make_user):
    return make_citizen(make_user, "siti", "3573014101900002")


@pytest.fixture
def desk_a(make_user, agency_a):
    user = make_user("loket_a")
    Membership.objects.create(user=user, agency=agency_a, role=AgencyRole.FRONT_DESK)
    return user


@pytest.fixture
def desk_b(make_user, agency_b):
    user = make_user("loket_b")
    Membership.objects.create(user=user, agency=agency_b, role=AgencyRole.FRONT_DESK)
    return user
