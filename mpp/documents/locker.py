"""The citizen's document locker: give a document once, offer it again in later applications.

Files are checked by content (mpp.core.uploads), stored under a random name on the private
default storage (local disk, or S3-compatible storage through STORAGES), and read only
through views that call `locker_document_for` or an application's own accessor.
"""

import hashlib
import re

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.core.audit import audit
from mpp.core.errors import NotFound
from mpp.core.uploads import check_upload
from mpp.documents.models import LockerDocument

# Requirement codes that name the same kind of document in different standards.
KIND_ALIASES: dict[str, str] = {
    "ktp": "ktp",
    "ktp_el": "ktp",
    "ktp_pemohon": "ktp",
    "e_ktp": "ktp",
    "kk": "kk",
    "kartu_keluarga": "kk",
    "akta_kelahiran": "akta_kelahiran",
    "akta_lahir": "akta_kelahiran",
    "pas_foto": "pas_foto",
    "foto": "pas_foto",
    "npwp": "npwp",
}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def document_kind(requirement_code: str) -> str:
    """The locker kind of a requirement: known aliases share one kind, others keep their code."""
    return KIND_ALIASES.get(requirement_code, requirement_code)


def safe_original_name(name: str) -> str:
    """The file's own name for display only: no folders, no odd characters, short."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _SAFE_NAME.sub("_", base).strip(" ._")
    return base[:120]


def locker_documents_for(user, *, subject_nik: str | None = None) -> QuerySet[LockerDocument]:
    """The user's own stored documents (not deleted), newest first; optionally for one person."""
    qs = LockerDocument.objects.filter(owner_id=user.pk, deleted_at__isnull=True)
    if subject_nik is not None:
        qs = qs.filter(subject_nik=subject_nik)
    return qs


def locker_document_for(user, public_id: str) -> LockerDocument:
    """One of the user's own documents; anybody else's reads as not found."""
    document = locker_documents_for(user).filter(public_id=public_id).first()
    if document is None:
        raise NotFound(_("Dokumen tidak ditemukan."))
    return document


@transaction.atomic
def locker_store(*, actor, file, kind: str, label: str, subject_nik: str = "") -> LockerDocument:
    """Check the upload by content and size and keep it in the actor's locker."""
    checked = getattr(file, "checked", None) or check_upload(file)
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    document = LockerDocument(
        owner=actor,
        subject_nik=subject_nik,
        kind=document_kind(kind),
        label=label[:300],
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=digest.hexdigest(),
        original_name=safe_original_name(getattr(file, "name", "")),
        created_by=actor,
    )
    document.file.save("upload", file, save=False)
    document.save()
    audit(
        actor=actor,
        action="locker.store",
        target=document,
        data={"kind": document.kind, "size": document.size, "sha256": document.sha256},
    )
    return document


@transaction.atomic
def locker_delete(*, actor, public_id: str) -> LockerDocument:
    """Hide the document from the locker; copies attached to applications stay with them."""
    document = locker_document_for(actor, public_id)
    document.deleted_at = timezone.now()
    document.save(update_fields=["deleted_at", "modified_at"])
    audit(actor=actor, action="locker.delete", target=document, data={"kind": document.kind})
    return document
