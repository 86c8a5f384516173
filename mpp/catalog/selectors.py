"""Reads of the public catalog. Each runs a fixed number of queries, whatever the catalog size."""

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from mpp.agencies.models import Agency
from mpp.catalog import search
from mpp.catalog.models import Category, LifeEvent, Service, ServiceStandard, StandardStatus
from mpp.core.errors import InvalidParameter, NotFound

PUBLIC_STATUSES = (StandardStatus.ADOPTED, StandardStatus.SUPERSEDED, StandardStatus.WITHDRAWN)
# A search box gets pasted novels: past these limits more words only cost time (every word is
# one more LIKE, and SQLite refuses a query nested deeper than 1000 expressions).
MAX_QUERY_CHARS = 500
MAX_QUERY_TOKENS = 10


def service_list(
    *,
    query: str = "",
    agency: Agency | None = None,
    category: Category | None = None,
    life_event: LifeEvent | None = None,
    channel: str = "",
) -> QuerySet[Service]:
    """Active services matching the filters, with what a list shows already joined."""
    qs = (
        Service.objects.filter(is_active=True, agency__is_active=True)
        .select_related("agency", "category", "current_standard")
        .prefetch_related("life_events")
    )
    words = list(dict.fromkeys(search.tokens(query[:MAX_QUERY_CHARS])))[:MAX_QUERY_TOKENS]
    for token in words:
        qs = qs.filter(search_text__contains=" " + token)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if category is not None:
        qs = qs.filter(category=category)
    if life_event is not None:
        qs = qs.filter(life_events=life_event)
    if channel:
        qs = qs.filter(channel__in=_channels_matching(channel))
    if words:
        # Services whose name or synonyms hold every word come before mere mentions.
        named = Q()
        for token in words:
            named &= Q(title_text__contains=" " + token)
        qs = qs.annotate(rank=Case(When(named, then=Value(0)), default=Value(1)))
        return qs.order_by("rank", "name", "pk")
    return qs.order_by("name", "pk")


_CHANNEL_MATCHES = {"online": ("online", "both"), "counter": ("counter", "both"), "both": ("both",)}


def _channels_matching(channel: str) -> tuple[str, ...]:
    # A service offered both ways is found when either channel is asked for.
    if channel not in _CHANNEL_MATCHES:
        raise InvalidParameter(
            _("Kanal tidak dikenal."), errors={"channel": [_("Pilih online, counter atau both.")]}
        )
    return _CHANNEL_MATCHES[channel]


def service_detail(*, slug: str) -> Service:
    """An active service with its current standard; NotFound otherwise."""
    service = (
        Service.objects.filter(slug=slug, is_active=True, agency__is_active=True)
        .select_related("agency", "category", "current_standard")
        .prefetch_related("life_events")
        .first()
    )
    if service is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    return service


def standard_versions(*, service: Service) -> QuerySet[ServiceStandard]:
    """Every published version of a service's standard, newest first (drafts are not public)."""
    return service.standards.filter(status__in=PUBLIC_STATUSES).order_by("-version")


def standard_version(*, service: Service, version: int) -> ServiceStandard:
    """One published version; NotFound for drafts and unknown numbers."""
    standard = standard_versions(service=service).filter(version=version).first()
    if standard is None:
        raise NotFound(_("Versi standar tidak ditemukan."))
    return standard


def agency_list() -> QuerySet[Agency]:
    """Active agencies with their number of active services."""
    return (
        Agency.objects.filter(is_active=True)
        .annotate(service_count=Count("services", filter=Q(services__is_active=True)))
        .order_by("name")
    )


def agency_detail(*, slug: str) -> Agency:
    """An active agency with its services and its latest maklumat prefetched."""
    agency = (
        Agency.objects.filter(slug=slug, is_active=True)
        .prefetch_related(
            Prefetch(
                "services",
                queryset=Service.objects.filter(is_active=True)
                .select_related("category", "current_standard")
                .order_by("name"),
                to_attr="active_services",
            ),
            "maklumat",
        )
        .first()
    )
    if agency is None:
        raise NotFound(_("Instansi tidak ditemukan."))
    return agency


def category_list() -> QuerySet[Category]:
    return Category.objects.annotate(
        service_count=Count("services", filter=Q(services__is_active=True))
    ).order_by("name")


def life_event_list() -> QuerySet[LifeEvent]:
    return LifeEvent.objects.annotate(
        service_count=Count("services", filter=Q(services__is_active=True))
    ).order_by("order", "name")
