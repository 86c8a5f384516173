"""Contact verification by one-time code: e-mail through a real SMTP server, SMS through
the logging adapter."""

import datetime
import json
import logging
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from mpp.accounts.models import OneTimeCode, User
from mpp.accounts.permissions import require_verified_contact, verified_contact_required
from mpp.accounts.services.verification import (
    CodeRefused,
    hash_code,
    send_verification_code,
    verify_contact,
)
from mpp.accounts.sms import HttpGatewaySmsBackend, LoggingSmsBackend, send_sms
from mpp.core.errors import PermissionDenied
from mpp.core.models import AuditRecord

NIK = "3573011708900001"
EMAIL = "budi@example.id"
PHONE = "+6281234567890"
VERIFY = "/akun/verifikasi/"
SEND = "/akun/verifikasi/kirim/"
pytestmark = pytest.mark.django_db

START = datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC)


def sign_up(client, **overrides) -> User:
    data = {
        "nik": NIK,
        "full_name": "Budi Santoso",
        "birth_date": "1990-08-17",
        "sex": "M",
        "email": EMAIL,
        "phone": "",
        "password": "Merdeka-Malang-2025",
        "password_confirm": "Merdeka-Malang-2025",
        "consent": "on",
        **overrides,
    }
    response = client.post("/akun/daftar/", data)
    assert response.status_code == 302, response.text[:2000]
    return User.objects.get(citizen__nik=NIK)


def codes_in(bodies: list[str]) -> list[str]:
    return [re.search(r"^\s+(\d{6})\s*$", body, re.M).group(1) for body in bodies]


def sms_code(number: str = PHONE) -> str:
    return re.search(r"\b(\d{6})\b", LoggingSmsBackend.messages_to(number)[-1]).group(1)


def enter(client, code: str, channel: str = "email", follow: bool = False, **extra):
    data = {"channel": channel, f"{channel}-code": code, **extra}
    return client.post(VERIFY, data, follow=follow)


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    LoggingSmsBackend.outbox.clear()
    yield
    LoggingSmsBackend.outbox.clear()


@pytest.fixture
def signed_up(client, smtp_server, django_capture_on_commit_callbacks):
    """A citizen just signed up with e-mail only; returns (user, code from the e-mail)."""
    with django_capture_on_commit_callbacks(execute=True):
        user = sign_up(client)
    [code] = codes_in(smtp_server.bodies_to(EMAIL))
    return user, code


def test_the_emailed_code_verifies_the_account(client, smtp_server, signed_up):
    user, code = signed_up
    [message] = smtp_server.messages
    assert message["Subject"] == "Kode verifikasi akun MPP Anda"
    assert "berlaku 15 menit" in smtp_server.bodies_to(EMAIL)[0].lower()
    page = client.get(VERIFY)
    assert "bu•••@example.id" in page.text
    response = enter(client, code)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None and user.has_verified_contact
    follow = client.get(response["Location"])
    assert "sudah terverifikasi" in follow.text
    assert AuditRecord.objects.filter(action="accounts.contact_verified").exists()


def test_only_an_hmac_of_the_code_is_stored(signed_up):
    user, code = signed_up
    stored = OneTimeCode.objects.get(user=user)
    assert code not in str(stored.__dict__)
    expected = hash_code(user=user, channel="email", destination=EMAIL, code=code)
    assert stored.code_hash == expected and len(expected) == 64


def test_a_wrong_code_is_refused_and_counted(client, signed_up):
    user, code = signed_up
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    response = enter(client, wrong)
    assert response.status_code == 400
    assert "Kode salah. Sisa percobaan untuk kode ini: 4." in response.text
    assert OneTimeCode.objects.get(user=user).attempts == 1
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_a_code_that_is_not_six_digits_is_refused(client, signed_up):
    response = enter(client, "12ab")
    assert response.status_code == 400
    assert "Kode terdiri dari 6 angka." in response.text


def test_after_five_wrong_guesses_even_the_right_code_is_refused(client, signed_up):
    user, code = signed_up
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for _ in range(4):
        enter(client, wrong)
    assert "percobaan untuk kode ini sudah habis" in enter(client, wrong).text
    response = enter(client, code)
    assert "Terlalu banyak percobaan yang salah untuk kode ini" in response.text
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_an_expired_code_is_refused(client, smtp_server, django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            sign_up(client)
        [code] = codes_in(smtp_server.bodies_to(EMAIL))
        clock.shift(datetime.timedelta(minutes=15, seconds=1))
        response = enter(client, code)
    assert response.status_code == 400
    assert "Kode sudah kedaluwarsa" in response.text


def test_a_code_works_until_it_expires(client, smtp_server, django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            user = sign_up(client)
        [code] = codes_in(smtp_server.bodies_to(EMAIL))
        clock.shift(datetime.timedelta(minutes=14, seconds=59))
        assert enter(client, code).status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at == START + datetime.timedelta(minutes=14, seconds=59)


def test_a_code_is_used_once(client, signed_up):
    user, code = signed_up
    enter(client, code)
    # Verified already: the page says so instead of accepting the code again.
    response = enter(client, code, follow=True)
    assert "E-mail Anda sudah terverifikasi." in response.text
    # Even if the contact became unverified again, the used code does not work twice.
    User.objects.filter(pk=user.pk).update(email_verified_at=None)
    response = enter(client, code)
    assert "Kode ini sudah pernah digunakan" in response.text


def test_a_new_code_replaces_the_old_one(
    client, smtp_server, signed_up, django_capture_on_commit_callbacks
):
    user, old = signed_up
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(SEND, {"channel": "email"}).status_code == 302
    [first, new] = codes_in(smtp_server.bodies_to(EMAIL))
    assert first == old
    if new != old:  # one chance in a million that they are equal
        assert enter(client, old).status_code == 400
    assert enter(client, new).status_code == 302
    assert OneTimeCode.objects.filter(user=user).count() == 2


def test_resending_shows_where_the_code_went(client, signed_up):
    response = client.post(SEND, {"channel": "email"}, follow=True)
    assert "Kode baru sudah dikirim ke bu•••@example.id" in response.text


def test_resending_is_rate_limited_per_ip(client, signed_up, settings):
    settings.MPP_RATE_CODE = "2/h"
    for _ in range(2):
        assert client.post(SEND, {"channel": "email"}).status_code == 302
    response = client.post(SEND, {"channel": "email"})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.text


def test_resending_is_rate_limited_per_account_from_any_address(client, signed_up, settings):
    settings.MPP_RATE_CODE = "2/h"
    for n in range(2):
        client.post(SEND, {"channel": "email"}, REMOTE_ADDR=f"10.0.0.{n}")
    assert client.post(SEND, {"channel": "email"}, REMOTE_ADDR="10.0.0.99").status_code == 429


def test_the_sms_code_verifies_the_phone_and_logs_only_a_masked_number(
    client, db, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="mpp.sms")
    with django_capture_on_commit_callbacks(execute=True):
        user = sign_up(client, email="", phone="0812-3456-7890")
    code = sms_code()
    assert "+62812••••7890" in caplog.text
    assert "81234567890" not in caplog.text
    assert enter(client, code, channel="sms").status_code == 302
    user.refresh_from_db()
    assert user.phone_verified_at is not None and user.email_verified_at is None


def test_both_contacts_get_their_own_code(client, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = sign_up(client, phone="081234567890")
    assert codes_in(smtp_server.bodies_to(EMAIL)) and LoggingSmsBackend.messages_to(PHONE)
    page = client.get(VERIFY).text
    assert "bu•••@example.id" in page and "+62812••••7890" in page
    assert enter(client, sms_code(), channel="sms").status_code == 302
    user.refresh_from_db()
    assert user.phone_verified_at and not user.email_verified_at


def test_the_nik_never_appears_in_logs_or_urls(
    client, smtp_server, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/akun/daftar/",
            {
                "nik": NIK,
                "full_name": "Budi Santoso",
                "birth_date": "1990-08-17",
                "sex": "M",
                "email": EMAIL,
                "phone": "081234567890",
                "password": "Merdeka-Malang-2025",
                "password_confirm": "Merdeka-Malang-2025",
                "consent": "on",
            },
            follow=True,
        )
    assert smtp_server.messages and LoggingSmsBackend.outbox
    assert all(NIK not in url for url, _ in response.redirect_chain)
    enter(client, "000000")
    assert NIK not in caplog.text


def test_the_page_needs_a_signed_in_user(client, db):
    response = client.get(VERIFY)
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_after_verifying_the_user_goes_back_where_they_were(client, signed_up):
    _user, code = signed_up
    response = enter(client, code, next="/layanan/")
    assert response["Location"] == "/layanan/"


def test_an_outside_next_address_is_ignored(client, signed_up):
    _user, code = signed_up
    assert enter(client, code, next="https://evil.example/")["Location"] == VERIFY


def test_service_refusals_carry_a_stable_reason(signed_up):
    user, code = signed_up
    with pytest.raises(CodeRefused) as caught:
        verify_contact(actor=user, channel="email", code="abcdef")
    assert caught.value.code == "format"
    verify_contact(actor=user, channel="email", code=code)
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_no_code_is_sent_to_a_contact_the_account_lacks(citizen):
    from mpp.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        send_verification_code(actor=citizen, channel="sms")


# Permission: unverified accounts browse, but may not act.


def test_require_verified_contact_refuses_an_unverified_account(citizen):
    with pytest.raises(PermissionDenied) as caught:
        require_verified_contact(citizen)
    assert "Verifikasi e-mail atau nomor ponsel" in caught.value.detail


def test_require_verified_contact_lets_a_verified_account_act(citizen):
    citizen.phone_verified_at = START
    require_verified_contact(citizen)


def _request(user, path="/ajukan/ktp/?x=1"):
    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@verified_contact_required
def _act(request):
    return HttpResponse("acted")


def test_the_decorator_sends_an_unverified_user_to_verification(citizen):
    request = _request(citizen)
    response = _act(request)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:verify')}?next=%2Fajukan%2Fktp%2F%3Fx%3D1"
    [message] = list(get_messages(request))
    assert "Verifikasi e-mail atau nomor ponsel" in str(message)


def test_the_decorator_lets_a_verified_user_act(citizen):
    citizen.email_verified_at = START
    assert _act(_request(citizen)).content == b"acted"


def test_the_decorator_sends_anonymous_people_to_sign_in(db):
    from django.contrib.auth.models import AnonymousUser

    response = _act(_request(AnonymousUser()))
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")


# The SMS adapter.


def test_send_sms_uses_the_configured_backend(settings):
    settings.MPP_SMS_BACKEND = "mpp.accounts.sms.LoggingSmsBackend"
    send_sms(PHONE, "halo")
    assert LoggingSmsBackend.messages_to(PHONE) == ["halo"]


def test_the_http_gateway_backend_posts_json(settings):
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers["Authorization"], json.loads(body)))
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    settings.MPP_SMS_BACKEND = "mpp.accounts.sms.HttpGatewaySmsBackend"
    settings.MPP_SMS_HTTP_URL = f"http://127.0.0.1:{server.server_port}/sms"
    settings.MPP_SMS_HTTP_TOKEN = "rahasia"
    try:
        send_sms(PHONE, "Kode 123456")
    finally:
        thread.join()
        server.server_close()
    assert received == [("Bearer rahasia", {"to": PHONE, "text": "Kode 123456"})]
    assert isinstance(HttpGatewaySmsBackend(), HttpGatewaySmsBackend)


def test_an_account_without_contacts_is_told_so(client, citizen):
    client.force_login(citizen)
    response = client.get(VERIFY)
    assert response.status_code == 200
    assert "belum memiliki e-mail atau nomor ponsel" in response.text


def test_an_unknown_channel_is_refused_without_error(client, citizen):
    client.force_login(citizen)
    response = client.post(VERIFY, {"channel": "fax", "fax-code": "123456"}, follow=True)
    assert response.status_code == 200
    assert "Pilih kontak yang akan diverifikasi." in response.text
    response = client.post(SEND, {"channel": "fax"}, follow=True)
    assert response.status_code == 200
    assert "Saluran verifikasi tidak dikenal." in response.text
