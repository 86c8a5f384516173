"""What machine accounts may do (scopes) and which events agencies may subscribe to.

Event types are CloudEvents `type` values in reverse-DNS form under `id.mpp.` (ADR 0032).
Code may record an event with the short name (`application.submitted`); `cloudevent_type`
gives the full one, `short_type` the short one; subscriptions and inbound handlers accept both.
"""

from django.utils.translation import gettext_lazy as _

EVENT_TYPE_PREFIX = "id.mpp."
ALL_EVENTS = "*"

SCOPES: dict[str, object] = {
    "applications:read": _("Membaca permohonan instansi"),
    "applications:transition": _("Mengubah status permohonan"),
    "documents:attach": _("Melampirkan dokumen terbit"),
    "messages:send": _("Mengirim pesan kepada pemohon"),
    "bookings:read": _("Membaca booking dan antrean loket"),
    "events:push": _("Mengirim peristiwa bertanda tangan ke MPP (webhook masuk)"),
}

EVENT_TYPES: dict[str, object] = {
    "application.submitted": _("Permohonan diajukan"),
    "application.status_changed": _("Status permohonan berubah"),
    "application.document_issued": _("Dokumen permohonan terbit"),
    "application.message_sent": _("Pesan kepada pemohon terkirim"),
    "queue.booking.created": _("Booking dibuat"),
    "queue.booking.cancelled": _("Booking dibatalkan"),
    "queue.booking.rescheduled": _("Booking dijadwalkan ulang"),
    "queue.ticket.checked_in": _("Pemohon hadir (check-in)"),
    "queue.ticket.issued": _("Tiket antrean langsung diambil"),
    "queue.ticket.called": _("Nomor antrean dipanggil"),
    "standard.adopted": _("Standar pelayanan ditetapkan"),
}


def short_type(event_type: str) -> str:
    return event_type.removeprefix(EVENT_TYPE_PREFIX)


def cloudevent_type(event_type: str) -> str:
    return EVENT_TYPE_PREFIX + short_type(event_type)


def scope_choices() -> list[tuple[str, object]]:
    return list(SCOPES.items())


def event_type_choices() -> list[tuple[str, object]]:
    return [(ALL_EVENTS, _("Semua peristiwa")), *EVENT_TYPES.items()]
