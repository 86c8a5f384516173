"""Writes of the interop context: API clients (machine accounts) and webhook subscriptions.

Who (ADR 0030): the agency admin of the agency and the MPP manager. Another agency's client
or subscription reads as not found; anyone else is refused. Every change is audited with ids
and names only; secrets are returned once to the caller and never audited or logged.
"""

import datetime as dt
import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.agencies.models import Agency, AgencyRole
from mpp.agencies.permissions import agency_ids_for, is_mpp_manager
from mpp.core.audit import audit
from mpp.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from mpp.interop import crypto
from mpp.interop.catalogue import ALL_EVENTS, EVENT_TYPES, SCOPES
from mpp.interop.models import (
    ApiClient,
    ApiCredential,
    DeliveryStatus,
    WebhookDelivery,
    WebhookSubscription,
)

NAME_MAX = 100


# --- who ---------------------------------------------------------------------------------


def manageable_agencies(actor) -> QuerySet[Agency]:
    """The agencies whose API clients and webhooks the actor manages."""
    if is_mpp_manager(actor):
        return Agency.objects.filter(is_active=True)
    ids = agency_ids_for(actor, (AgencyRole.AGENCY_ADMIN,))
    return Agency.objects.filter(pk__in=ids, is_active=True)


def require_interop_admin(actor, agency_id: int) -> None:
    """Tenancy first: another agency's officer gets not found, a lower role is refused."""
    if is_mpp_manager(actor):
        return
    if agency_id in agency_ids_for(actor, (AgencyRole.AGENCY_ADMIN,)):
        return
    member_of = agency_ids_for(actor)
    if member_of and agency_id not in member_of:
        raise NotFound(_("Instansi tidak ditemukan."))
    raise PermissionDenied()


# --- API clients -------------------------------------------------------------------------


@dataclass
class IssuedSecrets:
    """What the agency admin sees once: the bearer token and the inbound signing secret."""

    client: ApiClient
    token: str
    signing_secret: str


def _clean_scopes(scopes) -> list[str]:
    scopes = list(dict.fromkeys(scopes or []))
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise ValidationFailed(
            _("Cakupan tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)},
            errors={"scopes": [_("Pilih dari daftar cakupan.")]},
        )
    if not scopes:
        raise ValidationFailed(
            _("Pilih paling sedikit satu cakupan."),
            errors={"scopes": [_("Pilih paling sedikit satu cakupan.")]},
        )
    return scopes


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        message = _("Nama wajib diisi, paling banyak %(n)s karakter.") % {"n": NAME_MAX}
        raise ValidationFailed(message, errors={"name": [message]})
    return name


def _new_credential(client: ApiClient) -> tuple[ApiCredential, str, str]:
    token, secret = crypto.new_token(), crypto.new_signing_secret()
    credential = ApiCredential.objects.create(
        client=client,
        token_hash=crypto.token_hash(token),
        token_prefix=token[:12],
        signing_secret=crypto.seal(secret),
    )
    return credential, token, secret


@transaction.atomic
def api_client_create(*, actor, agency: Agency, name: str, scopes: list[str]) -> IssuedSecrets:
    require_interop_admin(actor, agency.pk)
    client = ApiClient.objects.create(
        agency=agency,
        name=_clean_name(name),
        scopes=_clean_scopes(scopes),
        created_by=actor,
        modified_by=actor,
    )
    _credential, token, secret = _new_credential(client)
    audit(
        actor=actor,
        action="api_client.created",
        target=client,
        agency_id=agency.pk,
        data={"name": client.name, "scopes": client.scopes},
    )
    return IssuedSecrets(client=client, token=token, signing_secret=secret)


def _active(client: ApiClient) -> None:
    if not client.is_active:
        raise Conflict(_("Klien API ini sudah dicabut."))


@transaction.atomic
def api_client_set_scopes(*, actor, client: ApiClient, scopes: list[str]) -> ApiClient:
    require_interop_admin(actor, client.agency_id)
    _active(client)
    before = list(client.scopes)
    client.scopes = _clean_scopes(scopes)
    client.modified_by = actor
    client.save(update_fields=["scopes", "modified_by", "modified_at"])
    audit(
        actor=actor,
        action="api_client.scopes_changed",
        target=client,
        agency_id=client.agency_id,
        data={"before": before, "after": client.scopes},
    )
    return client


def max_overlap_hours() -> int:
    return int(getattr(settings, "MPP_API_ROTATION_MAX_OVERLAP_HOURS", 168))


@transaction.atomic
def api_client_rotate(*, actor, client: ApiClient, overlap_hours: int) -> IssuedSecrets:
    """New token and signing secret; the current ones stay valid for `overlap_hours` more."""
    require_interop_admin(actor, client.agency_id)
    _active(client)
    if not isinstance(overlap_hours, int) or not 0 <= overlap_hours <= max_overlap_hours():
        message = _("Masa tumpang tindih 0–%(max)s jam.") % {"max": max_overlap_hours()}
        raise ValidationFailed(message, errors={"overlap_hours": [message]})
    now = timezone.now()
    until = now + dt.timedelta(hours=overlap_hours)
    for credential in client.credentials.select_for_update():
        if credential.is_valid_at(now) and (
            credential.expires_at is None or credential.expires_at > until
        ):
            credential.expires_at = until
            credential.save(update_fields=["expires_at"])
    _credential, token, secret = _new_credential(client)
    audit(
        actor=actor,
        action="api_client.rotated",
        target=client,
        agency_id=client.agency_id,
        data={"old_valid_until": until.isoformat()},
    )
    return IssuedSecrets(client=client, token=token, signing_secret=secret)


@transaction.atomic
def api_client_revoke(*, actor, client: ApiClient) -> ApiClient:
    require_interop_admin(actor, client.agency_id)
    _active(client)
    client.revoked_at = timezone.now()
    client.modified_by = actor
    client.save(update_fields=["revoked_at", "modified_by", "modified_at"])
    audit(actor=actor, action="api_client.revoked", target=client, agency_id=client.agency_id)
    return client


# --- webhook subscriptions ---------------------------------------------------------------


def _clean_event_types(types) -> list[str]:
    types = list(dict.fromkeys(types or []))
    if ALL_EVENTS in types:
        return [ALL_EVENTS]
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown or not types:
        message = _("Pilih paling sedikit satu jenis peristiwa dari daftar.")
        raise ValidationFailed(message, errors={"event_types": [message]})
    return types


def allows_insecure_urls() -> bool:
    return bool(getattr(settings, "MPP_WEBHOOK_ALLOW_INSECURE", False))


def url_problem(url: str) -> str | None:
    """Why an endpoint URL is refused (None when fine): HTTPS only, no private addresses.

    MPP_WEBHOOK_ALLOW_INSECURE (development and tests) allows http:// and loopback.
    """
    try:
        parts = urlsplit(url or "")
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return _("Alamat URL tidak valid.")
    if parts.scheme not in ("https", "http") or not host:
        return _("Alamat URL tidak valid.")
    if allows_insecure_urls():
        return None
    if parts.scheme != "https":
        return _("Alamat harus memakai https://.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
            return _("Alamat jaringan internal tidak diizinkan.")
        return None
    if not address.is_global:
        return _("Alamat jaringan internal tidak diizinkan.")
    return None


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    problem = url_problem(url) if len(url) <= 500 else _("Alamat URL terlalu panjang.")
    if problem:
        raise ValidationFailed(problem, errors={"url": [problem]})
    return url


@dataclass
class IssuedSubscription:
    subscription: WebhookSubscription
    secret: str


@transaction.atomic
def subscription_create(
    *, actor, agency: Agency, url: str, event_types: list[str], description: str = ""
) -> IssuedSubscription:
    require_interop_admin(actor, agency.pk)
    secret = crypto.new_signing_secret()
    subscription = WebhookSubscription.objects.create(
        agency=agency,
        url=_clean_url(url),
        event_types=_clean_event_types(event_types),
        description=(description or "").strip()[:200],
        secret=crypto.seal(secret),
        created_by=actor,
        modified_by=actor,
    )
    audit(
        actor=actor,
        action="webhook.subscribed",
        target=subscription,
        agency_id=agency.pk,
        data={"url": subscription.url, "event_types": subscription.event_types},
    )
    return IssuedSubscription(subscription=subscription, secret=secret)


@transaction.atomic
def subscription_update(
    *, actor, subscription: WebhookSubscription, url: str, event_types: list[str], description=""
) -> WebhookSubscription:
    require_interop_admin(actor, subscription.agency_id)
    subscription.url = _clean_url(url)
    subscription.event_types = _clean_event_types(event_types)
    subscription.description = (description or "").strip()[:200]
    subscription.modified_by = actor
    subscription.save()
    audit(
        actor=actor,
        action="webhook.changed",
        target=subscription,
        agency_id=subscription.agency_id,
        data={"url": subscription.url, "event_types": subscription.event_types},
    )
    return subscription


@transaction.atomic
def subscription_rotate_secret(
    *, actor, subscription: WebhookSubscription, overlap_hours: int
) -> IssuedSubscription:
    """A new signing secret; for `overlap_hours` messages carry both signatures."""
    require_interop_admin(actor, subscription.agency_id)
    if not isinstance(overlap_hours, int) or not 0 <= overlap_hours <= max_overlap_hours():
        message = _("Masa tumpang tindih 0–%(max)s jam.") % {"max": max_overlap_hours()}
        raise ValidationFailed(message, errors={"overlap_hours": [message]})
    secret = crypto.new_signing_secret()
    subscription.previous_secret = subscription.secret if overlap_hours else ""
    subscription.previous_secret_until = (
        timezone.now() + dt.timedelta(hours=overlap_hours) if overlap_hours else None
    )
    subscription.secret = crypto.seal(secret)
    subscription.modified_by = actor
    subscription.save()
    audit(
        actor=actor,
        action="webhook.secret_rotated",
        target=subscription,
        agency_id=subscription.agency_id,
        data={"overlap_hours": overlap_hours},
    )
    return IssuedSubscription(subscription=subscription, secret=secret)


@transaction.atomic
def subscription_set_active(
    *, actor, subscription: WebhookSubscription, active: bool
) -> WebhookSubscription:
    require_interop_admin(actor, subscription.agency_id)
    subscription.is_active = active
    subscription.disabled_reason = "" if active else _("Dinonaktifkan oleh admin")
    subscription.disabled_at = None if active else timezone.now()
    subscription.modified_by = actor
    subscription.save()
    audit(
        actor=actor,
        action="webhook.enabled" if active else "webhook.disabled",
        target=subscription,
        agency_id=subscription.agency_id,
    )
    if active:
        from mpp.interop.outbox import wake_worker

        transaction.on_commit(wake_worker)
    return subscription


@transaction.atomic
def delivery_redeliver(*, actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again (same webhook-id), with a fresh set of attempts."""
    require_interop_admin(actor, delivery.subscription.agency_id)
    if delivery.status == DeliveryStatus.SENDING:
        raise Conflict(_("Pengiriman ini sedang berlangsung."))
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.lease_until = None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "lease_until"])
    audit(
        actor=actor,
        action="webhook.redelivered",
        target=delivery.subscription,
        agency_id=delivery.subscription.agency_id,
        data={"message_id": delivery.message_id, "event": delivery.event.event_id},
    )
    from mpp.interop.outbox import wake_worker

    transaction.on_commit(wake_worker)
    return delivery
