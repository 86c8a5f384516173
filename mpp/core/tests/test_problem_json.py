"""Everything that goes wrong under /api/ is an RFC 9457 problem, never HTML or plain JSON."""

import struct

import pytest
from django.urls import path
from ninja import Field, Schema
from ninja.errors import HttpError

from mpp.core.api import MppNinjaAPI
from mpp.core.errors import Conflict, NotFound, PermissionDenied

PROBLEM = "application/problem+json"

# A throwaway API mounted only by the tests that use `urls` below.
problem_api = MppNinjaAPI(urls_namespace="problem-test", docs_url=None, openapi_url=None)


class Echo(Schema):
    name: str = Field(min_length=2)


@problem_api.get("/domain/{kind}")
def raise_domain_error(request, kind: str):
    raise {"not-found": NotFound, "forbidden": PermissionDenied, "conflict": Conflict}[kind](
        "Sesuatu terjadi."
    )


@problem_api.get("/http/{status}")
def raise_http_error(request, status: int):
    raise HttpError(status, "Ditolak.")


@problem_api.get("/crash")
def crash(request):
    raise RuntimeError("secret internals")


@problem_api.post("/echo")
def echo(request, payload: Echo):
    return {"name": payload.name}


urlpatterns = [path("t/", problem_api.urls)]
with_problem_api = pytest.mark.urls(__name__)


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    assert body["type"].startswith("https://")
    return body


# The real API ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/tidak-ada", "/api/v1/", "/api/v1/services/"])
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_api_paths_are_404_problems_for_any_method(client, url, method):
    body = _problem(getattr(client, method)(url), 404)
    assert body["type"].endswith("not-found")
    assert body["instance"] == url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/services",
        "/api/v1/services/ktp-el",
        "/api/v1/services/ktp-el/standards/1",
        "/api/v1/agencies",
        "/api/v1/openapi.json",
        "/api/v1/docs",
    ],
)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_to_a_read_endpoint_is_a_405_problem(client, url, method):
    response = getattr(client, method)(url, data={}, content_type="application/json")
    body = _problem(response, 405)
    assert body["type"].endswith("method-not-allowed")
    assert response["Allow"] == "GET"


@pytest.mark.django_db
def test_a_405_is_not_turned_into_a_csrf_page_when_csrf_is_enforced(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/api/v1/docs")
    _problem(response, 405)
    _problem(Client(enforce_csrf_checks=True).post("/api/v1/nope"), 404)


# The shared machinery, on a throwaway API ------------------------------------------------


@with_problem_api
@pytest.mark.parametrize(
    ("kind", "status"), [("not-found", 404), ("forbidden", 403), ("conflict", 409)]
)
def test_domain_errors_keep_their_status_and_type(client, kind, status):
    body = _problem(client.get(f"/t/domain/{kind}"), status)
    assert body["type"].endswith(kind)
    assert body["detail"] == "Sesuatu terjadi."
    assert body["instance"] == f"/t/domain/{kind}"


@with_problem_api
@pytest.mark.parametrize(("status", "kind"), [(401, "unauthorized"), (429, "throttled")])
def test_ninja_http_errors_are_problems(client, status, kind):
    body = _problem(client.get(f"/t/http/{status}"), status)
    assert body["type"].endswith(kind)
    assert body["detail"] == "Ditolak."


@with_problem_api
def test_an_unexpected_error_is_a_500_problem_without_internals(client, caplog):
    response = client.get("/t/crash")
    body = _problem(response, 500)
    assert body["type"].endswith("internal-error")
    assert "secret internals" not in response.content.decode()
    assert "secret internals" in caplog.text  # logged for the operators


@with_problem_api
def test_an_invalid_body_is_a_400_validation_problem_naming_the_field(client):
    body = _problem(client.post("/t/echo", {"name": "x"}, content_type="application/json"), 400)
    assert body["type"].endswith("validation-error")
    assert list(body["errors"]) == ["name"]
    assert body["invalid_params"][0]["name"] == "name"
    assert body["errors"]["name"] == ["Paling sedikit 2 karakter."]


@with_problem_api
def test_malformed_json_is_a_400_problem(client):
    body = _problem(client.post("/t/echo", "{nope", content_type="application/json"), 400)
    assert body["type"].endswith("bad-request")
    assert body["detail"] == "Isi permintaan tidak dapat dibaca."


@with_problem_api
def test_a_bad_path_parameter_is_a_400_problem_naming_it(client):
    body = _problem(client.get("/t/http/abc"), 400)
    assert body["type"].endswith("invalid-parameter")
    assert body["errors"]["status"] == ["Harus berupa bilangan bulat."]


# Language ------------------------------------------------------------------------------------


def _write_mo(target, messages: dict[str, str]) -> None:
    """A GNU .mo catalog, so the test needs no gettext tools."""
    entries = {"": "Content-Type: text/plain; charset=UTF-8\n", **messages}
    keys = sorted(entries)
    ids = [k.encode() for k in keys]
    strs = [entries[k].encode() for k in keys]
    start = 7 * 4 + 16 * len(keys)
    offsets, blob = [], b""
    for item in ids + strs:
        offsets.append((len(item), start + len(blob)))
        blob += item + b"\0"
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    table = b"".join(struct.pack("ii", length, offset) for length, offset in offsets)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(header + table + blob)


@pytest.fixture
def english_catalog(settings, tmp_path):
    _write_mo(
        tmp_path / "en" / "LC_MESSAGES" / "django.mo",
        {
            "Parameter tidak valid": "Invalid parameter",
            "Harus berupa bilangan bulat.": "Must be a whole number.",
            "Parameter tidak valid: %(names)s.": "Invalid parameters: %(names)s.",
        },
    )
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]


@pytest.mark.django_db
def test_problems_speak_indonesian_by_default_and_english_on_request(client, english_catalog):
    indonesian = _problem(client.get("/api/v1/services?page=abc"), 400)
    assert indonesian["errors"]["page"] == ["Harus berupa bilangan bulat."]
    assert indonesian["detail"] == "Parameter tidak valid: page."

    response = client.get("/api/v1/services?page=abc", headers={"accept-language": "en"})
    english = _problem(response, 400)
    assert response["Content-Language"] == "en"
    assert english["title"] == "Invalid parameter"
    assert english["detail"] == "Invalid parameters: page."
    assert english["errors"]["page"] == ["Must be a whole number."]
    assert english["invalid_params"] == [{"name": "page", "reason": "Must be a whole number."}]
