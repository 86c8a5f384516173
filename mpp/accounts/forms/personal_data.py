"""Forms for personal-data requests (UU 27/2022)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mpp.accounts.services.personal_data import ANSWER_MAX_LENGTH, REASON_MAX_LENGTH


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan (tidak wajib)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DeletionAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("approve", _("Setujui dan hapus data")), ("reject", _("Tolak"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih keputusan."),
            "invalid_choice": _("Pilih keputusan."),
        },
    )
    answer = forms.CharField(
        label=_("Jawaban untuk pemohon"),
        required=False,
        max_length=ANSWER_MAX_LENGTH,
        help_text=_("Wajib bila permintaan ditolak; dikirim ke e-mail pemohon bila ada."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", _("Tuliskan alasan penolakan untuk pemohon."))
        return cleaned
