"""The MPP manager's calendar page at /kelola/kalender/."""

import datetime as dt

import pytest
from django.urls import reverse

from mpp.accounts.testing import verified_login
from mpp.core.models import AuditRecord, CalendarOverride

pytestmark = pytest.mark.django_db

URL = "/kelola/kalender/"
CLEAR_URL = "/kelola/kalender/hapus/"


@pytest.fixture
def manager_client(client, manager):
    verified_login(client, manager)
    return client


def test_the_routes_have_the_documented_paths():
    assert reverse("core:calendar") == URL
    assert reverse("core:calendar_clear") == CLEAR_URL


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/akun/" in response["Location"] or "login" in response["Location"]
    assert client.post(URL, {"day": "2026-04-07"}).status_code == 302
    assert not CalendarOverride.objects.exists()


@pytest.mark.parametrize("persona", ["citizen", "admin_a", "auditor"])
def test_non_managers_are_forbidden(client, request, persona):
    verified_login(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    form = {"day": "2026-04-07", "kind": "holiday", "reason": "Banjir"}
    assert client.post(URL, form).status_code == 403
    CalendarOverride.objects.create(date=dt.date(2026, 4, 8), is_working_day=False, reason="x")
    assert client.post(CLEAR_URL, {"day": "2026-04-08"}).status_code == 403
    assert CalendarOverride.objects.count() == 1


def test_the_manager_sees_idul_fitri_and_cuti_bersama(manager_client):
    response = manager_client.get(URL, {"tahun": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hari Raya Idul Fitri" in html
    assert "Cuti Bersama Hari Raya Idul Fitri" in html
    assert "Libur nasional" in html
    assert "Cuti bersama" in html
    assert 'datetime="2026-03-21"' in html


@pytest.mark.parametrize("year", ["abc", "-1", "99999", ""])
def test_a_bad_year_shows_the_current_year(manager_client, year):
    assert manager_client.get(URL, {"tahun": year}).status_code == 200


def test_the_manager_adds_a_manual_holiday(manager_client, manager):
    form = {"day": "2026-04-07", "kind": "holiday", "reason": "Hari jadi Kota Malang"}
    response = manager_client.post(URL, form)
    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    assert (override.date, override.is_working_day) == (dt.date(2026, 4, 7), False)
    assert override.created_by == manager
    page = manager_client.get(response["Location"]).content.decode()
    assert "Hari jadi Kota Malang" in page
    assert "Ditetapkan pengelola" in page


def test_the_manager_adds_a_working_saturday(manager_client):
    form = {"day": "2026-03-28", "kind": "working", "reason": "Layanan akhir pekan"}
    assert manager_client.post(URL, form).status_code == 302
    assert CalendarOverride.objects.get().is_working_day


@pytest.mark.parametrize(
    "form",
    [
        {"day": "2026-04-07", "kind": "holiday", "reason": ""},
        {"day": "bukan-tanggal", "kind": "holiday", "reason": "x"},
        {"day": "2026-02-30", "kind": "holiday", "reason": "x"},
        {"day": "1900-01-01", "kind": "holiday", "reason": "x"},
        {"day": "2026-04-07", "kind": "libur?", "reason": "x"},
        {"day": "2026-04-07", "kind": "holiday", "reason": "x" * 500},
        {},
    ],
)
def test_bad_input_redisplays_the_form_without_saving(manager_client, form):
    response = manager_client.post(URL, form)
    assert response.status_code == 400
    assert b"field-error" in response.content
    assert not CalendarOverride.objects.exists()


def test_a_service_refusal_is_shown_in_the_form(manager_client):
    form = {"day": "2026-04-07", "kind": "working", "reason": "Sudah hari kerja"}
    response = manager_client.post(URL, form)
    assert response.status_code == 400
    assert "sudah hari kerja menurut kalender nasional" in response.content.decode()


def test_the_manager_removes_a_manual_entry(manager_client):
    CalendarOverride.objects.create(date=dt.date(2026, 4, 7), is_working_day=False, reason="x")
    response = manager_client.post(CLEAR_URL, {"day": "2026-04-07"})
    assert response.status_code == 302
    assert response["Location"].endswith("?tahun=2026")
    assert not CalendarOverride.objects.exists()
    assert AuditRecord.objects.filter(action="calendar.day_cleared").exists()


@pytest.mark.parametrize("day", ["2026-04-09", "garbage", ""])
def test_removing_something_that_is_not_there_is_a_message_not_an_error(manager_client, day):
    response = manager_client.post(CLEAR_URL, {"day": day}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain


def test_removal_needs_post(manager_client):
    assert manager_client.get(CLEAR_URL).status_code == 405


def test_removal_needs_the_csrf_token(manager):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    verified_login(client, manager)
    CalendarOverride.objects.create(date=dt.date(2026, 4, 7), is_working_day=False, reason="x")
    assert client.post(CLEAR_URL, {"day": "2026-04-07"}).status_code == 403
    assert CalendarOverride.objects.exists()


def test_the_page_has_no_inline_scripts_or_styles(manager_client):
    html = manager_client.get(URL, {"tahun": "2026"}).content.decode()
    assert "<script" not in html.split("</main>")[0].split('<main id="main"')[1]
    assert "style=" not in html
    assert "<style" not in html


def test_the_minimal_bench_view_is_not_routed_by_default(client):
    assert client.get("/_bench/minimal").status_code == 404
