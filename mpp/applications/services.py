"""Writes of online applications: drafts, submission, the officers' steps, issuance.

Every function takes the acting user, checks permission (tenancy first: another agency's
case reads as not found), changes state, writes the timeline, the audit record and a domain
event in one transaction; notifications leave through the outbox after commit.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.nik import mask_nik
from mpp.accounts.selectors import active_representation_for, citizen_profile_for
from mpp.accounts.services.representation import require_verified_contact
from mpp.agencies.models import AgencyRole
from mpp.applications import workflow
from mpp.applications.form_schema import online_service_standard, requirements_of
from mpp.applications.models import (
    Application,
    ApplicationEvent,
    Attachment,
    NumberSequence,
    Status,
)
from mpp.applications.selectors import answer_rows, officer_roles_for
from mpp.catalog.standard_schema import RequirementKind
from mpp.core.audit import audit, record_event
from mpp.core.calendar import add_working_days, load_calendar, local_date
from mpp.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from mpp.core.notify import notify_user
from mpp.documents.locker import locker_document_for, locker_store

NOTE_MAX_LENGTH = 2000


class IncompleteApplication(ValidationFailed):
    """Mandatory answers or documents are missing; `errors` names each one."""

    type = "application-incomplete"


class TransitionNotAllowed(Conflict):
    type = "transition-not-allowed"


# ---------------------------------------------------------------- helpers


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _event(application: Application, *, actor, role: str, before: str, note: str = "") -> None:
    ApplicationEvent.objects.create(
        application=application,
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=role,
        from_status=before,
        to_status=application.status,
        note=note,
    )


def _record(application: Application, *, actor, action: str, event_type: str, data: dict) -> None:
    audit(
        actor=actor,
        action=f"application.{action}",
        target=application,
        agency_id=application.agency_id,
        data={"number": application.number, **data},
    )
    record_event(
        type=event_type,
        subject=f"applications/{application.public_id}",
        agency_id=application.agency_id,
        data={
            "number": application.number,
            "service": application.service.slug,
            "status": application.status,
            "due_date": application.due_date,
            **data,
        },
    )


def _notify(application: Application, template: str, **context: Any) -> None:
    notify_user(
        user=application.applicant,
        topic=f"application.{template}",
        template=f"applications/mail/{template}",
        context={"application": application, **context},
        subject_ref=application.public_id,
    )


def _clean_note(note: str | None, *, required: bool, label: str = "") -> str:
    note = (note or "").strip()
    if required and not note:
        message = _("%(label)s wajib diisi.") % {"label": label or _("Catatan")}
        raise ValidationFailed(message, errors={"note": [message]})
    if len(note) > NOTE_MAX_LENGTH:
        message = _("Catatan paling banyak %(max)d karakter.") % {"max": NOTE_MAX_LENGTH}
        raise ValidationFailed(message, errors={"note": [message]})
    return note


def _require_applicant(actor, application: Application) -> None:
    if application.applicant_id != getattr(actor, "pk", None):
        raise NotFound(_("Permohonan tidak ditemukan."))


def _next_number(year: int) -> str:
    NumberSequence.objects.get_or_create(year=year)
    sequence = NumberSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"MPP-{year}-{sequence.last:06d}"


# ---------------------------------------------------------------- drafts


@transaction.atomic
def application_start(*, actor, service_slug: str, represented_nik: str = "") -> Application:
    """Open a draft (or resume the open one), for oneself or for a represented person."""
    require_verified_contact(actor)
    profile = citizen_profile_for(actor)
    if profile is None:
        raise PermissionDenied(
            _("Hanya warga dengan NIK terdaftar yang dapat mengajukan permohonan.")
        )
    service, standard = online_service_standard(service_slug)
    representation = None
    subject_nik, subject_name = profile.nik, actor.display_name()
    if represented_nik and represented_nik != profile.nik:
        representation = active_representation_for(
            representative=actor, represented_nik=represented_nik
        )
        if representation is None:
            message = _("Anda tidak memiliki surat kuasa yang berlaku untuk NIK ini.")
            raise ValidationFailed(message, errors={"represented": [message]})
        subject_nik, subject_name = representation.represented_nik, representation.represented_name
    draft = (
        Application.objects.filter(
            applicant=actor, service=service, subject_nik=subject_nik, status=Status.DRAFT
        )
        .select_related("service", "agency", "standard")
        .first()
    )
    if draft is not None:
        return draft
    application = Application.objects.create(
        agency_id=service.agency_id,
        service=service,
        standard=standard,
        applicant=actor,
        representation=representation,
        subject_nik=subject_nik,
        subject_name=subject_name,
        language=getattr(actor, "preferred_language", "") or "id",
        created_by=actor,
        modified_by=actor,
    )
    audit(
        actor=actor,
        action="application.start",
        target=application,
        agency_id=application.agency_id,
        data={"service": service.slug, "represented": bool(representation)},
    )
    return application


EDITABLE = (Status.DRAFT, Status.REVISION_REQUESTED)


@transaction.atomic
def application_save(
    *,
    actor,
    application: Application,
    answers: dict[str, Any],
    uploads: dict[str, Any] | None = None,
    reuse: dict[str, str] | None = None,
) -> Application:
    """Keep the given answers and documents (already validated by the form) on an open case.

    `uploads` maps a document requirement's code to a checked upload, stored in the
    applicant's locker; `reuse` maps a code to the public id of a document already in it.
    """
    _require_applicant(actor, application)
    application = _locked(application)
    if application.status not in EDITABLE:
        raise Conflict(_("Permohonan ini tidak dapat diubah lagi."))
    requirements = {r.code: r for r in requirements_of(application.standard)}
    known = {code: value for code, value in answers.items() if code in requirements}
    application.answers = {**application.answers, **known}
    application.modified_by = actor
    application.save(update_fields=["answers", "modified_by", "modified_at"])
    for code, file in (uploads or {}).items():
        if code not in requirements:
            continue
        document = locker_store(
            actor=actor,
            file=file,
            kind=code,
            label=requirements[code].name,
            subject_nik=application.subject_nik,
        )
        _attach(application, code, document)
    for code, public_id in (reuse or {}).items():
        if code not in requirements or not public_id:
            continue
        document = locker_document_for(actor, public_id)
        if document.subject_nik and document.subject_nik != application.subject_nik:
            message = _("Dokumen itu milik orang lain; pilih dokumen orang yang bersangkutan.")
            raise ValidationFailed(message, errors={code: [message]})
        _attach(application, code, document)
    return application


def _attach(application: Application, code: str, document) -> None:
    Attachment.objects.update_or_create(
        application=application, requirement_code=code, defaults={"document": document}
    )


def completeness_errors(application: Application) -> dict[str, list[str]]:
    """What is missing for submission, by requirement code (empty when complete)."""
    from mpp.applications.forms import answers_problems

    attached = set(application.attachments.values_list("requirement_code", flat=True))
    errors: dict[str, list[str]] = {}
    for req in requirements_of(application.standard):
        if req.kind == RequirementKind.DOCUMENT and req.mandatory and req.code not in attached:
            errors[req.code] = [_("Dokumen ini wajib diunggah.")]
    errors.update(answers_problems(application.standard, application.answers))
    return errors


def _require_complete(application: Application) -> None:
    errors = completeness_errors(application)
    if errors:
        raise IncompleteApplication(
            _("Permohonan belum lengkap: periksa isian yang ditandai."), errors=errors
        )


# ---------------------------------------------------------------- submission


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    """Submit a complete draft: number, pinned standard, deadline; idempotent on a double submit."""
    _require_applicant(actor, application)
    require_verified_contact(actor)
    application = _locked(application)
    if application.status != Status.DRAFT:
        if application.submitted_at is not None:
            return application  # a second click or a retry: the same application
        raise Conflict(_("Permohonan ini tidak dapat diajukan."))
    # The standard in force now is what is promised, even if it changed while the draft was open.
    _service, standard = online_service_standard(application.service.slug)
    application.standard = standard
    _require_complete(application)
    now = timezone.now()
    application.number = _next_number(local_date(now).year)
    application.status = Status.SUBMITTED
    application.submitted_at = now
    application.sla_working_days = workflow.sla_working_days(standard.completion_time)
    application.due_date = add_working_days(now, application.sla_working_days)
    application.modified_by = actor
    application.save()
    role = "representative" if application.representation_id else workflow.APPLICANT
    _event(application, actor=actor, role=role, before=Status.DRAFT)
    _record(
        application,
        actor=actor,
        action="submit",
        event_type="application.submitted",
        data={"standard_version": standard.version},
    )
    _notify(application, "submitted")
    return application


@transaction.atomic
def application_resubmit(*, actor, application: Application, note: str = "") -> Application:
    """Send the revised case back to the agency; the deadline clock resumes."""
    _require_applicant(actor, application)
    application = _locked(application)
    if application.status != Status.REVISION_REQUESTED:
        if application.status == Status.RESUBMITTED:
            return application
        raise TransitionNotAllowed(_("Permohonan ini tidak sedang menunggu perbaikan."))
    note = _clean_note(note, required=False)
    _require_complete(application)
    now = timezone.now()
    remaining = application.remaining_working_days
    if remaining is not None and remaining >= 0:
        application.due_date = add_working_days(now, remaining)
    application.paused_at = None
    application.remaining_working_days = None
    application.status = Status.RESUBMITTED
    application.modified_by = actor
    application.save()
    role = "representative" if application.representation_id else workflow.APPLICANT
    _event(application, actor=actor, role=role, before=Status.REVISION_REQUESTED, note=note)
    _record(
        application,
        actor=actor,
        action="resubmit",
        event_type="application.status_changed",
        data={"from": Status.REVISION_REQUESTED},
    )
    return application


def remaining_working_days(application: Application, *, now=None) -> int:
    """Working days left before the deadline (negative when overdue), seen from `now`."""
    now = now or timezone.now()
    today = local_date(now)
    due = application.due_date
    if due is None:
        return 0
    if due >= today:
        return load_calendar(today, due).working_days_between(today, due)
    return -load_calendar(due, today).working_days_between(due, today)


# ---------------------------------------------------------------- officers


@transaction.atomic
def application_transition(
    *, actor, application: Application, action: str, note: str = ""
) -> Application:
    """Take one officer step (see workflow.OFFICER_ACTIONS) on a case of the actor's agency."""
    roles = officer_roles_for(actor, application)
    step = workflow.OFFICER_ACTIONS.get(action)
    if step is None:
        raise ValidationFailed(_("Langkah tidak dikenal."))
    if step.key == "issue":
        return application_issue(actor=actor, application=application, note=note)
    application = _locked(application)
    if not any(role in step.roles for role in roles):
        raise PermissionDenied(_("Peran Anda tidak berwenang melakukan langkah ini."))
    if not workflow.allowed(step, status=application.status, roles=roles):
        raise TransitionNotAllowed(
            _("Langkah ini tidak dapat dilakukan pada permohonan berstatus %(status)s.")
            % {"status": application.get_status_display()}
        )
    note = _clean_note(note, required=step.note_required, label=str(step.note_label))
    before = application.status
    now = timezone.now()
    application.status = step.target
    if step.target == Status.REVISION_REQUESTED:
        application.paused_at = now
        application.remaining_working_days = remaining_working_days(application, now=now)
    if step.target in (Status.APPROVED, Status.REJECTED):
        application.decided_at = now
        application.decision_reason = note
    if step.target == Status.COMPLETED:
        application.completed_at = now
    application.modified_by = actor
    application.save()
    role = next(r for r in sorted(roles) if r in step.roles)
    _event(application, actor=actor, role=role, before=before, note=note)
    _record(
        application,
        actor=actor,
        action=step.key,
        event_type="application.status_changed",
        data={"from": before},
    )
    if step.target == Status.REVISION_REQUESTED:
        _notify(application, "revision_requested", note=note)
    elif step.target in (Status.APPROVED, Status.REJECTED):
        _notify(application, "decided", note=note)
    return application


def _statements(application: Application) -> dict[str, str]:
    """What the issued document states: the case, the person and their answers."""

    statements = {
        _("Nomor permohonan"): application.number or "",
        _("Layanan"): application.service.name,
        _("Nama"): application.subject_name,
        _("NIK"): mask_nik(application.subject_nik),
    }
    for label, value in answer_rows(application, include_documents=False):
        statements.setdefault(str(label), str(value))
    return statements


def _require_issuer(actor, application: Application) -> Application:
    roles = officer_roles_for(actor, application)
    if not any(role in workflow.OFFICER_ACTIONS["issue"].roles for role in roles):
        raise PermissionDenied(_("Peran Anda tidak berwenang melakukan langkah ini."))
    application = _locked(application)
    if application.status != Status.APPROVED:
        raise TransitionNotAllowed(
            _("Dokumen hanya dapat diterbitkan untuk permohonan yang disetujui.")
        )
    return application


def _mark_issued(application: Application, *, actor, document, note: str) -> Application:
    application.issued_document = document
    application.status = Status.ISSUED
    application.modified_by = actor
    application.save()
    _event(application, actor=actor, role=AgencyRole.APPROVER, before=Status.APPROVED, note=note)
    _record(
        application,
        actor=actor,
        action="issue",
        event_type="application.document_issued",
        data={"document_code": document.code, "sha256": document.sha256},
    )
    _notify(application, "issued", document=document)
    return application


def _document_title(application: Application) -> str:
    products = application.standard.products or [{"name": application.service.name}]
    return products[0]["name"]


@transaction.atomic
def application_issue(*, actor, application: Application, note: str = "") -> Application:
    """Issue the signed document of an approved case (approver of the owning agency)."""
    from mpp.documents.services import document_issue

    application = _require_issuer(actor, application)
    note = _clean_note(note, required=False)
    document = document_issue(
        agency=application.agency,
        title=_document_title(application),
        statements=_statements(application),
        template=application.service.document_template or "default",
        issued_by=actor,
        source_type="applications.application",
        source_id=application.public_id,
    )
    return _mark_issued(application, actor=actor, document=document, note=note)


@transaction.atomic
def application_attach_document(
    *, actor, application: Application, data: bytes, title: str = "", note: str = ""
) -> Application:
    """Issue a PDF the agency's own system produced (countersigned by the agency's key)."""
    from mpp.documents.services import document_attach

    application = _require_issuer(actor, application)
    note = _clean_note(note, required=False)
    document = document_attach(
        agency=application.agency,
        data=data,
        title=(title or "").strip()[:200] or _document_title(application),
        statements=_statements(application),
        issued_by=actor,
        source_type="applications.application",
        source_id=application.public_id,
    )
    return _mark_issued(application, actor=actor, document=document, note=note)


MESSAGE_ROLES = (AgencyRole.FRONT_DESK, AgencyRole.VERIFIER, AgencyRole.APPROVER)


@transaction.atomic
def application_message(*, actor, application: Application, text: str) -> Application:
    """A message from the agency to the applicant: on the timeline, and sent to them."""
    roles = officer_roles_for(actor, application)
    role = next((r for r in MESSAGE_ROLES if r in roles), None)
    if role is None:
        raise PermissionDenied(_("Peran Anda tidak berwenang mengirim pesan kepada pemohon."))
    text = _clean_note(text, required=True, label=str(_("Pesan")))
    application = _locked(application)
    _event(application, actor=actor, role=role, before=application.status, note=text)
    _record(
        application,
        actor=actor,
        action="message",
        event_type="application.message_sent",
        data={"length": len(text)},
    )
    _notify(application, "message", note=text)
    return application


@transaction.atomic
def application_confirm_received(*, actor, application: Application) -> Application:
    """The applicant confirms they received the issued document: the case is completed."""
    _require_applicant(actor, application)
    application = _locked(application)
    if application.status == Status.COMPLETED:
        return application
    if application.status != Status.ISSUED:
        raise TransitionNotAllowed(_("Permohonan ini belum memiliki dokumen terbit."))
    application.status = Status.COMPLETED
    application.completed_at = timezone.now()
    application.save()
    role = "representative" if application.representation_id else workflow.APPLICANT
    _event(application, actor=actor, role=role, before=Status.ISSUED)
    _record(
        application,
        actor=actor,
        action="complete",
        event_type="application.status_changed",
        data={"from": Status.ISSUED},
    )
    return application
