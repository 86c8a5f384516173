"""Two-factor sign-in (TOTP) for officers: enrolled on first sign-in, then asked each time."""

import datetime as dt
import re

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice

from mpp.accounts.testing import key_from_secret, totp_code, verified_login
from mpp.core.models import AuditRecord

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-Panjang-123"
START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def sign_in(client, identifier: str, next_path: str = ""):
    data = {"identifier": identifier, "password": PASSWORD}
    if next_path:
        data["next"] = next_path
    return client.post("/akun/masuk/", data)


def code_now(user) -> str:
    return totp_code(TOTPDevice.objects.get(user=user).bin_key)


def test_an_officer_enrols_on_first_sign_in_then_verifies_on_the_next(client, admin_a, clock):
    sign_in(client, "admin_a")
    response = client.get("/kelola/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/2fa/?next=%2Fkelola%2F"
    response = client.get(response["Location"])
    assert response["Location"] == "/akun/2fa/daftar/?next=%2Fkelola%2F"

    enrol = client.get(response["Location"]).content.decode()
    assert "Aktifkan verifikasi dua langkah" in enrol
    secret = re.search(r'data-secret="([A-Z2-7]+)"', enrol).group(1)
    device = TOTPDevice.objects.get(user=admin_a)
    assert key_from_secret(secret) == device.bin_key and not device.confirmed

    response = client.post(
        "/akun/2fa/daftar/", {"token": totp_code(device.bin_key), "next": "/kelola/"}
    )
    assert response["Location"] == "/kelola/"
    assert client.get("/kelola/").status_code == 200
    assert TOTPDevice.objects.get(user=admin_a).confirmed
    assert AuditRecord.objects.filter(action="account.two_factor_enrolled").count() == 1

    client.post("/akun/keluar/")
    clock.shift(dt.timedelta(seconds=60))
    sign_in(client, "admin_a")
    response = client.get("/kelola/")
    assert response["Location"] == "/akun/2fa/?next=%2Fkelola%2F"
    verify = client.get(response["Location"])
    assert verify.status_code == 200
    assert "Verifikasi dua langkah" in verify.content.decode()
    assert "data-secret" not in verify.content.decode()  # no new enrolment offered
    response = client.post("/akun/2fa/", {"token": code_now(admin_a), "next": "/kelola/"})
    assert response["Location"] == "/kelola/"
    assert client.get("/kelola/").status_code == 200
    assert TOTPDevice.objects.filter(user=admin_a).count() == 1


def test_the_qr_code_is_inline_svg_and_the_key_can_be_typed(client, manager):
    sign_in(client, "pengelola")
    html = client.get("/akun/2fa/daftar/").content.decode()
    assert re.search(r'<svg role="img" aria-label="[^"]+"', html)
    assert "<img" not in html.split('<main id="main"')[1]
    assert re.search(r'id="totp-secret"[^>]*>([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>', html)


def test_the_enrolment_key_stays_the_same_until_confirmed(client, manager):
    sign_in(client, "pengelola")
    first = re.search(r'data-secret="(\w+)"', client.get("/akun/2fa/daftar/").content.decode())
    again = re.search(r'data-secret="(\w+)"', client.get("/akun/2fa/daftar/").content.decode())
    assert first.group(1) == again.group(1)
    assert TOTPDevice.objects.filter(user=manager).count() == 1


def test_an_enrolled_officer_cannot_enrol_another_authenticator(client, admin_a):
    TOTPDevice.objects.create(user=admin_a, name="authenticator", confirmed=True)
    sign_in(client, "admin_a")
    response = client.get("/akun/2fa/daftar/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/2fa/?")
    client.post("/akun/2fa/daftar/", {"token": "123456"})
    assert TOTPDevice.objects.filter(user=admin_a).count() == 1


def test_a_wrong_code_is_refused_then_throttled(client, admin_a, clock):
    device = TOTPDevice.objects.create(user=admin_a, name="authenticator", confirmed=True)
    sign_in(client, "admin_a")
    right = totp_code(device.bin_key)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = client.post("/akun/2fa/", {"token": wrong})
    assert response.status_code == 200
    assert "Kode salah atau sudah kedaluwarsa" in response.content.decode()
    # django-otp's throttling: even the right code waits for the delay after a wrong one.
    response = client.post("/akun/2fa/", {"token": right})
    assert "Tunggu beberapa detik" in response.content.decode()
    assert client.get("/kelola/").status_code == 302

    clock.shift(dt.timedelta(seconds=31))
    response = client.post("/akun/2fa/", {"token": totp_code(device.bin_key)})
    assert response.status_code == 302
    assert client.get("/kelola/").status_code == 200


@pytest.mark.parametrize("token", ["", "12345", "abcdef", "1234567", "x" * 50])
def test_a_malformed_code_has_a_clear_message(client, admin_a, token):
    TOTPDevice.objects.create(user=admin_a, name="authenticator", confirmed=True)
    sign_in(client, "admin_a")
    response = client.post("/akun/2fa/", {"token": token})
    assert response.status_code == 200
    html = response.content.decode()
    assert "6 angka" in html
    assert 'aria-invalid="true"' in html


def test_spaces_in_the_code_are_accepted(client, admin_a, clock):
    device = TOTPDevice.objects.create(user=admin_a, name="authenticator", confirmed=True)
    sign_in(client, "admin_a")
    code = totp_code(device.bin_key)
    response = client.post("/akun/2fa/", {"token": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302


def test_a_next_page_on_another_site_is_ignored_after_the_code(client, admin_a, clock):
    device = TOTPDevice.objects.create(user=admin_a, name="authenticator", confirmed=True)
    sign_in(client, "admin_a")
    response = client.post(
        "/akun/2fa/", {"token": totp_code(device.bin_key), "next": "https://jahat.example/"}
    )
    assert response["Location"] == "/kelola/"


def test_before_the_code_an_officer_reaches_only_the_2fa_pages_and_sign_out(client, admin_a):
    sign_in(client, "admin_a")
    for path in ("/", "/layanan/", "/kelola/", "/api/v1/services", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/akun/2fa/"), path
    assert client.post("/kelola/kalender/", {"day": "2026-04-07"})["Location"] == "/akun/2fa/"
    assert client.get("/akun/2fa/daftar/").status_code == 200
    assert client.get("/static/css/mpp.css").status_code != 302  # not sent to 2FA
    assert client.post("/akun/keluar/").status_code == 302
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_a_citizen_is_never_asked_for_a_code(client, make_user):
    make_user("warga", email="warga@contoh.id")
    response = sign_in(client, "warga@contoh.id")
    assert response["Location"] == "/"
    for path in ("/", "/layanan/", "/akun/lupa-sandi/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/akun/2fa/")["Location"] == "/"
    assert client.get("/akun/2fa/daftar/")["Location"] == "/"
    assert not TOTPDevice.objects.exists()


def test_the_django_admin_needs_the_second_factor(client, make_user):
    root = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get("/admin/")["Location"].startswith("/akun/2fa/")
    verified_login(client, root)
    assert client.get("/admin/").status_code == 200


def test_the_admin_sign_in_page_is_ours(client, db):
    response = client.get("/admin/login/?next=/admin/agencies/")
    assert response["Location"] == "/akun/masuk/?next=%2Fadmin%2Fagencies%2F"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_verified_login_lets_an_officer_straight_into_kelola(client, manager):
    verified_login(client, manager)
    assert client.get("/kelola/").status_code == 200
    assert client.get("/kelola/kalender/").status_code == 200
