"""Public catalog pages: home, search, services and their standards, agencies."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mpp.catalog import selectors
from mpp.catalog.diff import compare_standards
from mpp.catalog.forms import ServiceFilterForm
from mpp.catalog.models import Service, ServiceStandard, StandardStatus
from mpp.core.cache import cached_get_response
from mpp.core.errors import NotFound

# Public pages are the same for every visitor without a session: cached until the catalog
# changes (mpp.core.cache, invalidated by mpp.catalog.signals).
public_page = cached_get_response("catalog")

PAGE_SIZE = 20
MAX_VERSION = 2**31 - 1


@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/home.html",
        {
            "life_events": selectors.life_event_list(),
            "categories": selectors.category_list(),
            "agencies": selectors.agency_list(),
        },
    )


@public_page
def service_list(request: HttpRequest) -> HttpResponse:
    agencies = list(selectors.agency_list())
    categories = list(selectors.category_list())
    life_events = list(selectors.life_event_list())
    form = ServiceFilterForm(
        request.GET, agencies=agencies, categories=categories, life_events=life_events
    )
    context = {"form": form, "page": None, "error": ""}
    if not form.is_valid():
        context["error"] = _("Filter tidak dikenal. Periksa pilihan Anda lalu cari lagi.")
        return render(request, "catalog/service_list.html", context, status=400)
    services = selectors.service_list(**form.selector_filters())
    try:
        context["page"] = Paginator(services, PAGE_SIZE).page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        context["error"] = _("Nomor halaman harus berupa angka.")
        return render(request, "catalog/service_list.html", context, status=400)
    except EmptyPage:
        context["error"] = _("Halaman itu tidak ada. Kembali ke halaman pertama hasil.")
        return render(request, "catalog/service_list.html", context, status=404)
    return render(request, "catalog/service_list.html", context)


def _service_or_404(slug: str) -> Service:
    try:
        return selectors.service_detail(slug=slug)
    except NotFound as exc:
        raise Http404(exc.detail) from exc


@public_page
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = _service_or_404(slug)
    return render(
        request,
        "catalog/service_detail.html",
        {"service": service, "standard": service.current_standard, "in_force": True},
    )


@public_page
def standard_list(request: HttpRequest, slug: str) -> HttpResponse:
    service = _service_or_404(slug)
    versions = list(selectors.standard_versions(service=service))
    # Newest first: each version is paired with the one before it, for a "what changed" link.
    rows = list(zip(versions, [*versions[1:], None], strict=True))
    return render(
        request,
        "catalog/standard_list.html",
        {"service": service, "versions": versions, "rows": rows},
    )


def _version_or_404(service: Service, version: int) -> ServiceStandard:
    if version > MAX_VERSION:  # larger than any database integer: cannot exist
        raise Http404(_("Versi standar tidak ditemukan."))
    try:
        return selectors.standard_version(service=service, version=version)
    except NotFound as exc:
        raise Http404(exc.detail) from exc


@public_page
def standard_detail(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    service = _service_or_404(slug)
    standard = _version_or_404(service, version)
    return render(
        request,
        "catalog/standard_detail.html",
        {
            "service": service,
            "standard": standard,
            "in_force": standard.status == StandardStatus.ADOPTED,
        },
    )


@public_page
def standard_compare(request: HttpRequest, slug: str) -> HttpResponse:
    service = _service_or_404(slug)
    versions = list(selectors.standard_versions(service=service))
    numbers = _version_numbers(request)
    context = {"service": service, "versions": versions, "old": None, "new": None}
    if numbers is None:
        context["error"] = _("Pilih dua nomor versi yang akan dibandingkan.")
        return render(request, "catalog/standard_compare.html", context, status=400)
    by_number = {standard.version: standard for standard in versions}
    old, new = by_number.get(numbers[0]), by_number.get(numbers[1])
    if old is None or new is None:
        context["error"] = _("Versi standar tidak ditemukan.")
        return render(request, "catalog/standard_compare.html", context, status=404)
    changes = compare_standards(old, new)
    context.update(old=old, new=new, changes=changes, changed=[c for c in changes if c.has_changes])
    return render(request, "catalog/standard_compare.html", context)


def _version_numbers(request: HttpRequest) -> tuple[int, int] | None:
    """The ?dari=&ke= version numbers, or None when missing or not positive integers."""
    raw = (request.GET.get("dari", ""), request.GET.get("ke", ""))
    if not all(value.isascii() and value.isdigit() and len(value) <= 9 for value in raw):
        return None
    return int(raw[0]), int(raw[1])


@public_page
def agency_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/agency_list.html", {"agencies": selectors.agency_list()})


@public_page
def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        agency = selectors.agency_detail(slug=slug)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    maklumat = agency.maklumat.all()
    return render(
        request,
        "catalog/agency_detail.html",
        {"agency": agency, "maklumat": maklumat[0] if maklumat else None},
    )
