"""Kuasa form: parses input; the rules live in mpp.accounts.services.representation."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mpp.accounts.models import Relationship
from mpp.accounts.services.representation import nik_problems
from mpp.core.uploads import max_upload_bytes


class RepresentationForm(forms.Form):
    represented_nik = forms.CharField(
        label=_("NIK orang yang diwakili"),
        max_length=32,
        help_text=_("16 angka, sesuai KTP atau Kartu Keluarga orang yang Anda wakili."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": _("NIK orang yang diwakili wajib diisi.")},
    )
    represented_name = forms.CharField(
        label=_("Nama orang yang diwakili"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Nama orang yang diwakili wajib diisi.")},
    )
    relationship = forms.ChoiceField(
        label=_("Hubungan Anda dengan orang tersebut"),
        choices=[("", _("— pilih —")), *Relationship.choices],
        error_messages={
            "required": _("Pilih hubungan Anda dengan orang yang diwakili."),
            "invalid_choice": _("Pilih hubungan Anda dengan orang yang diwakili."),
        },
    )
    document = forms.FileField(
        label=_("Surat kuasa"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={
            "required": _("Unggah surat kuasa (PDF, JPEG atau PNG)."),
            "empty": _("Berkas kosong atau tidak terunggah. Pilih berkas lalu coba lagi."),
            "invalid": _("Berkas tidak terunggah. Pilih berkas lalu coba lagi."),
        },
    )
    valid_from = forms.DateField(
        label=_("Berlaku mulai"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Tanggal mulai wajib diisi."),
            "invalid": _("Tanggal tidak valid. Gunakan format TTTT-BB-HH."),
        },
    )
    valid_until = forms.DateField(
        label=_("Berlaku sampai"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Tanggal akhir wajib diisi."),
            "invalid": _("Tanggal tidak valid. Gunakan format TTTT-BB-HH."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = _(
            "PDF, JPEG atau PNG, paling besar %(limit)s MB. Berkas disimpan tertutup dan hanya "
            "dapat diunduh oleh Anda dan petugas yang berwenang."
        ) % {"limit": round(max_upload_bytes() / (1024 * 1024), 1)}
        if not self.is_bound:
            self.initial.setdefault("valid_from", timezone.localdate())

    def clean_represented_nik(self) -> str:
        nik = "".join(self.cleaned_data["represented_nik"].split())
        # Shown together with the other fields' errors; the service checks again.
        if problems := nik_problems(nik):
            raise forms.ValidationError(problems)
        return nik
