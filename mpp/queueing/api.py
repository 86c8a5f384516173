"""Booking API for the mall's mobile app: tokens, free slots, bookings (ADR 0022).

A citizen signs in with POST /auth/token and sends `Authorization: Bearer <token>`; the
endpoints call the same service functions as the web pages. Refusals are problem+json with a
stable type: capacity-full, one-per-nik-per-day, daily-limit, window-not-open, rate-limited,
service-closed, not-represented, booking-not-active.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.security import HttpBearer

from mpp.core.api import PROBLEM_RESPONSES, PageQuery, ProblemDetails, paginate
from mpp.core.errors import InvalidParameter
from mpp.queueing import capacity, selectors
from mpp.queueing.ics import booking_ics
from mpp.queueing.models import Booking, Slot
from mpp.queueing.ratelimits import check_booking_rate, check_token_rate
from mpp.queueing.services import booking as booking_services
from mpp.queueing.services import tokens


class CitizenBearer(HttpBearer):
    """A token from POST /api/v1/auth/token."""

    def authenticate(self, request: HttpRequest, token: str):
        return tokens.user_for_token(token)


bearer = CitizenBearer()
router = Router(tags=["antrean"])

WRITE_RESPONSES = {
    400: ProblemDetails,
    401: ProblemDetails,
    403: ProblemDetails,
    404: ProblemDetails,
    409: ProblemDetails,
    429: ProblemDetails,
}
READ_RESPONSES = {401: ProblemDetails, 404: ProblemDetails}


# Schemas -------------------------------------------------------------------------------------


class TokenIn(Schema):
    identifier: str = Field(..., max_length=254, description="E-mail atau nomor ponsel")
    password: str = Field(..., max_length=200)


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105 (the scheme name, not a secret)
    expires_at: dt.datetime


class SlotOut(Schema):
    date: dt.date
    time: str = Field(..., examples=["08:00"])
    ends: str
    capacity: int
    free: int


class SlotsOut(Schema):
    service: str
    date: dt.date
    window_opens_at: dt.datetime
    slots: list[SlotOut]


class BookingIn(Schema):
    service: str = Field(..., description="Slug layanan", max_length=120)
    date: dt.date
    time: str = Field(..., pattern=r"^\d{2}:\d{2}$", examples=["08:00"])
    for_nik: str | None = Field(
        None, pattern=r"^\d{16}$", description="NIK orang yang diwakili (kuasa)"
    )
    priority: bool = Field(False, description="Butuh layanan khusus (difabel, ibu hamil)")


class RescheduleIn(Schema):
    date: dt.date
    time: str = Field(..., pattern=r"^\d{2}:\d{2}$")


class BookingOut(Schema):
    code: str
    service: str
    service_name: str
    date: dt.date
    time: str
    ends: str
    status: str
    name: str
    nik_masked: str
    for_someone_else: bool
    priority: bool


class BookingPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    next: str | None
    previous: str | None
    results: list[BookingOut]


def _booking_out(booking: Booking) -> dict:
    from mpp.accounts.nik import mask_nik

    return {
        "code": booking.code,
        "service": booking.service.service.slug,
        "service_name": booking.service.service.name,
        "date": booking.date,
        "time": booking.slot.starts_at.strftime("%H:%M"),
        "ends": booking.slot.ends_at.strftime("%H:%M"),
        "status": booking.status,
        "name": booking.name,
        "nik_masked": mask_nik(booking.nik),
        "for_someone_else": booking.representation_id is not None,
        "priority": booking.priority,
    }


def _slot(service, day: dt.date, time: str) -> Slot:
    try:
        at = dt.time.fromisoformat(time)
    except ValueError as exc:
        raise InvalidParameter(errors={"time": [_("Jam tidak valid (HH:MM).")]}) from exc
    # Refused before any slot row exists: no request creates rows for far-off dates.
    booking_services.check_window_open(day)
    found = Slot.objects.select_related("service").filter(service=service, date=day, starts_at=at)
    slot = found.first()
    if slot is None:
        capacity.ensure_slots(service, day)  # the first request of a newly opened day
        slot = found.first()
    if slot is not None:
        return slot
    raise InvalidParameter(
        _("Tidak ada slot pada jam itu."), errors={"time": [_("Tidak ada slot pada jam itu.")]}
    )


# Tokens ------------------------------------------------------------------------------------


@router.post(
    "/auth/token",
    response={201: TokenOut, **WRITE_RESPONSES},
    url_name="queue_token",
    summary="Masuk dan dapatkan token bearer (warga)",
    tags=["autentikasi"],
)
def create_token(request: HttpRequest, body: TokenIn):
    """Sign in with e-mail or phone and password; the token is shown once and expires after
    MPP_API_TOKEN_DAYS days. Rate-limited per IP address; locked like the sign-in page."""
    check_token_rate(request)
    raw, token = tokens.token_issue(
        request=request, identifier=body.identifier, password=body.password
    )
    return Status(201, {"token": raw, "expires_at": token.expires_at})


@router.delete(
    "/auth/token",
    auth=bearer,
    response={204: None, **READ_RESPONSES},
    url_name="queue_token_revoke",
    summary="Cabut token yang dipakai",
    tags=["autentikasi"],
)
def revoke_token(request: HttpRequest):
    tokens.token_revoke(actor=request.auth, token=request.auth.api_token)
    return Status(204, None)


# Slots -------------------------------------------------------------------------------------


@router.get(
    "/queue/services/{slug}/slots",
    response={200: SlotsOut, **PROBLEM_RESPONSES},
    url_name="queue_slots",
    summary="Slot kunjungan yang masih tersedia pada satu hari",
)
def list_slots(
    request: HttpRequest, slug: Annotated[str, Path()], date: Annotated[dt.date, Query()]
):
    """Free slots of a service on a day (empty before the booking window opens)."""
    service = selectors.queue_service_by_slug(slug)
    slots = selectors.free_slots(service, date)
    return {
        "service": slug,
        "date": date,
        "window_opens_at": capacity.window_opens_at(date),
        "slots": [
            {
                "date": s.date,
                "time": s.starts_at.strftime("%H:%M"),
                "ends": s.ends_at.strftime("%H:%M"),
                "capacity": s.capacity,
                "free": s.capacity - s.booked,
            }
            for s in slots
        ],
    }


# Bookings ------------------------------------------------------------------------------------


@router.post(
    "/queue/bookings",
    auth=bearer,
    response={201: BookingOut, **WRITE_RESPONSES},
    url_name="queue_booking_create",
    summary="Pesan slot kunjungan",
)
def create_booking(request: HttpRequest, body: BookingIn):
    """Book a slot for oneself, or (for_nik) for a person one represents with a kuasa."""
    check_booking_rate(request, request.auth)
    service = selectors.queue_service_by_slug(body.service)
    slot = _slot(service, body.date, body.time)
    booking = booking_services.booking_create(
        actor=request.auth, slot=slot, for_nik=body.for_nik, priority=body.priority
    )
    return Status(201, _booking_out(booking))


@router.get(
    "/queue/bookings",
    auth=bearer,
    response={200: BookingPage, **READ_RESPONSES, 400: ProblemDetails},
    url_name="queue_booking_list",
    summary="Pesanan saya",
)
def list_bookings(request: HttpRequest, params: Query[PageQuery]):
    items, envelope = paginate(request, selectors.bookings_of(request.auth), params)
    return {**envelope, "results": [_booking_out(b) for b in items]}


@router.get(
    "/queue/bookings/{code}",
    auth=bearer,
    response={200: BookingOut, **READ_RESPONSES},
    url_name="queue_booking_get",
    summary="Satu pesanan saya",
)
def get_booking(request: HttpRequest, code: str):
    return _booking_out(selectors.booking_of(request.auth, code))


@router.get(
    "/queue/bookings/{code}/ics",
    auth=bearer,
    response=READ_RESPONSES,
    url_name="queue_booking_ics",
    summary="Pesanan sebagai berkas iCalendar",
    openapi_extra={
        "responses": {200: {"description": "text/calendar", "content": {"text/calendar": {}}}}
    },
)
def get_booking_ics(request: HttpRequest, code: str):
    booking = selectors.booking_of(request.auth, code)
    response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mpp-{booking.code}.ics"'
    return response


@router.post(
    "/queue/bookings/{code}/cancel",
    auth=bearer,
    response={200: BookingOut, **WRITE_RESPONSES},
    url_name="queue_booking_cancel",
    summary="Batalkan pesanan",
)
def cancel_booking(request: HttpRequest, code: str):
    check_booking_rate(request, request.auth)
    booking = booking_services.booking_cancel(actor=request.auth, code=code.upper())
    return Status(200, _booking_out(booking))


@router.post(
    "/queue/bookings/{code}/reschedule",
    auth=bearer,
    response={200: BookingOut, **WRITE_RESPONSES},
    url_name="queue_booking_reschedule",
    summary="Ubah jadwal pesanan",
)
def reschedule_booking(request: HttpRequest, code: str, body: RescheduleIn):
    check_booking_rate(request, request.auth)
    booking = selectors.booking_of(request.auth, code)
    slot = _slot(booking.service, body.date, body.time)
    booking = booking_services.booking_reschedule(actor=request.auth, code=booking.code, slot=slot)
    return Status(200, _booking_out(booking))
