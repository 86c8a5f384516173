"""The queue in headless Chromium: the TV display follows calls without reloading and
recovers after a network drop; key pages pass axe-core and fit a 360 px phone."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from mpp.accounts.testing import confirmed_device, make_citizen
from mpp.agencies.models import AgencyRole, Membership
from mpp.catalog.testing import make_agency
from mpp.core.browser_testing import (
    BROWSER_MARKS,
    PHONE,
    serious_violations,
    shot,
    unlabelled_inputs,
)
from mpp.core.calendar import JAKARTA
from mpp.queueing.selectors import slots_of
from mpp.queueing.services import desk
from mpp.queueing.services.booking import booking_create
from mpp.queueing.testing import make_hours, make_queue_service

pytestmark = BROWSER_MARKS

MONDAY_8 = dt.datetime(2026, 12, 7, 8, 0, tzinfo=JAKARTA)


@pytest.fixture
def mall(transactional_db, make_user):
    """Monday morning at the mall (the clock ticks from there, for the server too)."""
    with time_machine.travel(MONDAY_8, tick=True):
        make_hours()
        agency = make_agency(slug="dukcapil", name="Dinas Kependudukan", short_name="Dukcapil")
        service = make_queue_service(
            agency=agency, prefix="A", counters=2, online_percent=50, name="Kartu Identitas Anak"
        )
        officer = make_user("loket")
        Membership.objects.create(user=officer, agency=agency, role=AgencyRole.FRONT_DESK)
        yield {"service": service, "officer": officer, "agency": agency}


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_the_display_shows_a_call_without_reloading_and_recovers(live_server, page, mall):
    service, officer = mall["service"], mall["officer"]
    counter = service.counters.order_by("name").first()
    desk.walk_in_issue(actor=None, service=service)
    desk.walk_in_issue(actor=None, service=service)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(live_server.url + "/antrean/layar/")
    page.evaluate("window.__marker = 'same-document'")
    row = page.locator("#display-rows tr", has_text=counter.name)
    assert row.locator(".display-number").inner_text() == "–"
    desk.call_next(actor=officer, counter=counter)
    row.locator(".display-number", has_text="A-001").wait_for()
    page.locator("#display-next", has_text="A-002").wait_for()
    # The network drops: the screen says so, keeps polling, and catches up afterwards.
    page.context.set_offline(True)
    page.locator("#display-offline").wait_for(state="visible")
    desk.start_service(actor=officer, counter=counter)
    desk.finish_service(actor=officer, counter=counter)
    desk.call_next(actor=officer, counter=counter)
    page.context.set_offline(False)
    row.locator(".display-number", has_text="A-002").wait_for()
    page.locator("#display-offline").wait_for(state="hidden")
    assert page.evaluate("window.__marker") == "same-document"  # never reloaded
    assert serious_violations(page) == []


def test_the_ticket_page_follows_the_queue(live_server, page, mall):
    service, officer = mall["service"], mall["officer"]
    first = desk.walk_in_issue(actor=None, service=service)
    mine = desk.walk_in_issue(actor=None, service=service)
    page.goto(live_server.url + f"/antrean/tiket/{mine.code}/")
    assert page.locator('[data-field="position"]').inner_text() == "2"
    counter = service.counters.order_by("name").first()
    desk.call_next(actor=officer, counter=counter)
    page.locator('[data-field="position"]', has_text="1").wait_for()
    assert page.locator('[data-field="status_label"]').inner_text() == "Menunggu"
    assert first.number != mine.number
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("name", ["services", "book", "booking", "kiosk", "console", "display"])
def test_queue_pages_are_accessible_on_a_phone(live_server, page, mall, make_user, name):
    service, officer = mall["service"], mall["officer"]
    citizen = make_citizen(make_user, "budi", "3573010101900001")
    booking = booking_create(actor=citizen, slot=slots_of(service, MONDAY_8.date())[4])
    desk.walk_in_issue(actor=None, service=service, nik="3573014101900002", name="Siti")
    counter = service.counters.order_by("name").first()
    desk.call_next(actor=officer, counter=counter)
    urls = {
        "services": ("/antrean/", None),
        "book": (f"/antrean/pesan/{service.service.slug}/?tanggal=2026-12-08", citizen),
        "booking": (f"/antrean/pesanan/{booking.code}/?tanggal=2026-12-08", citizen),
        "kiosk": ("/antrean/kiosk/", officer),
        "console": (f"/kelola/antrean/loket/{counter.public_id}/konsol/", officer),
        "display": ("/antrean/layar/", None),
    }
    path, user = urls[name]
    if user is not None:
        if user is officer:
            client = Client()
            client.force_login(user)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
            session.save()
            page.context.add_cookies(
                [{"name": "sessionid", "value": session.session_key, "url": live_server.url}]
            )
        else:
            sign_in(page, live_server, user)
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200, page.url
    shot(page, f"queue-{name}-phone")
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("h1").count() == 1
    assert unlabelled_inputs(page) == []
