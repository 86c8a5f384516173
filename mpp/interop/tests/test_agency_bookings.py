"""Agency API v1 on queues: bookings and tickets of the agency's own counters only."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from mpp.accounts.testing import make_citizen
from mpp.core.calendar import JAKARTA
from mpp.interop import services as interop
from mpp.queueing.selectors import slots_of
from mpp.queueing.services.booking import booking_create
from mpp.queueing.services.desk import walk_in_issue
from mpp.queueing.testing import make_hours, make_queue_service

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=JAKARTA)
MONDAY = dt.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def queues(agency_a, agency_b):
    make_hours()
    return (
        make_queue_service(
            agency=agency_a, prefix="A", slug="akta-a", online_percent=50, counters=2
        ),
        make_queue_service(
            agency=agency_b, prefix="P", slug="skck-b", online_percent=50, counters=2
        ),
    )


def _token(actor, agency, scopes=("bookings:read",)):
    return interop.api_client_create(actor=actor, agency=agency, name="S", scopes=list(scopes))


def _get(issued, path):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.token}").get(f"/api/v1{path}")


def test_bookings_and_tickets_of_the_own_agency_only(queues, make_user, admin_a, agency_a, admin_b):
    qa, qb = queues
    siti = make_citizen(make_user, "siti", "3573014101900001", full_name="Siti Aminah")
    budi = make_citizen(make_user, "budi", "3573010511010003", full_name="Budi Hartono")
    mine = booking_create(actor=siti, slot=slots_of(qa, MONDAY)[0])
    booking_create(actor=budi, slot=slots_of(qb, MONDAY)[0])
    walk_in_issue(actor=admin_a, service=qa, name="Rina")
    walk_in_issue(actor=admin_b, service=qb, name="Joko")

    issued = _token(admin_a, agency_a)
    bookings = _get(issued, "/agency/bookings").json()["items"]
    assert [b["code"] for b in bookings] == [mine.code]
    assert bookings[0]["nik"] == "3573014101900001" and bookings[0]["service"] == "akta-a"
    assert _get(issued, f"/agency/bookings?date={MONDAY}").json()["items"][0]["code"] == mine.code
    tickets = _get(issued, "/agency/tickets").json()["items"]
    assert [t["number"] for t in tickets] == ["A-001"] and tickets[0]["name"] == "Rina"


def test_a_client_without_the_scope_or_token_is_refused(queues, admin_a, agency_a):
    issued = _token(admin_a, agency_a, scopes=("applications:read",))
    response = _get(issued, "/agency/bookings")
    assert response.status_code == 403
    assert Client().get("/api/v1/agency/tickets").status_code == 401
    bad = _get(_token(admin_a, agency_a), "/agency/tickets?status=melayang")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"


def test_booking_events_reach_a_subscription_to_their_type(queues, make_user, admin_a, agency_a):
    from mpp.core.models import DomainEvent
    from mpp.core.tasks import publish_event
    from mpp.interop.models import WebhookDelivery

    qa, _qb = queues
    interop.subscription_create(
        actor=admin_a,
        agency=agency_a,
        url="https://siak.contoh.id/hook",
        event_types=["queue.booking.created", "queue.booking.cancelled"],
    )
    siti = make_citizen(make_user, "siti", "3573014101900001")
    booking_create(actor=siti, slot=slots_of(qa, MONDAY)[0])
    for event in DomainEvent.objects.filter(type__startswith="queue."):
        publish_event.call(event.pk)
    delivered = WebhookDelivery.objects.select_related("event").values_list(
        "event__type", flat=True
    )
    assert list(delivered) == ["queue.booking.created"]
