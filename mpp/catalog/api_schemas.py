"""Shapes of the catalog API; the standard reuses the pydantic models of standard_schema.

Responses are plain pydantic models: the endpoints hand them dicts, so ninja's Schema (which
adds a from-attributes validator on every object) would only cost time.
"""

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import BaseModel, Field

from mpp.catalog.standard_schema import CompletionTime, StandardComponents
from mpp.core.api import Page

ChannelName = Literal["online", "counter", "both"]
PublicStatus = Literal["adopted", "superseded", "withdrawn"]


class Ref(BaseModel):
    slug: str
    name: str


class AgencyRef(Ref):
    short_name: str


class MaklumatOut(BaseModel):
    """The latest maklumat pelayanan (service pledge) the agency head signed."""

    text: str
    signer_name: str
    signer_title: str
    signed_on: date


class AgencyOut(BaseModel):
    slug: str
    name: str
    short_name: str
    kind: str
    description: str
    address: str
    phone: str
    email: str
    website: str
    counter_location: str
    opening_hours: list[dict[str, str]] = Field(
        description='Teks tampilan, mis. [{"days": "Senin–Jumat", "hours": "08.00–16.00"}]'
    )
    service_count: int
    maklumat: MaklumatOut | None
    url: str
    web_url: str
    services_url: str


class AgencyPage(Page[AgencyOut]):
    pass


class ServiceFilters(Schema):
    """Query parameters of the service list; each one narrows the result."""

    search: str = Field("", max_length=200, description="Kata pencarian, mis. 'e-ktp'.")
    agency: str | None = Field(None, description="Slug instansi.")
    category: str | None = Field(None, description="Slug kategori.")
    life_event: str | None = Field(None, description="Slug peristiwa hidup.")
    channel: ChannelName | None = Field(
        None, description="Kanal; `online` dan `counter` juga menemukan layanan `both`."
    )


class ServiceOut(BaseModel):
    slug: str
    name: str
    short_description: str
    agency: AgencyRef
    category: Ref
    life_events: list[Ref]
    channel: ChannelName
    keywords: list[str]
    synonyms: list[str]
    fee_total: int | None = Field(description="Total biaya dalam rupiah; 0 berarti gratis.")
    is_free: bool | None
    completion_time: CompletionTime | None
    standard_version: int | None
    url: str
    web_url: str


class ServicePage(Page[ServiceOut]):
    pass


class _StandardMeta(BaseModel):
    version: int
    status: PublicStatus
    effective_date: date | None
    decree_number: str
    adopted_at: datetime | None


class StandardOut(StandardComponents, _StandardMeta):
    """A published standard: its version data and the 14 components of UU 25/2009."""


class ServiceDetailOut(ServiceOut):
    standard: StandardOut | None = Field(description="Standar yang berlaku; null bila belum ada.")


class StandardVersionSummary(BaseModel):
    version: int
    status: PublicStatus
    effective_date: date | None
    adopted_at: datetime | None
    decree_number: str
    change_note: str
    url: str


class StandardVersionOut(StandardOut):
    change_note: str
    service: Ref
