"""Two-factor sign-in (TOTP) for officers: who needs it, enrolment and verification."""

import base64

import segno
from django.db import transaction
from django.utils.html import escape
from django_otp.plugins.otp_totp.models import TOTPDevice

from mpp.agencies.permissions import is_officer
from mpp.core.audit import audit

DEVICE_NAME = "authenticator"


def requires_two_factor(user) -> bool:
    """Officers (any agency or city role) and Django staff must sign in with a TOTP code."""
    if not (user and user.is_authenticated):
        return False
    return bool(user.is_staff or user.is_superuser or is_officer(user))


def confirmed_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they have enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled: the same one on every visit, so that the QR code
    stays the same while the officer scans it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps expect it when typed by hand (RFC 4648 base32)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice, label: str) -> str:
    """The otpauth:// URL as an inline SVG QR code (no image request, allowed by the CSP)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title=label)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def is_throttled(device: TOTPDevice) -> bool:
    """True while django-otp's delay after wrong codes is running."""
    allowed, _ = device.verify_is_allowed()
    return not allowed


@transaction.atomic
def confirm_enrolment(*, user, device: TOTPDevice, token: str) -> bool:
    """Confirm the device with a valid code; any other unconfirmed device is removed."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if device.confirmed or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    audit(actor=user, action="account.two_factor_enrolled", target=user)
    return True


def verify(*, user, token: str) -> TOTPDevice | None:
    """The confirmed device that accepts the code, or None (wrong code or throttled)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is not None and device.verify_token(token):
            return device
    return None
