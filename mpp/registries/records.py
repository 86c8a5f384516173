"""A person's civil-registry record as MPP uses it, read from the registry's answer."""

import datetime
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

SEX_FROM_REGISTRY = {"LAKI-LAKI": "M", "L": "M", "PEREMPUAN": "F", "P": "F"}


@dataclass(frozen=True)
class RegistryRecord:
    nik: str
    full_name: str
    birth_place: str
    birth_date: datetime.date
    sex: str  # "M" or "F", as accounts.Sex
    address: str
    rt: str
    rw: str
    kelurahan: str
    kecamatan: str
    city: str
    province: str
    family_card_number: str
    religion: str
    marital_status: str
    occupation: str

    @property
    def sex_label(self) -> str:
        return _("Laki-laki") if self.sex == "M" else _("Perempuan")

    @property
    def full_address(self) -> str:
        """One line, e.g. "Jl. Kawi No. 21, RT 002/RW 004, Kauman, Klojen, Kota Malang"."""
        parts = [self.address]
        if self.rt or self.rw:
            parts.append(f"RT {self.rt}/RW {self.rw}")
        parts += [self.kelurahan, self.kecamatan, self.city]
        return ", ".join(part for part in parts if part)

    def to_cache(self) -> dict:
        data = asdict(self)
        data["birth_date"] = self.birth_date.isoformat()
        return data

    @classmethod
    def from_cache(cls, data: dict) -> "RegistryRecord":
        return cls(**{**data, "birth_date": datetime.date.fromisoformat(data["birth_date"])})


def _date(value: str) -> datetime.date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {value!r}")


def record_from_registry(data: dict) -> RegistryRecord:
    """The registry's fields (NAMA_LGKP, TGL_LHR, ...) as a RegistryRecord; ValueError when
    a required field is missing or unreadable."""

    def field(name: str) -> str:
        return str(data.get(name) or "").strip()

    sex = SEX_FROM_REGISTRY.get(field("JENIS_KLMIN").upper())
    if not field("NIK") or not field("NAMA_LGKP") or sex is None:
        raise ValueError("incomplete registry record")
    return RegistryRecord(
        nik=field("NIK"),
        full_name=field("NAMA_LGKP"),
        birth_place=field("TMPT_LHR"),
        birth_date=_date(field("TGL_LHR")),
        sex=sex,
        address=field("ALAMAT"),
        rt=field("NO_RT"),
        rw=field("NO_RW"),
        kelurahan=field("KEL_NAME"),
        kecamatan=field("KEC_NAME"),
        city=field("KAB_NAME"),
        province=field("PROP_NAME"),
        family_card_number=field("NO_KK"),
        religion=field("AGAMA"),
        marital_status=field("STATUS_KAWIN"),
        occupation=field("JENIS_PKRJN"),
    )
