"""Forms of the officer pages: they only parse input; mpp.accounts.services.officers decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mpp.agencies.models import AgencyRole


def role_choices(roles) -> list[tuple[str, str]]:
    return [(role, AgencyRole(role).label) for role in roles]


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Alamat e-mail"),
        max_length=254,
        help_text=_("Tautan undangan dikirim ke alamat ini dan berlaku 7 hari."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"invalid": _("Masukkan alamat e-mail yang valid.")},
    )
    role = forms.ChoiceField(label=_("Peran"), widget=forms.RadioSelect)

    def __init__(self, *args, roles=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(roles)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Peran baru"), widget=forms.RadioSelect)

    def __init__(self, *args, roles=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(roles)


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        help_text=_("Paling sedikit 8 karakter; jangan hanya angka atau kata yang umum."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") != data.get("password"):
            self.add_error("password_again", _("Kedua kata sandi tidak sama."))
        return data
