"""Citizen sign-up and contact verification pages."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from mpp.accounts.forms.signup import CodeForm, SignUpForm
from mpp.accounts.models import CodeChannel
from mpp.accounts.services.signup import AccountMayExist, citizen_sign_up
from mpp.accounts.services.verification import (
    CHANNEL_LABELS,
    channels_to_verify,
    destination_for,
    is_verified,
    masked_destination,
    send_verification_code,
    verify_contact,
)
from mpp.accounts.views import ratelimited
from mpp.core.errors import MppError, ValidationFailed

RECOVERY_PATH_FALLBACK = "/akun/lupa-sandi/"


def _signup_rate(group: str, request: HttpRequest) -> str:
    return settings.MPP_RATE_SIGNUP


def _code_rate(group: str, request: HttpRequest) -> str:
    return settings.MPP_RATE_CODE


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _recovery_url() -> str:
    try:
        return reverse("accounts:password_reset")
    except NoReverseMatch:  # built by the sign-in work; the path is fixed by the issue
        return RECOVERY_PATH_FALLBACK


def _limited(request: HttpRequest, *, group: str, rate, keys: list[str]) -> bool:
    """Count this request against each key; True when any limit is exceeded."""
    hits = [
        is_ratelimited(request, group=group, key=key, rate=rate, method="POST", increment=True)
        for key in keys
    ]
    return any(hits)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:verify")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if _limited(request, group="mpp.accounts.signup", rate=_signup_rate, keys=["ip"]):
            return ratelimited(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = citizen_sign_up(
                    nik=data["nik"],
                    full_name=data["full_name"],
                    birth_date=data["birth_date"],
                    sex=data["sex"],
                    email=data["email"],
                    phone=data["phone"],
                    password=data["password"],
                    ip=_client_ip(request),
                )
            except AccountMayExist:
                context = {"recovery_url": _recovery_url()}
                return render(request, "accounts/signup_exists.html", context, status=409)
            except ValidationFailed as exc:
                form.add_service_errors(exc)
            else:
                login(request, user, backend="mpp.accounts.backends.IdentifierBackend")
                messages.success(
                    request,
                    _("Akun Anda sudah dibuat. Masukkan kode yang kami kirim untuk verifikasi."),
                )
                return redirect("accounts:verify")
    return render(request, "accounts/signup.html", {"form": form}, status=_status(form))


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else ""


def _contacts(user, forms: dict | None = None) -> list[dict]:
    forms = forms or {}
    return [
        {
            "channel": channel,
            "label": CHANNEL_LABELS[channel],
            "masked": masked_destination(user, channel),
            "verified": is_verified(user, channel),
            "form": forms.get(channel) or CodeForm(prefix=channel),
        }
        for channel in (CodeChannel.EMAIL, CodeChannel.SMS)
        if destination_for(user, channel)
    ]


def _render_verify(request: HttpRequest, forms: dict | None = None, status: int = 200):
    context = {
        "contacts": _contacts(request.user, forms),
        "pending": channels_to_verify(request.user),
        "next": _safe_next(request),
    }
    return render(request, "accounts/verify.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render_verify(request)
    channel = request.POST.get("channel", "")
    if channel not in CodeChannel.values or not destination_for(request.user, channel):
        messages.error(request, _("Pilih kontak yang akan diverifikasi."))
        return redirect("accounts:verify")
    form = CodeForm(request.POST, prefix=channel)
    if not form.is_valid():
        return _render_verify(request, {channel: form}, status=400)
    try:
        verify_contact(actor=request.user, channel=channel, code=form.cleaned_data["code"])
    except ValidationFailed as exc:
        form.add_error("code", exc.detail or str(exc.title))
        return _render_verify(request, {channel: form}, status=400)
    except MppError as exc:
        messages.info(request, exc.detail or str(exc.title))
        return redirect("accounts:verify")
    messages.success(
        request,
        _("Terima kasih, %(what)s Anda sudah terverifikasi.") % {"what": CHANNEL_LABELS[channel]},
    )
    return redirect(_safe_next(request) or "accounts:verify")


@login_required
@require_POST
def send_code(request: HttpRequest) -> HttpResponse:
    channel = request.POST.get("channel", "")
    keys = ["ip", "user"]
    if _limited(request, group="mpp.accounts.code", rate=_code_rate, keys=keys):
        return ratelimited(request)
    try:
        send_verification_code(actor=request.user, channel=channel)
    except MppError as exc:
        messages.error(request, exc.detail or str(exc.title))
    else:
        messages.success(
            request,
            _("Kode baru sudah dikirim ke %(where)s. Kode sebelumnya tidak berlaku lagi.")
            % {"where": masked_destination(request.user, channel)},
        )
    target = reverse("accounts:verify")
    next_url = _safe_next(request)
    return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
