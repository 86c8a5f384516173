"""The read-only catalog API: content, filters, pagination, bad input and query counts."""

import datetime
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mpp.catalog.api_schemas import (
    AgencyPage,
    ServiceDetailOut,
    ServicePage,
    StandardVersionOut,
    StandardVersionSummary,
)
from mpp.catalog.models import LifeEvent, Maklumat, ServiceStandard, StandardStatus
from mpp.catalog.standard_schema import COMPONENT_KEYS, completion_minutes, fee_total
from mpp.catalog.testing import make_agency, make_category, make_service, valid_components

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
STANDARD_META = {"version", "status", "effective_date", "decree_number", "adopted_at"}


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body


def _assert_names_parameter(body: dict, name: str) -> None:
    assert body["type"].endswith("invalid-parameter")
    assert name in body["errors"] and body["errors"][name]
    assert name in [item["name"] for item in body["invalid_params"]]


def _add_version(service, version: int, status: str, **components) -> ServiceStandard:
    data = valid_components(**components)
    return ServiceStandard.objects.create(
        service=service,
        agency=service.agency,
        version=version,
        status=status,
        fee_total=fee_total(data["fee"]),
        completion_minutes=completion_minutes(data["completion_time"]),
        **data,
    )


@pytest.fixture
def catalog(agency_a, agency_b):
    """A small catalog: two agencies, two categories, one life event, four services."""
    birth = LifeEvent.objects.create(slug="kelahiran", name="Kelahiran")
    adminduk = make_category(slug="kependudukan", name="Kependudukan")
    police = make_category(slug="kepolisian", name="Kepolisian")
    ktp = make_service(
        agency=agency_a,
        category=adminduk,
        slug="ktp-el",
        name="Penerbitan KTP-el",
        channel="counter",
        keywords="identitas, kartu",
        synonyms="e-KTP, KTP elektronik",
    )
    akta = make_service(
        agency=agency_a,
        category=adminduk,
        slug="akta-kelahiran",
        name="Akta Kelahiran",
        channel="online",
    )
    akta.life_events.add(birth)
    skck = make_service(
        agency=agency_b,
        category=police,
        slug="skck",
        name="Surat Keterangan Catatan Kepolisian",
        channel="both",
        components=valid_components(
            fee=[{"name": "PNBP SKCK", "amount": 30000, "legal_basis": "PP 76/2020"}]
        ),
    )
    draft_only = make_service(agency=agency_b, category=police, slug="baru", adopted=False)
    return {"ktp": ktp, "akta": akta, "skck": skck, "draft_only": draft_only, "birth": birth}


def _slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


# Services list ------------------------------------------------------------------------------


def test_service_list_shows_every_active_service_with_its_summary(client, catalog):
    response = client.get("/api/v1/services")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "public, max-age=60"
    body = response.json()
    ServicePage.model_validate(body)
    assert body["count"] == 4 and body["pages"] == 1
    assert body["next"] is None and body["previous"] is None
    by_slug = {item["slug"]: item for item in body["results"]}
    assert set(by_slug) == {"ktp-el", "akta-kelahiran", "skck", "baru"}
    ktp = by_slug["ktp-el"]
    assert ktp["name"] == "Penerbitan KTP-el"
    assert ktp["agency"] == {
        "slug": "dispendukcapil",
        "name": "Dinas Kependudukan",
        "short_name": "Dukcapil",
    }
    assert ktp["category"] == {"slug": "kependudukan", "name": "Kependudukan"}
    assert ktp["keywords"] == ["identitas", "kartu"]
    assert ktp["synonyms"] == ["e-KTP", "KTP elektronik"]
    assert ktp["channel"] == "counter"
    assert ktp["fee_total"] == 0 and ktp["is_free"] is True
    assert ktp["completion_time"] == {"value": 3, "unit": "working_days", "note": ""}
    assert ktp["standard_version"] == 1
    assert ktp["url"] == "http://testserver/api/v1/services/ktp-el"
    assert ktp["web_url"] == "http://testserver/layanan/ktp-el/"
    assert by_slug["akta-kelahiran"]["life_events"] == [{"slug": "kelahiran", "name": "Kelahiran"}]


def test_a_paid_service_shows_its_fee_total_and_is_not_free(client, catalog):
    skck = client.get(
        "/api/v1/services", {"agency": "polresta", "search": "catatan kepolisian"}
    ).json()
    assert skck["results"][0]["fee_total"] == 30000
    assert skck["results"][0]["is_free"] is False


def test_a_service_without_an_adopted_standard_has_no_fee_or_time(client, catalog):
    item = client.get("/api/v1/services/baru").json()
    assert item["fee_total"] is None and item["is_free"] is None
    assert item["completion_time"] is None and item["standard_version"] is None
    assert item["standard"] is None


def test_inactive_services_and_services_of_inactive_agencies_are_hidden(client, catalog):
    catalog["akta"].is_active = False
    catalog["akta"].save()
    catalog["skck"].agency.is_active = False
    catalog["skck"].agency.save()

    assert _slugs(client.get("/api/v1/services")) == ["ktp-el"]
    _problem(client.get("/api/v1/services/akta-kelahiran"), 404)


def test_search_e_ktp_finds_the_ktp_el_service(client, catalog):
    assert _slugs(client.get("/api/v1/services", {"search": "e-ktp"})) == ["ktp-el"]
    assert _slugs(client.get("/api/v1/services", {"search": "akta lahir"})) == ["akta-kelahiran"]
    assert _slugs(client.get("/api/v1/services", {"search": "paspor"})) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"agency": "dispendukcapil"}, {"ktp-el", "akta-kelahiran"}),
        ({"agency": "polresta"}, {"skck", "baru"}),
        ({"category": "kepolisian"}, {"skck", "baru"}),
        ({"life_event": "kelahiran"}, {"akta-kelahiran"}),
        ({"channel": "online"}, {"akta-kelahiran", "skck", "baru"}),
        ({"channel": "counter"}, {"ktp-el", "skck", "baru"}),
        ({"channel": "both"}, {"skck", "baru"}),
        ({"agency": "dispendukcapil", "channel": "online"}, {"akta-kelahiran"}),
    ],
)
def test_each_filter_narrows_the_services(client, catalog, params, expected):
    assert set(_slugs(client.get("/api/v1/services", params))) == expected


def test_pagination_links_walk_the_pages_keeping_the_filters(client, agency_a):
    for n in range(5):
        make_service(agency=agency_a, slug=f"s{n}", name=f"Layanan {n}")

    first = client.get("/api/v1/services", {"page_size": 2, "agency": agency_a.slug}).json()
    assert (first["count"], first["page"], first["page_size"], first["pages"]) == (5, 1, 2, 3)
    assert [item["slug"] for item in first["results"]] == ["s0", "s1"]
    assert first["previous"] is None
    assert "page=2" in first["next"] and "agency=dispendukcapil" in first["next"]

    second = client.get(first["next"]).json()
    assert [item["slug"] for item in second["results"]] == ["s2", "s3"]
    assert "page=1" in second["previous"]

    last = client.get(second["next"]).json()
    assert [item["slug"] for item in last["results"]] == ["s4"]
    assert last["next"] is None


def test_an_empty_result_is_one_empty_page(client, db):
    body = client.get("/api/v1/services").json()
    assert (body["count"], body["pages"], body["results"]) == (0, 1, [])


# Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"page": "abc"}, "page"),
        ({"page": ""}, "page"),
        ({"page": "1.5"}, "page"),
        ({"page": "1.0"}, "page"),
        ({"page": "1e1"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "-3"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "banyak"}, "page_size"),
        ({"agency": "tidak-ada"}, "agency"),
        ({"category": "tidak-ada"}, "category"),
        ({"life_event": "tidak-ada"}, "life_event"),
        ({"channel": "fax"}, "channel"),
        ({"search": "x" * 201}, "search"),
    ],
)
def test_invalid_service_list_parameters_are_a_400_problem_naming_them(
    client, catalog, params, name
):
    body = _problem(client.get("/api/v1/services", params), 400)
    _assert_names_parameter(body, name)
    assert body["instance"] == "/api/v1/services"


def test_an_inactive_agency_is_an_unknown_agency_filter(client, catalog, agency_b):
    agency_b.is_active = False
    agency_b.save()
    _assert_names_parameter(_problem(client.get("/api/v1/services?agency=polresta"), 400), "agency")


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page_size": "0"}])
def test_invalid_agency_list_parameters_are_a_400_problem(client, catalog, params):
    _assert_names_parameter(_problem(client.get("/api/v1/agencies", params), 400), *params)


def test_invalid_parameter_messages_are_indonesian_by_default(client, catalog):
    body = _problem(client.get("/api/v1/services?page=abc"), 400)
    assert body["title"] == "Parameter tidak valid"
    assert body["errors"]["page"] == ["Harus berupa bilangan bulat."]


def test_a_page_past_the_last_is_a_404_problem_naming_the_page(client, catalog):
    body = _problem(client.get("/api/v1/services?page=9"), 404)
    assert body["type"].endswith("not-found")
    assert "page" in body["errors"]
    assert body["invalid_params"][0]["name"] == "page"


def test_errors_are_never_cached_publicly(client, catalog):
    assert client.get("/api/v1/services?page=abc")["Cache-Control"] == "no-store"


# Service detail and versions ----------------------------------------------------------------


def test_service_detail_has_the_current_standard_with_exactly_the_14_components(client, catalog):
    response = client.get("/api/v1/services/ktp-el")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    body = response.json()
    ServiceDetailOut.model_validate(body)
    assert body["slug"] == "ktp-el" and body["agency"]["slug"] == "dispendukcapil"
    standard = body["standard"]
    assert set(standard) - STANDARD_META == set(COMPONENT_KEYS)
    assert len(COMPONENT_KEYS) == 14
    assert standard["version"] == 1 and standard["status"] == "adopted"
    assert standard["effective_date"] == "2026-01-02"
    assert standard["fee"] == []
    assert standard["completion_time"] == {"value": 3, "unit": "working_days", "note": ""}
    assert [r["code"] for r in standard["requirements"]] == ["ktp", "nama_anak", "domisili"]
    assert standard["procedure"][1]["duration"] == {"value": 1, "unit": "working_days"}
    assert standard["officer_count"]["count"] == 4
    assert standard["performance_evaluation"] == "Evaluasi kinerja setiap triwulan."


def test_an_unknown_service_is_a_404_problem(client, catalog):
    body = _problem(client.get("/api/v1/services/tidak-ada"), 404)
    assert body["type"].endswith("not-found")
    _problem(client.get("/api/v1/services/tidak-ada/standards"), 404)
    _problem(client.get("/api/v1/services/tidak-ada/standards/1"), 404)


@pytest.fixture
def versioned(catalog):
    """ktp-el: v1 superseded, v2 adopted (current), v3 withdrawn... and v4 a draft."""
    ktp = catalog["ktp"]
    ktp.current_standard.status = StandardStatus.SUPERSEDED
    ktp.current_standard.save()
    current = _add_version(ktp, 2, StandardStatus.ADOPTED, fee=[{"name": "Denda", "amount": 5000}])
    current.decree_number = "188.45/12/35.73.112/2026"
    current.change_note = "Denda keterlambatan"
    current.save()
    ktp.current_standard = current
    ktp.save()
    _add_version(ktp, 3, StandardStatus.WITHDRAWN)
    _add_version(ktp, 4, StandardStatus.DRAFT)
    return ktp


def test_standard_versions_list_only_published_ones_newest_first(client, versioned):
    response = client.get("/api/v1/services/ktp-el/standards")

    assert response.status_code == 200
    body = response.json()
    for item in body:
        StandardVersionSummary.model_validate(item)
    assert [(v["version"], v["status"]) for v in body] == [
        (3, "withdrawn"),
        (2, "adopted"),
        (1, "superseded"),
    ]
    assert body[1]["decree_number"] == "188.45/12/35.73.112/2026"
    assert body[1]["change_note"] == "Denda keterlambatan"
    assert body[1]["url"] == "http://testserver/api/v1/services/ktp-el/standards/2"


def test_service_detail_follows_the_adopted_version(client, versioned):
    body = client.get("/api/v1/services/ktp-el").json()
    assert body["standard"]["version"] == 2
    assert body["fee_total"] == 5000 and body["is_free"] is False


def test_each_published_version_reads_in_full(client, versioned):
    for version, status in [(1, "superseded"), (2, "adopted"), (3, "withdrawn")]:
        response = client.get(f"/api/v1/services/ktp-el/standards/{version}")
        assert response.status_code == 200
        body = response.json()
        StandardVersionOut.model_validate(body)
        assert (body["version"], body["status"]) == (version, status)
        assert set(COMPONENT_KEYS) <= set(body)
        assert body["service"] == {"slug": "ktp-el", "name": "Penerbitan KTP-el"}


@pytest.mark.parametrize("version", ["4", "99"])
def test_drafts_and_unknown_versions_are_404_problems(client, versioned, version):
    _problem(client.get(f"/api/v1/services/ktp-el/standards/{version}"), 404)


@pytest.mark.parametrize("version", ["0", "-1", "dua", "1.0"])
def test_a_version_that_is_not_a_positive_integer_is_a_400_problem(client, versioned, version):
    body = _problem(client.get(f"/api/v1/services/ktp-el/standards/{version}"), 400)
    _assert_names_parameter(body, "version")


# Agencies -----------------------------------------------------------------------------------


def test_agency_list_shows_active_agencies_with_service_count_and_latest_maklumat(
    client, catalog, agency_a
):
    Maklumat.objects.create(
        agency=agency_a,
        text="Lama",
        signer_name="Lama",
        signer_title="Kepala Dinas",
        signed_on=datetime.date(2024, 1, 2),
    )
    Maklumat.objects.create(
        agency=agency_a,
        text="Kami sanggup menyelenggarakan pelayanan sesuai standar.",
        signer_name="Dra. Contoh",
        signer_title="Kepala Dinas",
        signed_on=datetime.date(2026, 1, 5),
    )
    make_agency(slug="tutup", name="Instansi Tutup", is_active=False)

    response = client.get("/api/v1/agencies")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    body = response.json()
    AgencyPage.model_validate(body)
    assert [a["slug"] for a in body["results"]] == ["dispendukcapil", "polresta"]
    dukcapil, polresta = body["results"]
    assert dukcapil["service_count"] == 2 and polresta["service_count"] == 2
    assert dukcapil["maklumat"] == {
        "text": "Kami sanggup menyelenggarakan pelayanan sesuai standar.",
        "signer_name": "Dra. Contoh",
        "signer_title": "Kepala Dinas",
        "signed_on": "2026-01-05",
    }
    assert polresta["maklumat"] is None
    assert polresta["kind"] == "vertical" and dukcapil["short_name"] == "Dukcapil"
    assert dukcapil["url"] == "http://testserver/api/v1/agencies/dispendukcapil"
    assert dukcapil["web_url"] == "http://testserver/instansi/dispendukcapil/"
    assert client.get(dukcapil["services_url"]).json()["count"] == 2


def test_agency_detail_and_unknown_or_inactive_agencies(client, catalog, agency_b):
    body = client.get("/api/v1/agencies/polresta").json()
    assert body["name"] == "Polresta Malang Kota" and body["service_count"] == 2

    _problem(client.get("/api/v1/agencies/tidak-ada"), 404)
    agency_b.is_active = False
    agency_b.save()
    _problem(client.get("/api/v1/agencies/polresta"), 404)


# Query counts -------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def _catalog_of(size: int) -> None:
    birth = LifeEvent.objects.get_or_create(slug="kelahiran", defaults={"name": "Kelahiran"})[0]
    agencies = [make_agency(slug=f"instansi-{size}-{n}") for n in range(3)]
    for n in range(size):
        service = make_service(agency=agencies[n % 3], slug=f"layanan-{size}-{n}")
        service.life_events.add(birth)
    Maklumat.objects.create(
        agency=agencies[0],
        text="Maklumat",
        signer_name="Kepala",
        signer_title="Kepala",
        signed_on=datetime.date(2026, 1, 5),
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/services?page_size=100",
        "/api/v1/services?search=layanan&life_event=kelahiran&channel=online&page_size=100",
        "/api/v1/agencies?page_size=100",
        "/api/v1/services/layanan-{size}-7",
        "/api/v1/services/layanan-{size}-7/standards",
        "/api/v1/services/layanan-{size}-7/standards/1",
    ],
)
def test_reads_run_the_same_number_of_queries_for_10_and_200_services(client, url):
    counts = []
    for size in (10, 200):
        _catalog_of(size)
        counts.append(_queries(client, url.format(size=size)))
    assert counts[0] == counts[1] <= 6


# OpenAPI and docs ---------------------------------------------------------------------------


def test_openapi_document_lists_every_catalog_path_with_problem_responses(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    # Other apps add their own paths to the same document.
    catalog_paths = {
        "/api/v1/agencies",
        "/api/v1/agencies/{slug}",
        "/api/v1/services",
        "/api/v1/services/{slug}",
        "/api/v1/services/{slug}/standards",
        "/api/v1/services/{slug}/standards/{version}",
        "/api/v1/services/{slug}/form-schema",
        "/api/v1/catalog.jsonld",
    }
    assert catalog_paths <= set(schema["paths"])
    services = schema["paths"]["/api/v1/services"]["get"]
    assert {p["name"] for p in services["parameters"]} == {
        "search",
        "agency",
        "category",
        "life_event",
        "channel",
        "page",
        "page_size",
    }
    for path in catalog_paths:
        responses = schema["paths"][path]["get"]["responses"]
        assert {"200", "400", "404"} <= set(responses)
        for code in ("400", "404"):
            assert responses[code]["content"]["application/problem+json"]["schema"] == {
                "$ref": "#/components/schemas/ProblemDetails"
            }
    components = schema["components"]["schemas"]
    assert {"type", "title", "status", "detail"} <= set(components["ProblemDetails"]["required"])
    assert set(COMPONENT_KEYS) <= set(components["StandardOut"]["properties"])


def test_docs_page_loads_only_local_assets_under_the_strict_policy(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    assert "<script>" not in html.replace(" ", "")  # no inline code, only JSON settings
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp + ";" and "style-src 'self';" in csp + ";"
    assert "http" not in csp
