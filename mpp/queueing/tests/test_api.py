import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from mpp.accounts.testing import make_citizen
from mpp.queueing.models import Booking, CitizenApiToken, Slot
from mpp.queueing.testing import make_queue_service

from .conftest import MONDAY

pytestmark = pytest.mark.usefixtures("clock")
PROBLEM = "https://mpp.example.id/problems/"


def token_for(client, user) -> str:
    response = client.post(
        "/api/v1/auth/token",
        {"identifier": user.email, "password": "rahasia-Panjang-123"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()["token"]


def book(client, token, service, *, date=MONDAY, time="08:00", **extra):
    return client.post(
        "/api/v1/queue/bookings",
        {"service": service.service.slug, "date": str(date), "time": time, **extra},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_token_is_issued_on_sign_in_and_stored_hashed(client, citizen_a):
    token = token_for(client, citizen_a)
    assert token.startswith("mpp_") and len(token) > 40
    stored = CitizenApiToken.objects.get(user=citizen_a)
    assert token not in stored.token_hash and stored.expires_at > stored.created_at


def test_wrong_password_is_a_401_problem(client, citizen_a):
    response = client.post(
        "/api/v1/auth/token",
        {"identifier": citizen_a.email, "password": "salah"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEM + "invalid-credentials"
    assert not CitizenApiToken.objects.exists()


def test_officers_get_no_token(client, admin_a):
    admin_a.email = "admin@example.id"
    admin_a.save()
    response = client.post(
        "/api/v1/auth/token",
        {"identifier": admin_a.email, "password": "rahasia-Panjang-123"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_booking_needs_a_valid_token(client, qservice, citizen_a):
    assert book(client, "", qservice).status_code == 401
    assert book(client, "mpp_forged", qservice).status_code == 401
    token = token_for(client, citizen_a)
    CitizenApiToken.objects.update(expires_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    response = book(client, token, qservice)
    assert response.status_code == 401
    assert response.json()["type"] == PROBLEM + "unauthorized"


def test_free_slots_create_list_cancel_reschedule(client, qservice, citizen_a):
    slots = client.get(f"/api/v1/queue/services/{qservice.service.slug}/slots?date={MONDAY}")
    assert slots.status_code == 200
    body = slots.json()
    assert body["slots"][0] == {
        "date": str(MONDAY),
        "time": "08:00",
        "ends": "08:30",
        "capacity": 1,
        "free": 1,
    }
    assert body["window_opens_at"].startswith("2026-11-30T00:00:00")
    token = token_for(client, citizen_a)
    auth = {"Authorization": f"Bearer {token}"}
    created = book(client, token, qservice)
    assert created.status_code == 201, created.content
    code = created.json()["code"]
    assert created.json()["nik_masked"] == "3573••••••••0001"
    after = client.get(f"/api/v1/queue/services/{qservice.service.slug}/slots?date={MONDAY}")
    assert "08:00" not in [s["time"] for s in after.json()["slots"]]
    listed = client.get("/api/v1/queue/bookings", headers=auth).json()
    assert listed["count"] == 1 and listed["results"][0]["code"] == code
    moved = client.post(
        f"/api/v1/queue/bookings/{code}/reschedule",
        {"date": str(MONDAY), "time": "09:00"},
        content_type="application/json",
        headers=auth,
    )
    assert moved.status_code == 200 and moved.json()["time"] == "09:00"
    cancelled = client.post(f"/api/v1/queue/bookings/{code}/cancel", headers=auth)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.post(f"/api/v1/queue/bookings/{code}/cancel", headers=auth)
    assert again.status_code == 409
    assert again.json()["type"] == PROBLEM + "booking-not-active"
    assert sum(Slot.objects.values_list("booked", flat=True)) == 0


def test_refusals_have_a_stable_type_per_rule(client, hours, agency_a, settings, make_user):
    settings.MPP_QUEUE_MAX_PER_DAY = 2
    one, two, three = (make_queue_service(agency=agency_a, prefix=p) for p in "ABC")
    a = make_citizen(make_user, "satu", "3573010101900001")
    b = make_citizen(make_user, "dua", "3573014101900002")
    ta, tb = token_for(client, a), token_for(client, b)

    def problem(response, status, kind):
        assert response.status_code == status, response.content
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["type"] == PROBLEM + kind
        assert body["detail"] and body["title"]

    assert book(client, ta, one).status_code == 201
    problem(book(client, tb, one), 409, "capacity-full")
    problem(book(client, ta, one, time="09:00"), 409, "one-per-nik-per-day")
    assert book(client, ta, two).status_code == 201
    problem(book(client, ta, three), 409, "daily-limit")
    problem(book(client, tb, one, date=dt.date(2026, 12, 9)), 409, "window-not-open")
    problem(book(client, tb, one, time="08:10"), 400, "invalid-parameter")
    problem(book(client, tb, one, time="8am"), 400, "validation-error")
    problem(book(client, tb, one, for_nik="3573010101900001"), 409, "not-represented")
    settings.MPP_RATE_BOOKING_ACCOUNT = "1/m"  # a new rate starts a new count
    assert book(client, tb, two, time="10:00").status_code == 201
    problem(book(client, tb, two, time="10:30"), 429, "rate-limited")
    assert Booking.objects.filter(status="active").count() == 3


def test_rate_limit_per_ip_address(client, qservice, citizen_a, settings):
    settings.MPP_RATE_BOOKING_IP = "1/m"
    token = token_for(client, citizen_a)
    book(client, token, qservice)
    response = book(client, token, qservice, time="09:00")
    assert response.status_code == 429
    assert response.json()["type"] == PROBLEM + "rate-limited"


def test_another_citizens_booking_reads_as_not_found(client, qservice, citizen_a, citizen_b):
    code = book(client, token_for(client, citizen_a), qservice).json()["code"]
    auth = {"Authorization": f"Bearer {token_for(client, citizen_b)}"}
    assert client.get(f"/api/v1/queue/bookings/{code}", headers=auth).status_code == 404
    response = client.post(f"/api/v1/queue/bookings/{code}/cancel", headers=auth)
    assert response.status_code == 404
    assert Booking.objects.get(code=code).status == "active"


def test_ics_has_uid_dtstamp_dtstart_dtend(client, qservice, citizen_a):
    token = token_for(client, citizen_a)
    code = book(client, token, qservice, time="13:00").json()["code"]
    response = client.get(
        f"/api/v1/queue/bookings/{code}/ics", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]).startswith(f"booking-{code}@")
    assert event["DTSTAMP"].dt is not None
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    assert start.isoformat() == "2026-12-07T13:00:00+07:00"
    assert (end - start) == dt.timedelta(minutes=30)


def test_listing_bookings_takes_the_same_queries_for_few_and_many(
    client, hours, agency_a, citizen_a, settings
):
    settings.MPP_QUEUE_MAX_PER_DAY = 100
    settings.MPP_RATE_BOOKING_ACCOUNT = "1000/m"
    token = token_for(client, citizen_a)
    auth = {"Authorization": f"Bearer {token}"}
    services = [make_queue_service(agency=agency_a, prefix=p) for p in "ABCDEFGHIJKL"]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/queue/bookings", headers=auth).status_code == 200
        return len(queries)

    for service in services[:2]:
        book(client, token, service)
    few = count()
    for service in services[2:]:
        book(client, token, service)
    assert count() == few


def test_openapi_lists_the_queue_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/queue/bookings" in paths and "/api/v1/auth/token" in paths
    assert "bearer" in str(client.get("/api/v1/openapi.json").json()["components"]).lower()


def test_an_unverified_citizen_gets_a_token_but_cannot_book(client, qservice, make_user):
    unverified = make_citizen(make_user, "baru", "3573010101900007", verified=False)
    token = token_for(client, unverified)
    response = book(client, token, qservice)
    assert response.status_code == 403
    assert response.json()["type"] == PROBLEM + "forbidden"
    assert "Verifikasi" in response.json()["detail"]
    assert not Booking.objects.exists()


def test_a_revoked_token_is_refused(client, qservice, citizen_a):
    token = token_for(client, citizen_a)
    auth = {"Authorization": f"Bearer {token}"}
    assert client.delete("/api/v1/auth/token", headers=auth).status_code == 204
    assert client.get("/api/v1/queue/bookings", headers=auth).status_code == 401
    assert CitizenApiToken.objects.get().revoked_at is not None


def test_token_sign_in_is_rate_limited_per_ip(client, citizen_a, settings):
    settings.MPP_RATE_API_TOKEN = "2/h"
    token_for(client, citizen_a)
    token_for(client, citizen_a)
    response = client.post(
        "/api/v1/auth/token",
        {"identifier": citizen_a.email, "password": "rahasia-Panjang-123"},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["type"] == PROBLEM + "rate-limited"


def test_booking_for_a_represented_person_through_the_api(client, qservice, citizen_a):
    from mpp.accounts.models import Representation

    Representation.objects.create(
        representative=citizen_a,
        represented_nik="3573014101900002",
        represented_name="Ibu Siti",
        relationship="parent",
        power_of_attorney="kuasa/x.pdf",
        power_of_attorney_type="application/pdf",
        valid_from=dt.date(2026, 11, 1),
        valid_until=dt.date(2027, 1, 31),
    )
    response = book(client, token_for(client, citizen_a), qservice, for_nik="3573014101900002")
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Ibu Siti" and body["for_someone_else"] is True
    assert body["nik_masked"] == "3573••••••••0002"


def test_far_off_and_past_dates_create_no_slots(client, qservice, citizen_a):
    token = token_for(client, citizen_a)
    for day in (dt.date(2030, 1, 7), dt.date(2026, 11, 30)):
        response = book(client, token, qservice, date=day)
        assert response.status_code == 409
        assert response.json()["type"] == PROBLEM + "window-not-open"
        slots = client.get(f"/api/v1/queue/services/{qservice.service.slug}/slots?date={day}")
        assert slots.json()["slots"] == []
    assert not Slot.objects.exists()
