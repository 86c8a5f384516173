"""Kuasa: a verified citizen registers, lists, downloads and revokes the people they act for;
every refusal says why (self, duplicate, limit against brokers, period, file)."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mpp.accounts.models import Relationship, Representation
from mpp.accounts.services.representation import (
    active_representation_for,
    representation_register,
)
from mpp.accounts.testing import make_citizen
from mpp.core.errors import Conflict, PermissionDenied, ValidationFailed
from mpp.core.models import AuditRecord

TODAY = datetime.date(2025, 3, 10)
OWN_NIK = "3573010101900001"
MOTHER_NIK = "3573014506650002"  # a woman born 5 June 1965, Blimbing, Kota Malang
OTHER_NIK = "3573011202800003"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HTML = b"<html><body><script>alert(1)</script></body></html>"
URL = "/akun/kuasa/"


@pytest.fixture(autouse=True)
def _frozen_today():
    moment = datetime.datetime(2025, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def budi(make_user):
    return make_citizen(make_user, "budi", OWN_NIK)


@pytest.fixture
def sari(make_user):
    return make_citizen(make_user, "sari", "3573015505920004")


def pdf(content: bytes = PDF, name: str = "surat-kuasa.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form_data(**overrides) -> dict:
    data = {
        "represented_nik": MOTHER_NIK,
        "represented_name": "Siti Aminah",
        "relationship": Relationship.PARENT,
        "valid_from": "2025-03-10",
        "valid_until": "2025-09-10",
        "document": pdf(),
    }
    data.update(overrides)
    return data


def register(actor, nik: str, **overrides) -> Representation:
    fields = {
        "represented_nik": nik,
        "represented_name": "Orang Lain",
        "relationship": Relationship.FAMILY,
        "document": pdf(),
        "valid_from": TODAY,
        "valid_until": TODAY + datetime.timedelta(days=90),
    }
    fields.update(overrides)
    return representation_register(actor=actor, **fields)


def field_errors(response, field: str) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# Access


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    for url in (URL, "/akun/kuasa/abc/surat/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/masuk/") or "login" in response["Location"]


def test_an_unverified_citizen_sees_why_and_cannot_register(client, make_user):
    user = make_citizen(make_user, "baru", OWN_NIK, verified=False)
    client.force_login(user)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Verifikasi e-mail atau nomor ponsel" in page.content.decode()
    assert 'enctype="multipart/form-data"' not in page.content.decode()
    response = client.post(URL, form_data())
    assert response.status_code == 403
    assert not Representation.objects.exists()


def test_an_account_without_nik_cannot_register(citizen):
    citizen.email_verified_at = timezone.now()
    citizen.save()
    with pytest.raises(PermissionDenied, match="NIK"):
        register(citizen, MOTHER_NIK)


# Happy path


def test_a_verified_citizen_registers_a_kuasa_with_a_private_document(client, budi, settings):
    client.force_login(budi)
    response = client.post(URL, form_data())
    assert response.status_code == 302
    kuasa = Representation.objects.get(representative=budi)
    assert (kuasa.represented_nik, kuasa.represented_name) == (MOTHER_NIK, "Siti Aminah")
    assert kuasa.relationship == Relationship.PARENT
    assert (kuasa.valid_from, kuasa.valid_until) == (TODAY, datetime.date(2025, 9, 10))
    assert kuasa.power_of_attorney_type == "application/pdf"
    stored = Path(kuasa.power_of_attorney.path)
    assert stored.read_bytes() == PDF
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "surat-kuasa" not in stored.name  # random name: the upload's name is not kept
    record = AuditRecord.objects.get(action="representation.registered")
    assert record.actor == budi and record.target_id == str(kuasa.pk)
    assert MOTHER_NIK not in str(record.data) and "Siti" not in str(record.data)


def test_the_list_shows_the_represented_nik_masked(client, budi):
    register(budi, MOTHER_NIK, represented_name="Siti Aminah")
    client.force_login(budi)
    html = client.get(URL).content.decode()
    assert "Siti Aminah" in html
    assert "3573••••••••0002" in html
    assert MOTHER_NIK not in html
    assert "berlaku" in html


def test_the_owner_downloads_the_power_of_attorney_by_public_id(client, budi):
    kuasa = register(budi, MOTHER_NIK)
    client.force_login(budi)
    response = client.get(reverse("accounts:kuasa_document", args=[kuasa.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]


def test_another_citizens_document_is_not_found(client, budi, sari):
    kuasa = register(budi, MOTHER_NIK)
    client.force_login(sari)
    assert client.get(reverse("accounts:kuasa_document", args=[kuasa.public_id])).status_code == 404
    assert client.get(reverse("accounts:kuasa_document", args=["tidak-ada"])).status_code == 404
    response = client.post(reverse("accounts:kuasa_revoke", args=[kuasa.public_id]))
    assert response.status_code == 404
    kuasa.refresh_from_db()
    assert kuasa.revoked_at is None


def test_the_document_has_no_public_url(client, budi):
    kuasa = register(budi, MOTHER_NIK)
    client.force_login(budi)
    assert client.get(kuasa.power_of_attorney.url).status_code == 404


def test_the_representative_revokes_a_kuasa(client, budi):
    kuasa = register(budi, MOTHER_NIK)
    client.force_login(budi)
    assert client.get(reverse("accounts:kuasa_revoke", args=[kuasa.public_id])).status_code == 405
    response = client.post(reverse("accounts:kuasa_revoke", args=[kuasa.public_id]))
    assert response.status_code == 302
    kuasa.refresh_from_db()
    assert kuasa.revoked_at is not None
    assert AuditRecord.objects.filter(action="representation.revoked", actor=budi).exists()
    assert active_representation_for(representative=budi, represented_nik=MOTHER_NIK) is None
    again = client.post(reverse("accounts:kuasa_revoke", args=[kuasa.public_id]), follow=True)
    assert "sudah dicabut" in again.content.decode()


# Rules and refusals


def test_a_citizen_cannot_represent_themself(client, budi):
    client.force_login(budi)
    response = client.post(URL, form_data(represented_nik=OWN_NIK))
    assert response.status_code == 400
    assert "NIK Anda" in field_errors(response, "represented_nik")[0]
    assert not Representation.objects.exists()


def test_the_same_active_kuasa_cannot_be_registered_twice(client, budi):
    register(budi, MOTHER_NIK)
    client.force_login(budi)
    response = client.post(URL, form_data())
    assert response.status_code == 409
    assert "sudah terdaftar" in response.content.decode()
    assert Representation.objects.count() == 1


def test_a_revoked_kuasa_can_be_registered_again(budi):
    first = register(budi, MOTHER_NIK)
    first.revoked_at = timezone.now()
    first.save()
    assert register(budi, MOTHER_NIK).pk != first.pk


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("12345", "16 angka"),
        ("35730101019000ab", "16 angka"),
        ("9999010101900001", "Kemendagri"),
        ("3573019999990001", "bukan tanggal yang benar"),
    ],
)
def test_a_wrong_nik_is_refused_with_its_reason(client, budi, nik, message):
    client.force_login(budi)
    response = client.post(URL, form_data(represented_nik=nik))
    assert response.status_code == 400
    assert message in " ".join(field_errors(response, "represented_nik"))


def test_a_nik_typed_with_spaces_is_accepted(client, budi):
    client.force_login(budi)
    response = client.post(URL, form_data(represented_nik="3573 0145 0665 0002"))
    assert response.status_code == 302
    assert Representation.objects.get().represented_nik == MOTHER_NIK


def test_at_most_five_people_at_once_and_the_refusal_explains_why(client, budi, settings):
    assert settings.MPP_MAX_REPRESENTED == 5
    for serial in range(11, 16):
        register(budi, f"35730112028000{serial}")
    client.force_login(budi)
    response = client.post(URL, form_data())
    assert response.status_code == 409
    html = response.content.decode()
    assert "paling banyak 5 orang" in html
    assert "percaloan" in html
    assert "meja informasi MPP" in html
    assert Representation.objects.count() == 5


def test_the_limit_is_configurable_and_counts_only_kuasa_in_force(budi, settings):
    settings.MPP_MAX_REPRESENTED = 2
    revoked = register(budi, "3573011202800011")
    revoked.revoked_at = timezone.now()
    revoked.save()
    expired = register(budi, "3573011202800012")
    Representation.objects.filter(pk=expired.pk).update(
        valid_from=datetime.date(2024, 1, 1), valid_until=datetime.date(2024, 6, 1)
    )
    register(budi, "3573011202800013")
    register(budi, "3573011202800014")
    with pytest.raises(Conflict, match="paling banyak 2 orang"):
        register(budi, OTHER_NIK)


def test_a_kuasa_starting_later_still_counts_against_the_limit(budi, settings):
    settings.MPP_MAX_REPRESENTED = 1
    register(budi, OTHER_NIK)
    with pytest.raises(Conflict):
        register(
            budi,
            MOTHER_NIK,
            valid_from=TODAY + datetime.timedelta(days=30),
            valid_until=TODAY + datetime.timedelta(days=60),
        )
    # After the first ends, there is room again.
    register(
        budi,
        MOTHER_NIK,
        valid_from=TODAY + datetime.timedelta(days=91),
        valid_until=TODAY + datetime.timedelta(days=120),
    )


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "message"),
    [
        ("2025-01-01", "2025-03-09", "sudah lewat"),
        ("2025-03-10", "2025-03-01", "tidak boleh sebelum"),
        ("2025-03-10", "2026-06-01", "paling lama 365 hari"),
        ("2025-03-10", "bukan-tanggal", "Tanggal tidak valid"),
    ],
)
def test_a_wrong_validity_period_is_refused(client, budi, valid_from, valid_until, message):
    client.force_login(budi)
    response = client.post(URL, form_data(valid_from=valid_from, valid_until=valid_until))
    assert response.status_code == 400
    assert message in " ".join(field_errors(response, "valid_until"))
    assert not Representation.objects.exists()


def test_the_longest_validity_is_configurable(budi, settings):
    settings.MPP_REPRESENTATION_MAX_DAYS = 30
    with pytest.raises(ValidationFailed) as caught:
        register(budi, MOTHER_NIK, valid_until=TODAY + datetime.timedelta(days=31))
    assert "30 hari" in caught.value.errors["valid_until"][0]


def test_an_image_named_pdf_is_accepted_as_the_image_it_is(client, budi):
    client.force_login(budi)
    response = client.post(URL, form_data(document=pdf(PNG, name="kuasa.pdf")))
    assert response.status_code == 302
    kuasa = Representation.objects.get()
    assert kuasa.power_of_attorney_type == "image/png"
    download = client.get(reverse("accounts:kuasa_document", args=[kuasa.public_id]))
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].endswith('.png"')


@pytest.mark.parametrize(("content", "name"), [(EXE, "kuasa.pdf"), (HTML, "kuasa.png")])
def test_a_program_or_web_page_is_refused_whatever_its_name(client, budi, content, name):
    client.force_login(budi)
    response = client.post(URL, form_data(document=pdf(content, name=name)))
    assert response.status_code == 400
    assert "PDF, JPEG atau PNG" in field_errors(response, "document")[0]
    assert not Representation.objects.exists()


def test_an_oversized_document_is_refused(client, budi, settings):
    settings.MPP_UPLOAD_MAX_BYTES = 1000
    client.force_login(budi)
    response = client.post(URL, form_data(document=pdf(PDF + b"%" * 1000)))
    assert response.status_code == 400
    assert "terlalu besar" in field_errors(response, "document")[0]


def test_missing_fields_each_have_a_message(client, budi):
    client.force_login(budi)
    response = client.post(URL, {})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {
        "represented_nik",
        "represented_name",
        "relationship",
        "document",
        "valid_from",
        "valid_until",
    }
    assert "Unggah surat kuasa" in errors["document"][0]


# For later acts


def test_active_representation_for_finds_only_a_kuasa_in_force(budi, sari):
    kuasa = register(budi, MOTHER_NIK)
    later = register(
        budi,
        OTHER_NIK,
        valid_from=TODAY + datetime.timedelta(days=1),
        valid_until=TODAY + datetime.timedelta(days=10),
    )
    assert active_representation_for(representative=budi, represented_nik=MOTHER_NIK) == kuasa
    assert active_representation_for(representative=budi, represented_nik=OTHER_NIK) is None
    assert active_representation_for(representative=sari, represented_nik=MOTHER_NIK) is None
    with time_machine.travel(datetime.datetime(2025, 3, 12, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))):
        assert active_representation_for(representative=budi, represented_nik=OTHER_NIK) == later
