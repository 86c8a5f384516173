"""Agency API v1 for applications: agency systems read and work their own cases.

Every operation is limited to the API client's agency (another agency's ids read as not
found) and goes through the applications services, acting as the client's service account
(mpp.interop.actors): the same rules, permissions, timeline and audit as the officers' pages.
POSTs honour `Idempotency-Key`; reads carry an ETag.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from pydantic import Field

from mpp.applications import services
from mpp.applications.models import Application, ApplicationEvent, Attachment, Status
from mpp.core.api import PROBLEM_RESPONSES, ProblemDetails
from mpp.core.errors import InvalidParameter, NotFound
from mpp.core.files import private_file_response
from mpp.core.uploads import check_upload
from mpp.interop.actors import client_actor
from mpp.interop.auth import api_client_auth, client_object, client_queryset, require_scope
from mpp.interop.conditional import etag, etag_for
from mpp.interop.idempotency import idempotent
from mpp.interop.paging import page_after

router = Router(tags=["API instansi: permohonan"])
AUTH_RESPONSES = {401: ProblemDetails, 403: ProblemDetails, **PROBLEM_RESPONSES}
WRITE_RESPONSES = {**AUTH_RESPONSES, 409: ProblemDetails, 422: ProblemDetails}
LINK_SALT = "mpp.interop.document-link"
MAX_LIMIT = 100


def link_seconds() -> int:
    return int(getattr(settings, "MPP_API_DOCUMENT_LINK_SECONDS", 300))


# ---------------------------------------------------------------- schemas


class AgencySubject(Schema):
    name: str
    nik: str


class AgencySummary(Schema):
    id: str = Field(description="Public id of the case (stable)")
    number: str
    tracking_code: str
    service: str
    status: str
    submitted_at: dt.datetime
    due_date: dt.date | None
    updated_at: dt.datetime
    subject: AgencySubject
    represented_by: str | None = Field(None, description="Name of the kuasa who applied")


class AgencySummaryPage(Schema):
    items: list[AgencySummary]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page")


class AgencyDocumentLink(Schema):
    requirement: str
    name: str
    content_type: str
    size: int
    sha256: str
    download_url: str
    expires_at: dt.datetime


class AgencyTimelineEntry(Schema):
    at: dt.datetime
    from_status: str
    to_status: str
    role: str
    note: str


class AgencyIssuedDocumentOut(Schema):
    code: str
    title: str
    sha256: str
    verification_url: str


class AgencyDetail(AgencySummary):
    standard_version: int
    sla_working_days: int
    answers: dict
    documents: list[AgencyDocumentLink]
    timeline: list[AgencyTimelineEntry]
    issued_document: AgencyIssuedDocumentOut | None = None
    decision_reason: str = ""


class AgencyListQuery(Schema):
    service: str = Field("", max_length=120, description="Service slug")
    status: str = Field("", max_length=20)
    due_before: dt.date | None = None
    updated_since: dt.datetime | None = Field(None, description="Changes at or after (ISO 8601)")
    cursor: str = Field("", max_length=200)
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


class AgencyTransitionIn(Schema):
    action: str = Field(max_length=40, description="A step of the workflow, e.g. verify")
    note: str = Field("", max_length=2000)


class AgencyMessageIn(Schema):
    text: str = Field(min_length=1, max_length=2000)


class AgencyStatusOut(Schema):
    id: str
    number: str
    status: str
    due_date: dt.date | None
    issued_document: AgencyIssuedDocumentOut | None = None


# ---------------------------------------------------------------- helpers


def _cases(request) -> object:
    return client_queryset(request, Application.objects.exclude(status=Status.DRAFT))


def _case(request, public_id: str) -> Application:
    return client_object(
        request,
        _cases(request).select_related("service", "standard", "agency"),
        public_id=public_id,
    )


def _summary(application: Application) -> dict:
    representative = application.applicant if application.representation_id else None
    return {
        "id": application.public_id,
        "number": application.number,
        "tracking_code": application.tracking_code,
        "service": application.service.slug,
        "status": application.status,
        "submitted_at": application.submitted_at,
        "due_date": application.due_date,
        "updated_at": application.modified_at,
        "subject": {"name": application.subject_name, "nik": application.subject_nik},
        "represented_by": representative.display_name() if representative else None,
    }


def _issued(request, application: Application) -> dict | None:
    document = application.issued_document
    if document is None:
        return None
    return {
        "code": document.code,
        "title": document.title,
        "sha256": document.sha256,
        "verification_url": request.build_absolute_uri(
            reverse("documents:verify", args=[document.code])
        ),
    }


def _link(request, attachment: Attachment) -> dict:
    token = signing.dumps({"a": attachment.pk, "c": request.auth.pk}, salt=LINK_SALT, compress=True)
    return {
        "requirement": attachment.requirement_code,
        "name": attachment.document.label,
        "content_type": attachment.document.content_type,
        "size": attachment.document.size,
        "sha256": attachment.document.sha256,
        "download_url": request.build_absolute_uri(
            reverse("api-1.0.0:agency_document", args=[token])
        ),
        "expires_at": timezone.now() + dt.timedelta(seconds=link_seconds()),
    }


def _detail(request, application: Application) -> dict:
    attachments = application.attachments.select_related("document").order_by("pk")
    events = ApplicationEvent.objects.filter(application=application).order_by("at", "pk")
    return {
        **_summary(application),
        "standard_version": application.standard.version,
        "sla_working_days": application.sla_working_days,
        "answers": application.answers,
        "documents": [_link(request, a) for a in attachments],
        "timeline": [
            {
                "at": e.at,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "role": e.actor_role,
                "note": e.note,
            }
            for e in events
        ],
        "issued_document": _issued(request, application),
        "decision_reason": application.decision_reason,
    }


def _status(request, application: Application) -> dict:
    return {
        "id": application.public_id,
        "number": application.number,
        "status": application.status,
        "due_date": application.due_date,
        "issued_document": _issued(request, application),
    }


# ---------------------------------------------------------------- operations


@router.get(
    "/agency/applications",
    response={200: AgencySummaryPage, **AUTH_RESPONSES},
    auth=api_client_auth,
    url_name="agency_applications",
    summary="Permohonan instansi (sinkronisasi bertahap)",
)
@decorate_view(etag)
def list_applications(request: HttpRequest, params: Query[AgencyListQuery]):
    """The agency's submitted cases in order of last change (oldest first), so that
    `updated_since` plus `next_cursor` gives an incremental synchronisation. Scope
    `applications:read`."""
    require_scope(request, "applications:read")
    qs = _cases(request).select_related("service", "applicant")
    if params.service:
        qs = qs.filter(service__slug=params.service)
    if params.status:
        if params.status not in Status.values:
            message = _("Status tidak dikenal.")
            raise InvalidParameter(message, errors={"status": [message]})
        qs = qs.filter(status=params.status)
    if params.due_before:
        qs = qs.filter(due_date__lt=params.due_before)
    if params.updated_since:
        qs = qs.filter(modified_at__gte=params.updated_since)
    rows, next_cursor = page_after(
        qs, field="modified_at", cursor=params.cursor, limit=params.limit
    )
    return {"items": [_summary(a) for a in rows], "next_cursor": next_cursor}


@router.get(
    "/agency/applications/{application_id}",
    response={200: AgencyDetail, **AUTH_RESPONSES},
    auth=api_client_auth,
    url_name="agency_application",
    summary="Satu permohonan: data, dokumen (tautan berbatas waktu) dan riwayat",
)
@decorate_view(etag)
def get_application(request: HttpRequest, application_id: str, response: HttpResponse):
    """Scope `applications:read`. Document links expire after
    MPP_API_DOCUMENT_LINK_SECONDS (5 minutes) and work only for this client. The ETag
    follows the case's state, not the (always fresh) links."""
    require_scope(request, "applications:read")
    application = _case(request, application_id)
    last_event = application.events.order_by("-pk").values_list("pk", flat=True).first()
    state = f"{application.pk}:{application.modified_at.isoformat()}:{last_event}"
    response["ETag"] = etag_for(state.encode())
    return _detail(request, application)


@router.get(
    "/agency/documents/{token}",
    response={200: None, **PROBLEM_RESPONSES},
    url_name="agency_document",
    summary="Unduh dokumen pemohon lewat tautan berbatas waktu",
    openapi_extra={
        "responses": {
            200: {
                "description": "The document",
                "content": {t: {} for t in ("application/pdf", "image/jpeg", "image/png")},
            }
        }
    },
)
def download_document(request: HttpRequest, token: str):
    """The file behind a `download_url` of the case detail, while the link is fresh."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=link_seconds())
    except signing.SignatureExpired as exc:
        raise NotFound(
            _("Tautan dokumen sudah kedaluwarsa; minta rincian permohonan lagi.")
        ) from exc
    except signing.BadSignature as exc:
        raise NotFound(_("Tautan dokumen tidak dikenal.")) from exc
    attachment = (
        Attachment.objects.select_related("document", "application")
        .filter(pk=data.get("a"), application__agency__api_clients__pk=data.get("c"))
        .filter(application__agency__api_clients__revoked_at__isnull=True)
        .first()
    )
    if attachment is None:
        raise NotFound(_("Tautan dokumen tidak dikenal."))
    document = attachment.document
    return private_file_response(
        document.file,
        filename=f"{attachment.application.number}-{attachment.requirement_code}.{document.extension}",
        content_type=document.content_type,
    )


@router.post(
    "/agency/applications/{application_id}/transitions",
    response={200: AgencyStatusOut, **WRITE_RESPONSES},
    auth=api_client_auth,
    url_name="agency_application_transition",
    summary="Langkah alur kerja (verifikasi, minta perbaikan, setujui, tolak, terbitkan, selesai)",
)
@decorate_view(idempotent)
def transition(request: HttpRequest, application_id: str, payload: AgencyTransitionIn):
    """Scope `applications:transition`. Actions: start_verification, request_revision
    (note required), verify, reject (note required), approve, issue, complete."""
    require_scope(request, "applications:transition")
    application = services.application_transition(
        actor=client_actor(request.auth),
        application=_case(request, application_id),
        action=payload.action,
        note=payload.note,
    )
    return _status(request, application)


@router.post(
    "/agency/applications/{application_id}/documents",
    response={200: AgencyStatusOut, **WRITE_RESPONSES},
    auth=api_client_auth,
    url_name="agency_application_document",
    summary="Lampirkan dokumen terbit dari sistem instansi (PDF)",
)
@decorate_view(idempotent)
def attach_document(
    request: HttpRequest,
    application_id: str,
    file: File[UploadedFile],
    title: Form[str] = "",
):
    """Scope `documents:attach`. An approved case becomes issued; the PDF is countersigned
    (PAdES) with the agency's certificate and verifiable at the returned address."""
    require_scope(request, "documents:attach")
    check_upload(file, allowed={"application/pdf": "pdf"})
    application = services.application_attach_document(
        actor=client_actor(request.auth),
        application=_case(request, application_id),
        data=file.read(),
        title=title[:200],
    )
    return _status(request, application)


@router.post(
    "/agency/applications/{application_id}/messages",
    response={200: AgencyStatusOut, **WRITE_RESPONSES},
    auth=api_client_auth,
    url_name="agency_application_message",
    summary="Kirim pesan kepada pemohon",
)
@decorate_view(idempotent)
def send_message(request: HttpRequest, application_id: str, payload: AgencyMessageIn):
    """Scope `messages:send`. The message joins the case's timeline and reaches the
    applicant by e-mail (and SMS)."""
    require_scope(request, "messages:send")
    actor = client_actor(request.auth)
    application = _case(request, application_id)
    services.application_message(actor=actor, application=application, text=payload.text)
    return _status(request, application)


def inbound_status_change(*, client, event: dict) -> dict:
    """Inbound signed event `application.status_change`: data {application, action, note}."""
    data = event.get("data") or {}
    if not isinstance(data, dict) or not isinstance(data.get("application"), str):
        message = _("data.application (id permohonan) wajib diisi.")
        raise InvalidParameter(message, errors={"data.application": [message]})
    application = client_object(
        client, Application.objects.exclude(status=Status.DRAFT), public_id=data["application"]
    )
    application = services.application_transition(
        actor=client_actor(client),
        application=application,
        action=str(data.get("action", ""))[:40],
        note=str(data.get("note", ""))[:2000],
    )
    return {"application": application.public_id, "status": application.status}
