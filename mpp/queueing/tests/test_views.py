import datetime as dt

import pytest
import time_machine

from mpp.accounts.testing import verified_login
from mpp.core.calendar import JAKARTA
from mpp.queueing.models import Booking, Counter, CrisisMeasure, OpeningHours, Ticket
from mpp.queueing.selectors import slots_of
from mpp.queueing.services import desk
from mpp.queueing.services.booking import booking_create

from .conftest import MONDAY

pytestmark = pytest.mark.usefixtures("clock")


def test_service_list_and_booking_by_the_web(client, qservice, citizen_a):
    assert qservice.service.name in client.get("/antrean/").content.decode()
    client.force_login(citizen_a)
    page = client.get(f"/antrean/pesan/{qservice.service.slug}/?tanggal={MONDAY}")
    assert page.status_code == 200 and "08.00" in page.content.decode()
    slot = slots_of(qservice, MONDAY)[0]
    response = client.post(
        f"/antrean/pesan/{qservice.service.slug}/", {"date": str(MONDAY), "slot": slot.pk}
    )
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{booking.code}/")
    detail = client.get(response["Location"]).content.decode()
    assert booking.code in detail and "<svg" in detail and "3573••••••••0001" in detail
    assert "3573010101900001" not in detail
    # Double submit: the same person, same service and day is refused with the rule's message.
    again = client.post(
        f"/antrean/pesan/{qservice.service.slug}/",
        {"date": str(MONDAY), "slot": slots_of(qservice, MONDAY)[1].pk},
    )
    assert again.status_code == 409
    assert "satu pesanan per layanan per hari" in again.content.decode()
    assert Booking.objects.count() == 1


def test_forged_slot_ids_are_refused(client, qservice, qservice_b, citizen_a):
    client.force_login(citizen_a)
    other = slots_of(qservice_b, MONDAY)[0]
    for value in (other.pk, "x", ""):
        response = client.post(
            f"/antrean/pesan/{qservice.service.slug}/", {"date": str(MONDAY), "slot": value}
        )
        assert response.status_code == 404
    assert not Booking.objects.exists()


def test_booking_pages_need_a_verified_citizen(client, qservice, make_user):
    response = client.get(f"/antrean/pesan/{qservice.service.slug}/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_cancel_and_ics_by_the_web(client, qservice, citizen_a, citizen_b):
    booking = booking_create(actor=citizen_a, slot=slots_of(qservice, MONDAY)[0])
    client.force_login(citizen_b)
    assert client.post(f"/antrean/pesanan/{booking.code}/batal/").status_code == 404
    client.force_login(citizen_a)
    ics = client.get(f"/antrean/pesanan/{booking.code}/kalender.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    assert client.post(f"/antrean/pesanan/{booking.code}/batal/").status_code == 302
    assert Booking.objects.get().status == "cancelled"


def test_my_bookings_takes_the_same_queries_for_few_and_many(
    client, hours, agency_a, citizen_a, settings, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mpp.queueing.testing import make_queue_service

    settings.MPP_QUEUE_MAX_PER_DAY = 100
    client.force_login(citizen_a)
    services = [make_queue_service(agency=agency_a, prefix=p) for p in "ABCDEFGHIJ"]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/antrean/pesanan/").status_code == 200
        return len(queries)

    booking_create(actor=citizen_a, slot=slots_of(services[0], MONDAY)[0])
    few = count()
    for service in services[1:]:
        booking_create(actor=citizen_a, slot=slots_of(service, MONDAY)[0])
    assert count() == few


def at(hour, minute=0):
    return time_machine.travel(dt.datetime.combine(MONDAY, dt.time(hour, minute), tzinfo=JAKARTA))


def test_console_calls_and_shows_name_and_masked_nik(client, qservice, desk_a):
    counter = qservice.counters.order_by("name").first()
    with at(8):
        verified_login(client, desk_a)
        desk.walk_in_issue(actor=None, service=qservice, nik="3573010101900001", name="Budi")
        url = f"/kelola/antrean/loket/{counter.public_id}/konsol/"
        called = client.post(url, {"action": "call"})
        assert called.status_code == 302, called
        page = client.get(url)
        assert page.status_code == 200, page
        page = page.content.decode()
    assert "A-001" in page and "Budi" in page and "3573••••••••0001" in page
    assert "3573010101900001" not in page


def test_another_agencys_console_reads_as_not_found(client, qservice, desk_b):
    counter = qservice.counters.first()
    with at(8):
        verified_login(client, desk_b)
        desk.walk_in_issue(actor=None, service=qservice)
        url = f"/kelola/antrean/loket/{counter.public_id}/konsol/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "call"}).status_code == 404
    assert Ticket.objects.get().status == "waiting"


def test_kiosk_needs_an_officer_or_a_kiosk_cookie(client, qservice, manager):
    assert client.get("/antrean/kiosk/").status_code == 403
    verified_login(client, manager)
    response = client.post("/kelola/antrean/kiosk/aktifkan/")  # valid for a year
    assert response.status_code == 302 and "mpp_kiosk" in response.cookies
    cookie = response.cookies["mpp_kiosk"].value
    client.logout()
    client.cookies["mpp_kiosk"] = cookie
    with at(8):
        page = client.post("/antrean/kiosk/", {"form": "walk_in", "service": qservice.pk})
    assert page.status_code == 200 and "A-001" in page.content.decode()
    client.cookies["mpp_kiosk"] = cookie[:-2] + "xx"
    assert client.get("/antrean/kiosk/").status_code == 403


def test_kiosk_check_in_by_code(client, qservice, citizen_a, desk_a):
    booking = booking_create(actor=citizen_a, slot=slots_of(qservice, MONDAY)[2])
    with at(8, 50):
        verified_login(client, desk_a)
        bad = client.post("/antrean/kiosk/", {"form": "check_in", "code": "ZZZZZZZZZZ"})
        assert bad.status_code == 400 and "tidak ditemukan" in bad.content.decode()
        page = client.post("/antrean/kiosk/", {"form": "check_in", "code": booking.code})
    assert page.status_code == 200
    ticket = Ticket.objects.get()
    assert ticket.booking == booking and ticket.number in page.content.decode()


def test_ticket_page_and_status_json(client, qservice):
    with at(8):
        desk.walk_in_issue(actor=None, service=qservice)
        ticket = desk.walk_in_issue(actor=None, service=qservice)
        page = client.get(f"/antrean/tiket/{ticket.code}/")
        state = client.get(f"/antrean/tiket/{ticket.code}/status.json").json()
    assert page.status_code == 200 and "A-002" in page.content.decode()
    assert state["position"] == 2 and state["wait_minutes"] == 30
    assert client.get("/antrean/tiket/forged/").status_code == 404


def test_display_data(client, qservice, desk_a):
    counter = qservice.counters.order_by("name").first()
    with at(8):
        desk.walk_in_issue(actor=None, service=qservice)
        desk.walk_in_issue(actor=None, service=qservice)
        desk.call_next(actor=desk_a, counter=counter)
        board = client.get("/antrean/layar/data.json").json()
        page = client.get("/antrean/layar/").content.decode()
    row = next(r for r in board["counters"] if r["counter"] == counter.name)
    assert row["number"] == "A-001" and board["next"] == [{"prefix": "A", "numbers": ["A-002"]}]
    assert "A-001" in page


def test_display_data_takes_few_queries(client, qservice, django_assert_max_num_queries):
    with at(8):
        for _ in range(10):
            desk.walk_in_issue(actor=None, service=qservice)
        with django_assert_max_num_queries(3):
            client.get("/antrean/layar/data.json")


def test_hours_page_for_the_manager_only(client, manager, admin_a):
    verified_login(client, admin_a)
    assert client.get("/kelola/antrean/jam/").status_code == 403
    verified_login(client, manager)
    data = {f"d{d}-opens_at": "08:00" for d in range(5)}
    data.update({f"d{d}-closes_at": "15:00" for d in range(5)})
    data["d0-break_starts_at"], data["d0-break_ends_at"] = "12:00", "13:00"
    assert client.post("/kelola/antrean/jam/", data).status_code == 302
    assert OpeningHours.objects.count() == 5
    bad = client.post("/kelola/antrean/jam/", {"d0-opens_at": "15:00", "d0-closes_at": "08:00"})
    assert bad.status_code == 200 and "Jam tutup harus setelah jam buka" in bad.content.decode()


def test_agency_admin_configures_own_service_and_counter_only(
    client, qservice, qservice_b, admin_a
):
    verified_login(client, admin_a)
    assert client.get(f"/kelola/antrean/layanan/{qservice_b.service.slug}/").status_code == 404
    response = client.post(
        f"/kelola/antrean/layanan/{qservice.service.slug}/",
        {
            "prefix": "k",
            "service_minutes": 20,
            "slot_minutes": 30,
            "online_percent": 70,
            "is_bookable": "on",
        },
    )
    assert response.status_code == 302
    qservice.refresh_from_db()
    assert (qservice.prefix, qservice.service_minutes, qservice.online_percent) == ("K", 20, 70)
    other = qservice_b.counters.first()
    assert client.get(f"/kelola/antrean/loket/{other.public_id}/").status_code == 404
    created = client.post(
        "/kelola/antrean/loket/baru/",
        {
            "agency": qservice.agency_id,
            "name": "Loket 9",
            "services": [qservice.pk],
            "is_open": "on",
        },
    )
    assert created.status_code == 302
    assert Counter.objects.get(name="Loket 9").services.get() == qservice
    forged = client.post(
        "/kelola/antrean/loket/baru/",
        {"agency": qservice_b.agency_id, "name": "Loket X", "services": [qservice_b.pk]},
    )
    assert forged.status_code == 200 and not Counter.objects.filter(name="Loket X").exists()


def test_crisis_page(client, manager, qservice):
    verified_login(client, manager)
    response = client.post(
        "/kelola/antrean/krisis/",
        {
            "kind": "close_walk_in",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-02",
            "notice": "Antrean langsung ditutup.",
            "percent": "",
        },
    )
    assert response.status_code == 302
    measure = CrisisMeasure.objects.get()
    assert "Antrean langsung ditutup." in client.get("/antrean/").content.decode()
    client.post("/kelola/antrean/krisis/", {"lift": measure.public_id})
    measure.refresh_from_db()
    assert measure.lifted_at is not None


def test_overview_for_officers(client, qservice, desk_a, citizen_a):
    verified_login(client, desk_a)
    page = client.get("/kelola/antrean/")
    assert page.status_code == 200 and "Konsol" in page.content.decode()
    client.force_login(citizen_a)
    assert client.get("/kelola/antrean/").status_code == 403


def test_pages_and_problems_in_english(client, qservice, citizen_a):
    client.cookies["django_language"] = "en"
    page = client.get("/antrean/").content.decode()
    assert "Book a visit" in page
    response = client.post(
        "/api/v1/auth/token",
        {"identifier": citizen_a.email, "password": "salah"},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert response.json()["detail"].startswith("Wrong identifier or password")


def test_seed_queue_demo_is_idempotent(agency_a):
    import io

    from django.core.management import call_command

    from mpp.catalog.testing import make_service
    from mpp.queueing.models import QueueService

    agency_a.slug = "dispendukcapil"
    agency_a.save()
    make_service(agency=agency_a)
    call_command("seed_queue_demo", stdout=io.StringIO())
    call_command("seed_queue_demo", stdout=io.StringIO())
    assert QueueService.objects.count() == 1 and OpeningHours.objects.count() == 5
    assert Counter.objects.get().services.count() == 1
