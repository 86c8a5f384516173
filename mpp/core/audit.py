"""Append audit records and domain events inside the caller's transaction."""

import uuid

from django.db import transaction
from django.utils import timezone

from mpp.core.models import AuditHead, AuditRecord, DomainEvent

GENESIS_HASH = "0" * 64


def audit(*, actor, action: str, target, agency_id: int | None = None, data=None) -> AuditRecord:
    """Append one hash-chained audit record; call inside the service's atomic block."""
    with transaction.atomic():
        head = _locked_head()
        record = AuditRecord(
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=getattr(actor, "username", "") or "system",
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            agency_id=agency_id,
            data=data or {},
            prev_hash=head.hash,
        )
        record.hash = record.compute_hash()
        record.save()
        head.hash = record.hash
        head.save(update_fields=["hash"])
    return record


def _locked_head() -> AuditHead:
    """The chain's head row, locked until the caller's transaction ends (made on first use)."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        last = AuditRecord.objects.order_by("-id").values_list("hash", flat=True).first()
        AuditHead.objects.bulk_create(
            [AuditHead(pk=1, hash=last or GENESIS_HASH)], ignore_conflicts=True
        )
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


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
