"""One check for every file a person uploads: type by content, size by setting.

The name and the browser's declared type are not trusted: a file is what its first bytes say
(puremagic). Only PDF, JPEG and PNG are accepted for documents (power of attorney now, the
document locker later). Messages are Indonesian and say what to do.
"""

from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mpp.core.errors import ValidationFailed

# MIME type -> extension used when a stored file is downloaded again.
DOCUMENT_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
}
# Enough for every signature puremagic knows at the start of a file.
_HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    """What the content of an accepted upload is."""

    content_type: str
    extension: str
    size: int


def max_upload_bytes() -> int:
    return int(getattr(settings, "MPP_UPLOAD_MAX_BYTES", 5 * 1024 * 1024))


def _read_head(file: UploadedFile) -> bytes:
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def sniff_content_type(head: bytes) -> str:
    """The MIME type the bytes most likely are, or "" when unknown."""
    if not head:
        return ""
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return ""
    if not matches:
        return ""
    best = max(m.confidence for m in matches)
    # Ties (e.g. PDF and FDF share "%PDF") resolve to a type we accept, if any is among them.
    top = [m.mime_type for m in matches if m.confidence == best and m.mime_type]
    accepted = [mime for mime in top if mime in DOCUMENT_TYPES]
    return (accepted or top or [""])[0]


def check_upload(
    file: UploadedFile | None,
    *,
    allowed: dict[str, str] | None = None,
    max_bytes: int | None = None,
) -> CheckedUpload:
    """Accept the upload or raise ValidationFailed with a message for the person."""
    allowed = DOCUMENT_TYPES if allowed is None else allowed
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if file is None or not file.size:
        raise ValidationFailed(
            _("Berkas kosong atau tidak terunggah. Pilih berkas lalu coba lagi.")
        )
    if file.size > limit:
        raise ValidationFailed(
            _("Berkas terlalu besar (%(size)s). Ukuran paling besar %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)}
        )
    content_type = sniff_content_type(_read_head(file))
    if content_type not in allowed:
        raise ValidationFailed(
            _(
                "Jenis berkas tidak diterima. Unggah berkas PDF, JPEG atau PNG "
                "(isi berkas diperiksa, bukan hanya namanya)."
            )
        )
    return CheckedUpload(content_type=content_type, extension=allowed[content_type], size=file.size)


def validate_document_upload(file: UploadedFile | None) -> CheckedUpload:
    """The same check for Django forms: raises django's ValidationError."""
    try:
        return check_upload(file)
    except ValidationFailed as exc:
        raise DjangoValidationError(exc.detail, code="invalid_upload") from exc
