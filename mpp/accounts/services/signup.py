"""Citizen sign-up: one account per NIK, bound to a checked NIK and at least one contact."""

import datetime
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mpp.accounts.models import CitizenProfile, CodeChannel, Sex, User
from mpp.accounts.nik import check_nik, normalise_nik
from mpp.accounts.phone import InvalidPhone, normalise_phone
from mpp.accounts.services.verification import send_verification_code
from mpp.core.audit import audit
from mpp.core.errors import Conflict, ValidationFailed

CITIZEN_USERNAME_PREFIX = "w-"
CONSENT_BASIS = "UU 27/2022"


class AccountMayExist(Conflict):
    """The NIK, e-mail or phone is already registered; deliberately says no more than that."""

    type = "account-may-exist"

    def __init__(self) -> None:
        super().__init__(
            _(
                "Pendaftaran tidak dapat dilanjutkan: mungkin Anda sudah memiliki akun. "
                "Pulihkan akun Anda melalui lupa kata sandi."
            )
        )


def _new_username() -> str:
    # Citizens sign in with e-mail or phone; the username is an internal random handle.
    return CITIZEN_USERNAME_PREFIX + secrets.token_hex(8)


def _already_registered(*, nik: str, email: str, phone: str) -> bool:
    return (
        CitizenProfile.objects.filter(nik=nik).exists()
        or (bool(email) and User.objects.filter(email__iexact=email).exists())
        or (bool(phone) and User.objects.filter(phone=phone).exists())
    )


def validate_sign_up(
    *, nik: str, full_name: str, birth_date, sex: str, email: str, phone: str, password: str
) -> dict:
    """The sign-up rules; returns the normalised nik, email and phone, or raises
    ValidationFailed with every field error at once."""
    errors: dict[str, list[str]] = {}
    nik = normalise_nik(nik)
    if not isinstance(birth_date, datetime.date):
        birth_date = None
        errors["birth_date"] = [_("Isi tanggal lahir.")]
    elif birth_date > timezone.localdate():
        errors["birth_date"] = [_("Tanggal lahir tidak boleh di masa depan.")]
    problems = check_nik(nik, birth_date=birth_date, sex=sex if sex in Sex.values else None)
    if problems:
        errors["nik"] = [str(p.message) for p in problems]
    if not (full_name or "").strip():
        errors["full_name"] = [_("Isi nama lengkap sesuai KTP.")]
    if sex not in Sex.values:
        errors["sex"] = [_("Pilih jenis kelamin.")]
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Alamat e-mail tidak valid, contoh: nama@contoh.id.")]
    if phone:
        try:
            phone = normalise_phone(phone)
        except InvalidPhone as exc:
            errors["phone"] = [str(exc.message)]
    if not email and not phone:
        errors["email"] = [_("Isi e-mail atau nomor ponsel (boleh keduanya).")]
    try:
        validate_password(password, User(email=email, full_name=full_name or ""))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationFailed(errors=errors)
    return {"nik": nik, "email": email, "phone": phone or ""}


def citizen_sign_up(
    *,
    nik: str,
    full_name: str,
    birth_date: datetime.date,
    sex: str,
    email: str,
    phone: str,
    password: str,
    ip: str,
) -> User:
    """Create a citizen account with its profile and send codes to its contacts.

    The person has consented to the processing of their personal data (the form requires
    it); the consent is recorded in the audit trail. Raises AccountMayExist when the NIK,
    e-mail or phone is already registered, without saying which.
    """
    clean = validate_sign_up(
        nik=nik,
        full_name=full_name,
        birth_date=birth_date,
        sex=sex,
        email=email,
        phone=phone,
        password=password,
    )
    nik, email, phone = clean["nik"], clean["email"], clean["phone"]
    if _already_registered(nik=nik, email=email, phone=phone):
        raise AccountMayExist()
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=_new_username(),
                email=email,
                password=password,
                full_name=full_name.strip(),
                phone=phone,
                preferred_language=(translation.get_language() or "id")[:8],
            )
            CitizenProfile.objects.create(user=user, nik=nik, birth_date=birth_date, sex=sex)
            audit(
                actor=user,
                action="accounts.citizen_signed_up",
                target=user,
                data={
                    "ip": ip,
                    "consent": CONSENT_BASIS,
                    "contacts": [c for c, v in (("email", email), ("sms", phone)) if v],
                },
            )
            if email:
                send_verification_code(actor=user, channel=CodeChannel.EMAIL)
            if phone:
                send_verification_code(actor=user, channel=CodeChannel.SMS)
    except IntegrityError:
        # Two sign-ups with the same NIK or contact at once: the loser reads as a duplicate.
        raise AccountMayExist() from None
    return user
