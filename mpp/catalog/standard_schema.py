"""The structured form of a service standard: the 14 components of UU 25/2009 Pasal 21.

Every component is validated by a pydantic model; the database keeps each one in its own
JSON column, the API and the import/export formats use exactly these keys.
"""

from enum import StrEnum
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

COMPONENT_KEYS: tuple[str, ...] = (
    # Service delivery (penyampaian pelayanan), shown first
    "requirements",
    "procedure",
    "completion_time",
    "fee",
    "products",
    "complaint_handling",
    # Management (pengelolaan pelayanan)
    "legal_basis",
    "facilities",
    "officer_competence",
    "internal_supervision",
    "officer_count",
    "service_guarantee",
    "security_guarantee",
    "performance_evaluation",
)
DELIVERY_KEYS = COMPONENT_KEYS[:6]
MANAGEMENT_KEYS = COMPONENT_KEYS[6:]

Text = Annotated[str, Field(min_length=1, max_length=2000)]
ShortText = Annotated[str, Field(min_length=1, max_length=300)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TimeUnit(StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"
    WORKING_DAYS = "working_days"


class Duration(_Strict):
    value: int = Field(ge=1, le=100000)
    unit: TimeUnit


class RequirementKind(StrEnum):
    DOCUMENT = "document"
    DATA = "data"
    CONDITION = "condition"


class DataType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    EMAIL = "email"
    PHONE = "phone"
    NIK = "nik"
    CHOICE = "choice"


FILE_TYPES = ("pdf", "jpg", "png")


class Requirement(_Strict):
    """One requirement: a document to upload, a datum to fill in, or a condition to meet."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,49}$")
    kind: RequirementKind
    name: ShortText
    description: str = Field(default="", max_length=2000)
    mandatory: bool = True
    file_types: list[Literal["pdf", "jpg", "png"]] = Field(default_factory=list)
    data_type: DataType | None = None
    choices: list[ShortText] = Field(default_factory=list)

    @field_validator("file_types")
    @classmethod
    def _unique_types(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _consistent_kind(self) -> "Requirement":
        if self.kind == RequirementKind.DOCUMENT and not self.file_types:
            self.file_types = list(FILE_TYPES)
        if self.kind != RequirementKind.DOCUMENT and self.file_types:
            raise ValueError(_("file_types hanya untuk persyaratan berupa dokumen"))
        if self.kind == RequirementKind.DATA and self.data_type is None:
            self.data_type = DataType.TEXT
        if self.data_type == DataType.CHOICE and not self.choices:
            raise ValueError(_("data pilihan (choice) membutuhkan daftar choices"))
        return self


class Step(_Strict):
    """One step of the procedure, with who does it and how long it takes."""

    title: ShortText
    description: str = Field(default="", max_length=2000)
    responsible: ShortText
    duration: Duration


class CompletionTime(_Strict):
    value: int = Field(ge=1, le=100000)
    unit: TimeUnit
    note: str = Field(default="", max_length=500)


class FeeItem(_Strict):
    name: ShortText
    amount: int = Field(ge=0, le=10_000_000_000, description="Rupiah")
    legal_basis: str = Field(default="", max_length=300)


class Product(_Strict):
    name: ShortText
    description: str = Field(default="", max_length=2000)


class ComplaintChannel(_Strict):
    name: ShortText
    contact: str = Field(default="", max_length=300)
    response_time: Duration


class ComplaintHandling(_Strict):
    description: str = Field(default="", max_length=2000)
    channels: list[ComplaintChannel] = Field(min_length=1)


class LegalBasis(_Strict):
    title: ShortText
    url: str = Field(default="", max_length=500)


class OfficerCount(_Strict):
    count: int = Field(ge=1, le=10000)
    description: str = Field(default="", max_length=500)


class StandardComponents(_Strict):
    """All 14 components; the shape the API, import/export and the database share."""

    requirements: list[Requirement] = Field(min_length=1)
    procedure: list[Step] = Field(min_length=1)
    completion_time: CompletionTime
    fee: list[FeeItem] = Field(default_factory=list)
    products: list[Product] = Field(min_length=1)
    complaint_handling: ComplaintHandling
    legal_basis: list[LegalBasis] = Field(min_length=1)
    facilities: list[ShortText] = Field(min_length=1)
    officer_competence: list[ShortText] = Field(min_length=1)
    internal_supervision: Text
    officer_count: OfficerCount
    service_guarantee: Text
    security_guarantee: Text
    performance_evaluation: Text

    @field_validator("requirements")
    @classmethod
    def _unique_codes(cls, value: list[Requirement]) -> list[Requirement]:
        codes = [item.code for item in value]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(
                _("kode persyaratan ganda: %(codes)s") % {"codes": ", ".join(duplicates)}
            )
        return value


def fee_total(fee: list[dict]) -> int:
    """Total rupiah of the fee items; zero means free (gratis)."""
    return sum(int(item.get("amount", 0)) for item in fee or [])


def completion_minutes(completion_time: dict) -> int:
    """Comparable length of the promised time, counting a working day as 8 hours."""
    value = int(completion_time["value"])
    return {"minutes": value, "hours": value * 60, "working_days": value * 8 * 60}[
        completion_time["unit"]
    ]
