"""Interface language and domain errors on pages."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from mpp.core.errors import Conflict, NotFound, PermissionDenied
from mpp.core.middleware import DomainErrorPageMiddleware


@pytest.mark.django_db
def test_pages_are_indonesian_even_for_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.django_db
def test_the_switch_chooses_english_for_pages(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_indonesian(client):
    client.cookies["django_language"] = "xx"
    assert '<html lang="id">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_api_follows_accept_language(client):
    response = client.get("/api/v1/services?page=abc", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "status"),
    [(NotFound("Layanan tidak ditemukan."), 404), (PermissionDenied(), 403), (Conflict("x"), 409)],
)
def test_a_domain_error_on_a_page_renders_its_error_page(error, status):
    request = RequestFactory().get("/kelola/")
    request.user = None
    middleware = DomainErrorPageMiddleware(lambda r: HttpResponse())
    response = middleware.process_exception(request, error)
    assert response.status_code == status
    if error.detail:
        assert error.detail in response.content.decode()


def test_a_domain_error_in_the_api_is_left_to_the_api():
    request = RequestFactory().get("/api/v1/services")
    middleware = DomainErrorPageMiddleware(lambda r: HttpResponse())
    assert middleware.process_exception(request, NotFound()) is None
