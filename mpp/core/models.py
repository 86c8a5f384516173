"""Base model, hash-chained audit log, domain events and the working-day calendar's overrides."""

import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every record says when it was made and changed, and by whom."""

    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class AuditRecord(models.Model):
    """An append-only trail: each row carries the hash of the one before (tamper-evident)."""

    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=100)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=100)
    agency_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]

    def compute_hash(self) -> str:
        payload = json.dumps(
            {
                "at": self.at.isoformat(),
                "actor": self.actor_id,
                "action": self.action,
                "target": f"{self.target_type}:{self.target_id}",
                "agency": self.agency_id,
                "data": self.data,
                "prev": self.prev_hash,
            },
            sort_keys=True,
            cls=DjangoJSONEncoder,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


class AuditHead(models.Model):
    """The newest hash of the audit chain, in one row that every writer locks in turn.

    Locking the last AuditRecord does not serialise writers on PostgreSQL (two transactions
    waiting for the same last row both chain to it); locking this one row does, because a
    waiting writer reads the row as the first one left it.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    hash = models.CharField(max_length=64)


class DomainEvent(models.Model):
    """A fact recorded in the same transaction as the change (outbox for webhooks, stats)."""

    event_id = models.CharField(max_length=40, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    subject = models.CharField(max_length=200)
    agency_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    occurred_at = models.DateTimeField(db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class CalendarOverride(BaseModel):
    """A day the MPP manager marks by hand as a holiday or as a working day."""

    date = models.DateField(unique=True)
    is_working_day = models.BooleanField(
        help_text=_("Centang jika hari ini hari kerja walaupun kalender nasional menyatakan libur")
    )
    reason = models.CharField(_("alasan"), max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {'kerja' if self.is_working_day else 'libur'} ({self.reason})"


class CacheGeneration(models.Model):
    """A counter per cached area (e.g. the public catalog); any change bumps it.

    Cached pages are keyed by the counter, so one UPDATE invalidates them in every web
    process; processes re-read the counter every few seconds (MPP_CACHE_GENERATION_TTL).
    """

    name = models.CharField(max_length=50, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class Notification(models.Model):
    """One message to a person, written in the same transaction as its cause (an outbox).

    The worker sends it after commit; a failure (mail server down) is retried with backoff
    until MPP_NOTIFY_MAX_ATTEMPTS, then marked failed. Rendered when queued, in the
    recipient's language, so the worker needs no request.
    """

    channel = models.CharField(max_length=8, choices=NotificationChannel.choices)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    topic = models.CharField(max_length=100, db_index=True)
    subject_ref = models.CharField(max_length=100, blank=True, db_index=True)
    status = models.CharField(
        max_length=8, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
