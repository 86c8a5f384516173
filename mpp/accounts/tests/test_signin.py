"""Sign-in at /akun/masuk/ by e-mail, mobile number or username; idle sessions expire."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/akun/masuk/"
PASSWORD = "rahasia-Panjang-123"
WRONG = "E-mail, nomor ponsel, nama pengguna, atau kata sandi salah."


@pytest.fixture
def siti(make_user):
    return make_user("u-7f3a", email="Siti.Aminah@Contoh.id", phone="+6281234567890")


def sign_in(client, identifier: str, password: str = PASSWORD, *, next: str = "", **headers):
    data = {"identifier": identifier, "password": password}
    if next:
        data["next"] = next
    return client.post(URL, data, **headers)


def signed_in_user(client):
    return client.get("/").wsgi_request.user


def test_the_urls_keep_their_names():
    assert reverse("accounts:login") == URL
    assert reverse("accounts:logout") == "/akun/keluar/"
    assert reverse("accounts:password_reset") == "/akun/lupa-sandi/"


def test_the_page_asks_for_one_identifier_and_the_password(client):
    html = client.get(URL).content.decode()
    assert "E-mail, nomor ponsel, atau nama pengguna" in html
    assert 'name="identifier"' in html and 'name="password"' in html
    assert reverse("accounts:password_reset") in html


@pytest.mark.parametrize("identifier", ["siti.aminah@contoh.id", "SITI.AMINAH@CONTOH.ID"])
def test_a_citizen_signs_in_by_email_in_any_case(client, siti, identifier):
    response = sign_in(client, f"  {identifier} ")
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:home")
    assert signed_in_user(client) == siti


@pytest.mark.parametrize(
    "identifier", ["081234567890", "0812-3456-7890", "+62 812 3456 7890", "6281234567890"]
)
def test_a_citizen_signs_in_by_mobile_number_however_written(client, siti, identifier):
    assert sign_in(client, identifier).status_code == 302
    assert signed_in_user(client) == siti


def test_a_user_signs_in_by_username(client, siti):
    assert sign_in(client, "u-7f3a").status_code == 302
    assert signed_in_user(client) == siti


def test_unknown_account_and_wrong_password_read_the_same(client, siti):
    unknown = sign_in(client, "tidak.ada@contoh.id")
    wrong = sign_in(client, "siti.aminah@contoh.id", "salah-sekali")
    assert unknown.status_code == wrong.status_code == 200
    for response in (unknown, wrong):
        assert WRONG in response.content.decode()

    def message(response) -> str:
        html = response.content.decode()
        return html[html.index('<div class="error-summary"') : html.index("</ul>")]

    assert message(unknown) == message(wrong)
    assert not signed_in_user(client).is_authenticated


def test_the_typed_identifier_is_kept_after_a_refusal(client, siti):
    html = sign_in(client, "siti.aminah@contoh.id", "salah").content.decode()
    assert 'value="siti.aminah@contoh.id"' in html
    assert 'aria-invalid="true"' in html


def test_an_inactive_account_is_refused_with_the_same_message(client, siti):
    siti.is_active = False
    siti.save()
    response = sign_in(client, "siti.aminah@contoh.id")
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_an_unknown_account_still_costs_one_password_hash(client, db):
    # The same work as for a real account: the response time does not tell who exists.
    with mock.patch.object(MD5PasswordHasher, "encode", autospec=True, return_value="x") as h:
        sign_in(client, "tidak.ada@contoh.id")
        sign_in(client, "081299998888")
        sign_in(client, "tidak_ada")
    assert h.call_count == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"identifier": "", "password": PASSWORD}, "Isi e-mail, nomor ponsel, atau nama pengguna."),
        ({"identifier": "siti.aminah@contoh.id", "password": ""}, "Isi kata sandi."),
    ],
)
def test_each_empty_field_has_its_own_message(client, siti, data, message):
    response = client.post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "identifier", ["x" * 5000, "\x00", "+62", "@", "😀", "0" * 40, "' OR 1=1 --"]
)
def test_odd_input_is_refused_without_an_error_page(client, siti, identifier):
    response = sign_in(client, identifier)
    assert response.status_code == 200
    assert not signed_in_user(client).is_authenticated


def test_a_safe_next_page_is_followed(client, siti):
    response = sign_in(client, "siti.aminah@contoh.id", next="/layanan/")
    assert response["Location"] == "/layanan/"


@pytest.mark.parametrize("target", ["https://jahat.example/", "//jahat.example/", "javascript:x"])
def test_a_next_page_on_another_site_is_ignored(client, siti, target):
    response = sign_in(client, "siti.aminah@contoh.id", next=target)
    assert response["Location"] == reverse("catalog:home")


def test_an_officer_goes_on_to_the_second_factor_then_kelola(client, admin_a):
    response = sign_in(client, "admin_a")
    assert response["Location"] == "/akun/2fa/?next=%2Fkelola%2F"


def test_sign_in_posts_are_limited_per_address(client, siti, settings):
    settings.MPP_RATE_SIGNIN = "3/h"
    for _ in range(3):
        assert sign_in(client, "siti.aminah@contoh.id", "salah").status_code == 200
    limited = sign_in(client, "siti.aminah@contoh.id")
    assert limited.status_code == 429
    assert "Terlalu banyak percobaan" in limited.content.decode()
    assert not signed_in_user(client).is_authenticated
    other = sign_in(client, "siti.aminah@contoh.id", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_sign_out_needs_post_and_ends_the_session(client, siti):
    sign_in(client, "siti.aminah@contoh.id")
    assert client.get("/akun/keluar/").status_code == 405
    assert client.post("/akun/keluar/").status_code == 302
    assert not signed_in_user(client).is_authenticated


def test_an_idle_session_expires(client, siti, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    start = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, "siti.aminah@contoh.id")
        clock.shift(dt.timedelta(minutes=25))
        assert signed_in_user(client) == siti  # activity extends the session
        clock.shift(dt.timedelta(minutes=25))
        assert signed_in_user(client) == siti  # 25 minutes since the last request
        clock.shift(dt.timedelta(minutes=31))
        assert not signed_in_user(client).is_authenticated
