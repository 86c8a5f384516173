"""Writes to the catalog. Each takes the acting user, checks permission, audits, and is atomic."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from mpp.agencies.models import Agency
from mpp.agencies.permissions import can_edit_agency_catalog, require_mpp_manager
from mpp.catalog import search
from mpp.catalog.models import Service, ServiceStandard, StandardStatus
from mpp.catalog.standard_schema import (
    COMPONENT_KEYS,
    StandardComponents,
    completion_minutes,
    fee_total,
)
from mpp.core.audit import audit, record_event
from mpp.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    validation_reason,
)

SERVICE_FIELDS = (
    "name",
    "short_description",
    "category",
    "channel",
    "keywords",
    "synonyms",
    "document_template",
)


def pydantic_errors(exc: PydanticValidationError) -> dict[str, list[str]]:
    """Pydantic's errors keyed by a dotted path such as 'requirements.2.name'."""
    errors: dict[str, list[str]] = {}
    for err in exc.errors():
        path = ".".join(str(p) for p in err["loc"]) or "__all__"
        errors.setdefault(path, []).append(validation_reason(err))
    return errors


def validate_components(data: dict[str, Any]) -> dict[str, Any]:
    """Validate the 14 components; return them normalised or raise ValidationFailed."""
    try:
        parsed = StandardComponents.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationFailed(
            _("Standar pelayanan belum lengkap atau tidak valid."), errors=pydantic_errors(exc)
        ) from exc
    return parsed.model_dump(mode="json")


def refresh_search_text(service: Service) -> None:
    """Rebuild the normalised search words of one service."""
    service.search_text = search.index_text(
        service.name,
        service.synonyms,
        service.keywords,
        service.agency.name,
        service.agency.short_name,
        service.category.name,
        " ".join(f"{e.name} {e.name_en}" for e in service.life_events.all()),
    )
    service.title_text = search.index_text(service.name, service.synonyms)
    Service.objects.filter(pk=service.pk).update(
        search_text=service.search_text, title_text=service.title_text
    )


@transaction.atomic
def service_create(*, actor, agency: Agency, slug: str, life_events=(), **fields) -> Service:
    """Create a service of an agency (MPP manager only)."""
    require_mpp_manager(actor)
    unknown = set(fields) - set(SERVICE_FIELDS) - {"is_active", "short_description"}
    if unknown:
        raise ValidationFailed(_("Kolom tidak dikenal: %s") % ", ".join(sorted(unknown)))
    if Service.objects.filter(slug=slug).exists():
        raise Conflict(_("Slug layanan '%(slug)s' sudah dipakai.") % {"slug": slug})
    service = Service.objects.create(
        agency=agency, slug=slug, created_by=actor, modified_by=actor, **fields
    )
    service.life_events.set(life_events)
    refresh_search_text(service)
    audit(actor=actor, action="service.created", target=service, agency_id=agency.pk)
    return service


@transaction.atomic
def service_update(*, actor, service: Service, life_events=None, **fields) -> Service:
    """Change a service's catalog entry (MPP manager, or the owning agency's admin)."""
    _require_catalog_editor(actor, service.agency_id)
    unknown = set(fields) - set(SERVICE_FIELDS) - {"is_active"}
    if unknown:
        raise ValidationFailed(_("Kolom tidak dikenal: %s") % ", ".join(sorted(unknown)))
    for key, value in fields.items():
        setattr(service, key, value)
    service.modified_by = actor
    service.save()
    if life_events is not None:
        service.life_events.set(life_events)
    refresh_search_text(service)
    audit(
        actor=actor,
        action="service.updated",
        target=service,
        agency_id=service.agency_id,
        data={"fields": sorted(fields)},
    )
    return service


def _require_catalog_editor(actor, agency_id: int) -> None:
    if not can_edit_agency_catalog(actor, agency_id):
        raise PermissionDenied()


def _apply_components(standard: ServiceStandard, components: dict[str, Any]) -> None:
    for key in COMPONENT_KEYS:
        setattr(standard, key, components[key])
    standard.fee_total = fee_total(components["fee"])
    standard.completion_minutes = completion_minutes(components["completion_time"])


@transaction.atomic
def standard_create_draft(
    *, actor, service: Service, components: dict[str, Any] | None = None, change_note: str = ""
) -> ServiceStandard:
    """Open a new draft version, copied from the current adopted one unless components are given."""
    _require_catalog_editor(actor, service.agency_id)
    if service.standards.filter(status=StandardStatus.DRAFT).exists():
        raise Conflict(_("Layanan ini sudah memiliki draf standar. Ubah draf yang ada."))
    if components is None:
        # Read from the database: the caller's object may predate the last adoption.
        source = service.standards.filter(status=StandardStatus.ADOPTED).first()
        if source is None:
            raise ValidationFailed(_("Belum ada standar yang ditetapkan untuk disalin."))
        components = source.components()
    components = validate_components(components)
    last = service.standards.aggregate(v=Max("version"))["v"] or 0
    standard = ServiceStandard(
        service=service,
        agency_id=service.agency_id,
        version=last + 1,
        status=StandardStatus.DRAFT,
        change_note=change_note,
        created_by=actor,
        modified_by=actor,
    )
    _apply_components(standard, components)
    try:
        with transaction.atomic():
            standard.save()
    except IntegrityError as exc:  # a concurrent draft won the race
        raise Conflict(_("Layanan ini sudah memiliki draf standar. Ubah draf yang ada.")) from exc
    audit(
        actor=actor,
        action="standard.draft_created",
        target=standard,
        agency_id=service.agency_id,
        data={"version": standard.version},
    )
    return standard


def _locked_draft(standard: ServiceStandard) -> ServiceStandard:
    locked = ServiceStandard.objects.select_for_update().get(pk=standard.pk)
    if locked.status != StandardStatus.DRAFT:
        raise Conflict(_("Standar yang sudah ditetapkan tidak dapat diubah; buat versi baru."))
    return locked


@transaction.atomic
def standard_update_draft(
    *, actor, standard: ServiceStandard, components: dict[str, Any], change_note: str | None = None
) -> ServiceStandard:
    """Replace the components of a draft; adopted versions are immutable."""
    _require_catalog_editor(actor, standard.agency_id)
    standard = _locked_draft(standard)
    _apply_components(standard, validate_components(components))
    if change_note is not None:
        standard.change_note = change_note
    standard.modified_by = actor
    standard.save()
    audit(
        actor=actor,
        action="standard.draft_updated",
        target=standard,
        agency_id=standard.agency_id,
        data={"version": standard.version},
    )
    return standard


@transaction.atomic
def standard_adopt(
    *,
    actor,
    standard: ServiceStandard,
    effective_date: dt.date | None = None,
    decree_number: str = "",
) -> ServiceStandard:
    """Adopt a draft: it becomes the standard in force and the previous one is superseded."""
    _require_catalog_editor(actor, standard.agency_id)
    standard = _locked_draft(standard)
    today = timezone.localdate()
    effective_date = effective_date or today
    if effective_date > today:
        raise ValidationFailed(
            _("Tanggal berlaku tidak boleh di masa depan; tetapkan pada hari standar berlaku."),
            errors={"effective_date": [_("Tanggal berlaku tidak boleh di masa depan.")]},
        )
    validate_components(standard.components())
    service = Service.objects.select_for_update().get(pk=standard.service_id)
    previous = service.standards.filter(status=StandardStatus.ADOPTED).first()
    if previous is not None:
        if effective_date < previous.effective_date:
            raise ValidationFailed(
                _("Tanggal berlaku tidak boleh sebelum tanggal berlaku versi sebelumnya."),
                errors={
                    "effective_date": [
                        _("Harus sama atau setelah %(date)s.") % {"date": previous.effective_date}
                    ]
                },
            )
        previous.status = StandardStatus.SUPERSEDED
        previous.modified_by = actor
        previous.save(update_fields=["status", "modified_by", "modified_at"])
    standard.status = StandardStatus.ADOPTED
    standard.effective_date = effective_date
    standard.adopted_at = timezone.now()
    standard.decree_number = decree_number
    standard.modified_by = actor
    standard.save()
    service.current_standard = standard
    service.save(update_fields=["current_standard", "modified_at"])
    audit(
        actor=actor,
        action="standard.adopted",
        target=standard,
        agency_id=standard.agency_id,
        data={"version": standard.version, "effective_date": effective_date},
    )
    record_event(
        type="id.mpp.standard.adopted",
        subject=f"services/{service.slug}",
        agency_id=standard.agency_id,
        data={
            "service": service.slug,
            "version": standard.version,
            "effective_date": effective_date.isoformat(),
        },
    )
    return standard


@transaction.atomic
def standard_withdraw(*, actor, standard: ServiceStandard, reason: str) -> ServiceStandard:
    """Withdraw a version (draft or adopted); a withdrawn standard is no longer in force."""
    _require_catalog_editor(actor, standard.agency_id)
    if not reason.strip():
        raise ValidationFailed(
            _("Alasan pencabutan wajib diisi."), errors={"reason": [_("Wajib diisi.")]}
        )
    standard = ServiceStandard.objects.select_for_update().get(pk=standard.pk)
    if standard.status not in (StandardStatus.DRAFT, StandardStatus.ADOPTED):
        raise Conflict(_("Hanya draf atau standar yang berlaku yang dapat dicabut."))
    was_adopted = standard.status == StandardStatus.ADOPTED
    standard.status = StandardStatus.WITHDRAWN
    standard.change_note = reason.strip()[:500]
    standard.modified_by = actor
    standard.save()
    if was_adopted:
        Service.objects.filter(pk=standard.service_id, current_standard=standard).update(
            current_standard=None
        )
    audit(
        actor=actor,
        action="standard.withdrawn",
        target=standard,
        agency_id=standard.agency_id,
        data={"version": standard.version, "reason": reason},
    )
    return standard


def get_standard_for_editing(*, actor, service_slug: str, version: int) -> ServiceStandard:
    """A standard the actor may edit; other agencies' standards read as not found."""
    standard = (
        ServiceStandard.objects.select_related("service", "agency")
        .filter(service__slug=service_slug, version=version)
        .first()
    )
    if standard is None or not can_edit_agency_catalog(actor, standard.agency_id):
        raise NotFound(_("Standar pelayanan tidak ditemukan."))
    return standard
