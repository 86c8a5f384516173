"""Personal data rights (UU 27/2022): a citizen asks for erasure, the MPP manager handles it.

Erasure deactivates the account and blanks or replaces what identifies the person. What the
law requires keeping (the audit trail; later, decisions and issued documents) is kept and
labelled "disimpan karena kewajiban hukum".
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.accounts.models import (
    CitizenProfile,
    DeletionRequest,
    DeletionRequestStatus,
    OneTimeCode,
    Representation,
)
from mpp.accounts.nik import mask_nik
from mpp.accounts.selectors import deletion_request_for_manager, open_deletion_request_for
from mpp.agencies.models import CityRole, CityRoleKind
from mpp.agencies.permissions import require_mpp_manager
from mpp.core.audit import audit
from mpp.core.errors import Conflict, PermissionDenied, ValidationFailed
from mpp.core.mail import queue_email

logger = logging.getLogger(__name__)

MAIL_TO_MANAGER = "accounts/deletion_request_manager_email"
MAIL_ANSWER = "accounts/deletion_request_answer_email"
REASON_MAX_LENGTH = 2000
ANSWER_MAX_LENGTH = 2000
# A placeholder birth date for an erased profile (the column is required).
ERASED_BIRTH_DATE = datetime.date(1900, 1, 1)

# Shown to the citizen before they ask, and to the manager before they approve.
ERASED = [
    gettext_lazy("Nama lengkap, alamat e-mail dan nomor ponsel akun Anda."),
    gettext_lazy("NIK, tanggal lahir dan jenis kelamin (NIK diganti tanda penghapusan)."),
    gettext_lazy("Kode verifikasi yang pernah dikirim ke kontak Anda."),
    gettext_lazy(
        "Berkas surat kuasa yang Anda unggah, serta NIK lengkap dan nama orang yang Anda wakili."
    ),
    gettext_lazy("Akses masuk: akun dinonaktifkan dan tidak dapat dipakai lagi."),
]
KEPT_LABEL = gettext_lazy("disimpan karena kewajiban hukum")
KEPT = [
    gettext_lazy(
        "Jejak audit (siapa melakukan apa dan kapan), yang hanya memuat nomor rekaman, "
        "tanpa NIK atau kontak."
    ),
    gettext_lazy(
        "Keputusan dan dokumen yang sudah diterbitkan instansi atas permohonan Anda, selama "
        "masa simpan arsip yang diwajibkan."
    ),
    gettext_lazy(
        "Catatan kuasa (tanggal, hubungan, NIK yang disamarkan) sebagai bukti tindakan yang "
        "dilakukan atas nama orang lain."
    ),
    gettext_lazy("Permintaan penghapusan ini beserta jawabannya."),
]


def _signed_in(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False) and user.is_active)


def _manager_emails() -> list[str]:
    users = get_user_model().objects.filter(
        pk__in=CityRole.objects.filter(role=CityRoleKind.MPP_MANAGER, is_active=True).values(
            "user_id"
        ),
        is_active=True,
    )
    return sorted({u.email for u in users if u.email})


@transaction.atomic
def deletion_request_create(*, actor, reason: str = "") -> DeletionRequest:
    """A citizen asks for erasure of their data; the MPP manager(s) are told by e-mail."""
    if not _signed_in(actor):
        raise PermissionDenied()
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationFailed(
            errors={
                "reason": [_("Paling banyak %(limit)s karakter.") % {"limit": REASON_MAX_LENGTH}]
            }
        )
    if open_deletion_request_for(actor) is not None:
        raise Conflict(
            _(
                "Anda sudah mengajukan permintaan penghapusan yang sedang diproses. "
                "Tunggu jawabannya."
            )
        )
    request = DeletionRequest.objects.create(
        user=actor, reason=reason, created_by=actor, modified_by=actor
    )
    audit(
        actor=actor,
        action="personal_data.deletion_requested",
        target=request,
        data={"public_id": request.public_id, "user_id": actor.pk},
    )
    url = settings.SITE_URL.rstrip("/") + reverse(
        "accounts:deletion_request_detail", args=[request.public_id]
    )
    for address in _manager_emails():
        queue_email(to=address, template=MAIL_TO_MANAGER, context={"request": request, "url": url})
    logger.info("Deletion request %s opened by user %s", request.public_id, actor.pk)
    return request


def _open_request(actor, public_id: str) -> DeletionRequest:
    require_mpp_manager(actor)
    request = deletion_request_for_manager(actor, public_id)
    if request.status != DeletionRequestStatus.OPEN:
        raise Conflict(_("Permintaan ini sudah ditangani."))
    return request


def _notify(address: str, request: DeletionRequest, language: str | None) -> None:
    if address:
        queue_email(
            to=address,
            template=MAIL_ANSWER,
            context={"request": request, "kept": KEPT, "kept_label": KEPT_LABEL},
            language=language,
        )


def _erase_representations(user) -> int:
    """Delete power-of-attorney files; keep the records with the NIK masked (evidence)."""
    now = timezone.now()
    count = 0
    for representation in Representation.objects.filter(representative=user):
        if representation.power_of_attorney:
            storage, name = (
                representation.power_of_attorney.storage,
                representation.power_of_attorney.name,
            )
            # Removed once the erasure is committed, so a rollback loses no file.
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
            representation.power_of_attorney = ""
        representation.represented_nik = mask_nik(representation.represented_nik)
        representation.represented_name = ""
        representation.revoked_at = representation.revoked_at or now
        representation.save()
        count += 1
    return count


def _erase_user(user) -> None:
    """Deactivate the account and blank what identifies the person."""
    profile = CitizenProfile.objects.filter(user=user).first()
    if profile is not None:
        # Not a valid NIK (letters), unique per profile, frees the real NIK.
        profile.nik = f"DEL{profile.pk:013d}"[:16]
        profile.birth_date = ERASED_BIRTH_DATE
        profile.sex = ""
        profile.save()
    OneTimeCode.objects.filter(user=user).delete()
    user.username = f"terhapus-{user.pk}"
    user.full_name = user.first_name = user.last_name = ""
    user.email = user.phone = ""
    user.email_verified_at = user.phone_verified_at = None
    user.is_active = False
    user.set_unusable_password()
    user.save()


@transaction.atomic
def deletion_request_approve(*, actor, public_id: str, answer: str = "") -> DeletionRequest:
    """Erase the requester's personal data, keeping what the law requires; tell them first."""
    request = _open_request(actor, public_id)
    user = request.user
    address = user.email if user is not None else ""
    language = user.preferred_language if user is not None else None
    erased_representations = 0
    if user is not None:
        erased_representations = _erase_representations(user)
        _erase_user(user)
    request.status = DeletionRequestStatus.DONE
    request.answer = (answer or "").strip()[:ANSWER_MAX_LENGTH]
    request.handled_at = timezone.now()
    request.handled_by = request.modified_by = actor
    request.save()
    audit(
        actor=actor,
        action="personal_data.erased",
        target=request,
        data={
            "public_id": request.public_id,
            "user_id": getattr(user, "pk", None),
            "representations": erased_representations,
        },
    )
    _notify(address, request, language)
    return request


@transaction.atomic
def deletion_request_reject(*, actor, public_id: str, answer: str) -> DeletionRequest:
    """Refuse a deletion request, with the reason the citizen will read."""
    request = _open_request(actor, public_id)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationFailed(errors={"answer": [_("Tuliskan alasan penolakan untuk pemohon.")]})
    request.status = DeletionRequestStatus.REJECTED
    request.answer = answer[:ANSWER_MAX_LENGTH]
    request.handled_at = timezone.now()
    request.handled_by = request.modified_by = actor
    request.save()
    audit(
        actor=actor,
        action="personal_data.deletion_rejected",
        target=request,
        data={"public_id": request.public_id, "user_id": request.user_id},
    )
    user = request.user
    _notify(user.email if user else "", request, user.preferred_language if user else None)
    return request
