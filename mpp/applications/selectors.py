"""Reads of applications, carrying who may see what.

The applicant (and the person they represent) see their own cases; officers see the cases
of their own agencies only; anybody sees a case's public tracking page by its code, with no
personal data beyond initials.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.accounts.selectors import citizen_profile_for
from mpp.agencies.models import Membership
from mpp.agencies.permissions import agency_ids_for
from mpp.applications.form_schema import requirements_of
from mpp.applications.models import DECIDED, Application, Attachment, Status
from mpp.catalog.standard_schema import RequirementKind
from mpp.core.calendar import WorkingCalendar, load_calendar, local_date
from mpp.core.errors import NotFound

NEAR_DEADLINE_SHARE = 0.8

NEXT_STEP = {
    Status.DRAFT: gettext_lazy("Lengkapi isian dan dokumen, lalu ajukan."),
    Status.SUBMITTED: gettext_lazy("Menunggu verifikasi berkas oleh petugas."),
    Status.VERIFICATION: gettext_lazy("Petugas sedang memeriksa berkas Anda."),
    Status.REVISION_REQUESTED: gettext_lazy(
        "Perbaiki permohonan sesuai catatan petugas, lalu ajukan ulang."
    ),
    Status.RESUBMITTED: gettext_lazy("Menunggu verifikasi ulang oleh petugas."),
    Status.PROCESSING: gettext_lazy("Permohonan sedang diproses."),
    Status.APPROVED: gettext_lazy("Disetujui; dokumen sedang disiapkan dan ditandatangani."),
    Status.REJECTED: gettext_lazy(
        "Permohonan ditolak. Baca alasannya; Anda dapat mengajukan pengaduan."
    ),
    Status.ISSUED: gettext_lazy(
        "Dokumen sudah terbit: unduh, lalu konfirmasi bahwa sudah diterima."
    ),
    Status.COMPLETED: gettext_lazy("Selesai."),
}


def next_step(application: Application) -> str:
    return str(NEXT_STEP.get(application.status, ""))


# ---------------------------------------------------------------- deadline


@dataclass(frozen=True)
class Deadline:
    """Where a case stands against its promised time."""

    due_date: dt.date | None
    remaining: int  # working days left (negative when overdue)
    share_used: float  # 0.0 .. >1.0
    paused: bool
    overdue: bool
    near: bool  # past NEAR_DEADLINE_SHARE of its time, not yet overdue
    decided: bool


def deadline_of(
    application: Application, *, calendar: WorkingCalendar | None = None, now=None
) -> Deadline:
    """The deadline state; pass one loaded calendar when computing it for many rows."""
    today = local_date(now or timezone.now())
    decided = application.status in DECIDED
    paused = application.status == Status.REVISION_REQUESTED
    due = application.due_date
    total = max(application.sla_working_days, 1)
    if due is None:
        return Deadline(None, 0, 0.0, paused, False, False, decided)
    calendar = calendar or load_calendar(min(today, due), max(today, due))
    if paused and application.remaining_working_days is not None:
        remaining = application.remaining_working_days
    elif due >= today:
        remaining = calendar.working_days_between(today, due)
    else:
        remaining = -calendar.working_days_between(due, today)
    share = (total - remaining) / total
    active = not decided and not paused
    overdue = active and remaining < 0
    near = active and not overdue and share >= NEAR_DEADLINE_SHARE
    return Deadline(due, remaining, share, paused, overdue, near, decided)


# ---------------------------------------------------------------- citizens


def _with_relations(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.select_related("service", "agency", "standard")


def applications_for_citizen(user) -> QuerySet[Application]:
    """The user's own cases, and cases a representative filed for them; newest first."""
    if not getattr(user, "pk", None):
        return Application.objects.none()
    condition = Q(applicant_id=user.pk)
    profile = citizen_profile_for(user)
    if profile is not None:
        condition |= Q(subject_nik=profile.nik) & ~Q(status=Status.DRAFT)
    return _with_relations(Application.objects.filter(condition)).order_by(
        F("submitted_at").desc(nulls_first=True), "-created_at"
    )


def application_for_citizen(user, public_id: str) -> Application:
    """One of the user's cases; anybody else's reads as not found."""
    application = applications_for_citizen(user).filter(public_id=public_id).first()
    if application is None:
        raise NotFound(_("Permohonan tidak ditemukan."))
    return application


def application_by_tracking_code(code: str) -> Application:
    """A submitted case by its public tracking code (drafts have none to share)."""
    code = (code or "").strip().upper().replace("-", "").replace(" ", "")[:16]
    application = (
        _with_relations(Application.objects.exclude(status=Status.DRAFT))
        .filter(tracking_code=code)
        .first()
        if code
        else None
    )
    if application is None:
        raise NotFound(_("Kode lacak tidak dikenal. Periksa kembali kode pada tanda terima."))
    return application


def initials(name: str) -> str:
    """ "Siti Aminah" -> "S. A." (the only personal data on the public tracking page)."""
    parts = [p for p in (name or "").replace(".", " ").split() if p[:1].isalpha()]
    return " ".join(f"{p[0].upper()}." for p in parts[:4])


# ---------------------------------------------------------------- officers


def work_list(user, *, service_slug: str = "", status: str = "") -> QuerySet[Application]:
    """The submitted cases of the officer's agencies, the nearest deadline first."""
    qs = Application.objects.filter(agency_id__in=agency_ids_for(user)).exclude(status=Status.DRAFT)
    if service_slug:
        qs = qs.filter(service__slug=service_slug)
    if status:
        qs = qs.filter(status=status)
    return _with_relations(qs).order_by(F("due_date").asc(nulls_last=True), "submitted_at")


def officer_roles_for(user, application: Application) -> set[str]:
    """The user's active roles in the case's agency; not a member reads as not found."""
    if application.agency_id not in agency_ids_for(user):
        raise NotFound(_("Permohonan tidak ditemukan."))
    return set(
        Membership.objects.filter(
            user=user, agency_id=application.agency_id, is_active=True
        ).values_list("role", flat=True)
    )


def application_for_officer(user, public_id: str) -> Application:
    """A submitted case of one of the officer's agencies; any other reads as not found."""
    application = work_list(user).filter(public_id=public_id).first()
    if application is None:
        raise NotFound(_("Permohonan tidak ditemukan."))
    return application


def attachment_for(application: Application, attachment_id: int) -> Attachment:
    """One attachment of a case the caller already may see."""
    attachment = (
        Attachment.objects.select_related("document")
        .filter(application=application, pk=attachment_id)
        .first()
    )
    if attachment is None:
        raise NotFound(_("Dokumen tidak ditemukan."))
    return attachment


# ---------------------------------------------------------------- presentation


def answer_rows(application: Application, *, include_documents: bool = True) -> list[tuple]:
    """(label, value) of every requirement in the standard's order, for pages and documents."""
    rows = []
    attached = (
        {a.requirement_code: a for a in application.attachments.select_related("document")}
        if include_documents
        else {}
    )
    for req in requirements_of(application.standard):
        if req.kind == RequirementKind.DOCUMENT:
            if include_documents:
                rows.append((req.name, attached.get(req.code)))
            continue
        value = application.answers.get(req.code)
        if req.kind == RequirementKind.CONDITION:
            value = _("Ya") if value else _("Tidak")
        elif value in (None, ""):
            value = "—"
        rows.append((req.name, value))
    return rows
