"""Set-up by the MPP manager and agency admins: hours, queued services, counters."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from mpp.agencies.permissions import require_mpp_manager
from mpp.catalog.models import Service
from mpp.core.audit import audit, record_event
from mpp.core.errors import ValidationFailed
from mpp.queueing.models import Counter, OpeningHours, QueueService
from mpp.queueing.permissions import require_queue_admin


@transaction.atomic
def opening_hours_set(
    *,
    actor,
    weekday: int,
    opens_at: dt.time | None,
    closes_at: dt.time | None,
    break_starts_at: dt.time | None = None,
    break_ends_at: dt.time | None = None,
) -> OpeningHours | None:
    """Set the mall's hours of one weekday; no opening time closes the day."""
    require_mpp_manager(actor)
    if opens_at is None or closes_at is None:
        OpeningHours.objects.filter(weekday=weekday).delete()
        audit(actor=actor, action="queueing.hours_closed", target=actor, data={"weekday": weekday})
        return None
    errors: dict[str, list[str]] = {}
    if closes_at <= opens_at:
        errors["closes_at"] = [_("Jam tutup harus setelah jam buka.")]
    if (break_starts_at is None) != (break_ends_at is None):
        errors["break_ends_at"] = [
            _("Isi jam mulai dan selesai istirahat, atau kosongkan keduanya.")
        ]
    elif break_starts_at and not (opens_at <= break_starts_at < break_ends_at <= closes_at):
        errors["break_starts_at"] = [_("Istirahat harus berada di antara jam buka dan tutup.")]
    if errors:
        raise ValidationFailed(errors=errors)
    hours, _created = OpeningHours.objects.update_or_create(
        weekday=weekday,
        defaults={
            "opens_at": opens_at,
            "closes_at": closes_at,
            "break_starts_at": break_starts_at,
            "break_ends_at": break_ends_at,
            "modified_by": actor,
        },
    )
    audit(actor=actor, action="queueing.hours_set", target=hours, data={"weekday": weekday})
    return hours


@transaction.atomic
def queue_service_configure(
    *,
    actor,
    service: Service,
    prefix: str,
    service_minutes: int,
    slot_minutes: int = 30,
    online_percent: int = 60,
    is_bookable: bool = True,
) -> QueueService:
    """Queue a catalog service at the mall (or change how it is queued)."""
    require_queue_admin(actor, service.agency_id)
    prefix = (prefix or "").strip().upper()
    errors: dict[str, list[str]] = {}
    if not (prefix.isalpha() and 1 <= len(prefix) <= 3):
        errors["prefix"] = [_("Awalan nomor 1–3 huruf, misalnya A atau KTP.")]
    elif QueueService.objects.filter(prefix=prefix).exclude(service=service).exists():
        errors["prefix"] = [_("Awalan ini sudah dipakai layanan lain.")]
    if not 1 <= service_minutes <= 480:
        errors["service_minutes"] = [_("Menit layanan antara 1 dan 480.")]
    if not 5 <= slot_minutes <= 240:
        errors["slot_minutes"] = [_("Panjang slot antara 5 dan 240 menit.")]
    if not 0 <= online_percent <= 100:
        errors["online_percent"] = [_("Kuota daring antara 0 dan 100 persen.")]
    if errors:
        raise ValidationFailed(errors=errors)
    queue_service, _created = QueueService.objects.update_or_create(
        service=service,
        defaults={
            "agency_id": service.agency_id,
            "prefix": prefix,
            "service_minutes": service_minutes,
            "slot_minutes": slot_minutes,
            "online_percent": online_percent,
            "is_bookable": is_bookable,
            "modified_by": actor,
        },
    )
    data = {"prefix": prefix, "service_minutes": service_minutes, "online": online_percent}
    audit(
        actor=actor,
        action="queueing.service_configured",
        target=queue_service,
        agency_id=service.agency_id,
        data=data,
    )
    record_event(
        type="queue.service.configured",
        subject=queue_service.public_id,
        agency_id=service.agency_id,
        data=data,
    )
    return queue_service


@transaction.atomic
def counter_save(
    *,
    actor,
    agency,
    name: str,
    services: list[QueueService],
    counter: Counter | None = None,
    is_open: bool = True,
) -> Counter:
    """Create or change a counter (loket) and the services it serves (own agency only)."""
    require_queue_admin(actor, agency.pk)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(errors={"name": [_("Nama loket wajib diisi.")]})
    if any(s.agency_id != agency.pk for s in services):
        raise ValidationFailed(errors={"services": [_("Pilih layanan instansi ini saja.")]})
    duplicate = Counter.objects.filter(agency=agency, name=name)
    if counter is not None:
        duplicate = duplicate.exclude(pk=counter.pk)
    if duplicate.exists():
        raise ValidationFailed(errors={"name": [_("Nama loket ini sudah dipakai.")]})
    if counter is None:
        counter = Counter(agency=agency, created_by=actor)
    counter.name, counter.is_open, counter.modified_by = name, is_open, actor
    counter.save()
    counter.services.set(services)
    audit(
        actor=actor,
        action="queueing.counter_saved",
        target=counter,
        agency_id=agency.pk,
        data={"name": name, "services": [s.prefix for s in services]},
    )
    return counter
