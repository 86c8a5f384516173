"""Data given once: with the citizen's consent the form is filled from the population registry."""

import pytest
from django.test import Client
from django.urls import reverse

from mpp.applications import services
from mpp.catalog.testing import make_service, valid_components
from mpp.registries.models import RegistryLookup
from mpp.registries.services import registry_consent_give

pytestmark = pytest.mark.django_db

REQUIREMENTS = [
    {"code": "nama_pemohon", "kind": "data", "name": "Nama pemohon"},
    {"code": "tempat_lahir", "kind": "data", "name": "Tempat lahir"},
    {"code": "nama_anak", "kind": "data", "name": "Nama anak"},
]


@pytest.fixture
def warga(make_user):
    from mpp.accounts.testing import make_citizen

    return make_citizen(make_user, "warga.demo", "3573051708900001", full_name="Warga Demo")


@pytest.fixture
def service(agency_a):
    return make_service(
        agency=agency_a,
        slug="surat-domisili",
        components=valid_components(requirements=REQUIREMENTS),
    )


def _form(user, service) -> str:
    application = services.application_start(actor=user, service_slug=service.slug)
    client = Client()
    client.force_login(user)
    return client.get(reverse("applications:edit", args=[application.public_id])).content.decode()


def test_with_consent_the_registry_fills_what_it_knows(registry, warga, service):
    registry_consent_give(actor=warga, purpose="prefill")
    page = _form(warga, service)
    assert 'value="warga demo"' in page.lower()
    assert 'name="nama_anak"' in page and 'value="' not in page.split('name="nama_anak"')[1][:80]
    assert RegistryLookup.objects.filter(purpose="prefill").count() == 1


def test_without_consent_nothing_is_asked_and_the_form_offers_it(registry, warga, service):
    page = _form(warga, service)
    assert registry.hits == 0
    assert "data kependudukan" in page
    assert RegistryLookup.objects.filter(outcome="found").count() == 0
