"""The NIK is masked (3573••••••••0001) in lists and in every view but the owner's own; it
never appears in URLs or logs."""

import datetime
import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import timezone

from mpp.accounts.models import Relationship, Representation
from mpp.accounts.nik import mask_nik
from mpp.accounts.services.representation import representation_register
from mpp.accounts.testing import make_citizen, verified_login
from mpp.core.logging import MaskNikFilter, mask_sixteen_digits

NIK = "3573010101900001"
MOTHER_NIK = "3573014506650002"
MASKED = "3573••••••••0001"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


@pytest.fixture
def budi(make_user):
    return make_citizen(make_user, "budi", NIK, full_name="Budi Santoso", phone="+6281234567890")


def register_kuasa(actor) -> Representation:
    return representation_register(
        actor=actor,
        represented_nik=MOTHER_NIK,
        represented_name="Siti Aminah",
        relationship=Relationship.PARENT,
        document=SimpleUploadedFile("kuasa.pdf", PDF),
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + datetime.timedelta(days=30),
    )


def links(html: str) -> list[str]:
    return re.findall(r'(?:href|action|src)="([^"]*)"', html)


# The helper and the filter


def test_mask_keeps_region_and_serial_only():
    assert mask_nik(NIK) == MASKED
    assert mask_nik("123") == "•" * 16


def test_the_template_filter_masks():
    template = Template("{% load accounts_nik %}{{ nik|masked_nik }}|{{ missing|masked_nik }}")
    assert template.render(Context({"nik": NIK})) == f"{MASKED}|{'•' * 16}"


# Pages


def test_the_owner_sees_their_full_nik_and_contacts_on_their_profile(client, budi):
    client.force_login(budi)
    response = client.get("/akun/profil/")
    assert response.status_code == 200
    html = response.content.decode()
    assert NIK in html
    assert "budi@example.id" in html and "+6281234567890" in html
    assert "terverifikasi" in html and "belum diverifikasi" in html  # e-mail yes, phone no
    assert "/akun/verifikasi/" in html
    assert "/akun/kuasa/" in html and "/akun/data-saya/" in html


def test_an_unverified_citizen_is_told_on_the_profile(client, budi):
    budi.email_verified_at = None
    budi.save()
    client.force_login(budi)
    html = client.get("/akun/profil/").content.decode()
    assert "belum dapat mengajukan permohonan" in html


@pytest.mark.django_db
def test_the_profile_needs_sign_in(client):
    assert client.get("/akun/profil/").status_code == 302


def test_no_nik_in_any_link_of_the_citizens_pages(client, budi):
    kuasa = register_kuasa(budi)
    client.force_login(budi)
    for url in ("/akun/profil/", "/akun/kuasa/", "/akun/data-saya/", "/akun/data-saya/hapus/"):
        html = client.get(url).content.decode()
        for link in links(html):
            assert NIK not in link and MOTHER_NIK not in link, (url, link)
    assert any(
        kuasa.public_id in link for link in links(client.get("/akun/kuasa/").content.decode())
    )


# Admin


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.id", "x-Panjang-123")


def test_admin_lists_show_masked_niks_only(client, budi, superuser):
    register_kuasa(budi)
    verified_login(client, superuser)
    for url in (
        "/admin/accounts/user/",
        "/admin/accounts/citizenprofile/",
        "/admin/accounts/representation/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert NIK not in html and MOTHER_NIK not in html, url
    assert MASKED in client.get("/admin/accounts/user/").content.decode()
    assert "3573••••••••0002" in client.get("/admin/accounts/representation/").content.decode()


def test_admin_representation_detail_has_no_document_link(client, budi, superuser):
    kuasa = register_kuasa(budi)
    verified_login(client, superuser)
    html = client.get(f"/admin/accounts/representation/{kuasa.pk}/change/").content.decode()
    assert "/media-private/" not in html


# Logs


def test_the_log_filter_masks_sixteen_digit_numbers_in_messages_and_arguments():
    assert mask_sixteen_digits(f"nik={NIK}.") == f"nik={MASKED}."
    assert mask_sixteen_digits("12345678901234567") == "12345678901234567"  # 17 digits: kept
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "NIK %s ditolak", (NIK,), None)
    assert MaskNikFilter().filter(record) is True
    assert record.getMessage() == f"NIK {MASKED} ditolak"


def test_the_log_filter_masks_tracebacks(caplog):
    caplog.handler.addFilter(MaskNikFilter())
    try:
        raise ValueError(f"bad {NIK}")
    except ValueError:
        logging.getLogger("mpp.test").exception("failed")
    assert NIK not in caplog.text
    assert MASKED in caplog.text


def test_settings_put_the_mask_filter_on_every_handler(settings):
    filters = settings.LOGGING.get("filters", {})
    masking = {name for name, spec in filters.items() if "MaskNikFilter" in str(spec.get("()"))}
    assert masking
    for handler in settings.LOGGING["handlers"].values():
        assert masking & set(handler.get("filters", []))


def test_no_nik_is_logged_while_using_kuasa_and_my_data(client, budi, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(budi)
    client.post(
        "/akun/kuasa/",
        {
            "represented_nik": MOTHER_NIK,
            "represented_name": "Siti Aminah",
            "relationship": "parent",
            "valid_from": timezone.localdate().isoformat(),
            "valid_until": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
            "document": SimpleUploadedFile("kuasa.pdf", PDF),
        },
    )
    client.post("/akun/kuasa/", {"represented_nik": NIK})  # refused: self
    kuasa = Representation.objects.get()
    client.get(f"/akun/kuasa/{kuasa.public_id}/surat/")
    client.get("/akun/kuasa/tidak-ada/surat/")  # 404, logged by django.request
    client.get("/akun/data-saya/unduh/")
    client.post("/akun/data-saya/hapus/", {"reason": ""})
    assert caplog.records, "the flows log something"
    assert NIK not in caplog.text and MOTHER_NIK not in caplog.text
