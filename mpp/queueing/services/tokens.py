"""Bearer tokens for the citizens' mobile app (ADR 0022): issued on sign-in, stored hashed."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.selectors import citizen_profile_for
from mpp.core.audit import audit
from mpp.core.errors import MppError, PermissionDenied
from mpp.queueing.models import CitizenApiToken

TOKEN_PREFIX = "mpp_"  # noqa: S105 (a marker, not a secret)
TOUCH_EVERY = dt.timedelta(minutes=5)


class BadCredentials(MppError):
    status = 401
    type = "invalid-credentials"
    title = _("Identitas atau kata sandi salah")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_issue(*, request, identifier: str, password: str) -> tuple[str, CitizenApiToken]:
    """Sign a citizen in and issue a token (shown once); wrong credentials give one answer."""
    user = authenticate(request, identifier=identifier, password=password)
    if user is None:
        raise BadCredentials(_("Identitas atau kata sandi salah, atau akun terkunci sementara."))
    if citizen_profile_for(user) is None:
        raise PermissionDenied(_("Token API hanya untuk warga; petugas memakai situs web."))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = CitizenApiToken.objects.create(
            user=user,
            token_hash=_hash(raw),
            prefix=raw[:8],
            expires_at=timezone.now() + dt.timedelta(days=settings.MPP_API_TOKEN_DAYS),
        )
        audit(actor=user, action="queueing.api_token_issued", target=token)
    return raw, token


def user_for_token(raw: str):
    """The active user a valid, unexpired, unrevoked token belongs to, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    now = timezone.now()
    token = (
        CitizenApiToken.objects.select_related("user")
        .filter(token_hash=_hash(raw), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        CitizenApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.user.api_token = token
    return token.user


def token_revoke(*, actor, token: CitizenApiToken) -> None:
    with transaction.atomic():
        CitizenApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        audit(actor=actor, action="queueing.api_token_revoked", target=token)
