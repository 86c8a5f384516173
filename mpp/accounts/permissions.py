"""Who may act: a citizen must have verified an e-mail or phone before applying, booking
or complaining (unverified accounts may browse)."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mpp.core.errors import PermissionDenied

NOT_SIGNED_IN = _("Masuk terlebih dahulu untuk melanjutkan.")
UNVERIFIED = _(
    "Verifikasi e-mail atau nomor ponsel Anda terlebih dahulu. Setelah terverifikasi, Anda "
    "dapat mengajukan permohonan, memesan antrean, dan menyampaikan pengaduan."
)


def require_verified_contact(user) -> None:
    """Refuse an act (apply, book, complain) by an account without a verified contact."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(str(NOT_SIGNED_IN))
    if not user.has_verified_contact:
        raise PermissionDenied(str(UNVERIFIED))


def verified_contact_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """View decorator: anonymous → sign-in; unverified → the verification page, then back."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.has_verified_contact:
            messages.warning(request, UNVERIFIED)
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:verify')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper
