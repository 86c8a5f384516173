"""Read-only catalog API: agencies, services and their published standards.

Every list runs a fixed number of queries (count, page, prefetches) whatever the catalog size;
rows become plain dicts, validated against the schemas in api_schemas.
"""

import json
from typing import Annotated, Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from mpp.agencies.models import Agency
from mpp.catalog import jsonld, selectors
from mpp.catalog.api_schemas import (
    AgencyOut,
    AgencyPage,
    ServiceDetailOut,
    ServiceFilters,
    ServicePage,
    StandardVersionOut,
    StandardVersionSummary,
)
from mpp.catalog.models import Category, LifeEvent, Maklumat, Service, ServiceStandard
from mpp.core.api import (
    PROBLEM_RESPONSES,
    PageQuery,
    WholeNumber,
    api_url,
    by_slug,
    paginate,
    public_cache,
)
from mpp.core.api import split_list as _list
from mpp.core.cache import cached_get_response
from mpp.core.errors import NotFound

router = Router(tags=["katalog"])
router.add_decorator(public_cache, mode="view")
router.add_decorator(cached_get_response("catalog"), mode="view")

# The columns a service row shows: the list leaves out the big component columns.
_LIST_COLUMNS = (
    "slug",
    "name",
    "short_description",
    "channel",
    "keywords",
    "synonyms",
    "agency__slug",
    "agency__name",
    "agency__short_name",
    "category__slug",
    "category__name",
    "current_standard__version",
    "current_standard__fee_total",
    "current_standard__completion_time",
)
_STANDARD_META = ("version", "status", "effective_date", "decree_number", "adopted_at")


# Serialisation --------------------------------------------------------------------------


class _Links:
    """URL templates computed once per request, so rows cost no reverse() each."""

    def __init__(self, request: HttpRequest) -> None:
        self.service = api_url(request, "get_service", slug="SLUG")
        self.agency = api_url(request, "get_agency", slug="SLUG")
        self.services = api_url(request, "list_services")
        self.service_web = request.build_absolute_uri(
            reverse("catalog:service_detail", kwargs={"slug": "SLUG"})
        )
        self.agency_web = request.build_absolute_uri(
            reverse("catalog:agency_detail", kwargs={"slug": "SLUG"})
        )
        self.standard = api_url(request, "get_standard_version", slug="SLUG", version=1)[:-1]

    @staticmethod
    def fill(template: str, slug: str) -> str:
        return template.replace("SLUG", slug)


def _service_row(service: Service, links: _Links) -> dict:
    agency, category, standard = service.agency, service.category, service.current_standard
    return {
        "slug": service.slug,
        "name": service.name,
        "short_description": service.short_description,
        "agency": {"slug": agency.slug, "name": agency.name, "short_name": agency.short_name},
        "category": {"slug": category.slug, "name": category.name},
        "life_events": [{"slug": e.slug, "name": e.name} for e in service.life_events.all()],
        "channel": service.channel,
        "keywords": _list(service.keywords),
        "synonyms": _list(service.synonyms),
        "fee_total": standard.fee_total if standard else None,
        "is_free": standard.is_free if standard else None,
        "completion_time": standard.completion_time if standard else None,
        "standard_version": standard.version if standard else None,
        "url": links.fill(links.service, service.slug),
        "web_url": links.fill(links.service_web, service.slug),
    }


def _standard_body(standard: ServiceStandard) -> dict:
    body = {key: getattr(standard, key) for key in _STANDARD_META}
    body.update(standard.components())
    return body


def _agency_row(agency: Agency, links: _Links) -> dict:
    latest = agency.maklumat_latest[0] if agency.maklumat_latest else None
    fields = ("slug", "name", "short_name", "kind", "description", "address", "phone", "email")
    row = {name: getattr(agency, name) for name in fields}
    row.update(
        website=agency.website,
        counter_location=agency.counter_location,
        opening_hours=agency.opening_hours or [],
        service_count=agency.service_count,
        maklumat=None
        if latest is None
        else {
            "text": latest.text,
            "signer_name": latest.signer_name,
            "signer_title": latest.signer_title,
            "signed_on": latest.signed_on,
        },
        url=links.fill(links.agency, agency.slug),
        web_url=links.fill(links.agency_web, agency.slug),
        services_url=f"{links.services}?agency={agency.slug}",
    )
    return row


def _agencies() -> QuerySet[Agency]:
    latest_first = Maklumat.objects.order_by("-signed_on", "-pk")
    return selectors.agency_list().prefetch_related(
        Prefetch("maklumat", queryset=latest_first, to_attr="maklumat_latest")
    )


def _published_service(slug: str) -> Service:
    try:
        return selectors.service_detail(slug=slug)
    except NotFound:
        raise NotFound(_("Layanan '%(slug)s' tidak ditemukan.") % {"slug": slug}) from None


# Endpoints ------------------------------------------------------------------------------


@router.get(
    "/agencies",
    response={200: AgencyPage, **PROBLEM_RESPONSES},
    url_name="list_agencies",
    summary="Daftar instansi",
)
def list_agencies(request: HttpRequest, pages: Query[PageQuery]) -> dict:
    """Active agencies (tenants of the mall) with their number of services and maklumat."""
    items, envelope = paginate(request, _agencies(), pages)
    links = _Links(request)
    return {**envelope, "results": [_agency_row(agency, links) for agency in items]}


@router.get(
    "/agencies/{slug}",
    response={200: AgencyOut, **PROBLEM_RESPONSES},
    url_name="get_agency",
    summary="Satu instansi",
)
def get_agency(request: HttpRequest, slug: str) -> dict:
    agency = _agencies().filter(slug=slug).first()
    if agency is None:
        raise NotFound(_("Instansi '%(slug)s' tidak ditemukan.") % {"slug": slug})
    return _agency_row(agency, _Links(request))


@router.get(
    "/services",
    response={200: ServicePage, **PROBLEM_RESPONSES},
    url_name="list_services",
    summary="Daftar dan pencarian layanan",
)
def list_services(
    request: HttpRequest, pages: Query[PageQuery], filters: Query[ServiceFilters]
) -> dict:
    """Active services; every filter narrows the result. A service offered both ways is found
    under `online` and under `counter`."""
    services = selectors.service_list(
        query=filters.search,
        agency=by_slug(Agency.objects.filter(is_active=True), filters.agency, param="agency"),
        category=by_slug(Category.objects.all(), filters.category, param="category"),
        life_event=by_slug(LifeEvent.objects.all(), filters.life_event, param="life_event"),
        channel=filters.channel or "",
    ).only(*_LIST_COLUMNS)
    items, envelope = paginate(request, services, pages)
    links = _Links(request)
    return {**envelope, "results": [_service_row(service, links) for service in items]}


@router.get(
    "/services/{slug}",
    response={200: ServiceDetailOut, **PROBLEM_RESPONSES},
    url_name="get_service",
    summary="Satu layanan dengan standar yang berlaku",
)
def get_service(request: HttpRequest, slug: str) -> dict:
    service = _published_service(slug)
    row = _service_row(service, _Links(request))
    standard = service.current_standard
    row["standard"] = _standard_body(standard) if standard else None
    return row


@router.get(
    "/services/{slug}/standards",
    response={200: list[StandardVersionSummary], **PROBLEM_RESPONSES},
    url_name="list_standard_versions",
    summary="Versi standar yang pernah diterbitkan",
)
def list_standard_versions(request: HttpRequest, slug: str) -> list[dict]:
    """Adopted, superseded and withdrawn versions, newest first; drafts are not public."""
    service = _published_service(slug)
    versions = selectors.standard_versions(service=service).only(
        "version", "status", "effective_date", "adopted_at", "decree_number", "change_note"
    )
    prefix = _Links.fill(_Links(request).standard, slug)
    return [
        {
            "version": v.version,
            "status": v.status,
            "effective_date": v.effective_date,
            "adopted_at": v.adopted_at,
            "decree_number": v.decree_number,
            "change_note": v.change_note,
            "url": f"{prefix}{v.version}",
        }
        for v in versions
    ]


@router.get(
    "/services/{slug}/standards/{version}",
    response={200: StandardVersionOut, **PROBLEM_RESPONSES},
    url_name="get_standard_version",
    summary="Satu versi standar secara lengkap",
)
def get_standard_version(
    request: HttpRequest,
    slug: str,
    version: Annotated[WholeNumber, Path(ge=1, description="Nomor versi, mulai dari 1.")],
) -> dict:
    service = _published_service(slug)
    try:
        standard = selectors.standard_version(service=service, version=version)
    except NotFound:
        raise NotFound(
            _("Versi %(version)s standar layanan ini tidak diterbitkan.") % {"version": version}
        ) from None
    body = _standard_body(standard)
    body.update(change_note=standard.change_note, service={"slug": slug, "name": service.name})
    return body


JSONLD_CONTENT_TYPE = "application/ld+json"


@router.get(
    "/catalog.jsonld",
    response={200: dict[str, Any], **PROBLEM_RESPONSES},
    url_name="catalog_jsonld",
    summary="Katalog dalam CPSV-AP 3.2 (JSON-LD)",
    openapi_extra={
        "responses": {
            200: {
                "description": "CPSV-AP 3.2 JSON-LD",
                "content": {JSONLD_CONTENT_TYPE: {"schema": {"type": "object"}}},
            }
        }
    },
)
def catalog_jsonld(request: HttpRequest) -> HttpResponse:
    """The whole published catalog in the EU Core Public Service Vocabulary (CPSV-AP 3.2):
    services, competent authorities, requirements and evidence, costs, outputs, channels,
    processing time, legal resources and life events. Validates against the official SHACL
    shapes."""
    document = jsonld.catalog_document(
        base_url=request.build_absolute_uri("/"),
        document_url=api_url(request, "catalog_jsonld"),
    )
    return HttpResponse(json.dumps(document, ensure_ascii=False), content_type=JSONLD_CONTENT_TYPE)
