"""The application form of an online service as JSON Schema (draft 2020-12).

Derived from the requirements of the service's current adopted standard: data become typed
fields, documents become file fields, conditions become declarations that must be true. The
same requirements drive the server-side Django form (forms.py); both read them through
`requirements_of()`. See docs/adr/0015-application-forms.md.
"""

from typing import Any

from django.utils.translation import gettext as _

from mpp.catalog.models import Service, ServiceStandard
from mpp.catalog.standard_schema import DataType, Requirement, RequirementKind
from mpp.core.errors import NotFound
from mpp.core.uploads import max_upload_bytes

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
TEXT_MAX_LENGTH = 500
NIK_PATTERN = r"^[0-9]{16}$"
# An Indonesian mobile number: 08…, 628… or +628…, 10 to 13 digits written with the 0.
PHONE_PATTERN = r"^(\+62|62|0)8[1-9][0-9]{6,10}$"

# Requirement file types -> MIME types (the ones mpp.core.uploads accepts by content).
FILE_TYPE_MIME: dict[str, str] = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
}


class FormNotAvailable(NotFound):
    """The service exists but has no online form: counter only, or no adopted standard."""

    type = "form-not-available"


def requirements_of(standard: ServiceStandard) -> list[Requirement]:
    """The standard's requirements as validated models, defaults filled, in their order."""
    return [Requirement.model_validate(item) for item in standard.requirements or []]


def online_service_standard(slug: str) -> tuple[Service, ServiceStandard]:
    """The active online service and its adopted standard, in one query.

    NotFound when there is no such active service; FormNotAvailable when it is offered at
    the counter only or has no adopted standard in force.
    """
    service = (
        Service.objects.filter(slug=slug, is_active=True, agency__is_active=True)
        .select_related("current_standard")
        .first()
    )
    if service is None:
        raise NotFound(_("Layanan '%(slug)s' tidak ditemukan.") % {"slug": slug})
    if not service.is_online:
        raise FormNotAvailable(
            _("Layanan '%(slug)s' hanya dilayani di loket; tidak ada formulir daring.")
            % {"slug": slug}
        )
    standard = service.current_standard
    if standard is None:
        raise FormNotAvailable(
            _("Layanan '%(slug)s' belum memiliki standar pelayanan yang ditetapkan.")
            % {"slug": slug}
        )
    return service, standard


def _data_property(req: Requirement) -> dict[str, Any]:
    data_type = req.data_type or DataType.TEXT
    if data_type == DataType.NUMBER:
        return {"type": "number"}
    if data_type == DataType.DATE:
        return {"type": "string", "format": "date"}
    if data_type == DataType.EMAIL:
        return {"type": "string", "format": "email", "maxLength": 254}
    if data_type == DataType.PHONE:
        return {"type": "string", "pattern": PHONE_PATTERN}
    if data_type == DataType.NIK:
        return {"type": "string", "pattern": NIK_PATTERN}
    if data_type == DataType.CHOICE:
        return {"type": "string", "enum": list(req.choices)}
    return {"type": "string", "minLength": 1, "maxLength": TEXT_MAX_LENGTH}


def _document_property(req: Requirement) -> dict[str, Any]:
    media_types = [FILE_TYPE_MIME[t] for t in req.file_types]
    prop: dict[str, Any] = {"type": "string", "contentEncoding": "base64"}
    if len(media_types) == 1:
        prop["contentMediaType"] = media_types[0]
    else:
        prop["anyOf"] = [{"contentMediaType": mime} for mime in media_types]
    prop.update(
        {
            "x-mpp-kind": "document",
            "x-mpp-file-types": list(req.file_types),
            "x-mpp-media-types": media_types,
            "x-mpp-max-bytes": max_upload_bytes(),
        }
    )
    return prop


def _condition_property(req: Requirement) -> dict[str, Any]:
    prop: dict[str, Any] = {"type": "boolean"}
    if req.mandatory:
        prop["const"] = True
    else:
        prop["default"] = False
    return prop


def requirement_property(req: Requirement) -> dict[str, Any]:
    """The JSON Schema of one requirement, with its title, description and kind."""
    if req.kind == RequirementKind.DOCUMENT:
        prop = _document_property(req)
    elif req.kind == RequirementKind.CONDITION:
        prop = _condition_property(req)
    else:
        prop = _data_property(req)
        prop["x-mpp-data-type"] = str(req.data_type or DataType.TEXT)
    prop.setdefault("x-mpp-kind", str(req.kind))
    head: dict[str, Any] = {"title": req.name}
    if req.description:
        head["description"] = req.description
    return {**head, **prop}


def form_schema(
    standard: ServiceStandard, *, service: Service | None = None, url: str | None = None
) -> dict[str, Any]:
    """The application form of `standard` as a JSON Schema object (draft 2020-12).

    `service` saves a query when the caller has it; `url`, when given, becomes "$id".
    """
    service = service or standard.service
    requirements = requirements_of(standard)
    schema: dict[str, Any] = {"$schema": SCHEMA_DIALECT}
    if url:
        schema["$id"] = url
    description = _(
        "Formulir permohonan daring layanan %(name)s, menurut standar pelayanan versi %(version)s."
    ) % {"name": service.name, "version": standard.version}
    if service.short_description:
        description = f"{service.short_description}\n\n{description}"
    schema.update(
        {
            "title": service.name,
            "description": description,
            "type": "object",
            "properties": {req.code: requirement_property(req) for req in requirements},
            "required": [req.code for req in requirements if req.mandatory],
            "additionalProperties": False,
            "x-mpp-order": [req.code for req in requirements],
            "x-mpp-service": service.slug,
            "x-mpp-standard-version": standard.version,
        }
    )
    return schema
