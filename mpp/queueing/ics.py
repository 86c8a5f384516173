"""The iCalendar (RFC 5545) file of a booking and its QR code."""

import segno
from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from mpp.queueing.capacity import slot_end, slot_start
from mpp.queueing.models import Booking


def booking_ics(booking: Booking) -> bytes:
    """One VEVENT; the UID stays the same across reschedules, SEQUENCE grows."""
    service = booking.service.service
    calendar = Calendar()
    calendar.add("prodid", "-//MPP//Antrean//ID")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"booking-{booking.code}@{settings.SITE_URL.split('//')[-1]}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot_start(booking.slot))
    event.add("dtend", slot_end(booking.slot))
    event.add("sequence", booking.ics_sequence)
    event.add("summary", f"MPP {settings.MPP_CITY_NAME}: {service.name}")
    event.add("location", f"Mal Pelayanan Publik {settings.MPP_CITY_NAME}")
    event.add("description", f"Kode pesanan: {booking.code}")
    if booking.status == "cancelled":
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    return calendar.to_ical()


def booking_qr_svg(booking: Booking) -> str:
    """An SVG QR code carrying the booking code (scanned at the kiosk)."""
    return segno.make(booking.code, error="m").svg_inline(scale=6, title=booking.code)
