"""Sign-in by e-mail, mobile number or username; lockout keys; unlocking after a reset."""

import re

from django.contrib.auth import get_user_model
from django.db import transaction

from mpp.accounts import phone
from mpp.core.audit import audit

# Characters a person may use when typing a phone number: digits, +, spaces, dashes, dots
# and brackets ("0812-3456-7890", "+62 812 3456 7890", "(0341) 123456").
_PHONE_LIKE = re.compile(r"^\+?[\d\s().-]{6,20}$")


def normalise_phone(raw: str) -> str | None:
    """The E.164 form (+62...) of a mobile number as typed, normalised as sign-up does, or
    None when the text is not a valid Indonesian mobile number."""
    text = (raw or "").strip()
    if not _PHONE_LIKE.match(text):
        return None
    try:
        return phone.normalise_phone(text)
    except phone.InvalidPhone:
        return None


def normalise_identifier(raw: str | None) -> str:
    """One spelling per identifier, so that "Budi@Mail.com" and "budi@mail.com", or
    "0812-3456-7890" and "+6281234567890", count as the same for the lockout."""
    text = (raw or "").strip()
    if "@" in text:
        return text.lower()
    return normalise_phone(text) or text.lower()


def lockout_key(request, credentials: dict | None = None) -> str:
    """django-axes' AXES_USERNAME_CALLABLE: the normalised identifier of a sign-in attempt."""
    raw = None
    if credentials:
        raw = credentials.get("identifier") or credentials.get("username")
    if raw is None and request is not None:
        raw = request.POST.get("identifier") or request.POST.get("username")
    return normalise_identifier(raw)


def find_user(identifier: str | None):
    """The user whose e-mail (any case), mobile number or username matches, or None."""
    text = (identifier or "").strip()
    if not text:
        return None
    users = get_user_model().objects
    if "@" in text:
        found = users.filter(email__iexact=text).first()
        return found or users.filter(username=text).first()
    phone = normalise_phone(text)
    if phone:
        found = users.filter(phone=phone).first()
        if found:
            return found
    return users.filter(username=text).first()


def identifiers_of(user) -> set[str]:
    """Every lockout key under which sign-in attempts for this user may have been counted."""
    keys = {normalise_identifier(user.username)}
    if user.email:
        keys.add(normalise_identifier(user.email))
    if user.phone:
        keys.add(normalise_identifier(user.phone))
    return keys


def unlock(*, user) -> int:
    """Forget the failed sign-in attempts of the user's identifiers (ends a lockout)."""
    from axes.utils import reset

    return sum(reset(username=key) for key in identifiers_of(user))


@transaction.atomic
def password_reset_completed(*, user) -> None:
    """After a reset by e-mail: unlock the account and record the change."""
    unlock(user=user)
    audit(actor=user, action="account.password_reset", target=user)
