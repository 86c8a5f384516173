"""Inbound signed webhooks: an agency system pushes an event to MPP (ADR 0034).

    from mpp.interop.inbound import register_inbound_handler

    def on_status_change(*, client, event):   # event: the CloudEvent as a dict
        app = client_object(client, Application.objects.all(), code=event["subject"])
        ...                                    # call the same service as the officer's page
        return {"status": app.status}          # JSON-able result, echoed to the sender

    register_inbound_handler(
        "application.status_change", on_status_change, scope="applications:transition"
    )

POST /api/v1/inbound/{client_id}/events with a CloudEvents 1.0 structured JSON body, signed
per Standard Webhooks with the client's signing secret (`whsec_...`, shown once at creation
and rotation; during a rotation's overlap both secrets are accepted). Refused: unknown or
revoked client, bad signature or tampered body (401 `invalid-signature`), a timestamp more
than MPP_INBOUND_TOLERANCE_SECONDS (300) away from now (401), a `webhook-id` already
processed (409 `replayed-message`), a type no handler knows (422), a missing scope (403).
The handler runs in one transaction with the record of the id: a handler error leaves the
id unused, so the sender may retry it.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.interop import crypto
from mpp.interop.catalogue import short_type
from mpp.interop.errors import (
    InvalidEvent,
    MessageReplayed,
    ScopeMissing,
    SignatureInvalid,
    TimestampOutOfTolerance,
    UnknownEventType,
)
from mpp.interop.models import ApiClient, InboundMessage

INBOUND_SCOPE = "events:push"
MAX_BODY = 256 * 1024


@dataclass(frozen=True)
class InboundHandler:
    type: str
    handler: Callable
    scope: str | None


_handlers: dict[str, InboundHandler] = {}


def register_inbound_handler(event_type: str, handler: Callable, *, scope: str | None) -> None:
    """Route inbound events of `event_type` (short or `id.mpp.` form) to `handler`.

    `handler(*, client, event) -> dict | None` runs inside a transaction; raise an MppError
    for a refusal (it becomes the problem answered to the sender). `scope`: what the client
    must hold besides `events:push`.
    """
    name = short_type(event_type)
    _handlers[name] = InboundHandler(type=name, handler=handler, scope=scope)


def unregister_inbound_handler(event_type: str) -> None:
    _handlers.pop(short_type(event_type), None)


def inbound_handler(event_type: str) -> InboundHandler | None:
    return _handlers.get(short_type(event_type))


def tolerance() -> int:
    return int(getattr(settings, "MPP_INBOUND_TOLERANCE_SECONDS", 300))


def _verified_client(public_id: str, headers, body: bytes) -> tuple[ApiClient, str]:
    msg_id = headers.get("webhook-id", "")
    raw_ts = headers.get("webhook-timestamp", "")
    signature = headers.get("webhook-signature", "")
    if not (msg_id and raw_ts and signature) or len(msg_id) > 100:
        raise SignatureInvalid(
            _("Header webhook-id, webhook-timestamp dan webhook-signature wajib ada.")
        )
    try:
        timestamp = int(raw_ts)
    except ValueError as exc:
        raise TimestampOutOfTolerance(_("webhook-timestamp harus detik Unix.")) from exc
    now = timezone.now()
    if abs(now.timestamp() - timestamp) > tolerance():
        raise TimestampOutOfTolerance(
            _("webhook-timestamp berbeda lebih dari %(n)s detik dari waktu MPP.")
            % {"n": tolerance()}
        )
    client = (
        ApiClient.objects.select_related("agency")
        .filter(public_id=public_id, revoked_at__isnull=True, agency__is_active=True)
        .first()
    )
    secrets = (
        [crypto.unseal(c.signing_secret) for c in client.credentials.all() if c.is_valid_at(now)]
        if client
        else []
    )
    if not any(
        crypto.signature_matches(s, msg_id=msg_id, timestamp=timestamp, body=body, header=signature)
        for s in secrets
    ):
        raise SignatureInvalid(_("Tanda tangan tidak cocok dengan isi pesan."))
    return client, msg_id


def _parse(body: bytes) -> dict:
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidEvent(_("Isi pesan bukan JSON.")) from exc
    if not isinstance(event, dict):
        raise InvalidEvent(_("Isi pesan harus objek JSON CloudEvent."))
    errors = {}
    if event.get("specversion") != "1.0":
        errors["specversion"] = [_('Harus "1.0".')]
    for name in ("id", "source", "type"):
        if not isinstance(event.get(name), str) or not event.get(name):
            errors[name] = [_("Wajib diisi.")]
    if "subject" in event and not isinstance(event["subject"], str):
        errors["subject"] = [_("Harus berupa teks.")]
    if errors:
        raise InvalidEvent(
            _("CloudEvent tidak valid: %(names)s.") % {"names": ", ".join(errors)},
            errors=errors,
        )
    return event


def receive(*, public_id: str, headers, body: bytes) -> dict:
    """Verify, refuse replays, dispatch; the handler's result as the answer."""
    if len(body) > MAX_BODY:
        raise InvalidEvent(_("Isi pesan terlalu besar."))
    client, msg_id = _verified_client(public_id, headers, body)
    event = _parse(body)
    if not client.has_scope(INBOUND_SCOPE):
        raise ScopeMissing(
            _("Klien API ini tidak memiliki cakupan %(scope)s.") % {"scope": INBOUND_SCOPE},
            required_scope=INBOUND_SCOPE,
        )
    handler = inbound_handler(event["type"])
    if handler is None:
        raise UnknownEventType(
            _("Tidak ada penanganan untuk jenis %(type)s.") % {"type": event["type"]}
        )
    if handler.scope and not client.has_scope(handler.scope):
        raise ScopeMissing(
            _("Klien API ini tidak memiliki cakupan %(scope)s.") % {"scope": handler.scope},
            required_scope=handler.scope,
        )
    if InboundMessage.objects.filter(client=client, message_id=msg_id).exists():
        raise MessageReplayed(_("webhook-id %(id)s sudah diproses.") % {"id": msg_id})
    try:
        with transaction.atomic():
            record = InboundMessage.objects.create(
                client=client, message_id=msg_id, type=handler.type, received_at=timezone.now()
            )
            result = handler.handler(client=client, event=event) or {}
            record.result = result
            record.save(update_fields=["result"])
    except IntegrityError as exc:  # the same id, concurrently
        raise MessageReplayed(_("webhook-id %(id)s sudah diproses.") % {"id": msg_id}) from exc
    return {"status": "accepted", "id": msg_id, "type": handler.type, "result": result}
