"""Indonesian mobile numbers: normalised to E.164 (+62...) with phonenumbers."""

import phonenumbers
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MASK = "•"

INVALID = "phone_invalid"
NOT_INDONESIAN = "phone_not_indonesian"
NOT_MOBILE = "phone_not_mobile"

MESSAGES: dict[str, Promise] = {
    INVALID: _("Nomor ponsel tidak valid. Tulis seperti 0812 3456 7890 atau +62 812 3456 7890."),
    NOT_INDONESIAN: _("Gunakan nomor ponsel Indonesia (+62)."),
    NOT_MOBILE: _(
        "Nomor ini bukan nomor ponsel (misalnya nomor telepon rumah atau kantor). Kode "
        "verifikasi dikirim lewat SMS, jadi gunakan nomor ponsel."
    ),
}

_MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


class InvalidPhone(ValueError):
    """A number that cannot receive our SMS; `code` is stable, `message` is for people."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.message = MESSAGES[code]
        super().__init__(code)


def normalise_phone(raw: str) -> str:
    """+6281234567890 from 0812-3456-7890, 62812..., +62 812 ...; raises InvalidPhone."""
    text = (raw or "").strip()
    if not text or len(text) > 32:
        raise InvalidPhone(INVALID)
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        raise InvalidPhone(INVALID) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(INVALID)
    if number.country_code != 62:
        raise InvalidPhone(NOT_INDONESIAN)
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise InvalidPhone(NOT_MOBILE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """+62812••••7890: enough for the owner to recognise it, not for others to use it."""
    if len(e164) < 9:
        return MASK * len(e164)
    return e164[:6] + MASK * (len(e164) - 10) + e164[-4:]
