"""Agencies (tenants of the mall) and who works for them in which role."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp.core.models import BaseModel


class AgencyKind(models.TextChoices):
    CITY_OFFICE = "city_office", _("Perangkat daerah")
    VERTICAL = "vertical", _("Instansi vertikal")
    BUMN = "bumn", _("BUMN")
    BUMD = "bumd", _("BUMD")
    BANK = "bank", _("Bank")
    PRIVATE = "private", _("Penyedia swasta")


class Agency(BaseModel):
    """A tenant of the mall: a city office, vertical agency, state enterprise, bank or private."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=60)
    kind = models.CharField(_("jenis"), max_length=20, choices=AgencyKind.choices)
    description = models.TextField(_("deskripsi"), blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    counter_location = models.CharField(_("lokasi loket di MPP"), max_length=200, blank=True)
    # [{"days": "Senin–Jumat", "hours": "08.00–16.00"}]: display text; queueing has the rules.
    opening_hours = models.JSONField(_("jam layanan"), default=list, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self) -> str:
        return self.name


class AgencyRole(models.TextChoices):
    FRONT_DESK = "front_desk", _("Petugas loket")
    VERIFIER = "verifier", _("Verifikator")
    APPROVER = "approver", _("Penyetuju")
    AGENCY_ADMIN = "agency_admin", _("Admin instansi")


class Membership(BaseModel):
    """A user working for an agency in one role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=AgencyRole.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="uniq_membership_role")
        ]


class CityRoleKind(models.TextChoices):
    MPP_MANAGER = "mpp_manager", _("Pengelola MPP")
    AUDITOR = "auditor", _("Auditor")


class CityRole(BaseModel):
    """A city-wide role: the MPP manager (pengelola) or a read-only auditor."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="city_roles"
    )
    role = models.CharField(max_length=20, choices=CityRoleKind.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="uniq_city_role")]


def new_public_code(nbytes: int = 12) -> str:
    """An unguessable URL-safe identifier for public links."""
    return secrets.token_urlsafe(nbytes)
