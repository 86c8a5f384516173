"""Machine accounts of agencies (API clients), idempotent requests, webhooks in and out."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mpp.agencies.models import Agency, new_public_code
from mpp.core.models import BaseModel, DomainEvent


def _message_id() -> str:
    return "msg_" + new_public_code(18)


class ApiClient(BaseModel):
    """A machine account of one agency: every call it makes is limited to that agency."""

    public_id = models.CharField(max_length=40, unique=True, default=new_public_code)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="api_clients")
    name = models.CharField(_("nama"), max_length=100)
    scopes = models.JSONField(default=list)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("klien API")
        verbose_name_plural = _("klien API")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class ApiCredential(models.Model):
    """One secret pair of a client: a bearer token (hashed) and an inbound signing secret.

    Rotation adds a credential and gives the old ones an `expires_at` (the overlap period).
    """

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="credentials")
    token_hash = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(max_length=16)
    signing_secret = models.TextField()  # sealed (mpp.interop.crypto.seal)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def is_valid_at(self, moment) -> bool:
        return self.expires_at is None or self.expires_at > moment


class IdempotencyRecord(models.Model):
    """The first response to a POST with an Idempotency-Key, replayed for the same request."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="uniq_idempotency_key")
        ]


class WebhookSubscription(BaseModel):
    """An agency's endpoint that receives its events, signed with the subscription's secret."""

    public_id = models.CharField(max_length=40, unique=True, default=new_public_code)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="webhook_subscriptions"
    )
    url = models.URLField(_("alamat (URL)"), max_length=500)
    description = models.CharField(_("keterangan"), max_length=200, blank=True)
    event_types = models.JSONField(default=list)
    secret = models.TextField()  # sealed
    # After a rotation the old secret also signs until `previous_secret_until` (overlap).
    previous_secret = models.TextField(blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("langganan webhook")
        verbose_name_plural = _("langganan webhook")

    def __str__(self) -> str:
        return self.url

    def wants(self, short_event_type: str) -> bool:
        types = self.event_types or []
        return "*" in types or short_event_type in types


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENDING = "sending", _("Sedang dikirim")
    DELIVERED = "delivered", _("Terkirim")
    FAILED = "failed", _("Gagal")


class WebhookDelivery(models.Model):
    """One event for one subscription; `message_id` is the stable `webhook-id` of every try."""

    message_id = models.CharField(max_length=40, unique=True, default=_message_id)
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(DomainEvent, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=16, blank=True, db_index=True)  # the claiming run
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="uniq_delivery")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="interop_delivery_due"),
            models.Index(fields=["subscription", "subject", "id"], name="interop_delivery_chain"),
        ]


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery, for the agency admin's delivery log."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]


class InboundMessage(models.Model):
    """A signed event an agency system pushed to MPP; its id is refused a second time."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="inbound")
    message_id = models.CharField(max_length=100)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField()
    result = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["client", "message_id"], name="uniq_inbound_message")
        ]


class WakeUp(models.Model):
    """The earliest future `deliver_due` run already queued (one row): no duplicate timers."""

    name = models.CharField(max_length=30, primary_key=True)
    wake_at = models.DateTimeField(null=True, blank=True)
