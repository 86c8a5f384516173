"""Agency API v1 for the mall's queues: bookings and tickets of the agency's own counters.

Read-only (scope `bookings:read`), limited to the API client's agency, cursor-paginated and
with ETags, so that an agency system can plan its day and reconcile who was served.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view
from pydantic import Field

from mpp.core.api import PROBLEM_RESPONSES, ProblemDetails
from mpp.core.errors import InvalidParameter
from mpp.interop.auth import api_client_auth, client_queryset, require_scope
from mpp.interop.conditional import etag
from mpp.interop.paging import page_after
from mpp.queueing.models import Booking, BookingStatus, Ticket, TicketStatus

router = Router(tags=["API instansi: antrean"])
AUTH_RESPONSES = {401: ProblemDetails, 403: ProblemDetails, **PROBLEM_RESPONSES}


class AgencyBookingOut(Schema):
    code: str
    service: str
    date: dt.date
    starts_at: str = Field(description="Local time (Asia/Jakarta), HH:MM", pattern=r"^\d{2}:\d{2}$")
    ends_at: str = Field(description="Local time (Asia/Jakarta), HH:MM", pattern=r"^\d{2}:\d{2}$")
    status: str
    nik: str
    name: str
    priority: bool
    represented: bool = Field(description="Booked by a kuasa for this person")
    created_at: dt.datetime


class AgencyBookingPage(Schema):
    items: list[AgencyBookingOut]
    next_cursor: str | None = None


class AgencyTicketOut(Schema):
    number: str
    service: str
    date: dt.date
    kind: str
    status: str
    booking: str | None = Field(None, description="Booking code, for a booked visit")
    counter: str | None = None
    priority: bool
    name: str
    arrived_at: dt.datetime
    called_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None


class AgencyTicketPage(Schema):
    items: list[AgencyTicketOut]
    next_cursor: str | None = None


class AgencyBookingQuery(Schema):
    date: dt.date | None = None
    service: str = Field("", max_length=120, description="Service slug")
    status: str = Field("", max_length=20)
    cursor: str = Field("", max_length=200)
    limit: int = Field(50, ge=1, le=100)


class AgencyTicketQuery(Schema):
    date: dt.date | None = None
    service: str = Field("", max_length=120, description="Service slug")
    status: str = Field("", max_length=20)
    cursor: str = Field("", max_length=200)
    limit: int = Field(50, ge=1, le=100)


def _check_status(value: str, choices) -> None:
    if value and value not in choices.values:
        message = _("Status tidak dikenal.")
        raise InvalidParameter(message, errors={"status": [message]})


@router.get(
    "/agency/bookings",
    response={200: AgencyBookingPage, **AUTH_RESPONSES},
    auth=api_client_auth,
    url_name="agency_bookings",
    summary="Booking kunjungan layanan instansi",
)
@decorate_view(etag)
def list_bookings(request: HttpRequest, params: Query[AgencyBookingQuery]):
    """The agency's bookings, oldest creation first (cursor pagination). Scope
    `bookings:read`."""
    require_scope(request, "bookings:read")
    _check_status(params.status, BookingStatus)
    qs = client_queryset(
        request, Booking.objects.select_related("service__service", "slot"), field="service__agency"
    )
    if params.date:
        qs = qs.filter(date=params.date)
    if params.service:
        qs = qs.filter(service__service__slug=params.service)
    if params.status:
        qs = qs.filter(status=params.status)
    rows, next_cursor = page_after(qs, field="created_at", cursor=params.cursor, limit=params.limit)
    items = [
        {
            "code": b.code,
            "service": b.service.service.slug,
            "date": b.date,
            "starts_at": b.slot.starts_at.strftime("%H:%M"),
            "ends_at": b.slot.ends_at.strftime("%H:%M"),
            "status": b.status,
            "nik": b.nik,
            "name": b.name,
            "priority": b.priority,
            "represented": b.representation_id is not None,
            "created_at": b.created_at,
        }
        for b in rows
    ]
    return {"items": items, "next_cursor": next_cursor}


@router.get(
    "/agency/tickets",
    response={200: AgencyTicketPage, **AUTH_RESPONSES},
    auth=api_client_auth,
    url_name="agency_tickets",
    summary="Tiket antrean di loket instansi",
)
@decorate_view(etag)
def list_tickets(request: HttpRequest, params: Query[AgencyTicketQuery]):
    """Queue tickets (walk-ins and checked-in bookings) of the agency's counters, in order
    of arrival. Scope `bookings:read`."""
    require_scope(request, "bookings:read")
    _check_status(params.status, TicketStatus)
    qs = client_queryset(
        request, Ticket.objects.select_related("service__service", "counter", "booking")
    )
    if params.date:
        qs = qs.filter(date=params.date)
    if params.service:
        qs = qs.filter(service__service__slug=params.service)
    if params.status:
        qs = qs.filter(status=params.status)
    rows, next_cursor = page_after(qs, field="arrived_at", cursor=params.cursor, limit=params.limit)
    items = [
        {
            "number": t.number,
            "service": t.service.service.slug,
            "date": t.date,
            "kind": t.kind,
            "status": t.status,
            "booking": t.booking.code if t.booking_id else None,
            "counter": t.counter.name if t.counter_id else None,
            "priority": t.priority,
            "name": t.name,
            "arrived_at": t.arrived_at,
            "called_at": t.called_at,
            "started_at": t.started_at,
            "finished_at": t.finished_at,
        }
        for t in rows
    ]
    return {"items": items, "next_cursor": next_cursor}
