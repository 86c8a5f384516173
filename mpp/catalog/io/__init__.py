"""Import and export of service standards as YAML, XLSX and CSV (docs/adr/0005).

Import checks the whole file first and writes nothing unless every row is valid; then it
creates or updates the draft of each service through the catalog services.
"""

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from mpp.agencies.models import AgencyRole
from mpp.agencies.permissions import agency_ids_for, is_mpp_manager
from mpp.catalog import services
from mpp.catalog.io import tabular, yaml_format
from mpp.catalog.io.common import (
    CONTENT_TYPES,
    FORMATS,
    MAX_BYTES,
    Entry,
    ImportRefused,
    Problem,
    decode_text,
    detect_format,
    refuse,
    schema_problems,
)
from mpp.catalog.models import Service, ServiceStandard, StandardStatus
from mpp.catalog.standard_schema import StandardComponents
from mpp.core.errors import InvalidParameter, NotFound

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "MAX_BYTES",
    "ImportRefused",
    "ImportResult",
    "Problem",
    "components_from_yaml",
    "components_to_yaml",
    "export_bytes",
    "export_filename",
    "exportable_standards",
    "import_standards",
    "parse_file",
]


@dataclass
class ImportResult:
    """What an import wrote: the slugs whose draft was created or updated."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated)


# ---------------------------------------------------------------- export


def export_entry(standard: ServiceStandard) -> dict[str, Any]:
    components = standard.components()
    # Spell out every default (mandatory = ya ...); an invalid one is exported as stored and
    # the import will name what is wrong.
    with contextlib.suppress(PydanticValidationError):
        components = StandardComponents.model_validate(components).model_dump(mode="json")
    return {
        "service": standard.service.slug,
        "version": standard.version,
        "change_note": standard.change_note,
        "components": components,
    }


def export_bytes(standards: Iterable[ServiceStandard], fmt: str) -> bytes:
    """The standards written in one format: "yaml", "xlsx" or "csv"."""
    entries = [export_entry(s) for s in standards]
    if fmt == "yaml":
        return yaml_format.dump(entries)
    if fmt == "xlsx":
        return tabular.dump_xlsx(entries)
    if fmt == "csv":
        return tabular.dump_csv(entries)
    raise InvalidParameter(_("Format tidak dikenal: %(fmt)s.") % {"fmt": fmt}, parameter="format")


def export_filename(fmt: str, name: str = "standar-pelayanan") -> str:
    return f"{slugify(name) or 'standar-pelayanan'}.{fmt}"


def _editable_agency_ids(actor) -> set[int] | None:
    """None means every agency (the MPP manager)."""
    if is_mpp_manager(actor):
        return None
    return agency_ids_for(actor, (AgencyRole.AGENCY_ADMIN,))


def exportable_standards(
    *,
    actor=None,
    agency_slug: str = "",
    service_slug: str = "",
    version: int | str | None = None,
) -> list[ServiceStandard]:
    """The standards to export: the current adopted one of each service, or a chosen version
    ("draft" for the draft). With an actor, only services the actor may edit; without one
    (management commands run by the operator), every service.
    """
    services_qs = Service.objects.all()
    if actor is not None:
        agency_ids = _editable_agency_ids(actor)
        if agency_ids is not None:
            services_qs = services_qs.filter(agency_id__in=agency_ids)
    if agency_slug:
        services_qs = services_qs.filter(agency__slug=agency_slug)
    if service_slug:
        services_qs = services_qs.filter(slug=service_slug)
        if not services_qs.exists():
            raise NotFound(_("Layanan tidak ditemukan."))
    standards = ServiceStandard.objects.filter(service__in=services_qs).select_related("service")
    if version is None:
        standards = standards.filter(status=StandardStatus.ADOPTED)
    elif version == "draft":
        standards = standards.filter(status=StandardStatus.DRAFT)
    else:
        standards = standards.filter(version=version)
    found = list(standards.order_by("service__slug", "version"))
    if service_slug and not found:
        raise NotFound(_("Versi standar tidak ditemukan."))
    return found


# ---------------------------------------------------------------- import


def parse_file(
    data: bytes, *, filename: str = "", fmt: str | None = None
) -> tuple[list[Entry], list[Problem]]:
    """The entries of a file and the problems found in its layout; refuses unreadable files."""
    fmt = detect_format(data, filename, fmt)
    if fmt == "xlsx":
        return tabular.parse_xlsx(data)
    text = decode_text(data)
    if fmt == "csv":
        return tabular.parse_csv(text)
    return yaml_format.parse(text)


def _checked(
    actor, entries: list[Entry], problems: list[Problem], only_service: Service | None
) -> list[tuple[Service, Entry, dict[str, Any]]]:
    found = {s.slug: s for s in Service.objects.filter(slug__in={e.service for e in entries})}
    agency_ids = _editable_agency_ids(actor)
    seen: set[str] = set()
    checked = []
    for entry in entries:
        service = found.get(entry.service)
        if service is not None and agency_ids is not None and service.agency_id not in agency_ids:
            service = None  # another agency's service reads as not found
        if service is None:
            message = _("layanan '%(s)s' tidak ditemukan") % {"s": entry.service}
            problems.append(Problem(entry.where, message))
        elif only_service is not None and service.pk != only_service.pk:
            message = _("berkas ini hanya boleh berisi layanan '%(s)s'") % {"s": only_service.slug}
            problems.append(Problem(entry.where, message))
        elif entry.service in seen:
            message = _("layanan '%(s)s' muncul lebih dari sekali") % {"s": entry.service}
            problems.append(Problem(entry.where, message))
        seen.add(entry.service)
        components, entry_problems = schema_problems(entry)
        problems.extend(entry_problems)
        if service is not None and components is not None:
            checked.append((service, entry, components))
    return checked


def import_standards(
    *,
    actor,
    data: bytes,
    filename: str = "",
    fmt: str | None = None,
    only_service: Service | None = None,
) -> ImportResult:
    """Write the file's standards as drafts; all or nothing. Raises ImportRefused with every
    problem (sheet and row, or line) when anything is wrong.
    """
    entries, problems = parse_file(data, filename=filename, fmt=fmt)
    checked = _checked(actor, entries, problems, only_service)
    if problems:
        raise ImportRefused(problems)
    if not checked:
        raise refuse(_("Berkas tidak berisi standar apa pun."))
    result = ImportResult()
    with transaction.atomic():
        for service, entry, components in checked:
            draft = service.standards.filter(status=StandardStatus.DRAFT).first()
            if draft is None:
                services.standard_create_draft(
                    actor=actor,
                    service=service,
                    components=components,
                    change_note=entry.change_note or _("Diimpor dari berkas"),
                )
                result.created.append(service.slug)
            else:
                services.standard_update_draft(
                    actor=actor,
                    standard=draft,
                    components=components,
                    change_note=entry.change_note or None,
                )
                result.updated.append(service.slug)
    return result


def components_to_yaml(components: dict[str, Any]) -> str:
    return yaml_format.dump_components(components)


def components_from_yaml(text: str) -> dict[str, Any]:
    """The 14 components typed as YAML, validated; ImportRefused names lines and paths."""
    entry = yaml_format.parse_components(text)
    components, problems = schema_problems(entry)
    if problems or components is None:
        raise ImportRefused(problems)
    return components
