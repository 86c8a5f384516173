"""Lockout after repeated wrong passwords (django-axes), per identifier however it is typed,
and the two ways out: wait, or reset the password by e-mail."""

import datetime as dt
import re

import pytest
import time_machine

pytestmark = pytest.mark.django_db

URL = "/akun/masuk/"
PASSWORD = "rahasia-Panjang-123"
WRONG_PASSWORD = "salah-sekali"
START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = 15 / 60


@pytest.fixture
def siti(make_user):
    return make_user("u-7f3a", email="siti@contoh.id", phone="+6281234567890")


def attempt(client, identifier: str, password: str = WRONG_PASSWORD):
    return client.post(URL, {"identifier": identifier, "password": password})


def fail(client, identifier: str, times: int):
    return [attempt(client, identifier) for _ in range(times)][-1]


def is_signed_in(client) -> bool:
    return client.get("/").wsgi_request.user.is_authenticated


def test_four_failures_do_not_lock(client, siti):
    assert fail(client, "siti@contoh.id", 4).status_code == 200
    assert attempt(client, "siti@contoh.id", PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_the_fifth_failure_locks_and_even_the_right_password_is_refused(client, siti):
    locked = fail(client, "siti@contoh.id", 5)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Masuk dikunci sementara" in html
    assert "15 menit" in html
    assert 'href="/akun/lupa-sandi/"' in html
    assert attempt(client, "siti@contoh.id", PASSWORD).status_code == 429
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    "spellings",
    [
        [
            "siti@contoh.id",
            "SITI@contoh.id",
            " Siti@Contoh.ID ",
            "siti@CONTOH.id",
            "SITI@CONTOH.ID",
        ],
        ["081234567890", "0812-3456-7890", "+62 812 3456 7890", "6281234567890", "0812 3456 7890"],
    ],
    ids=["email", "phone"],
)
def test_the_lock_counts_the_identifier_however_it_is_written(client, siti, spellings):
    responses = [attempt(client, identifier) for identifier in spellings]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert attempt(client, spellings[0], PASSWORD).status_code == 429


def test_the_locked_page_is_the_same_for_an_unknown_identifier(client, siti):
    known = fail(client, "siti@contoh.id", 5)
    unknown = fail(client, "tidak.ada@contoh.id", 5)
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content


def test_another_identifier_is_not_locked(client, siti, make_user):
    make_user("budi", email="budi@contoh.id")
    fail(client, "siti@contoh.id", 5)
    assert attempt(client, "budi@contoh.id", PASSWORD).status_code == 302


def test_the_lock_ends_after_fifteen_minutes(client, siti):
    with time_machine.travel(START, tick=False) as clock:
        fail(client, "siti@contoh.id", 5)
        clock.shift(dt.timedelta(minutes=14))
        assert attempt(client, "siti@contoh.id", PASSWORD).status_code == 429
        clock.shift(dt.timedelta(minutes=16))
        assert attempt(client, "siti@contoh.id", PASSWORD).status_code == 302
        assert is_signed_in(client)


def test_a_success_forgets_earlier_failures(client, siti):
    fail(client, "siti@contoh.id", 4)
    attempt(client, "siti@contoh.id", PASSWORD)
    client.post("/akun/keluar/")
    assert fail(client, "siti@contoh.id", 4).status_code == 200


def test_a_password_reset_by_email_unlocks(
    client, siti, smtp_server, django_capture_on_commit_callbacks
):
    fail(client, "siti@contoh.id", 5)
    fail(client, "081234567890", 5)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/akun/lupa-sandi/", {"email": "siti@contoh.id"})
    link = re.search(
        r"http://testserver(/akun/atur-sandi/\S+)", smtp_server.bodies_to("siti@contoh.id")[0]
    )
    form_url = client.get(link.group(1))["Location"]
    new = {"new_password1": "Sandi-Baru-2026!", "new_password2": "Sandi-Baru-2026!"}
    assert client.post(form_url, new).status_code == 302

    assert attempt(client, "siti@contoh.id", "Sandi-Baru-2026!").status_code == 302
    client.post("/akun/keluar/")
    assert attempt(client, "0812 3456 7890", "Sandi-Baru-2026!").status_code == 302
