"""Kuasa: a citizen registers that they act for another person, and revokes it.

Legitimate help made visible (family, employers) and a limit on brokers (calo): one account
represents at most settings.MPP_MAX_REPRESENTED people at once. Later acts (applications,
bookings) call `active_representation_for` and record both people.
"""

import logging
import re
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts import nik as nik_rules
from mpp.accounts.models import Relationship, Representation
from mpp.accounts.selectors import active_representation_for, citizen_profile_for
from mpp.accounts.selectors import representation_for as _representation_for
from mpp.core.audit import audit
from mpp.core.errors import Conflict, MppError, PermissionDenied, ValidationFailed
from mpp.core.uploads import check_upload

__all__ = [
    "active_representation_for",
    "max_represented",
    "max_validity_days",
    "representation_register",
    "representation_revoke",
]

logger = logging.getLogger(__name__)

_NIK_FORMAT = re.compile(r"\d{16}")


def max_represented() -> int:
    return int(getattr(settings, "MPP_MAX_REPRESENTED", 5))


def max_validity_days() -> int:
    """Longest validity period of one kuasa; a longer need is registered again later."""
    return int(getattr(settings, "MPP_REPRESENTATION_MAX_DAYS", 365))


def require_verified_contact(user) -> None:
    """Only accounts with a verified e-mail or phone may act (apply, book, register kuasa)."""
    try:
        from mpp.accounts.permissions import require_verified_contact as shared_check
    except ImportError:
        shared_check = None
    if shared_check is not None:
        shared_check(user)
        return
    if not getattr(user, "has_verified_contact", False):
        raise PermissionDenied(
            _("Verifikasi e-mail atau nomor ponsel Anda terlebih dahulu untuk mendaftarkan kuasa.")
        )


def _errors_of(exc: Exception) -> list[str]:
    if isinstance(exc, DjangoValidationError):
        return [str(m) for m in exc.messages]
    if isinstance(exc, MppError):
        found = [str(m) for msgs in exc.errors.values() for m in msgs]
        return found or [exc.detail or str(exc.title)]
    return [str(exc)]


def nik_problems(nik: str) -> list[str]:
    """Why a represented person's NIK cannot be right (format, region, date), or []."""
    if not _NIK_FORMAT.fullmatch(nik):
        return [_("NIK harus terdiri dari 16 angka.")]
    check = getattr(nik_rules, "check_nik", None)
    if check is None:
        return []
    # Only the NIK's own rules: the represented person's birth date and sex are not asked.
    try:
        result = check(nik)
    except (DjangoValidationError, MppError) as exc:
        return _errors_of(exc)
    if isinstance(result, str):
        return [result]
    if isinstance(result, (list, tuple)):
        # NikProblem(code, message) objects, or plain messages.
        return [str(getattr(m, "message", m)) for m in result]
    return []


def _check_period(valid_from: date, valid_until: date, today: date) -> dict[str, list[str]]:
    limit = max_validity_days()
    if valid_until < valid_from:
        return {"valid_until": [_("Tanggal akhir tidak boleh sebelum tanggal mulai.")]}
    if valid_until < today:
        return {
            "valid_until": [_("Masa berlaku sudah lewat: tanggal akhir harus hari ini atau nanti.")]
        }
    if (valid_until - valid_from).days > limit or valid_from > today + timedelta(days=limit):
        return {
            "valid_until": [
                _("Masa berlaku paling lama %(days)s hari; daftarkan lagi bila masih diperlukan.")
                % {"days": limit}
            ]
        }
    return {}


def _check_limit(actor, represented_nik: str, valid_from: date, valid_until: date) -> None:
    """Refuse a kuasa that would make the actor represent too many people at once."""
    overlapping = (
        Representation.objects.filter(
            representative=actor,
            revoked_at__isnull=True,
            valid_from__lte=valid_until,
            valid_until__gte=valid_from,
        )
        .exclude(represented_nik=represented_nik)
        .values("represented_nik")
        .distinct()
        .count()
    )
    limit = max_represented()
    if overlapping >= limit:
        raise Conflict(
            _(
                "Satu akun hanya boleh mewakili paling banyak %(limit)s orang pada saat yang sama. "
                "Batas ini ada untuk mencegah percaloan: layanan MPP dapat diurus sendiri tanpa "
                "perantara. Bila Anda memang perlu mewakili lebih banyak orang (misalnya "
                "sebagai pengurus lembaga), datanglah ke meja informasi MPP atau cabut kuasa "
                "yang tidak diperlukan lagi."
            )
            % {"limit": limit},
            code="representation-limit",
        )


@transaction.atomic
def representation_register(
    *,
    actor,
    represented_nik: str,
    represented_name: str,
    relationship: str,
    document: UploadedFile | None,
    valid_from: date,
    valid_until: date,
) -> Representation:
    """Register a kuasa with its power of attorney, stored privately."""
    require_verified_contact(actor)
    profile = citizen_profile_for(actor)
    if profile is None:
        raise PermissionDenied(_("Hanya warga yang terdaftar dengan NIK dapat mendaftarkan kuasa."))
    represented_nik = (represented_nik or "").strip()
    represented_name = " ".join((represented_name or "").split())
    errors: dict[str, list[str]] = {}
    if problems := nik_problems(represented_nik):
        errors["represented_nik"] = problems
    elif represented_nik == profile.nik:
        errors["represented_nik"] = [
            _("Anda tidak perlu kuasa untuk diri sendiri: NIK ini adalah NIK Anda.")
        ]
    if not represented_name:
        errors["represented_name"] = [_("Nama orang yang diwakili wajib diisi.")]
    if relationship not in Relationship.values:
        errors["relationship"] = [_("Pilih hubungan Anda dengan orang yang diwakili.")]
    today = timezone.localdate()
    errors.update(_check_period(valid_from, valid_until, today))
    try:
        checked = check_upload(document)
    except ValidationFailed as exc:
        errors["document"] = [exc.detail]
    if errors:
        raise ValidationFailed(errors=errors)
    duplicate = Representation.objects.filter(
        representative=actor,
        represented_nik=represented_nik,
        revoked_at__isnull=True,
        valid_until__gte=today,
    ).exists()
    if duplicate:
        raise Conflict(
            _(
                "Kuasa untuk NIK ini sudah terdaftar dan masih berlaku. Cabut kuasa lama bila "
                "ingin menggantinya."
            )
        )
    _check_limit(actor, represented_nik, valid_from, valid_until)
    representation = Representation(
        representative=actor,
        represented_nik=represented_nik,
        represented_name=represented_name,
        relationship=relationship,
        power_of_attorney_type=checked.content_type,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=actor,
        modified_by=actor,
    )
    # Stored under MEDIA_ROOT with a random name; served only by the owner's download view.
    representation.power_of_attorney.save("surat-kuasa", document, save=False)
    representation.save()
    audit(
        actor=actor,
        action="representation.registered",
        target=representation,
        data={
            "public_id": representation.public_id,
            "relationship": relationship,
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat(),
        },
    )
    logger.info("Kuasa %s registered by user %s", representation.public_id, actor.pk)
    return representation


@transaction.atomic
def representation_revoke(*, actor, public_id: str) -> Representation:
    """The representative ends a kuasa; the record and its document are kept as evidence."""
    representation = _representation_for(actor, public_id)
    if representation.revoked_at is not None:
        raise Conflict(_("Kuasa ini sudah dicabut."))
    representation.revoked_at = timezone.now()
    representation.modified_by = actor
    representation.save(update_fields=["revoked_at", "modified_by", "modified_at"])
    audit(
        actor=actor,
        action="representation.revoked",
        target=representation,
        data={"public_id": representation.public_id},
    )
    return representation
