"""/akun/data-kependudukan/: consent, the citizen's registry data, filling the profile."""

import pytest
from django.urls import reverse

from mpp.registries.models import RegistryConsent, RegistryLookup, RegistryPurpose

pytestmark = pytest.mark.django_db
URL = "/akun/data-kependudukan/"


@pytest.fixture
def signed_in(client, warga):
    client.force_login(warga)
    return client


def test_the_url_and_the_profile_link(signed_in):
    assert reverse("registries:data") == URL
    assert URL in signed_in.get("/akun/profil/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]


def test_without_consent_the_page_asks_and_does_not_look_up(signed_in, registry):
    response = signed_in.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Simpan persetujuan" in page
    assert "Jatimulyo" not in page
    assert registry.hits == 0


def test_giving_consent_shows_the_registry_data(signed_in, registry, warga):
    response = signed_in.post(URL, {"action": "consent", "purposes": ["profile", "prefill"]})
    assert response.status_code == 302
    assert set(RegistryConsent.objects.values_list("purpose", flat=True)) == {
        "profile",
        "prefill",
    }
    page = signed_in.get(URL).content.decode()
    assert "Jatimulyo" in page and "3573050101100001" in page
    assert "Isi profil saya dari data ini" in page
    # Unticking withdraws.
    signed_in.post(URL, {"action": "consent", "purposes": ["prefill"]})
    active = RegistryConsent.objects.filter(withdrawn_at__isnull=True)
    assert set(active.values_list("purpose", flat=True)) == {"prefill"}
    assert "Jatimulyo" not in signed_in.get(URL).content.decode()


def test_a_forged_purpose_is_refused(signed_in, registry):
    signed_in.post(URL, {"action": "consent", "purposes": ["service"]})
    assert not RegistryConsent.objects.exists()


def test_the_fill_button_updates_the_profile(signed_in, registry, warga):
    signed_in.post(URL, {"action": "consent", "purposes": ["profile"]})
    response = signed_in.post(URL, {"action": "fill"}, follow=True)
    warga.refresh_from_db()
    assert warga.full_name == "Warga Demo"
    assert "Profil diperbarui" in response.content.decode()


def test_fill_without_consent_says_why(signed_in, registry, warga):
    response = signed_in.post(URL, {"action": "fill"}, follow=True)
    assert "persetujuan" in response.content.decode().lower()
    warga.refresh_from_db()
    assert warga.full_name == "warga demo"


def test_registry_down_shows_a_clear_message(signed_in, registry, settings, closed_port):
    signed_in.post(URL, {"action": "consent", "purposes": ["profile"]})
    settings.MPP_REGISTRY_URL = f"http://127.0.0.1:{closed_port}"
    response = signed_in.get(URL)
    assert response.status_code == 200
    assert "tidak menjawab" in response.content.decode()


def test_the_page_lists_who_looked_the_citizen_up(signed_in, registry, verifier_a, warga):
    from mpp.registries import services

    services.registry_lookup(
        actor=verifier_a, nik=warga.citizen.nik, purpose=RegistryPurpose.SERVICE
    )
    page = signed_in.get(URL).content.decode()
    assert "verifier_a" in page
    assert RegistryLookup.objects.count() == 1


def test_the_page_is_in_english_too(signed_in, registry):
    signed_in.cookies["django_language"] = "en"
    page = signed_in.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Population data" in page


def test_the_admin_log_is_read_only_and_masks_the_nik(client, registry, verifier_a, warga):
    from django.contrib.auth import get_user_model

    from mpp.accounts.testing import verified_login
    from mpp.registries import services

    root = get_user_model().objects.create_superuser("root", "root@example.id", "x-Panjang-123")
    admin_client = verified_login(client, root)

    services.registry_lookup(
        actor=verifier_a, nik=warga.citizen.nik, purpose=RegistryPurpose.SERVICE
    )
    response = admin_client.get("/admin/registries/registrylookup/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "3573••••••••0001" in page
    assert warga.citizen.nik not in page
    lookup = RegistryLookup.objects.get()
    detail = admin_client.get(f"/admin/registries/registrylookup/{lookup.pk}/change/")
    assert warga.citizen.nik not in detail.content.decode()
    assert (
        admin_client.post(f"/admin/registries/registrylookup/{lookup.pk}/delete/").status_code
        == 403
    )
