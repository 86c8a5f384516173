"""Errors of the interop context, each with a stable problem `type`."""

from django.utils.translation import gettext_lazy as _

from mpp.core.errors import Conflict, MppError, PermissionDenied, ValidationFailed


class Unauthenticated(MppError):
    status = 401
    type = "unauthorized"
    title = _("Autentikasi diperlukan")


class ScopeMissing(PermissionDenied):
    type = "insufficient-scope"
    title = _("Klien API tidak memiliki cakupan (scope) yang diperlukan")


class IdempotencyKeyReused(MppError):
    status = 422
    type = "idempotency-key-reused"
    title = _("Idempotency-Key sudah dipakai untuk permintaan lain")


class IdempotencyKeyInvalid(ValidationFailed):
    type = "idempotency-key-invalid"
    title = _("Idempotency-Key tidak valid")


class SignatureInvalid(MppError):
    status = 401
    type = "invalid-signature"
    title = _("Tanda tangan webhook tidak valid")


class TimestampOutOfTolerance(MppError):
    status = 401
    type = "timestamp-out-of-tolerance"
    title = _("Waktu webhook di luar batas toleransi")


class MessageReplayed(Conflict):
    type = "replayed-message"
    title = _("Pesan webhook ini sudah pernah diterima")


class UnknownEventType(MppError):
    status = 422
    type = "unknown-event-type"
    title = _("Jenis peristiwa tidak dikenal")


class InvalidEvent(ValidationFailed):
    type = "invalid-cloudevent"
    title = _("Isi bukan CloudEvent 1.0 yang valid")
