"""Forms of the officer pages: they only parse input; the catalog services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mpp.catalog.io import MAX_BYTES


class StandardYamlForm(forms.Form):
    components_yaml = forms.CharField(
        label=_("Komponen standar (YAML)"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
        help_text=_(
            "Ke-14 komponen standar pelayanan dalam format YAML. Kesalahan ditunjukkan dengan "
            "nomor baris dan jalur komponen, misalnya requirements.0.name."
        ),
    )
    change_note = forms.CharField(label=_("Catatan perubahan"), max_length=500, required=False)


class StandardFileForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas standar"),
        help_text=_("XLSX, CSV (UTF-8), atau YAML; paling besar 2 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,.yaml,.yml,text/csv,application/yaml"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Berkas lebih besar dari 2 MB."))
        return upload


class AdoptForm(forms.Form):
    effective_date = forms.DateField(
        label=_("Tanggal berlaku"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    decree_number = forms.CharField(
        label=_("Nomor keputusan penetapan"), max_length=200, required=False
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
