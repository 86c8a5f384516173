"""Forms of the API-client and webhook pages: they parse input; the services decide."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from mpp.interop.catalogue import event_type_choices, scope_choices


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label=_("Nama klien"),
        max_length=100,
        help_text=_("Misalnya nama sistem instansi yang memakai akun ini."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Cakupan (scope)"), widget=forms.CheckboxSelectMultiple, choices=scope_choices
    )


class ScopesForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=_("Cakupan (scope)"), widget=forms.CheckboxSelectMultiple, choices=scope_choices
    )


class RotateForm(forms.Form):
    overlap_hours = forms.IntegerField(
        label=_("Masa tumpang tindih (jam)"),
        min_value=0,
        initial=24,
        help_text=_(
            "Selama masa ini yang lama tetap berlaku, agar sistem instansi sempat "
            "berganti. 0 berarti yang lama langsung tidak berlaku."
        ),
    )

    def __init__(self, *args, max_hours: int = 168, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["overlap_hours"].max_value = max_hours
        self.fields["overlap_hours"].widget.attrs["max"] = max_hours
        self.fields["overlap_hours"].validators.append(MaxValueValidator(max_hours))


class SubscriptionForm(forms.Form):
    url = forms.CharField(
        label=_("Alamat penerima (URL)"),
        max_length=500,
        help_text=_("Alamat https:// sistem instansi yang menerima peristiwa (POST)."),
        widget=forms.URLInput(attrs={"spellcheck": "false", "inputmode": "url"}),
    )
    description = forms.CharField(label=_("Keterangan"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label=_("Jenis peristiwa"),
        widget=forms.CheckboxSelectMultiple,
        choices=event_type_choices,
    )
