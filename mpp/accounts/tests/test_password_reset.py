"""Password reset by e-mail at /akun/lupa-sandi/: the same answer for every address, mail
through the worker and a real SMTP conversation, rate limits, and a new password that works."""

import re

import pytest
from django.urls import reverse

from mpp.core.models import AuditRecord

pytestmark = pytest.mark.django_db

URL = "/akun/lupa-sandi/"
NEW = "Sandi-Baru-2026!"


@pytest.fixture
def siti(make_user):
    return make_user("u-7f3a", email="siti@contoh.id", full_name="Siti Aminah")


@pytest.fixture
def request_reset(client, smtp_server, django_capture_on_commit_callbacks):
    def _request(email: str, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, {"email": email}, **headers)

    return _request


def reset_link(smtp_server, address: str) -> str:
    body = smtp_server.bodies_to(address)[-1]
    return re.search(r"http://testserver(/akun/atur-sandi/\S+/)", body).group(1)


def test_the_routes_have_their_paths():
    assert reverse("accounts:password_reset") == URL
    assert reverse("accounts:password_reset_done") == "/akun/lupa-sandi/terkirim/"


def test_the_answer_is_the_same_whether_or_not_the_address_exists(siti, request_reset, smtp_server):
    known = request_reset("siti@contoh.id")
    unknown = request_reset("tidak.ada@contoh.id")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/akun/lupa-sandi/terkirim/"
    assert len(smtp_server.messages) == 1
    assert smtp_server.bodies_to("tidak.ada@contoh.id") == []


def test_the_link_arrives_by_smtp_and_sets_a_new_password(client, siti, request_reset, smtp_server):
    request_reset("SITI@Contoh.ID")
    message = smtp_server.messages[0]
    assert "Atur ulang kata sandi" in message["Subject"]
    body = smtp_server.bodies_to("siti@contoh.id")[0]
    assert "Halo Siti Aminah" in body

    form_url = client.get(reset_link(smtp_server, "siti@contoh.id"))["Location"]
    assert "Buat kata sandi baru" in client.get(form_url).content.decode()
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == "/akun/atur-sandi/selesai/"
    assert "Kata sandi diganti" in client.get(response["Location"]).content.decode()
    assert AuditRecord.objects.filter(action="account.password_reset").count() == 1

    old = client.post("/akun/masuk/", {"identifier": "siti@contoh.id", "password": "x"})
    assert old.status_code == 200
    new = client.post("/akun/masuk/", {"identifier": "siti@contoh.id", "password": NEW})
    assert new.status_code == 302


def test_a_used_link_no_longer_works(client, siti, request_reset, smtp_server):
    request_reset("siti@contoh.id")
    link = reset_link(smtp_server, "siti@contoh.id")
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    response = client.get(link)
    assert response.status_code == 200
    assert "Tautan ini tidak berlaku lagi" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/akun/atur-sandi/xx/yy/", "/akun/atur-sandi/MQ/set-password/", "/akun/atur-sandi/%00/a/"],
)
def test_a_bad_link_shows_a_clear_message(client, siti, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Minta tautan baru" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new_password1": NEW, "new_password2": NEW + "x"}, "tidak cocok"),
        ({"new_password1": "12345678", "new_password2": "12345678"}, "terlalu umum"),
        ({"new_password1": "", "new_password2": ""}, "tidak boleh kosong"),
    ],
)
def test_a_weak_or_mismatched_password_is_refused(
    client, siti, request_reset, smtp_server, data, message
):
    request_reset("siti@contoh.id")
    form_url = client.get(reset_link(smtp_server, "siti@contoh.id"))["Location"]
    response = client.post(form_url, data)
    assert response.status_code == 200
    assert message in response.content.decode().lower()
    siti.refresh_from_db()
    assert siti.check_password("rahasia-Panjang-123")


@pytest.mark.parametrize("email", ["", "bukan-email", "a@" + "b" * 300 + ".id"])
def test_a_malformed_address_gets_a_form_error(client, email):
    response = client.post(URL, {"email": email})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_requests_are_limited_per_address(siti, request_reset, smtp_server, settings):
    settings.MPP_RATE_PASSWORD_RESET = "2/h"
    for n in range(2):
        assert request_reset("siti@contoh.id", REMOTE_ADDR=f"10.0.0.{n}").status_code == 302
    limited = request_reset("SITI@contoh.id", REMOTE_ADDR="10.0.0.9")
    assert limited.status_code == 429
    assert "Terlalu banyak percobaan" in limited.content.decode()
    assert len(smtp_server.messages) == 2


def test_requests_are_limited_per_network_address(siti, request_reset, settings):
    settings.MPP_RATE_PASSWORD_RESET = "2/h"
    request_reset("a@contoh.id")
    request_reset("b@contoh.id")
    assert request_reset("siti@contoh.id").status_code == 429
    assert request_reset("siti@contoh.id", REMOTE_ADDR="10.0.0.1").status_code == 302


def test_the_limit_looks_the_same_for_unknown_addresses(request_reset, siti, settings):
    settings.MPP_RATE_PASSWORD_RESET = "1/h"
    request_reset("siti@contoh.id", REMOTE_ADDR="10.0.0.1")
    request_reset("tidak.ada@contoh.id", REMOTE_ADDR="10.0.0.2")
    known = request_reset("siti@contoh.id", REMOTE_ADDR="10.0.0.3")
    unknown = request_reset("tidak.ada@contoh.id", REMOTE_ADDR="10.0.0.4")
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content
