"""Issued documents: the signed PDF an agency gives a citizen, verifiable by a public code."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp.agencies.models import Agency
from mpp.core.models import BaseModel


def new_verification_code() -> str:
    """22 URL-safe characters from 16 random bytes: unguessable, short enough for a QR code."""
    return secrets.token_urlsafe(16)


def issued_document_path(instance: "IssuedDocument", filename: str) -> str:
    # A random name: the code is public, the file location must not be derivable from it.
    return f"issued/{instance.issued_at:%Y/%m}/{secrets.token_hex(16)}.pdf"


class IssuedDocument(BaseModel):
    """A signed PDF issued by an agency; its hash decides whether a copy is authentic."""

    code = models.CharField(
        _("kode verifikasi"), max_length=40, unique=True, default=new_verification_code
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="issued_documents")
    title = models.CharField(_("judul"), max_length=200)
    template = models.CharField(max_length=60, default="default")
    # What the document states, label -> value, as shown on the public verification page:
    # only what the document needs; 16-digit numbers (NIK) are stored masked.
    statements = models.JSONField(_("isi dokumen"), default=dict)
    sha256 = models.CharField(max_length=64, db_index=True)
    file = models.FileField(upload_to=issued_document_path, max_length=200)
    issued_at = models.DateTimeField(_("diterbitkan"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revocation_reason = models.CharField(max_length=300, blank=True)
    # Whatever the document was issued for (e.g. "applications.application", "42").
    source_type = models.CharField(max_length=100, blank=True)
    source_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("dokumen terbit")
        verbose_name_plural = _("dokumen terbit")
        indexes = [models.Index(fields=["source_type", "source_id"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


def locker_document_path(instance: "LockerDocument", filename: str) -> str:
    # A random name: the uploaded name may carry personal data or path tricks; never used.
    return f"locker/{instance.owner_id}/{secrets.token_hex(16)}.{instance.extension}"


class LockerDocument(BaseModel):
    """A document a citizen gave once (KTP, KK, birth certificate, photo), offered again later.

    Kept privately: the file is only ever sent through a view that checks the reader (its
    owner, or an officer of an agency whose application it is attached to). `subject_nik`
    says whose document it is: the owner's own or that of a person they represent (kuasa).
    """

    public_id = models.CharField(
        max_length=32, unique=True, editable=False, default=new_verification_code
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="locker_documents"
    )
    subject_nik = models.CharField(max_length=16, blank=True)
    kind = models.CharField(_("jenis dokumen"), max_length=50)
    label = models.CharField(_("nama dokumen"), max_length=300)
    file = models.FileField(upload_to=locker_document_path, max_length=200)
    content_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=5)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=120, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "kind"])]
        verbose_name = _("dokumen tersimpan")
        verbose_name_plural = _("dokumen tersimpan")

    def __str__(self) -> str:
        return f"{self.label} ({self.public_id})"
