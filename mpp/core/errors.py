"""One hierarchy of domain errors; the API renders them as RFC 9457 problem+json."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext
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


def _expected(ctx: dict[str, Any]) -> str:
    return str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")


def validation_reason(error: dict[str, Any]) -> str:
    """One pydantic/ninja validation error as a sentence in the active language."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    messages: dict[str, Callable[[], str]] = {
        "missing": lambda: gettext("Wajib diisi."),
        "extra_forbidden": lambda: gettext("Kolom ini tidak dikenal."),
        "int_parsing": lambda: gettext("Harus berupa bilangan bulat."),
        "int_type": lambda: gettext("Harus berupa bilangan bulat."),
        "int_from_float": lambda: gettext("Harus berupa bilangan bulat."),
        "bool_parsing": lambda: gettext("Harus berupa true atau false."),
        "bool_type": lambda: gettext("Harus berupa true atau false."),
        "string_type": lambda: gettext("Harus berupa teks."),
        "list_type": lambda: gettext("Harus berupa daftar."),
        "dict_type": lambda: gettext("Harus berupa kumpulan isian (mapping)."),
        "model_type": lambda: gettext("Harus berupa kumpulan isian (mapping)."),
        "model_attributes_type": lambda: gettext("Harus berupa kumpulan isian (mapping)."),
        "greater_than_equal": lambda: (
            gettext("Harus paling sedikit %(limit)s.") % {"limit": ctx.get("ge")}
        ),
        "greater_than": lambda: gettext("Harus lebih dari %(limit)s.") % {"limit": ctx.get("gt")},
        "less_than_equal": lambda: (
            gettext("Harus paling banyak %(limit)s.") % {"limit": ctx.get("le")}
        ),
        "less_than": lambda: gettext("Harus kurang dari %(limit)s.") % {"limit": ctx.get("lt")},
        "literal_error": lambda: (
            gettext("Harus salah satu dari: %(expected)s.") % {"expected": _expected(ctx)}
        ),
        "enum": lambda: (
            gettext("Harus salah satu dari: %(expected)s.") % {"expected": _expected(ctx)}
        ),
        "string_too_long": lambda: (
            gettext("Paling banyak %(limit)s karakter.") % {"limit": ctx.get("max_length")}
        ),
        "string_too_short": lambda: (
            gettext("Wajib diisi.")
            if ctx.get("min_length") == 1
            else gettext("Paling sedikit %(limit)s karakter.") % {"limit": ctx.get("min_length")}
        ),
        "too_short": lambda: (
            gettext("Paling sedikit %(limit)s butir.") % {"limit": ctx.get("min_length")}
        ),
        "too_long": lambda: (
            gettext("Paling banyak %(limit)s butir.") % {"limit": ctx.get("max_length")}
        ),
        "string_pattern_mismatch": lambda: gettext(
            "Format tidak sesuai: gunakan huruf kecil, angka dan garis bawah, diawali huruf."
        ),
        "date_from_datetime_parsing": lambda: gettext("Harus berupa tanggal (YYYY-MM-DD)."),
        "date_parsing": lambda: gettext("Harus berupa tanggal (YYYY-MM-DD)."),
        "date_type": lambda: gettext("Harus berupa tanggal (YYYY-MM-DD)."),
    }
    message = messages.get(kind)
    if message is not None:
        return message()
    return str(error.get("msg", gettext("Nilai tidak valid."))).removeprefix("Value error, ")
