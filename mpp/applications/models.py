"""Online applications (permohonan): answers, attachments, the status workflow and its clock."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp.agencies.models import Agency
from mpp.catalog.models import Service, ServiceStandard
from mpp.core.models import BaseModel


def new_public_id() -> str:
    """The private handle in the applicant's own URLs (their pages need sign-in too)."""
    return secrets.token_urlsafe(12)


def new_tracking_code() -> str:
    """The public tracking code printed on the receipt: 12 characters, no look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    VERIFICATION = "verification", _("Verifikasi berkas")
    REVISION_REQUESTED = "revision_requested", _("Perlu perbaikan")
    RESUBMITTED = "resubmitted", _("Diajukan ulang")
    PROCESSING = "processing", _("Diproses")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    ISSUED = "issued", _("Dokumen terbit")
    COMPLETED = "completed", _("Selesai")


# Statuses in which the deadline clock runs (the agency has the case in hand).
CLOCK_RUNNING = (Status.SUBMITTED, Status.VERIFICATION, Status.RESUBMITTED, Status.PROCESSING)
# Statuses after a decision: the promised time no longer applies.
DECIDED = (Status.APPROVED, Status.REJECTED, Status.ISSUED, Status.COMPLETED)


class Application(BaseModel):
    """One citizen's request for one service, pinned to the standard in force when submitted.

    `applicant` is the account that applies; when they act as a representative (kuasa),
    `representation` is the power of attorney and `subject_*` the person represented,
    otherwise `subject_*` is the applicant themself. The deadline is counted in working days
    from the pinned standard; while the citizen revises, the clock stops.
    """

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    tracking_code = models.CharField(
        _("kode lacak"), max_length=16, unique=True, default=new_tracking_code, editable=False
    )
    number = models.CharField(_("nomor permohonan"), max_length=20, unique=True, null=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="applications")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="applications")
    standard = models.ForeignKey(ServiceStandard, on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    representation = models.ForeignKey(
        "accounts.Representation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    subject_nik = models.CharField(_("NIK"), max_length=16)
    subject_name = models.CharField(_("nama"), max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=8, default="id")

    submitted_at = models.DateTimeField(null=True, blank=True)
    sla_working_days = models.PositiveIntegerField(default=0)
    due_date = models.DateField(null=True, blank=True, db_index=True)
    # While a revision request waits for the citizen: when it began and the working days left.
    paused_at = models.DateTimeField(null=True, blank=True)
    remaining_working_days = models.IntegerField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    issued_document = models.OneToOneField(
        "documents.IssuedDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["agency", "status", "due_date"]),
            models.Index(fields=["applicant", "status"]),
            # The agency API's incremental synchronisation pages by last change.
            models.Index(fields=["agency", "modified_at", "id"]),
        ]
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")

    def __str__(self) -> str:
        return self.number or f"draft {self.public_id}"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def clock_running(self) -> bool:
        return self.status in CLOCK_RUNNING

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED


class ApplicationEvent(models.Model):
    """One step of the timeline: a transition or a message, with who, when and a note."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the actor acted as: "applicant", "representative" or an agency role. A message
    # to the applicant is an event whose status stays the same.
    actor_role = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, blank=True, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def is_message(self) -> bool:
        """A message to the applicant: the status did not change."""
        return self.from_status == self.to_status

    @property
    def role_label(self) -> str:
        from mpp.agencies.models import AgencyRole

        return str(dict(AgencyRole.choices).get(self.actor_role, self.actor_role))


class Attachment(models.Model):
    """A locker document given for one document requirement of an application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    requirement_code = models.CharField(max_length=50)
    document = models.ForeignKey(
        "documents.LockerDocument", on_delete=models.PROTECT, related_name="attachments"
    )
    attached_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement_code"], name="one_attachment_per_requirement"
            )
        ]


class NumberSequence(models.Model):
    """The running number of applications per year (MPP-2026-000123), taken under a lock."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)
