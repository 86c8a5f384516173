"""Citizen pages: book (service → date → slot), my bookings, a booking, the ticket page."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mpp.accounts.nik import mask_nik
from mpp.accounts.permissions import verified_contact_required
from mpp.accounts.selectors import active_on, representations_for
from mpp.core.errors import MppError
from mpp.queueing import capacity, selectors
from mpp.queueing.ics import booking_ics, booking_qr_svg
from mpp.queueing.ratelimits import check_booking_rate
from mpp.queueing.services import booking as booking_services


def _day(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return None


@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    """Services one can book, grouped by agency."""
    services = list(selectors.bookable_services())
    return render(
        request,
        "queueing/service_list.html",
        {"services": services, "notices": selectors.current_notices()},
    )


def _kuasa_choices(user) -> list:
    from django.utils import timezone

    return list(representations_for(user).filter(active_on(timezone.localdate())))


@verified_contact_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, slug: str) -> HttpResponse:
    """Choose a date, then a slot; POST books it through the same service as the API."""
    service = selectors.queue_service_by_slug(slug)
    days = capacity.bookable_days()
    day = _day(request.POST.get("date") or request.GET.get("tanggal"))
    if day not in days:
        day = None
    error = None
    if request.method == "POST" and day is not None:
        try:
            check_booking_rate(request, request.user)
            slot = selectors.slot_for(service, request.POST.get("slot"))
            booking = booking_services.booking_create(
                actor=request.user,
                slot=slot,
                for_nik=request.POST.get("for_nik") or None,
                priority=request.POST.get("priority") == "1",
            )
        except MppError as exc:
            error = exc
        else:
            messages.success(request, _("Pesanan tercatat. Simpan kode pesanan Anda."))
            return redirect("queueing:booking", code=booking.code)
    slots = selectors.free_slots(service, day) if day else []
    status = 409 if error is not None and error.status == 409 else (error.status if error else 200)
    return render(
        request,
        "queueing/book.html",
        {
            "service": service,
            "days": days,
            "day": day,
            "slots": slots,
            "error": error,
            "kuasa": _kuasa_choices(request.user),
        },
        status=status,
    )


@verified_contact_required
@require_GET
def my_bookings(request: HttpRequest) -> HttpResponse:
    bookings = list(selectors.bookings_of(request.user)[:100])
    return render(request, "queueing/my_bookings.html", {"bookings": bookings})


@verified_contact_required
@require_GET
def booking_detail(request: HttpRequest, code: str) -> HttpResponse:
    booking = selectors.booking_of(request.user, code)
    context = {
        "booking": booking,
        "nik_masked": mask_nik(booking.nik),
        "qr": booking_qr_svg(booking),
        "ticket": getattr(booking, "ticket", None),
        "can_change": booking.status in ("active", "displaced"),
    }
    day = _day(request.GET.get("tanggal"))
    if context["can_change"]:
        days = capacity.bookable_days()
        context["days"] = days
        context["day"] = day if day in days else None
        context["slots"] = selectors.free_slots(booking.service, day) if day in days else []
    return render(request, "queueing/booking_detail.html", context)


@verified_contact_required
@require_GET
def booking_ics_download(request: HttpRequest, code: str) -> HttpResponse:
    booking = selectors.booking_of(request.user, code)
    response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mpp-{booking.code}.ics"'
    return response


@verified_contact_required
@require_POST
def booking_cancel(request: HttpRequest, code: str) -> HttpResponse:
    check_booking_rate(request, request.user)
    booking_services.booking_cancel(actor=request.user, code=code)
    messages.success(request, _("Pesanan dibatalkan; tempatnya kembali tersedia untuk warga lain."))
    return redirect("queueing:booking", code=code)


@verified_contact_required
@require_POST
def booking_reschedule(request: HttpRequest, code: str) -> HttpResponse:
    booking = selectors.booking_of(request.user, code)
    try:
        check_booking_rate(request, request.user)
        slot = selectors.slot_for(booking.service, request.POST.get("slot"))
        booking_services.booking_reschedule(actor=request.user, code=booking.code, slot=slot)
    except MppError as exc:
        messages.error(request, exc.detail or str(exc.title))
    else:
        messages.success(request, _("Jadwal pesanan diubah."))
    return redirect("queueing:booking", code=booking.code)


# The ticket on the phone ---------------------------------------------------------------------


def _ticket_state(ticket) -> dict:
    place = selectors.place_of(ticket)
    return {
        "number": ticket.number,
        "status": ticket.status,
        "status_label": str(ticket.get_status_display()),
        "position": place.position,
        "wait_minutes": place.wait_minutes,
        "counter": place.counter_name,
    }


@never_cache
@require_GET
def ticket(request: HttpRequest, code: str) -> HttpResponse:
    """The visitor's ticket: number, place in the queue, estimated wait (updates itself)."""
    found = selectors.ticket_by_code(code)
    return render(request, "queueing/ticket.html", {"ticket": found, "state": _ticket_state(found)})


@never_cache
@require_GET
def ticket_status(request: HttpRequest, code: str) -> JsonResponse:
    return JsonResponse(_ticket_state(selectors.ticket_by_code(code)))


# The display board -----------------------------------------------------------------------------


def _agency_id(request: HttpRequest) -> int | None:
    from mpp.agencies.models import Agency

    slug = request.GET.get("instansi")
    if not slug:
        return None
    return Agency.objects.filter(slug=slug).values_list("pk", flat=True).first() or -1


@require_GET
def display(request: HttpRequest) -> HttpResponse:
    """A TV page: now serving at each counter and the next numbers (polls board.json)."""
    return render(
        request,
        "queueing/display.html",
        {"board": selectors.board(_agency_id(request)), "query": request.GET.urlencode()},
    )


@never_cache
@require_GET
def display_data(request: HttpRequest) -> JsonResponse:
    return JsonResponse(selectors.board(_agency_id(request)))
