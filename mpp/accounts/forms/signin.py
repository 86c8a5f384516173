"""Forms for signing in, resetting a password and the second factor (TOTP)."""

import re

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from mpp.core.mail import queue_email

WRONG_CREDENTIALS = _(
    "E-mail, nomor ponsel, nama pengguna, atau kata sandi salah. "
    "Periksa kembali; huruf besar dan kecil pada kata sandi dibedakan."
)


class SignInForm(forms.Form):
    """One field for the e-mail address, mobile number or username, and the password.

    The same message for an unknown account and a wrong password: it never tells whether an
    account exists.
    """

    identifier = forms.CharField(
        label=_("E-mail, nomor ponsel, atau nama pengguna"),
        max_length=254,
        error_messages={"required": _("Isi e-mail, nomor ponsel, atau nama pengguna.")},
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput,
        error_messages={"required": _("Isi kata sandi.")},
    )

    def __init__(self, request=None, *args, **kwargs) -> None:
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        identifier, password = data.get("identifier"), data.get("password")
        if identifier and password:
            self.user_cache = authenticate(self.request, identifier=identifier, password=password)
            if self.user_cache is None:
                raise forms.ValidationError(WRONG_CREDENTIALS, code="invalid_login")
        return data

    def get_user(self):
        return self.user_cache


class ResetRequestForm(PasswordResetForm):
    """Django's reset form, with the e-mail sent by the worker after commit.

    Queuing instead of sending keeps the response time the same whether or not the address
    belongs to an account.
    """

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Isi alamat e-mail akun Anda."),
            "invalid": _("Tulis alamat e-mail yang lengkap, misalnya nama@contoh.id."),
        },
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        user = context.get("user")
        queue_email(
            to=to_email,
            template="accounts/mail/password_reset",
            context=context,
            language=getattr(user, "preferred_language", None),
        )


class TokenForm(forms.Form):
    """The 6-digit code shown by the authenticator app (spaces allowed)."""

    token = forms.CharField(
        label=_("Kode 6 angka"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": _("Isi kode 6 angka dari aplikasi autentikator.")},
    )

    def clean_token(self) -> str:
        token = re.sub(r"[\s-]", "", self.cleaned_data["token"])
        if not re.fullmatch(r"[0-9]{6}", token):
            raise forms.ValidationError(
                _("Kode terdiri dari 6 angka. Salin dari aplikasi autentikator Anda.")
            )
        return token
