"""GET /api/v1/services/{slug}/form-schema: the public JSON Schema of an application form."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator

from mpp.catalog.testing import make_service, valid_components

pytestmark = pytest.mark.django_db

URL = "/api/v1/services/{}/form-schema"


def _problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_an_online_service_publishes_its_form_as_json_schema(client, rich_service):
    response = client.get(URL.format("izin-lengkap"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    assert "public" in response["Cache-Control"]
    schema = response.json()
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "http://testserver/api/v1/services/izin-lengkap/form-schema"
    assert schema["title"] == "Izin Lengkap"
    assert schema["x-mpp-standard-version"] == 1
    assert schema["properties"]["ktp"]["x-mpp-kind"] == "document"


def test_an_unknown_service_is_a_404_problem(client, db):
    body = _problem(client.get(URL.format("tidak-ada")), 404)

    assert body["type"].endswith("/not-found")
    assert "tidak-ada" in body["detail"]


def test_a_counter_only_service_has_no_online_form(client, agency_a):
    make_service(agency=agency_a, slug="loket", channel="counter")

    body = _problem(client.get(URL.format("loket")), 404)

    assert body["type"].endswith("/form-not-available")
    assert "loket" in body["detail"]


def test_a_service_without_adopted_standard_has_no_form(client, agency_a):
    make_service(agency=agency_a, slug="baru", adopted=False, channel="online")

    body = _problem(client.get(URL.format("baru")), 404)

    assert body["type"].endswith("/form-not-available")


def test_an_inactive_service_is_not_found(client, agency_a):
    make_service(agency=agency_a, slug="lama", is_active=False)

    body = _problem(client.get(URL.format("lama")), 404)

    assert body["type"].endswith("/not-found")


def test_the_endpoint_is_in_the_openapi_document(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    operation = paths["/api/v1/services/{slug}/form-schema"]["get"]
    assert "application/schema+json" in operation["responses"]["200"]["content"]
    assert "application/problem+json" in operation["responses"]["404"]["content"]


def test_other_methods_are_refused_as_problems(client, demo_service):
    response = client.post(URL.format("akta-kelahiran"))

    assert _problem(response, 405)["status"] == 405


def _queries(client, slug: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL.format(slug)).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_requirements(client, agency_a, rich_service):
    one = make_service(
        agency=agency_a,
        slug="satu",
        components=valid_components(
            requirements=[{"code": "a", "kind": "condition", "name": "Setuju"}]
        ),
    )
    client.get(URL.format("akta-tidak-ada"))  # warm the cache generation

    assert _queries(client, one.slug) == _queries(client, rich_service.slug) <= 1


def test_the_schema_is_cached_until_the_catalog_changes(client, rich_service):
    from mpp.catalog.models import ServiceStandard

    client.get(URL.format("izin-lengkap"))
    standard = rich_service.current_standard
    new_requirements = [{"code": "baru", "kind": "condition", "name": "Setuju"}]
    # A write that bypasses the catalog's signals does not reach the cached schema...
    ServiceStandard.objects.filter(pk=standard.pk).update(requirements=new_requirements)
    cached = client.get(URL.format("izin-lengkap")).json()
    # ...a catalog change does.
    standard.requirements = new_requirements
    standard.save()
    fresh = client.get(URL.format("izin-lengkap")).json()

    assert "ktp" in cached["properties"]
    assert list(fresh["properties"]) == ["baru"]
