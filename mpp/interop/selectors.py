"""Reads of the interop context, carrying the same visibility rules as the services."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from mpp.agencies.models import Agency
from mpp.core.errors import NotFound
from mpp.interop.models import ApiClient, WebhookDelivery, WebhookSubscription
from mpp.interop.services import manageable_agencies, require_interop_admin


def agency_for(actor, slug: str) -> Agency:
    agency = manageable_agencies(actor).filter(slug=slug).first()
    if agency is None:
        # Same answer whether the agency exists or not; a lower role is refused instead.
        other = Agency.objects.filter(slug=slug, is_active=True).first()
        if other is not None:
            require_interop_admin(actor, other.pk)
        raise NotFound(_("Instansi tidak ditemukan."))
    return agency


def api_clients(*, actor, agency: Agency) -> QuerySet[ApiClient]:
    require_interop_admin(actor, agency.pk)
    return ApiClient.objects.filter(agency=agency).prefetch_related("credentials")


def api_client(*, actor, agency: Agency, public_id: str) -> ApiClient:
    require_interop_admin(actor, agency.pk)
    client = ApiClient.objects.filter(agency=agency, public_id=public_id).first()
    if client is None:
        raise NotFound(_("Klien API tidak ditemukan."))
    return client


def subscriptions(*, actor, agency: Agency) -> QuerySet[WebhookSubscription]:
    require_interop_admin(actor, agency.pk)
    return WebhookSubscription.objects.filter(agency=agency)


def subscription(*, actor, agency: Agency, public_id: str) -> WebhookSubscription:
    require_interop_admin(actor, agency.pk)
    found = WebhookSubscription.objects.filter(agency=agency, public_id=public_id).first()
    if found is None:
        raise NotFound(_("Langganan webhook tidak ditemukan."))
    return found


def deliveries(*, subscription: WebhookSubscription, limit: int = 50) -> list[WebhookDelivery]:
    return list(
        WebhookDelivery.objects.filter(subscription=subscription)
        .select_related("event")
        .order_by("-id")[:limit]
    )


def delivery(*, subscription: WebhookSubscription, message_id: str) -> WebhookDelivery:
    found = (
        WebhookDelivery.objects.filter(subscription=subscription, message_id=message_id)
        .select_related("event", "subscription")
        .first()
    )
    if found is None:
        raise NotFound(_("Pengiriman tidak ditemukan."))
    return found
