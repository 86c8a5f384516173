"""The rules of registry look-ups, each with a stable problem type."""

from django.utils.translation import gettext_lazy as _

from mpp.core.errors import MppError, PermissionDenied


class ConsentRequired(PermissionDenied):
    type = "registry-consent-required"
    title = _("Persetujuan diperlukan untuk mengambil data kependudukan")


class NikNotPermitted(PermissionDenied):
    type = "registry-nik-not-permitted"
    title = _("Anda hanya dapat mengambil data NIK sendiri atau orang yang Anda wakili")


class RegistryUnavailable(MppError):
    status = 503
    type = "registry-unavailable"
    title = _("Layanan data kependudukan sedang tidak dapat dihubungi")


class RegistryCredentialsRejected(MppError):
    status = 502
    type = "registry-credentials-rejected"
    title = _("Layanan data kependudukan menolak kredensial MPP")
