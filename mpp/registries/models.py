"""Look-ups in the population registry (data given once): the citizen's consent for each
purpose and a log of every look-up. The log never holds a NIK: only a keyed hash (to find
every look-up of one person) and the masked form (to show)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mpp.agencies.models import new_public_code
from mpp.core.models import BaseModel


class RegistryPurpose(models.TextChoices):
    PROFILE = "profile", _("Melihat data kependudukan dan mengisi profil")
    PREFILL = "prefill", _("Mengisi formulir permohonan secara otomatis")
    IDENTITY = "identity", _("Memeriksa identitas (nama dan tanggal lahir)")
    SERVICE = "service", _("Pelayanan oleh petugas di loket")


# The purposes a citizen consents to; officers act on the agency's legal basis instead.
CITIZEN_PURPOSES = (RegistryPurpose.PROFILE, RegistryPurpose.PREFILL, RegistryPurpose.IDENTITY)


class RegistryConsent(BaseModel):
    """A citizen's consent to look up their registry data for one purpose (UU 27/2022 ps. 20).

    Withdrawing keeps the row (the record that consent existed) and stops further look-ups.
    """

    public_id = models.CharField(
        max_length=32, unique=True, editable=False, default=new_public_code
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registry_consents"
    )
    purpose = models.CharField(_("tujuan"), max_length=20, choices=RegistryPurpose.choices)
    given_at = models.DateTimeField(_("diberikan pada"))
    withdrawn_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_registry_consent_per_purpose",
            )
        ]
        verbose_name = _("persetujuan data kependudukan")
        verbose_name_plural = _("persetujuan data kependudukan")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.purpose}"


class LookupOutcome(models.TextChoices):
    FOUND = "found", _("Ditemukan")
    FOUND_CACHED = "found_cached", _("Ditemukan (dari cache)")
    NOT_FOUND = "not_found", _("Tidak terdaftar")
    NO_CONSENT = "no_consent", _("Ditolak: belum ada persetujuan")
    NOT_PERMITTED = "not_permitted", _("Ditolak: bukan NIK sendiri atau yang dikuasakan")
    UNAVAILABLE = "unavailable", _("Layanan registri tidak tersedia")
    CREDENTIALS = "credentials", _("Kredensial registri ditolak")


class RegistryLookup(models.Model):
    """One look-up (or refused attempt): who, whose (hashed and masked NIK), why, outcome."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    agency_id = models.BigIntegerField(null=True, blank=True)
    nik_hash = models.CharField(max_length=64, db_index=True)
    nik_masked = models.CharField(max_length=32)
    purpose = models.CharField(max_length=20, choices=RegistryPurpose.choices)
    outcome = models.CharField(max_length=20, choices=LookupOutcome.choices)
    on_behalf = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("pencarian data kependudukan")
        verbose_name_plural = _("pencarian data kependudukan")
