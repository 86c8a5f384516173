"""The queue's refusals, each with a stable problem `type` (the API and the pages share them)."""

from django.utils.translation import gettext_lazy as _

from mpp.core.errors import Conflict, MppError


class CapacityFull(Conflict):
    type = "capacity-full"
    title = _("Kuota slot sudah penuh")


class OnePerNikPerDay(Conflict):
    type = "one-per-nik-per-day"
    title = _("Sudah ada pesanan aktif untuk NIK ini pada layanan dan hari yang sama")


class DailyLimit(Conflict):
    type = "daily-limit"
    title = _("Batas pesanan per hari sudah tercapai")


class WindowNotOpen(Conflict):
    type = "window-not-open"
    title = _("Pemesanan untuk hari itu belum dibuka atau sudah ditutup")


class ServiceClosed(Conflict):
    type = "service-closed"
    title = _("Layanan ditutup pada hari itu")


class WalkInClosed(Conflict):
    type = "walk-in-closed"
    title = _("Antrean langsung sedang ditutup")


class NotRepresented(Conflict):
    type = "not-represented"
    title = _("Anda tidak memiliki surat kuasa yang berlaku untuk NIK ini")


class BookingNotActive(Conflict):
    type = "booking-not-active"
    title = _("Pesanan ini tidak aktif lagi")


class TooLate(Conflict):
    type = "too-late"
    title = _("Batas keterlambatan terlewati")


class NothingToCall(Conflict):
    type = "queue-empty"
    title = _("Tidak ada antrean yang menunggu")


class WrongTicketState(Conflict):
    type = "ticket-state"
    title = _("Tindakan ini tidak sesuai dengan status tiket")


class RateLimited(MppError):
    status = 429
    type = "rate-limited"
    title = _("Terlalu banyak permintaan; coba lagi sebentar lagi")
