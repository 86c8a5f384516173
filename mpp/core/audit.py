"""Append audit records and domain events inside the caller's transaction."""

import uuid

from django.db import transaction
from django.utils import timezone

from mpp.core.models import AuditRecord, DomainEvent

GENESIS_HASH = "0" * 64


def audit(*, actor, action: str, target, agency_id: int | None = None, data=None) -> AuditRecord:
    """Append one hash-chained audit record; call inside the service's atomic block."""
    with transaction.atomic():
        last = AuditRecord.objects.select_for_update().order_by("-id").only("hash").first()
        record = AuditRecord(
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=getattr(actor, "username", "") or "system",
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            agency_id=agency_id,
            data=data or {},
            prev_hash=last.hash if last else GENESIS_HASH,
        )
        record.hash = record.compute_hash()
        record.save()
    return record


def audit_chain_is_intact() -> bool:
    """True when every record's hash matches its content and its predecessor."""
    prev = GENESIS_HASH
    for record in AuditRecord.objects.order_by("id").iterator():
        if record.prev_hash != prev or record.compute_hash() != record.hash:
            return False
        prev = record.hash
    return True


def record_event(*, type: str, subject: str, agency_id: int | None, data: dict) -> DomainEvent:
    """Record a domain event in the current transaction and publish it after commit."""
    event = DomainEvent.objects.create(
        event_id=str(uuid.uuid4()),
        type=type,
        subject=subject,
        agency_id=agency_id,
        data=data,
        occurred_at=timezone.now(),
    )

    def _enqueue() -> None:
        from mpp.core.tasks import publish_event

        publish_event.enqueue(event.pk)

    transaction.on_commit(_enqueue)
    return event
