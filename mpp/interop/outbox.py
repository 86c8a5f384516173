"""Outbound webhooks: domain events fan out to deliveries, the worker sends them (ADR 0033).

Flow: `record_event` (same transaction as the change) → after commit `publish_event` (core
task) → `fan_out(event)` makes one WebhookDelivery per active, matching subscription of the
event's agency → `deliver_due` (task) claims due deliveries one at a time and POSTs them.

Claim and lease: a claim is a conditional UPDATE (pending and due, or sending with an expired
lease → sending with a new lease), so two workers never send the same delivery at once and
a delivery whose worker died is picked up again when its lease runs out, with the same
`webhook-id`. Every run that claims something schedules a watchdog run at the lease's end.

Order: a delivery is only claimed when no earlier delivery of the same subscription and
subject is still pending or sending, so events of one application reach a subscriber in
order; a failed (given up) delivery no longer holds the next one back.
"""

import datetime as dt
import json
import logging
import random
import secrets
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from mpp.core.models import DomainEvent
from mpp.interop import crypto
from mpp.interop.catalogue import cloudevent_type, short_type
from mpp.interop.models import (
    DeliveryStatus,
    WakeUp,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)

logger = logging.getLogger(__name__)
CONTENT_TYPE = "application/cloudevents+json"
USER_AGENT = "MPP-Webhooks/1.0"
GONE = "gone"  # send()'s answer when the endpoint said 410 and was disabled
_rng = random.Random()


def _setting(name: str, default):
    return getattr(settings, name, default)


def max_attempts() -> int:
    return int(_setting("MPP_WEBHOOK_MAX_ATTEMPTS", 8))


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=int(_setting("MPP_WEBHOOK_LEASE_SECONDS", 60)))


def timeout() -> float:
    return float(_setting("MPP_WEBHOOK_TIMEOUT_SECONDS", 10))


def backoff(attempt: int) -> dt.timedelta:
    """Delay after the `attempt`-th failure: exponential, capped, with "equal jitter"."""
    base = float(_setting("MPP_WEBHOOK_RETRY_BASE_SECONDS", 30))
    cap = float(_setting("MPP_WEBHOOK_RETRY_MAX_SECONDS", 6 * 3600))
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    return dt.timedelta(seconds=delay / 2 + _rng.uniform(0, delay / 2))


# --- fan-out -----------------------------------------------------------------------------


def fan_out(event: DomainEvent) -> int:
    """One delivery per active subscription of the event's agency that wants its type.

    Idempotent (a unique constraint per subscription and event), so a retried publish
    creates nothing twice. Registered in MPP_EVENT_SUBSCRIBERS; runs in `publish_event`.
    """
    if event.agency_id is None:
        return 0
    kind = short_type(event.type)
    wanted = [
        s
        for s in WebhookSubscription.objects.filter(agency_id=event.agency_id, is_active=True)
        if s.wants(kind)
    ]
    if not wanted:
        return 0
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(subscription=s, event=event, subject=event.subject, next_attempt_at=now)
            for s in wanted
        ],
        ignore_conflicts=True,
    )
    transaction.on_commit(wake_worker)
    return len(wanted)


def wake_worker(*, at: dt.datetime | None = None) -> None:
    """Queue a `deliver_due` run now, or at `at` unless one is queued for no later than that."""
    from mpp.interop.tasks import deliver_due

    now = timezone.now()
    if at is None:
        # At most one queued, not yet started run: it clears the flag before it claims, so
        # whatever was committed before this check is seen by that run.
        WakeUp.objects.get_or_create(name="now")
        # A flag older than a lease belongs to a run that never started: ignore it.
        free = Q(wake_at__isnull=True) | Q(wake_at__lt=now - lease())
        if WakeUp.objects.filter(free, name="now").update(wake_at=now):
            deliver_due.enqueue()
        return
    WakeUp.objects.get_or_create(name="deliveries")
    taken = (
        WakeUp.objects.filter(name="deliveries")
        .filter(Q(wake_at__isnull=True) | Q(wake_at__lte=now) | Q(wake_at__gt=at))
        .update(wake_at=at)
    )
    if taken:
        deliver_due.using(run_after=at).enqueue()


# --- the body and its signature ----------------------------------------------------------


def event_source() -> str:
    return _setting("MPP_EVENT_SOURCE", "") or settings.SITE_URL.rstrip("/") + "/"


def cloudevent(event: DomainEvent) -> dict:
    """The CloudEvents 1.0 structured-mode envelope of a domain event."""
    occurred = event.occurred_at.astimezone(dt.UTC)
    return {
        "specversion": "1.0",
        "id": event.event_id,
        "source": event_source(),
        "type": cloudevent_type(event.type),
        "subject": event.subject,
        "time": occurred.isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
        "data": event.data,
    }


def body_of(event: DomainEvent) -> bytes:
    """The same bytes on every attempt (sorted keys), so a receiver may hash them."""
    from django.core.serializers.json import DjangoJSONEncoder

    return json.dumps(
        cloudevent(event), sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder
    ).encode()


def signed_headers(secret, *, msg_id: str, body: bytes, timestamp: int) -> dict:
    """Standard Webhooks headers; `secret` may be a list (all of them sign)."""
    secrets_ = secret if isinstance(secret, list) else [secret]
    return {
        "Content-Type": CONTENT_TYPE,
        "User-Agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": crypto.sign_all(
            secrets_, msg_id=msg_id, timestamp=timestamp, body=body
        ),
    }


def signing_secrets(subscription: WebhookSubscription, now: dt.datetime) -> list[str]:
    """The current secret, and the previous one during a rotation's overlap."""
    found = [crypto.unseal(subscription.secret)]
    if subscription.previous_secret and (
        subscription.previous_secret_until and subscription.previous_secret_until > now
    ):
        found.append(crypto.unseal(subscription.previous_secret))
    return found


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect is an answer, not followed
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict) -> tuple[int | None, str]:
    """POST once; (status code, error text). Never raises for network trouble."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _opener.open(request, timeout=timeout()) as response:
            response.read(65536)
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, str(reason)[:300] or exc.__class__.__name__


# --- claiming and sending ----------------------------------------------------------------


def _due(now: dt.datetime):
    earlier_open = WebhookDelivery.objects.filter(
        subscription=OuterRef("subscription"),
        subject=OuterRef("subject"),
        id__lt=OuterRef("id"),
        status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING),
    )
    return (
        WebhookDelivery.objects.filter(subscription__is_active=True)
        .filter(
            Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=DeliveryStatus.SENDING, lease_until__lt=now)
        )
        .exclude(Exists(earlier_open))
        .order_by("id")
    )


def claim_batch(limit: int | None = None, now: dt.datetime | None = None) -> list[WebhookDelivery]:
    """Claim up to `limit` due deliveries (heads of distinct chains) in one conditional UPDATE.

    A row is taken only if it is still pending and due, or sending with an expired lease;
    a concurrent worker's UPDATE of the same row then matches nothing. The claim token tells
    this run's rows apart.
    """
    now = now or timezone.now()
    limit = limit or int(_setting("MPP_WEBHOOK_CLAIM_BATCH", 10))
    ids = list(_due(now).values_list("pk", flat=True)[:limit])
    if not ids:
        return []
    token = secrets.token_hex(8)
    WebhookDelivery.objects.filter(pk__in=ids).filter(
        Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.SENDING, lease_until__lt=now)
    ).update(
        status=DeliveryStatus.SENDING,
        lease_until=now + lease(),
        claim=token,
        attempts=F("attempts") + 1,
    )
    return list(
        WebhookDelivery.objects.filter(claim=token, status=DeliveryStatus.SENDING)
        .select_related("subscription", "event")
        .order_by("id")
    )


def claim_next(now: dt.datetime | None = None) -> WebhookDelivery | None:
    """Claim the oldest due delivery; None when nothing is due."""
    claimed = claim_batch(1, now)
    return claimed[0] if claimed else None


def release(delivery: WebhookDelivery) -> None:
    """Give back a claimed delivery that was not sent (its lease was about to run out)."""
    WebhookDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.SENDING, claim=delivery.claim
    ).update(status=DeliveryStatus.PENDING, lease_until=None, attempts=F("attempts") - 1)


def send(delivery: WebhookDelivery) -> str:
    """One attempt of a claimed delivery; records the outcome unless the lease was lost."""
    subscription, started = delivery.subscription, timezone.now()
    body = body_of(delivery.event)
    headers = signed_headers(
        signing_secrets(subscription, started),
        msg_id=delivery.message_id,
        body=body,
        timestamp=int(started.timestamp()),
    )
    clock = time.monotonic()
    status_code, error = post(subscription.url, body, headers)
    elapsed = int((time.monotonic() - clock) * 1000)
    now = timezone.now()
    ok = status_code is not None and 200 <= status_code < 300
    gone = status_code == 410
    if ok:
        changes = {"status": DeliveryStatus.DELIVERED, "delivered_at": now}
    elif gone or delivery.attempts >= max_attempts():
        changes = {"status": DeliveryStatus.FAILED}
    else:
        changes = {
            "status": DeliveryStatus.PENDING,
            "next_attempt_at": now + backoff(delivery.attempts),
        }
    changes.update(
        lease_until=None,
        last_attempt_at=now,
        last_status_code=status_code,
        last_error="" if ok else (error or f"HTTP {status_code}"),
    )
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery, at=now, status_code=status_code, error=error, duration_ms=elapsed
        )
        mine = WebhookDelivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.SENDING, claim=delivery.claim
        ).update(**changes)
        if gone:
            WebhookSubscription.objects.filter(pk=subscription.pk).update(
                is_active=False, disabled_reason="HTTP 410 Gone", disabled_at=now
            )
    if not mine:
        logger.warning("webhook delivery %s: lease lost, outcome not recorded", delivery.pk)
    return GONE if gone else changes["status"]


def next_wake_up() -> dt.datetime | None:
    """When something becomes due next: a retry, or the end of a live lease."""
    retry = (
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, subscription__is_active=True)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    leased = (
        WebhookDelivery.objects.filter(status=DeliveryStatus.SENDING)
        .order_by("lease_until")
        .values_list("lease_until", flat=True)
        .first()
    )
    times = [t for t in (retry, leased) if t is not None]
    return min(times) if times else None


def run_due(*, budget: int | None = None, schedule: bool = True) -> int:
    """Send due deliveries until none is due (or `budget` were sent); returns the count.

    With `schedule`, the first claim queues a watchdog run at its lease's end (a run killed
    mid-delivery is thus followed by one that redelivers) and the run ends by queueing one
    at the next retry time.
    """
    budget = budget if budget is not None else int(_setting("MPP_WEBHOOK_BATCH", 500))
    if schedule:
        WakeUp.objects.filter(name="now").update(wake_at=None)
    sent = 0
    watchdog = False
    margin = dt.timedelta(seconds=timeout() + 1)
    while sent < budget:
        batch = claim_batch(min(budget - sent, int(_setting("MPP_WEBHOOK_CLAIM_BATCH", 10))))
        if not batch:
            break
        if schedule and not watchdog:
            wake_worker(at=batch[0].lease_until + dt.timedelta(seconds=1))
            watchdog = True
        disabled: set[int] = set()
        for delivery in batch:
            if (
                delivery.subscription_id in disabled
                or timezone.now() + margin > delivery.lease_until
            ):
                release(delivery)  # endpoint gone, or not enough lease left for a request
                continue
            if send(delivery) == GONE:
                disabled.add(delivery.subscription_id)
            sent += 1
    if schedule:
        if sent >= budget:
            wake_worker()
        else:
            upcoming = next_wake_up()
            if upcoming is not None and upcoming > timezone.now():
                wake_worker(at=upcoming)
    return sent
