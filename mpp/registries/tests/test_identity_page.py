"""Identity at sign-up: with consent, the page tells whether the account matches the registry."""

import pytest
from django.test import Client

from mpp.registries.services import registry_consent_give
from mpp.registries.tests.conftest import DEMO_NIK

pytestmark = pytest.mark.django_db


def _page(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/akun/data-kependudukan/").content.decode()


def test_a_matching_account_is_confirmed(registry, warga):
    registry_consent_give(actor=warga, purpose="identity")
    assert "cocok dengan data kependudukan" in _page(warga)


def test_a_mismatch_names_the_fields_to_correct(registry, make_user):
    from mpp.accounts.testing import make_citizen

    wrong = make_citizen(make_user, "salah", DEMO_NIK, full_name="Nama Lain Sekali")
    registry_consent_give(actor=wrong, purpose="identity")
    page = _page(wrong)
    assert "belum cocok" in page and "nama lengkap" in page


def test_without_consent_no_identity_check_is_made(registry, warga):
    page = _page(warga)
    assert "Pemeriksaan identitas" not in page
    assert registry.hits == 0


def test_the_verification_page_after_sign_up_points_to_the_check(warga):
    client = Client()
    client.force_login(warga)
    page = client.get("/akun/verifikasi/").content.decode()
    assert "/akun/data-kependudukan/" in page
