"""People who sign in: citizens bound to a NIK, officers, representatives (kuasa), one-time
codes, invitations and personal-data requests (UU 27/2022)."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from mpp.agencies.models import new_public_code
from mpp.core.models import BaseModel

# Usernames of service accounts through which API clients act (mpp.interop.actors); they
# cannot sign in and are left out of the officer pages.
SERVICE_ACCOUNT_PREFIX = "api."


class User(AbstractUser):
    """A person who signs in: citizen or officer (roles live in agencies.Membership).

    Citizens sign in with their e-mail address or mobile number; `username` is then a random
    internal handle. Officers may also use a username.
    """

    full_name = models.CharField(_("nama lengkap"), max_length=200, blank=True)
    # E.164, e.g. +6281234567890 (normalised with phonenumbers); empty when not given.
    phone = models.CharField(_("nomor ponsel"), max_length=20, blank=True, default="")
    email_verified_at = models.DateTimeField(null=True, blank=True)
    phone_verified_at = models.DateTimeField(null=True, blank=True)
    preferred_language = models.CharField(max_length=8, default="id")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="uniq_user_email_ci"
            ),
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="uniq_phone"),
        ]

    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def has_verified_contact(self) -> bool:
        """Verified e-mail or phone: needed to apply, book or complain."""
        return bool(self.email_verified_at or self.phone_verified_at)


class Sex(models.TextChoices):
    MALE = "M", _("Laki-laki")
    FEMALE = "F", _("Perempuan")


class CitizenProfile(BaseModel):
    """The identity of a citizen: one account per NIK (Nomor Induk Kependudukan).

    The NIK is personal data (UU 27/2022): shown masked everywhere except to its owner and
    to authorised officers in detail views; never in URLs or logs.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen"
    )
    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)

    def __str__(self) -> str:
        from mpp.accounts.nik import mask_nik

        return mask_nik(self.nik)


class CodeChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class OneTimeCode(models.Model):
    """A short code sent to prove that a contact (e-mail or phone) belongs to the user.

    Only an HMAC of the code is stored; a code expires, allows few attempts and is used once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_time_codes"
    )
    channel = models.CharField(max_length=8, choices=CodeChannel.choices)
    destination = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Relationship(models.TextChoices):
    PARENT = "parent", _("Orang tua")
    CHILD = "child", _("Anak")
    SPOUSE = "spouse", _("Suami/istri")
    SIBLING = "sibling", _("Saudara kandung")
    FAMILY = "family", _("Keluarga lain")
    GUARDIAN = "guardian", _("Wali")
    EMPLOYER = "employer", _("Pemberi kerja / perusahaan")
    OTHER = "other", _("Lainnya")


def _poa_path(instance: "Representation", filename: str) -> str:
    # Random name: the original file name may itself carry personal data.
    return f"kuasa/{instance.representative_id}/{secrets.token_hex(16)}"


class Representation(BaseModel):
    """Kuasa: a citizen acting for another person under a recorded power of attorney.

    Legitimate help made visible (family, employers), and a limit on brokers (calo): one
    account may represent at most MPP_MAX_REPRESENTED people at once.
    """

    public_id = models.CharField(
        max_length=32, unique=True, editable=False, default=new_public_code
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations"
    )
    represented_nik = models.CharField(_("NIK orang yang diwakili"), max_length=16)
    represented_name = models.CharField(_("nama orang yang diwakili"), max_length=200)
    relationship = models.CharField(_("hubungan"), max_length=12, choices=Relationship.choices)
    power_of_attorney = models.FileField(_("surat kuasa"), upload_to=_poa_path)
    power_of_attorney_type = models.CharField(max_length=40)
    valid_from = models.DateField(_("berlaku mulai"))
    valid_until = models.DateField(_("berlaku sampai"))
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="kuasa_valid_range"
            )
        ]


class OfficerInvitation(BaseModel):
    """An e-mailed invitation to join an agency in a role; only a hash of the token is kept."""

    email = models.EmailField()
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=20)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class DeletionRequestStatus(models.TextChoices):
    OPEN = "open", _("Menunggu")
    DONE = "done", _("Selesai")
    REJECTED = "rejected", _("Ditolak")


class DeletionRequest(BaseModel):
    """A citizen's request to erase their personal data (UU 27/2022), handled by the manager.

    Records the law requires keeping (audit trail, decisions, issued documents) are kept and
    labelled as such in the answer.
    """

    public_id = models.CharField(
        max_length=32, unique=True, editable=False, default=new_public_code
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("alasan"), blank=True)
    status = models.CharField(
        max_length=10, choices=DeletionRequestStatus.choices, default=DeletionRequestStatus.OPEN
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField(_("jawaban"), blank=True)

    class Meta:
        ordering = ["-created_at"]
