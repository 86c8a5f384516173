"""One hierarchy of domain errors; the API renders them as RFC 9457 problem+json."""

from django.utils.translation import gettext_lazy as _


class MppError(Exception):
    """Base of every error a user may cause; never becomes a 500."""

    status = 400
    type = "bad-request"
    title = _("Permintaan tidak dapat diproses")

    def __init__(self, detail: str | None = None, *, errors: dict | None = None, **extra):
        self.detail = str(detail) if detail is not None else None
        self.errors = errors or {}
        self.extra = extra
        super().__init__(self.detail or str(self.title))


class NotFound(MppError):
    status = 404
    type = "not-found"
    title = _("Tidak ditemukan")


class PermissionDenied(MppError):
    status = 403
    type = "forbidden"
    title = _("Anda tidak berwenang melakukan tindakan ini")


class ValidationFailed(MppError):
    status = 400
    type = "validation-error"
    title = _("Data yang dikirim tidak valid")


class InvalidParameter(ValidationFailed):
    type = "invalid-parameter"
    title = _("Parameter tidak valid")


class Conflict(MppError):
    status = 409
    type = "conflict"
    title = _("Tindakan bertentangan dengan keadaan data saat ini")


PROBLEM_TYPE_BASE = "https://mpp.example.id/problems/"


def problem_body(error: MppError, *, instance: str = "") -> dict:
    """The RFC 9457 body for a domain error."""
    body = {
        "type": PROBLEM_TYPE_BASE + error.type,
        "title": str(error.title),
        "status": error.status,
        "detail": error.detail or str(error.title),
    }
    if instance:
        body["instance"] = instance
    if error.errors:
        body["errors"] = {key: [str(m) for m in msgs] for key, msgs in error.errors.items()}
    body.update(error.extra)
    return body
