"""Officers must use two-factor sign-in (TOTP) before they reach anything else."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

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
        if path == reverse("admin:login"):
            target = request.GET.get("next") or reverse("admin:index")
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")
        user = request.user
        if (
            user.is_authenticated
            and not _is_verified(user)
            and not _is_open(path)
            and requires_two_factor(user)
        ):
            query = {"next": request.get_full_path()} if request.method == "GET" else {}
            url = reverse("accounts:twofactor")
            return redirect(f"{url}?{urlencode(query)}" if query else url)
        return self.get_response(request)


def _is_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def _is_open(path: str) -> bool:
    """Paths an officer may reach before the second factor."""
    open_prefixes = (
        reverse("accounts:twofactor"),
        settings.STATIC_URL,
    )
    open_paths = (reverse("accounts:logout"), reverse("set_language"), reverse("healthz"))
    return path in open_paths or path.startswith(open_prefixes)
