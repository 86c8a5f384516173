"""The catalog as CPSV-AP 3.2 JSON-LD (EU Core Public Service Vocabulary Application Profile).

One document for the whole published catalog: every active service with an adopted standard
(cpsv:PublicService), its agency as competent authority (cv:PublicOrganisation), requirements
(cv:Requirement) and the documents that prove them (cv:Evidence), costs (cv:Cost, in rupiah),
outputs (cv:Output), channels (cv:Channel: online and the agency's counter at the mall, with
its opening hours), processing time (xsd:duration), legal resources (eli:LegalResource) and
life events (cv:LifeEvent). The catalog itself is a dcat:Dataset published by the mall.

Built as plain dicts (no RDF library at run time) in a fixed number of queries. The document
names the official context by its URL, like the official example; its own prefixes come
inline, so that properties resolve without it. Validated against the official SHACL shapes
(a copy in mpp/catalog/standards/cpsv-ap-3.2.0/) in mpp/catalog/tests/test_jsonld.py. See
docs/adr/0025-cpsv-ap-export.md.

Rules of the shapes the code keeps (and the tests check):
- every linked concept (channel type, category, currency, language, location) is declared in
  the graph with its class, because sh:class needs the rdf:type triple;
- texts the shapes type rdf:langString carry "@language" (Indonesian "id", English "en");
- every node class that needs one has exactly one dct:identifier.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils.text import slugify

from mpp.agencies.models import Agency
from mpp.catalog.models import Channel, LifeEvent, Service

OFFICIAL_CONTEXT_URL = (
    "https://semiceu.github.io/uri.semic.eu-generated/CPSV-AP/releases/3.2.0/context/cpsv-ap.jsonld"
)
PREFIXES = {
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "org": "http://www.w3.org/ns/org#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
CONTEXT: list[Any] = [OFFICIAL_CONTEXT_URL, PREFIXES]

# EU authority tables (Publications Office) for the values that have one.
CURRENCY_IDR = "http://publications.europa.eu/resource/authority/currency/IDR"
LANGUAGE_IND = "http://publications.europa.eu/resource/authority/language/IND"
COUNTRY_IDN = "http://publications.europa.eu/resource/authority/country/IDN"

ID, EN = "id", "en"

# Classes as the official context names them (the test resolves them with the local copy).
PUBLIC_SERVICE = "PublicService"
PUBLIC_ORGANISATION = "PublicOrganization"
ORGANIZATION = "Organization"
AGENT = "Agent"
REQUIREMENT = "Requirement"
EVIDENCE = "Evidence"
COST = "Cost"
OUTPUT = "Output"
CHANNEL = "Channel"
LEGAL_RESOURCE = "LegalResource"
LIFE_EVENT = "LifeEvent"
EVENT = "Event"
CONCEPT = "Concept"
CONCEPT_SCHEME = "skos:ConceptScheme"
LOCATION = "Location"
LINGUISTIC_SYSTEM = "LinguisticSystem"
DATASET = "Dataset"
TEMPORAL_ENTITY = "TemporalEntity"
CONTACT_POINT = "ContactPoint"


def text(value: str, language: str = ID) -> dict[str, str]:
    """A language-tagged string (rdf:langString)."""
    return {"@value": value, "@language": language}


def texts(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """Tagged strings for the non-empty values of (value, language) pairs."""
    return [text(value, language) for value, language in pairs if value]


def ref(iri: str) -> dict[str, str]:
    return {"@id": iri}


def duration(value: int, unit: str) -> dict[str, str]:
    """An xsd:duration; a working day is written as a day (P1D), the note says so."""
    literal = {"minutes": f"PT{value}M", "hours": f"PT{value}H", "working_days": f"P{value}D"}
    return {"@value": literal[unit], "@type": "xsd:duration"}


def _legal_key(title: str) -> str:
    # The same law cited by many services becomes one node; the key survives rewording of
    # spaces and case only.
    normal = re.sub(r"\s+", " ", title.strip().lower())
    return hashlib.sha256(normal.encode()).hexdigest()[:16]


def published_services() -> QuerySet[Service]:
    """Active services of active agencies with an adopted standard in force (3 queries)."""
    return (
        Service.objects.filter(
            is_active=True, agency__is_active=True, current_standard__isnull=False
        )
        .select_related("agency", "category", "current_standard")
        .prefetch_related(Prefetch("life_events", queryset=LifeEvent.objects.order_by("order")))
        .order_by("name", "pk")
    )


class CatalogGraph:
    """Builds the @graph; IRIs hang off the site's web pages (dereferenceable) and the
    document's own URL for the nodes that have no page."""

    def __init__(self, *, base_url: str, document_url: str) -> None:
        self.base = base_url.rstrip("/")
        self.doc = document_url
        self.nodes: dict[str, dict[str, Any]] = {}

    # IRIs ------------------------------------------------------------------------------
    def service_iri(self, slug: str) -> str:
        return f"{self.base}/layanan/{slug}/"

    def agency_iri(self, slug: str) -> str:
        return f"{self.base}/instansi/{slug}/"

    def local(self, kind: str, key: str) -> str:
        return f"{self.doc}#{kind}-{key}"

    # Nodes -----------------------------------------------------------------------------
    def add(self, node: dict[str, Any]) -> str:
        self.nodes.setdefault(node["@id"], node)
        return node["@id"]

    def concept(self, scheme: str, key: str, labels: list[dict[str, str]]) -> str:
        scheme_iri = self.local("scheme", scheme)
        self.add({"@id": scheme_iri, "@type": CONCEPT_SCHEME, "dct:identifier": scheme})
        return self.add(
            {
                "@id": self.local(scheme, key),
                "@type": CONCEPT,
                "dct:identifier": key,
                "skos:prefLabel": labels,
                "skos:inScheme": ref(scheme_iri),
            }
        )

    def shared_nodes(self) -> None:
        self.add(
            {
                "@id": CURRENCY_IDR,
                "@type": CONCEPT,
                "skos:prefLabel": [text("Rupiah"), text("Indonesian rupiah", EN)],
                "skos:notation": "IDR",
            }
        )
        self.add(
            {
                "@id": LANGUAGE_IND,
                "@type": LINGUISTIC_SYSTEM,
                "rdfs:label": [text("Bahasa Indonesia"), text("Indonesian", EN)],
            }
        )
        self.add(
            {
                "@id": self.local("location", slugify(settings.MPP_CITY_NAME)),
                "@type": LOCATION,
                "locn:geographicName": text(settings.MPP_CITY_NAME),
                "dct:isPartOf": ref(COUNTRY_IDN),
            }
        )
        self.add(
            {
                "@id": COUNTRY_IDN,
                "@type": LOCATION,
                "locn:geographicName": [text("Indonesia"), text("Indonesia", EN)],
            }
        )

    @property
    def city(self) -> str:
        return self.local("location", slugify(settings.MPP_CITY_NAME))

    def publisher(self) -> str:
        """The mall itself: publisher of the dataset (an Agent and a public organisation)."""
        name = f"Mal Pelayanan Publik {settings.MPP_CITY_NAME}"
        return self.add(
            {
                "@id": f"{self.base}/",
                "@type": [PUBLIC_ORGANISATION, ORGANIZATION, AGENT],
                "dct:identifier": "mpp",
                "dct:title": text(name),
                "skos:prefLabel": text(name),
                "dct:spatial": ref(self.city),
            }
        )

    def agency(self, agency: Agency) -> str:
        iri = self.agency_iri(agency.slug)
        if iri in self.nodes:
            return iri
        node: dict[str, Any] = {
            "@id": iri,
            "@type": [PUBLIC_ORGANISATION, ORGANIZATION],
            "dct:identifier": agency.slug,
            "skos:prefLabel": text(agency.name),
            "skos:altLabel": texts([(agency.short_name, ID)]),
            "dct:spatial": ref(self.city),
        }
        if agency.description:
            node["dct:description"] = text(agency.description)
        if agency.website:
            node["foaf:homepage"] = ref(agency.website)
        if agency.address:
            address = self.add(
                {
                    "@id": self.local("address", agency.slug),
                    "@type": "locn:Address",
                    "locn:fullAddress": text(agency.address),
                    "locn:adminUnitL2": text(settings.MPP_CITY_NAME),
                    "locn:adminUnitL1": text("Indonesia"),
                }
            )
            node["locn:address"] = ref(address)
        return self.add(node)

    def contact_point(self, agency: Agency) -> str | None:
        if not (agency.email or agency.phone):
            return None
        node: dict[str, Any] = {"@id": self.local("contact", agency.slug), "@type": CONTACT_POINT}
        if agency.email:
            node["cv:email"] = agency.email
        if agency.phone:
            node["cv:telephone"] = agency.phone
        if agency.opening_hours:
            node["cv:openingHours"] = ref(self.opening_hours(agency))
        return self.add(node)

    def opening_hours(self, agency: Agency) -> str:
        hours = "; ".join(
            f"{row.get('days', '')} {row.get('hours', '')}".strip()
            for row in agency.opening_hours or []
        )
        return self.add(
            {
                "@id": self.local("opening-hours", agency.slug),
                "@type": TEMPORAL_ENTITY,
                "dct:description": text(hours),
            }
        )

    def counter_channel(self, agency: Agency) -> str:
        iri = self.local("channel-counter", agency.slug)
        if iri in self.nodes:
            return iri
        description = agency.counter_location or agency.name
        node: dict[str, Any] = {
            "@id": iri,
            "@type": CHANNEL,
            "dct:identifier": f"counter-{agency.slug}",
            "dct:type": ref(self.channel_type("counter")),
            "dct:description": text(description),
            "cv:ownedBy": ref(self.agency_iri(agency.slug)),
        }
        if agency.opening_hours:
            node["cv:openingHours"] = ref(self.opening_hours(agency))
        return self.add(node)

    def online_channel(self, service: Service) -> str:
        return self.add(
            {
                "@id": self.local("channel-online", service.slug),
                "@type": CHANNEL,
                "dct:identifier": f"online-{service.slug}",
                "dct:type": ref(self.channel_type("online")),
                "dct:description": text(f"Permohonan daring: {self.service_iri(service.slug)}"),
                "cv:ownedBy": ref(self.agency_iri(service.agency.slug)),
            }
        )

    def channel_type(self, key: str) -> str:
        labels = {
            "online": [text("Daring (situs web MPP)"), text("Online (MPP website)", EN)],
            "counter": [text("Loket di Mal Pelayanan Publik"), text("Counter at the mall", EN)],
        }
        return self.concept("channel-type", key, labels[key])

    def requirement_kind(self, kind: str) -> str:
        labels = {
            "document": [text("Dokumen"), text("Document", EN)],
            "data": [text("Data isian"), text("Data to fill in", EN)],
            "condition": [text("Ketentuan"), text("Condition", EN)],
        }
        return self.concept("requirement-kind", kind, labels[kind])

    def category(self, service: Service) -> str:
        category = service.category
        return self.concept(
            "category",
            category.slug,
            texts([(category.name, ID), (category.name_en, EN)]),
        )

    def life_event(self, event: LifeEvent, service_iri: str) -> str:
        iri = self.local("life-event", event.slug)
        node = self.nodes.get(iri)
        if node is None:
            node = {
                "@id": iri,
                "@type": [LIFE_EVENT, EVENT],
                "dct:identifier": event.slug,
                "dct:title": texts([(event.name, ID), (event.name_en, EN)]),
                "cv:hasRelatedService": [],
            }
            if event.description:
                node["dct:description"] = text(event.description)
            self.add(node)
        node["cv:hasRelatedService"].append(ref(service_iri))
        return iri

    def legal_resource(self, item: dict) -> str:
        node: dict[str, Any] = {
            "@id": self.local("legal", _legal_key(item["title"])),
            "@type": LEGAL_RESOURCE,
            "dct:title": text(item["title"]),
        }
        if item.get("url"):
            node["rdfs:seeAlso"] = ref(item["url"])
        return self.add(node)

    # A service -------------------------------------------------------------------------
    def service(self, service: Service, dataset: str) -> str:
        standard = service.current_standard
        iri = self.service_iri(service.slug)
        agency_iri = self.agency(service.agency)
        completion = standard.completion_time or None
        channels = []
        if service.channel in (Channel.ONLINE, Channel.BOTH):
            channels.append(ref(self.online_channel(service)))
        if service.channel in (Channel.COUNTER, Channel.BOTH):
            channels.append(ref(self.counter_channel(service.agency)))
        keywords = [
            text(word.strip())
            for word in f"{service.keywords},{service.synonyms}".split(",")
            if word.strip()
        ]
        node: dict[str, Any] = {
            "@id": iri,
            "@type": PUBLIC_SERVICE,
            "dct:identifier": service.slug,
            "dct:title": text(service.name),
            "dct:description": text(service.short_description),
            "dct:language": ref(LANGUAGE_IND),
            "dct:spatial": ref(self.city),
            "dct:isPartOf": ref(dataset),
            "cv:hasCompetentAuthority": ref(agency_iri),
            "cv:isClassifiedBy": ref(self.category(service)),
            "cv:hasChannel": channels,
            "cv:hasCost": self.costs(service, standard.fee),
            "cpsv:produces": self.outputs(service, standard.products),
            "cv:hasLegalResource": [ref(self.legal_resource(i)) for i in standard.legal_basis],
            "cv:isGroupedBy": [ref(self.life_event(e, iri)) for e in service.life_events.all()],
            "dcat:keyword": keywords,
            "foaf:page": ref(iri),
        }
        if completion:
            node["cv:processingTime"] = duration(completion["value"], completion["unit"])
            if completion.get("note"):
                node["rdfs:comment"] = text(completion["note"])
        requirements, evidence = self.requirements(service, standard.requirements)
        node["cv:holdsRequirement"] = requirements
        node["cpsv:hasInput"] = evidence
        contact = self.contact_point(service.agency)
        if contact:
            node["cv:contactPoint"] = ref(contact)
        return self.add(node)

    def requirements(self, service: Service, items: list[dict]) -> tuple[list, list]:
        requirements, evidence = [], []
        base = self.service_iri(service.slug)
        for item in items:
            code = item["code"]
            req_iri = f"{base}#requirement-{code}"
            req: dict[str, Any] = {
                "@id": req_iri,
                "@type": REQUIREMENT,
                "dct:identifier": code,
                "dct:title": text(item["name"]),
                "dct:type": ref(self.requirement_kind(item["kind"])),
            }
            if item.get("description"):
                req["dct:description"] = text(item["description"])
            if item["kind"] == "document":
                ev_iri = f"{base}#evidence-{code}"
                ev: dict[str, Any] = {
                    "@id": ev_iri,
                    "@type": EVIDENCE,
                    "dct:identifier": code,
                    "dct:title": text(item["name"]),
                    "cv:supportsRequirement": ref(req_iri),
                }
                if item.get("description"):
                    ev["dct:description"] = text(item["description"])
                self.add(ev)
                req["cv:hasSupportingEvidence"] = ref(ev_iri)
                evidence.append(ref(ev_iri))
            self.add(req)
            requirements.append(ref(req_iri))
        return requirements, evidence

    def costs(self, service: Service, fee: list[dict]) -> list[dict]:
        base = self.service_iri(service.slug)
        items = fee or [{"name": "Gratis", "amount": 0, "legal_basis": ""}]
        refs = []
        for number, item in enumerate(items, start=1):
            description = item["name"]
            if item.get("legal_basis"):
                description = f"{description} ({item['legal_basis']})"
            iri = self.add(
                {
                    "@id": f"{base}#cost-{number}",
                    "@type": COST,
                    "dct:identifier": f"{service.slug}-cost-{number}",
                    "dct:description": text(description),
                    "cv:hasValue": {"@value": float(item["amount"]), "@type": "xsd:double"},
                    "cv:currency": ref(CURRENCY_IDR),
                    "cv:isDefinedBy": ref(self.agency_iri(service.agency.slug)),
                }
            )
            refs.append(ref(iri))
        return refs

    def outputs(self, service: Service, products: list[dict]) -> list[dict]:
        base = self.service_iri(service.slug)
        refs = []
        for number, item in enumerate(products, start=1):
            node: dict[str, Any] = {
                "@id": f"{base}#output-{number}",
                "@type": OUTPUT,
                "dct:identifier": f"{service.slug}-output-{number}",
                "dct:title": text(item["name"]),
            }
            if item.get("description"):
                node["dct:description"] = text(item["description"])
            refs.append(ref(self.add(node)))
        return refs


def catalog_document(*, base_url: str, document_url: str) -> dict[str, Any]:
    """The whole published catalog as one CPSV-AP JSON-LD document (a fixed query count)."""
    graph = CatalogGraph(base_url=base_url, document_url=document_url)
    graph.shared_nodes()
    dataset_iri = f"{document_url}#catalog"
    dataset: dict[str, Any] = {
        "@id": dataset_iri,
        "@type": DATASET,
        "dct:identifier": "mpp-catalog",
        "dct:title": [
            text(f"Katalog layanan Mal Pelayanan Publik {settings.MPP_CITY_NAME}"),
            text(f"Service catalogue of the public service mall, {settings.MPP_CITY_NAME}", EN),
        ],
        "dct:description": [
            text("Layanan publik, standar pelayanan, persyaratan, biaya dan waktu penyelesaian."),
            text("Public services with their standards, requirements, costs and times.", EN),
        ],
        "dct:publisher": ref(graph.publisher()),
        "dcat:landingPage": ref(f"{graph.base}/layanan/"),
        "dct:hasPart": [],
    }
    graph.add({"@id": f"{graph.base}/layanan/", "@type": "Document"})
    graph.add(dataset)
    for service in published_services():
        dataset["dct:hasPart"].append(ref(graph.service(service, dataset_iri)))
    return {"@context": CONTEXT, "@graph": list(graph.nodes.values())}
