"""GET /api/v1/catalog.jsonld: the catalog in CPSV-AP 3.2, valid against the official shapes.

The document names the official context by URL; here it is resolved to the local copy in
mpp/catalog/standards/ (nothing is fetched), parsed with rdflib and validated with pySHACL.
"""

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from pyshacl import validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from mpp.catalog import jsonld
from mpp.catalog.models import Service
from mpp.catalog.testing import make_agency, make_service, valid_components
from mpp.core.cache import bump

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]

STANDARDS = Path(__file__).resolve().parents[1] / "standards" / "cpsv-ap-3.2.0"
URL = "/api/v1/catalog.jsonld"
CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
DCT = Namespace("http://purl.org/dc/terms/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(STANDARDS / "cpsv-ap-SHACL.ttl", format="turtle")


@pytest.fixture(scope="module")
def local_context() -> dict:
    return json.loads((STANDARDS / "cpsv-ap.jsonld").read_text())["@context"]


def to_graph(document: dict, local_context: dict) -> Graph:
    """The RDF graph of a document, its official context URL replaced by the local copy."""
    document = copy.deepcopy(document)
    contexts = document["@context"]
    assert contexts[0] == jsonld.OFFICIAL_CONTEXT_URL
    document["@context"] = [local_context, *contexts[1:]]
    return Graph().parse(data=json.dumps(document), format="json-ld")


def shacl(graph: Graph, shapes: Graph) -> tuple[bool, str]:
    conforms, _report_graph, report = validate(graph, shacl_graph=shapes, inference="none")
    return conforms, report


def fetch(client) -> dict:
    response = client.get(URL)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/ld+json"
    return response.json()


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The Kota Malang demo loaded once for the class below (rolled back after it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            call_command("seed_demo", "--no-accounts", stdout=StringIO())
        yield
        transaction.set_rollback(True)


class TestDemoCatalog:
    def test_the_demo_catalog_conforms_to_the_official_shapes(
        self, demo, client, shapes, local_context
    ):
        document = fetch(client)
        graph = to_graph(document, local_context)
        conforms, report = shacl(graph, shapes)
        assert conforms, report

        services = set(graph.subjects(RDF.type, CPSV.PublicService))
        published = Service.objects.filter(is_active=True, current_standard__isnull=False)
        assert len(services) == published.count() >= 40
        # Every class the issue names is present and linked from the services.
        for predicate, cls in [
            (CV.hasCompetentAuthority, CV.PublicOrganisation),
            (CV.holdsRequirement, CV.Requirement),
            (CPSV.hasInput, CV.Evidence),
            (CV.hasCost, CV.Cost),
            (CPSV.produces, CV.Output),
            (CV.hasChannel, CV.Channel),
            (CV.hasLegalResource, ELI.LegalResource),
            (CV.isGroupedBy, CV.LifeEvent),
        ]:
            linked = {o for s in services for o in graph.objects(s, predicate)}
            assert linked, predicate
            assert linked <= set(graph.subjects(RDF.type, cls)), cls

    def test_a_known_service_says_what_its_standard_says(self, demo, client, local_context):
        graph = to_graph(fetch(client), local_context)
        skck = URIRef("http://testserver/layanan/skck/")
        assert (skck, RDF.type, CPSV.PublicService) in graph
        assert graph.value(skck, DCT.identifier) == Literal("skck")
        authority = graph.value(skck, CV.hasCompetentAuthority)
        assert authority == URIRef("http://testserver/instansi/polresta-malang-kota/")
        costs = [graph.value(c, CV.hasValue) for c in graph.objects(skck, CV.hasCost)]
        assert Literal(30000.0, datatype=XSD.double) in costs
        title = graph.value(skck, DCT.title)
        assert title.language == "id"
        # Akta kelahiran is free (one cost of 0 rupiah), its documents are evidence.
        birth = URIRef("http://testserver/layanan/akta-kelahiran/")
        values = [graph.value(c, CV.hasValue).toPython() for c in graph.objects(birth, CV.hasCost)]
        assert values == [0.0]
        evidence = {
            str(graph.value(e, DCT.identifier)) for e in graph.objects(birth, CPSV.hasInput)
        }
        assert {"surat_kelahiran", "kk", "ktp_ortu"} <= evidence
        processing = graph.value(birth, CV.processingTime)
        assert processing.datatype == XSD.duration


@pytest.fixture
def small_catalog(db):
    agency = make_agency(slug="dukcapil", name="Dinas Kependudukan", short_name="Dukcapil")
    make_service(agency=agency, slug="akta", name="Akta", channel="counter")
    make_service(agency=agency, slug="kk", name="Kartu Keluarga", channel="online")
    return agency


def _remove(graph: Graph, subject, predicate) -> None:
    for obj in list(graph.objects(subject, predicate)):
        graph.remove((subject, predicate, obj))


def test_a_small_catalog_conforms(small_catalog, client, shapes, local_context):
    conforms, report = shacl(to_graph(fetch(client), local_context), shapes)
    assert conforms, report


@pytest.mark.parametrize(
    "breakage",
    [
        "service_without_authority",
        "plain_string_title",
        "untyped_channel_type",
        "cost_as_text",
        "two_identifiers",
    ],
)
def test_a_broken_graph_does_not_conform(small_catalog, client, shapes, local_context, breakage):
    graph = to_graph(fetch(client), local_context)
    service = URIRef("http://testserver/layanan/akta/")
    if breakage == "service_without_authority":
        _remove(graph, service, CV.hasCompetentAuthority)
    elif breakage == "plain_string_title":
        _remove(graph, service, DCT.title)
        graph.add((service, DCT.title, Literal("Akta")))  # no language tag
    elif breakage == "untyped_channel_type":
        channel = next(graph.objects(service, CV.hasChannel))
        kind = graph.value(channel, DCT.type)
        _remove(graph, kind, RDF.type)  # a concept used without its class
    elif breakage == "cost_as_text":
        cost = next(graph.objects(service, CV.hasCost))
        _remove(graph, cost, CV.hasValue)
        graph.add((cost, CV.hasValue, Literal("gratis")))
    elif breakage == "two_identifiers":
        graph.add((service, DCT.identifier, Literal("akta-2")))
    conforms, report = shacl(graph, shapes)
    assert not conforms
    assert "Constraint Violation" in report


def test_a_broken_export_is_caught(small_catalog, client, shapes, local_context, monkeypatch):
    """The check is not vacuous: an export bug (authority left out) fails validation."""
    real = jsonld.CatalogGraph.service

    def without_authority(self, service, dataset):
        iri = real(self, service, dataset)
        self.nodes[iri].pop("cv:hasCompetentAuthority")
        return iri

    monkeypatch.setattr(jsonld.CatalogGraph, "service", without_authority)
    conforms, report = shacl(to_graph(fetch(client), local_context), shapes)
    assert not conforms
    assert "hasCompetentAuthority" in report


def test_only_published_services_are_exported(small_catalog, client):
    make_service(agency=small_catalog, slug="draf", name="Draf", adopted=False)
    make_service(agency=small_catalog, slug="tutup", name="Tutup", is_active=False)
    closed = make_agency(slug="tutup", name="Tutup", is_active=False)
    make_service(agency=closed, slug="lain", name="Lain")
    ids = {
        n.get("dct:identifier") for n in fetch(client)["@graph"] if n["@type"] == "PublicService"
    }
    assert ids == {"akta", "kk"}


def test_the_query_count_does_not_grow_with_the_catalog(small_catalog, client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MPP_PAGE_CACHE_SECONDS = 0

    def count() -> int:
        bump("catalog")
        with CaptureQueriesContext(connection) as queries:
            fetch(client)
        return len(queries)

    small = count()
    other = make_agency(slug="lain", name="Instansi lain")
    for n in range(20):
        make_service(
            agency=other if n % 2 else small_catalog,
            slug=f"tambahan-{n}",
            name=f"Tambahan {n}",
            components=valid_components(fee=[{"name": "Biaya", "amount": 1000 + n}]),
        )
    assert count() == small


def test_the_response_is_cached_like_other_public_reads(small_catalog, client):
    first = client.get(URL)
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    Service.objects.filter(slug="kk").update(name="Nama baru")  # no bump: still cached
    assert client.get(URL).content == first.content
    bump("catalog")  # what catalog writes do
    assert "Nama baru" in client.get(URL).content.decode()


def test_it_is_in_the_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/catalog.jsonld"]["get"]
    assert "application/ld+json" in operation["responses"]["200"]["content"]
    assert reverse("api-1.0.0:catalog_jsonld") == URL
