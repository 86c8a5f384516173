"""The server-side application form of an online service, built from its adopted standard.

One field per requirement, named by the requirement code, in the standard's order; the
same rules as the JSON Schema of form_schema.py, checked on the server with an Indonesian
message next to the failing field. Phones are stored normalised (+62…), NIKs without
separators, uploads are checked by content (mpp.core.uploads) and against the file types
the requirement allows.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.accounts.nik import check_nik, normalise_nik
from mpp.accounts.phone import InvalidPhone, normalise_phone
from mpp.applications.form_schema import FILE_TYPE_MIME, TEXT_MAX_LENGTH, requirements_of
from mpp.catalog.models import ServiceStandard
from mpp.catalog.standard_schema import DataType, Requirement, RequirementKind
from mpp.core.errors import ValidationFailed
from mpp.core.uploads import CheckedUpload, check_upload

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
FILE_TYPE_LABELS = {"pdf": "PDF", "jpg": "JPEG", "png": "PNG"}

REQUIRED_DATA = gettext_lazy("Isian ini wajib diisi.")
REQUIRED_DOCUMENT = gettext_lazy("Dokumen ini wajib diunggah.")
REQUIRED_CONDITION = gettext_lazy("Centang pernyataan ini untuk melanjutkan permohonan.")


class PhoneField(forms.CharField):
    """An Indonesian mobile number, cleaned to E.164 (+628…)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.update(autocomplete="tel", inputmode="tel")

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        try:
            return normalise_phone(value)
        except InvalidPhone as exc:
            raise ValidationError(str(exc.message), code=exc.code) from None


class NikField(forms.CharField):
    """A NIK: 16 digits, a Kemendagri district and a real date of birth (mpp.accounts.nik)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)
        self.widget.attrs.update(inputmode="numeric", autocomplete="off")

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        nik = normalise_nik(value)
        problems = check_nik(nik)
        if problems:
            raise ValidationError([ValidationError(str(p.message), code=p.code) for p in problems])
        return nik


class DocumentField(forms.FileField):
    """An upload checked by content and size, and against the requirement's file types.

    The cleaned value is the uploaded file with `.checked` (a CheckedUpload) attached.
    """

    def __init__(self, *, file_types: list[str], **kwargs: Any) -> None:
        self.file_types = list(file_types)
        super().__init__(**kwargs)
        accept = [f".{t}" for t in self.file_types] + [FILE_TYPE_MIME[t] for t in self.file_types]
        if "jpg" in self.file_types:
            accept.insert(1, ".jpeg")
        self.widget.attrs["accept"] = ",".join(accept)

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if not isinstance(file, UploadedFile):
            return file
        try:
            checked: CheckedUpload = check_upload(file)
        except ValidationFailed as exc:
            raise ValidationError(exc.detail, code="invalid_upload") from None
        if checked.extension not in self.file_types:
            raise ValidationError(
                _(
                    "Jenis berkas tidak diterima untuk persyaratan ini. Unggah berkas %(types)s "
                    "(isi berkas diperiksa, bukan hanya namanya)."
                )
                % {"types": _types_text(self.file_types)},
                code="file_type_not_allowed",
            )
        file.checked = checked  # type: ignore[attr-defined]
        return file


def _types_text(file_types: list[str]) -> str:
    labels = [FILE_TYPE_LABELS[t] for t in file_types]
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s atau %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def _data_field(req: Requirement, common: dict[str, Any]) -> forms.Field:
    messages = {"required": REQUIRED_DATA}
    data_type = req.data_type or DataType.TEXT
    if data_type == DataType.NUMBER:
        return forms.DecimalField(
            error_messages={**messages, "invalid": _("Isi dengan angka, misalnya 12 atau 2.5.")},
            max_digits=20,
            decimal_places=6,
            **common,
        )
    if data_type == DataType.DATE:
        return forms.DateField(
            input_formats=DATE_INPUT_FORMATS,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={
                **messages,
                "invalid": _("Tanggal tidak valid. Tulis seperti 2026-01-31 atau 31-01-2026."),
            },
            **common,
        )
    if data_type == DataType.EMAIL:
        return forms.EmailField(
            max_length=254,
            error_messages={
                **messages,
                "invalid": _("Alamat e-mail tidak valid. Tulis seperti nama@contoh.id."),
            },
            **common,
        )
    if data_type == DataType.PHONE:
        return PhoneField(error_messages=messages, **common)
    if data_type == DataType.NIK:
        return NikField(error_messages=messages, **common)
    if data_type == DataType.CHOICE:
        choices = [(c, c) for c in req.choices]
        if not req.mandatory:
            choices.insert(0, ("", "—"))
        return forms.ChoiceField(
            choices=choices,
            error_messages={
                **messages,
                "invalid_choice": _("Pilih salah satu pilihan yang tersedia."),
            },
            **common,
        )
    return forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        error_messages={
            **messages,
            "max_length": _("Paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."),
        },
        **common,
    )


def requirement_field(req: Requirement) -> forms.Field:
    """The form field of one requirement, labelled and explained in its own words."""
    common: dict[str, Any] = {
        "label": req.name,
        "help_text": req.description,
        "required": req.mandatory,
    }
    if req.kind == RequirementKind.DOCUMENT:
        return DocumentField(
            file_types=req.file_types,
            error_messages={
                "required": REQUIRED_DOCUMENT,
                "invalid": _("Berkas tidak terunggah. Pilih berkas lalu coba lagi."),
                "empty": _("Berkas kosong. Pilih berkas lain lalu coba lagi."),
            },
            **common,
        )
    if req.kind == RequirementKind.CONDITION:
        return forms.BooleanField(error_messages={"required": REQUIRED_CONDITION}, **common)
    return _data_field(req, common)


class ApplicationForm(forms.Form):
    """The fields of a standard's requirements; `requirements` keeps them in order."""

    def __init__(self, standard: ServiceStandard, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.requirements = requirements_of(standard)
        for req in self.requirements:
            self.fields[req.code] = requirement_field(req)

    def answers(self) -> dict[str, Any]:
        """The cleaned data answers (no documents) as JSON-ready values."""
        out: dict[str, Any] = {}
        for req in self.requirements:
            if req.kind == RequirementKind.DOCUMENT:
                continue
            value = self.cleaned_data.get(req.code)
            if isinstance(value, Decimal):
                value = str(value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            out[req.code] = value
        return out


def build_application_form(
    standard: ServiceStandard, data: Any = None, files: Any = None, **kwargs: Any
) -> ApplicationForm:
    """The application form of `standard`, bound when `data`/`files` are given."""
    return ApplicationForm(standard, data=data, files=files, **kwargs)


def _as_form_value(value: Any) -> Any:
    """A stored answer as the browser would send it again (booleans as a ticked box)."""
    if value is True:
        return "on"
    if value is False or value is None:
        return ""
    return str(value)


def answers_problems(standard: ServiceStandard, answers: dict[str, Any]) -> dict[str, list[str]]:
    """Problems of stored answers against the standard's data and condition rules, by code."""
    form = ApplicationForm(
        standard, data={code: _as_form_value(value) for code, value in answers.items()}
    )
    for req in form.requirements:
        if req.kind == RequirementKind.DOCUMENT:
            del form.fields[req.code]
    form.is_valid()
    return {code: [str(m) for m in messages] for code, messages in form.errors.items()}


class DraftForm(ApplicationForm):
    """The application form while a draft is being filled: nothing is required yet.

    Every valid answer is kept when saved; what is still missing is listed on the check
    page (services.completeness_errors). For each document requirement, a document already
    in the applicant's locker can be chosen instead of a new upload (`<code>__reuse`).
    """

    REUSE_SUFFIX = "__reuse"

    def __init__(
        self,
        standard: ServiceStandard,
        *args: Any,
        locker: dict[str, list[tuple[str, str]]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(standard, *args, **kwargs)
        for req in self.requirements:
            self.fields[req.code].required = False
            self.fields[req.code].mandatory = req.mandatory  # type: ignore[attr-defined]
            options = (locker or {}).get(req.code)
            if req.kind == RequirementKind.DOCUMENT and options:
                self.fields[req.code + self.REUSE_SUFFIX] = forms.ChoiceField(
                    label=_("Pakai dokumen yang sudah tersimpan"),
                    choices=[("", _("Tidak, unggah berkas baru")), *options],
                    required=False,
                    error_messages={"invalid_choice": _("Pilih dokumen dari daftar.")},
                )

    def answers(self) -> dict[str, Any]:
        """Only the answers that passed their checks (a wrong one keeps the stored value)."""
        out = super().answers()
        return {code: value for code, value in out.items() if code in self.cleaned_data}

    def uploads(self) -> dict[str, Any]:
        return {
            req.code: self.cleaned_data[req.code]
            for req in self.requirements
            if req.kind == RequirementKind.DOCUMENT and self.cleaned_data.get(req.code)
        }

    def reuse(self) -> dict[str, str]:
        return {
            name.removesuffix(self.REUSE_SUFFIX): value
            for name, value in self.cleaned_data.items()
            if name.endswith(self.REUSE_SUFFIX) and value
        }
