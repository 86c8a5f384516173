"""Test helpers for officers, who must pass the second factor (TOTP) before any page."""

import base64
import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user) -> TOTPDevice:
    """The user's confirmed authenticator, created when missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def verified_login(client: Client, user) -> Client:
    """Sign the user in and mark the session as having passed the second factor, as
    django_otp.login() does after a correct code."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
    session.save()
    return client


def totp_code(key: bytes, at: float | None = None) -> str:
    """The 6-digit code of a key at a moment (now by default)."""
    totp = TOTP(key)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code the device accepts now: django-otp refuses a time step used before, so take
    the next step (within its tolerance of one step) when the current one was used."""
    device.refresh_from_db()
    current = (int(time.time()) - device.t0) // device.step + device.drift
    for step in (current, current + 1):
        if step > device.last_t:
            return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"
    raise AssertionError("no unused TOTP step within the tolerance")


def key_from_secret(secret: str) -> bytes:
    """The key from the base32 secret shown on the enrolment page (spaces allowed)."""
    compact = secret.replace(" ", "").upper()
    return base64.b32decode(compact + "=" * (-len(compact) % 8))


def pass_two_factor_in_browser(page, username: str | None = None) -> None:
    """In a Playwright page that sign-in sent to /akun/2fa/: enrol with the secret shown on
    the page, or, for an officer who has enrolled, enter the code of their device."""
    page.wait_for_url("**/akun/2fa/**")
    secret = page.locator("#totp-secret")
    if secret.count():
        code = totp_code(key_from_secret(secret.get_attribute("data-secret")))
    else:
        assert username, "an enrolled officer: pass the username to compute the code"
        code = fresh_code(TOTPDevice.objects.get(user__username=username, confirmed=True))
    page.get_by_label("Kode 6 angka").fill(code)
    page.locator("main form").first.get_by_role("button").click()


def make_citizen(make_user, username: str, nik: str, *, verified: bool = True, **fields):
    """A citizen account with a NIK profile (born 1 Jan 1990, male) and, by default, a
    verified e-mail address."""
    import datetime

    from django.utils import timezone

    from mpp.accounts.models import CitizenProfile

    fields.setdefault("full_name", username.title())
    fields.setdefault("email", f"{username}@example.id")
    user = make_user(username, email_verified_at=timezone.now() if verified else None, **fields)
    CitizenProfile.objects.create(user=user, nik=nik, birth_date=datetime.date(1990, 1, 1), sex="M")
    return user
