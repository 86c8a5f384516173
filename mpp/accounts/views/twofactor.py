"""The second factor for officers: enrol an authenticator app once, then enter its code."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from mpp.accounts.forms.signin import TokenForm
from mpp.accounts.services import twofactor as services


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else reverse("manage:dashboard")


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


def _throttled_error() -> str:
    return _("Terlalu banyak kode yang salah. Tunggu beberapa detik, lalu masukkan kode baru.")


def _wrong_code_error() -> str:
    return _(
        "Kode salah atau sudah kedaluwarsa. Masukkan kode yang sedang tampil di aplikasi "
        "autentikator, dan pastikan jam ponsel Anda tepat."
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Enter the current code; officers without an authenticator are sent to enrolment."""
    if not services.requires_two_factor(request.user):
        return redirect("catalog:home")
    if request.user.is_verified():
        return redirect(_next_url(request))
    device = services.confirmed_device(request.user)
    if device is None:
        return redirect(_with_next("accounts:twofactor_enrol", request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.is_throttled(device):
            form.add_error("token", _throttled_error())
        else:
            verified = services.verify(user=request.user, token=form.cleaned_data["token"])
            if verified is not None:
                otp_login(request, verified)
                return redirect(_next_url(request))
            form.add_error("token", _wrong_code_error())
    return render(
        request, "accounts/twofactor_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in: scan the QR code (or type the key), then confirm with a code."""
    if not services.requires_two_factor(request.user):
        return redirect("catalog:home")
    if services.confirmed_device(request.user) is not None:
        # Enrolled already: a second authenticator cannot be added with the password alone.
        return redirect(_with_next("accounts:twofactor", request))
    device = services.enrolment_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.is_throttled(device):
            form.add_error("token", _throttled_error())
        elif services.confirm_enrolment(
            user=request.user, device=device, token=form.cleaned_data["token"]
        ):
            device.refresh_from_db()
            otp_login(request, device)
            return redirect(_next_url(request))
        else:
            form.add_error("token", _wrong_code_error())
    secret = services.secret_base32(device)
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_svg": services.qr_svg(device, _("Kode QR untuk aplikasi autentikator")),
        "secret": secret,
        # Groups of four wrap on narrow phones and are easier to type.
        "secret_grouped": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "accounts/twofactor_enrol.html", context)
