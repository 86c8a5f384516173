"""Citizen sign-up at /akun/daftar/: every refusal has its own message; duplicates are neutral."""

import logging
import re

import pytest
from django.urls import reverse

from mpp.accounts.models import CitizenProfile, User
from mpp.accounts.phone import InvalidPhone, normalise_phone
from mpp.accounts.services.signup import citizen_sign_up
from mpp.core.errors import ValidationFailed
from mpp.core.models import AuditRecord

NIK = "3573011708900001"  # Blimbing, Kota Malang; man born 17 August 1990
URL = "/akun/daftar/"


def form_data(**overrides) -> dict:
    data = {
        "nik": NIK,
        "full_name": "Budi Santoso",
        "birth_date": "1990-08-17",
        "sex": "M",
        "email": "budi@example.id",
        "phone": "0812 3456 7890",
        "password": "Merdeka-Malang-2025",
        "password_confirm": "Merdeka-Malang-2025",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def field_errors(response, field: str) -> str:
    """The text of the error list rendered next to one field."""
    match = re.search(
        rf'<ul class="field-errors" id="id_{field}_error">(.*?)</ul>', response.text, re.S
    )
    return re.sub(r"<[^>]+>", " ", match.group(1)) if match else ""


@pytest.fixture
def registered(db):
    """An existing citizen: NIK, e-mail and phone taken."""
    user = User.objects.create_user(
        username="w-existing",
        email="siti@example.id",
        phone="+6281311112222",
        password="x-Panjang-Sekali-1",
        full_name="Siti Aminah",
    )
    CitizenProfile.objects.create(
        user=user, nik="3573054503010002", birth_date="2001-03-05", sex="F"
    )
    return user


def test_the_page_asks_for_identity_contact_password_and_consent(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    text = response.text
    for label in (
        "NIK",
        "Nama lengkap",
        "Tanggal lahir",
        "Jenis kelamin",
        "E-mail",
        "Nomor ponsel",
        "Kata sandi",
        "Ulangi kata sandi",
        "UU Nomor 27 Tahun 2022",
    ):
        assert label in text
    assert text.count("<h1") == 1


def test_a_citizen_signs_up_and_is_signed_in_and_sent_to_verification(client, db):
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify")
    user = User.objects.get(email="budi@example.id")
    assert user.username.startswith("w-") and "budi" not in user.username
    assert user.full_name == "Budi Santoso"
    assert user.phone == "+6281234567890"
    assert not user.has_verified_contact
    assert user.citizen.nik == NIK and user.citizen.sex == "M"
    assert str(user.citizen.birth_date) == "1990-08-17"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_the_password_is_hashed_with_argon2(client, db, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    client.post(URL, form_data())
    user = User.objects.get(email="budi@example.id")
    assert user.password.startswith("argon2$")
    assert user.check_password("Merdeka-Malang-2025")


def test_the_sign_up_is_audited_with_consent_and_without_personal_data(client, db):
    client.post(URL, form_data())
    user = User.objects.get(email="budi@example.id")
    record = AuditRecord.objects.get(action="accounts.citizen_signed_up")
    assert record.target_id == str(user.pk)
    assert record.data["consent"] == "UU 27/2022"
    dumped = str(record.data)
    for secret in (NIK, "budi@example.id", "6281234567890", "Budi"):
        assert secret not in dumped


def test_a_woman_signs_up_with_day_plus_40(client, db):
    data = form_data(
        nik="3573054503010002", birth_date="2001-03-05", sex="F", email="sri@example.id", phone=""
    )
    assert client.post(URL, data).status_code == 302
    assert User.objects.get(email="sri@example.id").citizen.sex == "F"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("nik", "Isi NIK Anda."),
        ("full_name", "Isi nama lengkap sesuai KTP."),
        ("birth_date", "Isi tanggal lahir."),
        ("sex", "Pilih jenis kelamin."),
        ("password", "Isi kata sandi."),
        ("password_confirm", "Ulangi kata sandi."),
    ],
)
def test_each_missing_field_has_its_own_message(client, db, field, message):
    response = client.post(URL, form_data(**{field: ""}))
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nik": "35730117089000"}, "nik", "tepat 16 angka"),
        ({"nik": "3573061708900001"}, "nik", "daftar kode wilayah Kemendagri"),
        ({"nik": "3573013208900001"}, "nik", "bukan tanggal yang benar"),
        ({"nik": "3573011708900000"}, "nik", "tidak boleh 0000"),
        ({"birth_date": "1990-08-18"}, "nik", "tidak sama dengan tanggal lahir"),
        ({"sex": "F"}, "nik", "tidak sesuai dengan jenis kelamin"),
        ({"birth_date": "2990-08-17"}, "birth_date", "masa depan"),
        ({"birth_date": "17-13-1990"}, "birth_date", "Tanggal lahir tidak valid"),
        ({"sex": "X"}, "sex", "Pilih jenis kelamin"),
        ({"email": "budi@"}, "email", "Alamat e-mail tidak valid"),
        ({"phone": "0341 551234"}, "phone", "bukan nomor ponsel"),
        ({"phone": "12345"}, "phone", "Nomor ponsel tidak valid"),
        ({"phone": "+1 415 555 2671"}, "phone", "nomor ponsel Indonesia"),
        ({"email": "", "phone": ""}, "email", "Isi e-mail atau nomor ponsel"),
        ({"password_confirm": "Merdeka-Malang-2026"}, "password_confirm", "tidak sama"),
        ({"consent": None}, "consent", "menyetujui pemrosesan data pribadi"),
    ],
)
def test_each_bad_input_is_refused_with_a_clear_message(client, db, overrides, field, message):
    response = client.post(URL, form_data(**overrides))
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert 'class="error-summary"' in response.text
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1-x", "Kata sandi terlalu pendek"),
        ("password123", "Kata sandi ini terlalu umum"),
        ("8231947265", "seluruhnya terdiri dari angka"),
        ("budi@example.id", "terlalu mirip"),
    ],
)
def test_weak_passwords_are_refused_in_indonesian(client, db, password, message):
    response = client.post(URL, form_data(password=password, password_confirm=password))
    assert response.status_code == 400
    assert message in field_errors(response, "password")


def test_all_errors_are_shown_at_once(client, db):
    response = client.post(URL, form_data(nik="3573061708900000", phone="12", email=""))
    assert "Kemendagri" in field_errors(response, "nik")
    assert "0000" in field_errors(response, "nik")
    assert "Nomor ponsel tidak valid" in field_errors(response, "phone")


def test_errors_are_linked_to_their_fields(client, db):
    response = client.post(URL, form_data(nik="1"))
    assert 'aria-describedby="id_nik_helptext id_nik_error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'href="#id_nik"' in response.text


def _neutral(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.text)


@pytest.mark.parametrize(
    "overrides",
    [
        # The same NIK as the existing account, with new contacts (needs her date and sex).
        {"nik": "3573054503010002", "birth_date": "2001-03-05", "sex": "F"},
        {"email": "SITI@example.id"},
        {"phone": "+62 813-1111-2222"},
    ],
)
def test_a_registered_nik_email_or_phone_gives_the_same_neutral_page(client, registered, overrides):
    response = client.post(URL, form_data(**overrides))
    assert response.status_code == 409
    assert "Mungkin Anda sudah memiliki akun" in response.text
    assert 'href="/akun/lupa-sandi/"' in response.text
    for secret in ("Siti", "siti@", "81311112222", "1111", "3573054503010002"):
        assert secret not in response.text
    assert User.objects.count() == 1
    assert "_auth_user_id" not in client.session


def test_the_three_duplicate_responses_are_identical(client, registered):
    pages = [
        _neutral(client.post(URL, form_data(**overrides)))
        for overrides in (
            {"nik": "3573054503010002", "birth_date": "2001-03-05", "sex": "F"},
            {"email": "siti@example.id"},
            {"phone": "081311112222"},
        )
    ]
    assert pages[0] == pages[1] == pages[2]


def test_the_nik_never_appears_in_urls_or_logs(client, db, caplog):
    caplog.set_level(logging.DEBUG)
    response = client.post(URL, form_data(), follow=True)
    for url, _status in response.redirect_chain:
        assert NIK not in url
    response = client.post(URL, form_data(birth_date="1990-08-18"))
    assert NIK not in caplog.text


def test_sign_up_posts_are_rate_limited_per_ip(client, db, settings):
    settings.MPP_RATE_SIGNUP = "2/h"
    for _ in range(2):
        assert client.post(URL, form_data(nik="1")).status_code == 400
    response = client.post(URL, form_data())
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.text
    assert not User.objects.exists()
    # Another address is not affected.
    assert client.post(URL, form_data(), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_a_signed_in_person_is_sent_to_verification(client, citizen):
    client.force_login(citizen)
    assert client.get(URL)["Location"] == reverse("accounts:verify")


def test_the_service_checks_its_input_on_its_own(db):
    with pytest.raises(ValidationFailed) as caught:
        citizen_sign_up(
            nik="3573011708900001",
            full_name="Budi",
            birth_date=__import__("datetime").date(1990, 8, 18),
            sex="M",
            email="",
            phone="",
            password="123",
            ip="127.0.0.1",
        )
    assert set(caught.value.errors) == {"nik", "email", "password"}


@pytest.mark.parametrize(
    "raw",
    ["081234567890", "6281234567890", "+62 812-3456-7890", "0812 3456 7890", "62-812 3456 7890"],
)
def test_mobile_numbers_are_normalised_to_e164(raw):
    assert normalise_phone(raw) == "+6281234567890"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("0341551234", "phone_not_mobile"),
        ("08123", "phone_invalid"),
        ("", "phone_invalid"),
        ("abc", "phone_invalid"),
        ("+44 7911 123456", "phone_not_indonesian"),
    ],
)
def test_numbers_that_cannot_receive_sms_are_refused(raw, code):
    with pytest.raises(InvalidPhone) as caught:
        normalise_phone(raw)
    assert caught.value.code == code
