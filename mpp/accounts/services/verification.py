"""Contact verification: a six-digit one-time code sent by e-mail or SMS.

Only an HMAC-SHA256 of the code is stored (keyed by SECRET_KEY), bound to the user, the
channel and the destination. A code expires after MPP_CODE_TTL_MINUTES, allows
MAX_ATTEMPTS wrong guesses and is used once; a new code replaces the older ones.
"""

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.accounts.models import CodeChannel, OneTimeCode, User
from mpp.accounts.phone import mask_phone
from mpp.accounts.sms import send_sms
from mpp.core.audit import audit
from mpp.core.errors import Conflict, ValidationFailed
from mpp.core.mail import queue_email

CODE_DIGITS = 6
MAX_ATTEMPTS = 5
HMAC_SALT = "mpp.accounts.verification.code"

CHANNEL_LABELS = {
    CodeChannel.EMAIL: gettext_lazy("e-mail"),
    CodeChannel.SMS: gettext_lazy("nomor ponsel"),
}
ALREADY_VERIFIED = {
    CodeChannel.EMAIL: gettext_lazy("E-mail Anda sudah terverifikasi."),
    CodeChannel.SMS: gettext_lazy("Nomor ponsel Anda sudah terverifikasi."),
}


class CodeRefused(ValidationFailed):
    """A code that does not verify; `code` says why (wrong, expired, attempts, used, none)."""

    def __init__(self, detail: str, *, code: str) -> None:
        super().__init__(detail, errors={"code": [detail]}, reason=code)
        self.code = code


def hash_code(*, user: User, channel: str, destination: str, code: str) -> str:
    """HMAC-SHA256 keyed by SECRET_KEY over who, where and what."""
    value = f"{user.pk}:{channel}:{destination.lower()}:{code}"
    return salted_hmac(HMAC_SALT, value, algorithm="sha256").hexdigest()


def mask_email(address: str) -> str:
    """wa•••@example.com."""
    local, _sep, domain = address.partition("@")
    return f"{local[:2]}•••@{domain}" if domain else "•••"


def destination_for(user: User, channel: str) -> str:
    return user.email if channel == CodeChannel.EMAIL else user.phone


def masked_destination(user: User, channel: str) -> str:
    destination = destination_for(user, channel)
    return mask_email(destination) if channel == CodeChannel.EMAIL else mask_phone(destination)


def is_verified(user: User, channel: str) -> bool:
    field = "email_verified_at" if channel == CodeChannel.EMAIL else "phone_verified_at"
    return getattr(user, field) is not None


def channels_to_verify(user: User) -> list[str]:
    """The channels the user has a contact for and has not verified yet."""
    return [
        channel
        for channel in (CodeChannel.EMAIL, CodeChannel.SMS)
        if destination_for(user, channel) and not is_verified(user, channel)
    ]


def _deliver(*, user: User, channel: str, destination: str, code: str) -> None:
    ttl = settings.MPP_CODE_TTL_MINUTES
    if channel == CodeChannel.EMAIL:
        queue_email(
            to=destination,
            template="accounts/mail/code",
            context={"code": code, "minutes": ttl, "name": user.display_name()},
            language=user.preferred_language,
        )
    else:
        from django.utils import translation

        with translation.override(user.preferred_language):
            text = _(
                "Kode verifikasi MPP Anda: %(code)s. Berlaku %(minutes)s menit. Jangan "
                "berikan kode ini kepada siapa pun, termasuk petugas."
            ) % {
                "code": code,
                "minutes": ttl,
            }
        transaction.on_commit(lambda: send_sms(destination, text))


def send_verification_code(*, actor: User, channel: str) -> OneTimeCode:
    """Send a fresh code to the actor's e-mail or phone; older codes stop working."""
    if channel not in CodeChannel.values:
        raise ValidationFailed(_("Saluran verifikasi tidak dikenal."))
    destination = destination_for(actor, channel)
    if not destination:
        raise ValidationFailed(
            _("Akun Anda tidak memiliki %(what)s.") % {"what": CHANNEL_LABELS[channel]}
        )
    if is_verified(actor, channel):
        raise Conflict(str(ALREADY_VERIFIED[channel]))
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    now = timezone.now()
    with transaction.atomic():
        OneTimeCode.objects.filter(
            user=actor, channel=channel, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        one_time = OneTimeCode.objects.create(
            user=actor,
            channel=channel,
            destination=destination,
            code_hash=hash_code(user=actor, channel=channel, destination=destination, code=code),
            expires_at=now + timedelta(minutes=settings.MPP_CODE_TTL_MINUTES),
        )
        audit(actor=actor, action="accounts.code_sent", target=actor, data={"channel": channel})
        _deliver(user=actor, channel=channel, destination=destination, code=code)
    return one_time


def _refusal(one_time: OneTimeCode | None, *, now, destination: str) -> CodeRefused | None:
    """Why the newest code cannot be used at all, whatever was typed."""
    if one_time is None:
        return CodeRefused(
            _("Belum ada kode yang berlaku. Minta kode baru dengan tombol Kirim ulang kode."),
            code="none",
        )
    if one_time.used_at is not None:
        return CodeRefused(
            _("Kode ini sudah pernah digunakan. Minta kode baru bila perlu."), code="used"
        )
    if one_time.expires_at <= now or one_time.destination != destination:
        return CodeRefused(
            _("Kode sudah kedaluwarsa. Minta kode baru dengan tombol Kirim ulang kode."),
            code="expired",
        )
    if one_time.attempts >= MAX_ATTEMPTS:
        return CodeRefused(
            _("Terlalu banyak percobaan yang salah untuk kode ini. Minta kode baru."),
            code="attempts",
        )
    return None


def verify_contact(*, actor: User, channel: str, code: str) -> None:
    """Mark the actor's e-mail or phone verified when `code` is the newest valid code."""
    if channel not in CodeChannel.values:
        raise ValidationFailed(_("Saluran verifikasi tidak dikenal."))
    if is_verified(actor, channel):
        raise Conflict(str(ALREADY_VERIFIED[channel]))
    code = "".join((code or "").split())
    if len(code) != CODE_DIGITS or not code.isascii() or not code.isdigit():
        raise CodeRefused(_("Kode terdiri dari 6 angka."), code="format")
    destination = destination_for(actor, channel)
    now = timezone.now()
    with transaction.atomic():
        one_time = (
            OneTimeCode.objects.select_for_update()
            .filter(user=actor, channel=channel)
            .order_by("-created_at", "-pk")
            .first()
        )
        refusal = _refusal(one_time, now=now, destination=destination)
        expected = (
            hash_code(user=actor, channel=channel, destination=destination, code=code)
            if refusal is None
            else ""
        )
        if refusal is None and not hmac.compare_digest(expected, one_time.code_hash):
            OneTimeCode.objects.filter(pk=one_time.pk).update(attempts=F("attempts") + 1)
            left = MAX_ATTEMPTS - one_time.attempts - 1
            refusal = (
                CodeRefused(
                    _("Kode salah. Sisa percobaan untuk kode ini: %(left)s.") % {"left": left},
                    code="wrong",
                )
                if left > 0
                else CodeRefused(
                    _("Kode salah, dan percobaan untuk kode ini sudah habis. Minta kode baru."),
                    code="attempts",
                )
            )
        if refusal is None:
            one_time.used_at = now
            one_time.save(update_fields=["used_at"])
            field = "email_verified_at" if channel == CodeChannel.EMAIL else "phone_verified_at"
            setattr(actor, field, now)
            actor.save(update_fields=[field])
            audit(
                actor=actor,
                action="accounts.contact_verified",
                target=actor,
                data={"channel": channel},
            )
    # Raised after the block so that a wrong guess is still counted.
    if refusal is not None:
        raise refusal
