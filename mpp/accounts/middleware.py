"""Officers must use two-factor sign-in (TOTP) before they reach anything else."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from mpp.accounts.services.twofactor import requires_two_factor


class OfficerTwoFactorMiddleware:
    """A signed-in officer (or Django staff) whose session has not passed the second factor
    may only reach the 2FA pages, sign-out, the language switch and static files; every
    other request is sent to /akun/2fa/. Citizens are never asked.

    The Django admin's own sign-in page is replaced by ours, so that the lockout, the rate
    limit and the second factor apply there too. Runs after django-otp's OTPMiddleware.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        twofactor, login = _path("accounts:twofactor"), _path("accounts:login")
        if twofactor is None or login is None:  # a URLconf without accounts (some tests)
            return self.get_response(request)
        if path == _path("admin:login"):
            target = request.GET.get("next") or _path("admin:index") or "/"
            return redirect(f"{login}?{urlencode({'next': target})}")
        user = request.user
        if (
            user.is_authenticated
            and not _is_verified(user)
            and not _is_open(path, twofactor)
            and requires_two_factor(user)
        ):
            query = {"next": request.get_full_path()} if request.method == "GET" else {}
            return redirect(f"{twofactor}?{urlencode(query)}" if query else twofactor)
        return self.get_response(request)


def _path(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _is_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def _is_open(path: str, twofactor: str) -> bool:
    """Paths an officer may reach before the second factor."""
    open_paths = {_path("accounts:logout"), _path("set_language"), _path("healthz")}
    return path in open_paths or path.startswith((twofactor, settings.STATIC_URL))
