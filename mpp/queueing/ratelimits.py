"""Rate limits of booking writes per account and per IP address (django-ratelimit)."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from mpp.queueing.errors import RateLimited


def _account_key(group: str, request: HttpRequest) -> str:
    user = getattr(request, "auth", None) or request.user
    return str(user.pk)


def check_booking_rate(request: HttpRequest, user) -> None:
    """Refuse (429, rate-limited) when the account or the address books too often."""
    checks = (
        ("queue-booking-account", _account_key, settings.MPP_RATE_BOOKING_ACCOUNT),
        ("queue-booking-ip", "ip", settings.MPP_RATE_BOOKING_IP),
    )
    for group, key, rate in checks:
        if is_ratelimited(request, group=group, key=key, rate=rate, method=ALL, increment=True):
            raise RateLimited(
                _("Terlalu banyak percobaan pemesanan. Tunggu sebentar, lalu coba lagi.")
            )


def check_token_rate(request: HttpRequest) -> None:
    if is_ratelimited(
        request,
        group="queue-api-token",
        key="ip",
        rate=settings.MPP_RATE_API_TOKEN,
        method=ALL,
        increment=True,
    ):
        raise RateLimited(_("Terlalu banyak percobaan masuk. Tunggu sebentar, lalu coba lagi."))
