"""Forms for citizen sign-up and contact verification."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mpp.accounts.models import Sex
from mpp.accounts.services.signup import validate_sign_up
from mpp.core.errors import ValidationFailed


class SignUpForm(forms.Form):
    """Types and required fields here; the NIK, phone and password rules live in the service
    (validate_sign_up) and come back as field errors, all at once."""

    nik = forms.CharField(
        label=_("NIK"),
        max_length=32,
        help_text=_("16 angka pada KTP elektronik atau Kartu Keluarga."),
        error_messages={"required": _("Isi NIK Anda.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=200,
        help_text=_("Sesuai KTP."),
        error_messages={"required": _("Isi nama lengkap sesuai KTP.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    birth_date = forms.DateField(
        label=_("Tanggal lahir"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        error_messages={
            "required": _("Isi tanggal lahir."),
            "invalid": _("Tanggal lahir tidak valid. Tulis seperti 31-12-1990."),
        },
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"),
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih jenis kelamin."),
            "invalid_choice": _("Pilih jenis kelamin."),
        },
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Alamat e-mail tidak valid, contoh: nama@contoh.id.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Nomor ponsel"),
        required=False,
        max_length=32,
        help_text=_("Nomor ponsel Indonesia, contoh: 0812 3456 7890."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        max_length=4096,
        help_text=_(
            "Minimal 8 karakter, tidak hanya angka, tidak mirip nama atau e-mail Anda, "
            "dan bukan kata sandi yang umum dipakai."
        ),
        error_messages={"required": _("Isi kata sandi.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        max_length=4096,
        error_messages={"required": _("Ulangi kata sandi.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Saya menyetujui pemrosesan data pribadi saya (NIK, nama, tanggal lahir, jenis "
            "kelamin, e-mail, nomor ponsel) oleh MPP untuk layanan publik, sesuai UU Nomor 27 "
            "Tahun 2022 tentang Pelindungan Data Pribadi."
        ),
        error_messages={
            "required": _("Anda perlu menyetujui pemrosesan data pribadi untuk mendaftar.")
        },
    )

    def clean(self) -> dict:
        data = super().clean()
        password, confirm = data.get("password"), data.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("Kedua kata sandi tidak sama."))
        try:
            normalised = validate_sign_up(
                nik=data.get("nik", ""),
                full_name=data.get("full_name", ""),
                birth_date=data.get("birth_date"),
                sex=data.get("sex", ""),
                email=data.get("email", ""),
                phone=data.get("phone", ""),
                password=password or "",
            )
        except ValidationFailed as exc:
            self.add_service_errors(exc)
        else:
            data.update(normalised)
        return data

    def add_service_errors(self, error: ValidationFailed) -> None:
        """Field errors of the service, skipping fields that already have their own."""
        for field, messages in error.errors.items():
            if field in self.fields and field not in self.errors:
                for message in messages:
                    self.add_error(field, str(message))


class CodeForm(forms.Form):
    """The code for one channel; the form is prefixed by the channel so that the e-mail and
    the SMS forms on one page have distinct ids."""

    code = forms.CharField(
        label=_("Kode verifikasi (6 angka)"),
        max_length=12,
        error_messages={"required": _("Isi kode 6 angka yang kami kirim.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "spellcheck": "false",
            }
        ),
    )
