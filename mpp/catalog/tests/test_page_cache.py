"""Public pages and API reads are cached until the catalog changes, and never across users."""

import pytest
from django.core.cache import cache as django_cache

from mpp.accounts.testing import verified_login
from mpp.catalog import services
from mpp.catalog.testing import make_service, valid_components
from mpp.core import cache
from mpp.core.models import CacheGeneration

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(agency_a):
    return make_service(agency=agency_a, slug="akta-kelahiran", name="Akta Kelahiran")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/layanan/?q=akta",
        "/layanan/akta-kelahiran/",
        "/layanan/akta-kelahiran/standar/",
        "/instansi/dispendukcapil/",
        "/api/v1/services?page_size=20",
        "/api/v1/services/akta-kelahiran",
    ],
)
def test_a_repeated_anonymous_read_runs_no_query(client, service, path, django_assert_num_queries):
    first = client.get(path)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_an_adopted_version_shows_at_once(client, service, manager):
    assert "versi 1" in client.get("/layanan/akta-kelahiran/").content.decode()
    draft = services.standard_create_draft(
        actor=manager, service=service, components=valid_components()
    )
    services.standard_adopt(actor=manager, standard=draft)

    assert "versi 2" in client.get("/layanan/akta-kelahiran/").content.decode()
    assert client.get("/api/v1/services/akta-kelahiran").json()["standard"]["version"] == 2


def test_a_change_made_by_another_process_shows_after_the_generation_is_reread(client, service):
    assert "Akta Kelahiran" in client.get("/layanan/akta-kelahiran/").content.decode()
    # Another web process renames the service: it bumps the counter in the database only.
    type(service).objects.filter(pk=service.pk).update(name="Akta Lahir Baru")
    CacheGeneration.objects.filter(name="catalog").update(value=999)
    assert "Akta Lahir Baru" not in client.get("/layanan/akta-kelahiran/").content.decode()

    django_cache.delete("mpp:gen:catalog")  # what MPP_CACHE_GENERATION_TTL expiry does
    assert "Akta Lahir Baru" in client.get("/layanan/akta-kelahiran/").content.decode()


def test_languages_are_cached_apart(client, service):
    indonesian = client.get("/layanan/akta-kelahiran/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/layanan/akta-kelahiran/").content.decode()
    assert '<html lang="id">' in indonesian
    assert '<html lang="en">' in english


def test_a_signed_in_officer_never_gets_the_anonymous_copy(client, service, admin_a):
    client.get("/layanan/akta-kelahiran/")
    verified_login(client, admin_a)
    page = client.get("/layanan/akta-kelahiran/").content.decode()
    assert "Keluar" in page  # the signed-in menu, with the sign-out button


def test_a_page_with_a_csrf_token_is_not_cached(client, db):
    client.get("/akun/masuk/")
    assert not any(key.startswith(":1:mpp:catalog") for key in django_cache._cache)


def test_error_responses_are_not_cached(client, service):
    assert client.get("/layanan/tidak-ada/").status_code == 404
    make_service(agency=service.agency, slug="tidak-ada")
    assert client.get("/layanan/tidak-ada/").status_code == 200


def test_bump_changes_the_generation():
    before = cache.generation("catalog")
    cache.bump("catalog")
    assert cache.generation("catalog") == before + 1
