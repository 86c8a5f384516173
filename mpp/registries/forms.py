from django import forms
from django.utils.translation import gettext_lazy as _

from mpp.registries.models import CITIZEN_PURPOSES


class ConsentForm(forms.Form):
    purposes = forms.MultipleChoiceField(
        label=_("Saya mengizinkan MPP mengambil data kependudukan saya dari Dukcapil untuk:"),
        choices=[(p.value, p.label) for p in CITIZEN_PURPOSES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
