"""Sign-in, sign-out, lockout and password reset by e-mail."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django_ratelimit.core import is_ratelimited

from mpp.accounts.forms.signin import ResetRequestForm, SignInForm
from mpp.accounts.services import signin as signin_services
from mpp.accounts.services.twofactor import requires_two_factor
from mpp.accounts.views import ratelimited


def _rate(setting: str):
    # Read at request time, so that settings changed by tests or the environment apply.
    return lambda group, request: getattr(settings, setting)


def _limited(request: HttpRequest, group: str, key, setting: str) -> bool:
    return is_ratelimited(
        request, group=group, key=key, rate=_rate(setting), method="POST", increment=True
    )


def _reset_email_key(group: str, request: HttpRequest) -> str:
    return request.POST.get("email", "").strip().lower()


def lockout_response(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """django-axes' AXES_LOCKOUT_CALLABLE: the same page whether or not the account exists."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "accounts/locked.html", {"minutes": minutes}, status=429)


class SignInView(auth_views.LoginView):
    """E-mail, mobile number or username with the password; officers go on to the second
    factor, then to /kelola/ (or the page they asked for)."""

    form_class = SignInForm
    template_name = "accounts/login.html"

    def post(self, request, *args, **kwargs):
        if _limited(request, "signin-ip", "ip", "MPP_RATE_SIGNIN"):
            return ratelimited(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # axes forgets failures only under the username; forget them under every identifier.
        signin_services.unlock(user=form.get_user())
        return super().form_valid(form)

    def get_success_url(self) -> str:
        user = self.request.user
        target = self.get_redirect_url()
        if requires_two_factor(user):
            target = target or reverse("manage:dashboard")
            return f"{reverse('accounts:twofactor')}?{urlencode({'next': target})}"
        return target or reverse("catalog:home")


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView); the session, and with it the OTP verification, ends."""


class ResetRequestView(auth_views.PasswordResetView):
    """The same answer whether or not the address belongs to an account."""

    form_class = ResetRequestForm
    template_name = "accounts/password_reset.html"
    subject_template_name = "accounts/mail/password_reset_subject.txt"
    email_template_name = "accounts/mail/password_reset.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        per_ip = _limited(request, "reset-ip", "ip", "MPP_RATE_PASSWORD_RESET")
        per_email = _limited(request, "reset-email", _reset_email_key, "MPP_RATE_PASSWORD_RESET")
        if per_ip or per_email:
            return ratelimited(request)
        return super().post(request, *args, **kwargs)


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password from the e-mailed link; it also ends a lockout."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        signin_services.password_reset_completed(user=form.user)
        return response


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
