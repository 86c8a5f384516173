"""Queues at the mall: opening hours, counters (loket), slots, bookings, tickets, crisis measures.

Capacity and the anti-broker rules are held by the database itself (ADR 0020): a slot's
`booked` counter and a person's daily counter carry CHECK constraints, and a partial unique
constraint allows one active booking per NIK, service and day.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mpp.core.models import BaseModel


def booking_code() -> str:
    """Unguessable, short enough to type at the kiosk (10 characters, no look-alikes)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def public_code() -> str:
    return secrets.token_urlsafe(12)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Senin")
    TUESDAY = 1, _("Selasa")
    WEDNESDAY = 2, _("Rabu")
    THURSDAY = 3, _("Kamis")
    FRIDAY = 4, _("Jumat")
    SATURDAY = 5, _("Sabtu")
    SUNDAY = 6, _("Minggu")


class OpeningHours(BaseModel):
    """The mall's hours on one weekday, with an optional break (istirahat).

    A weekday without a row is closed; a day the working-day calendar marks as a holiday is
    closed whatever its row says.
    """

    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices, unique=True)
    opens_at = models.TimeField(_("buka"))
    closes_at = models.TimeField(_("tutup"))
    break_starts_at = models.TimeField(_("istirahat mulai"), null=True, blank=True)
    break_ends_at = models.TimeField(_("istirahat selesai"), null=True, blank=True)

    class Meta:
        ordering = ["weekday"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="hours_order"),
            models.CheckConstraint(
                condition=Q(break_starts_at__isnull=True, break_ends_at__isnull=True)
                | Q(
                    break_starts_at__gte=F("opens_at"),
                    break_ends_at__gt=F("break_starts_at"),
                    break_ends_at__lte=F("closes_at"),
                ),
                name="hours_break_inside",
            ),
        ]


class QueueService(BaseModel):
    """How a catalog service is queued at the mall: prefix, minutes per visit, quotas."""

    public_id = models.CharField(max_length=32, unique=True, default=public_code, editable=False)
    service = models.OneToOneField(
        "catalog.Service", on_delete=models.CASCADE, related_name="queue_settings"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField(_("awalan nomor"), max_length=3)
    service_minutes = models.PositiveSmallIntegerField(_("rata-rata menit layanan"), default=15)
    slot_minutes = models.PositiveSmallIntegerField(_("panjang slot (menit)"), default=30)
    online_percent = models.PositiveSmallIntegerField(_("kuota daring (%)"), default=60)
    is_bookable = models.BooleanField(_("dapat dipesan daring"), default=True)

    class Meta:
        ordering = ["agency_id", "prefix"]
        constraints = [
            models.CheckConstraint(condition=Q(online_percent__lte=100), name="qs_percent"),
            models.CheckConstraint(condition=Q(service_minutes__gt=0), name="qs_minutes"),
            models.CheckConstraint(condition=Q(slot_minutes__gt=0), name="qs_slot_minutes"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.service}"


class Counter(BaseModel):
    """A loket of an agency at the mall and the services it serves."""

    public_id = models.CharField(max_length=32, unique=True, default=public_code, editable=False)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="queue_counters"
    )
    name = models.CharField(_("nama loket"), max_length=60)
    services = models.ManyToManyField(QueueService, related_name="counters", blank=True)
    is_open = models.BooleanField(_("sedang buka"), default=True)

    class Meta:
        ordering = ["agency_id", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="uniq_counter_name")]

    def __str__(self) -> str:
        return self.name


class Slot(models.Model):
    """A time slot of a service on one day with its online capacity.

    `booked` can never pass `capacity`: bookings increment it with a conditional UPDATE and
    the CHECK constraint refuses anything else.
    """

    service = models.ForeignKey(QueueService, on_delete=models.CASCADE, related_name="slots")
    date = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    capacity = models.PositiveIntegerField()
    # Capacity before a crisis reduction, to restore it.
    base_capacity = models.PositiveIntegerField()
    booked = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["date", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["service", "date", "starts_at"], name="uniq_slot"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="slot_not_over"),
        ]

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


class PersonDay(models.Model):
    """Active bookings of one person (NIK) on one day across services, bounded by `limit`."""

    nik = models.CharField(max_length=16)
    date = models.DateField()
    active = models.PositiveIntegerField(default=0)
    limit = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nik", "date"], name="uniq_person_day"),
            models.CheckConstraint(condition=Q(active__lte=F("limit")), name="person_day_limit"),
        ]


class BookingStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    CHECKED_IN = "checked_in", _("Sudah hadir")
    CANCELLED = "cancelled", _("Dibatalkan")
    NO_SHOW = "no_show", _("Tidak hadir")
    LATE_WALK_IN = "late_walk_in", _("Terlambat, menjadi antrean langsung")
    DISPLACED = "displaced", _("Terdampak penyesuaian kapasitas, pilih jadwal lain")


ACTIVE_BOOKING = (BookingStatus.ACTIVE, BookingStatus.CHECKED_IN)


class Booking(BaseModel):
    """An appointment bound to the identity of the person who will come (not transferable)."""

    code = models.CharField(max_length=12, unique=True, default=booking_code, editable=False)
    service = models.ForeignKey(QueueService, on_delete=models.PROTECT, related_name="bookings")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    date = models.DateField()
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="queue_bookings"
    )
    # The person who will come: the account's own NIK, or the represented person's (kuasa).
    nik = models.CharField(max_length=16)
    name = models.CharField(max_length=200)
    representation = models.ForeignKey(
        "accounts.Representation", null=True, blank=True, on_delete=models.PROTECT
    )
    priority = models.BooleanField(default=False)
    status = models.CharField(
        max_length=14, choices=BookingStatus.choices, default=BookingStatus.ACTIVE
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    ics_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["date", "slot__starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["nik", "service", "date"],
                condition=Q(status__in=["active", "checked_in"]),
                name="one_active_booking_per_nik_service_day",
            )
        ]
        indexes = [models.Index(fields=["account", "date"])]


class TicketKind(models.TextChoices):
    BOOKING = "booking", _("Pesanan daring")
    WALK_IN = "walk_in", _("Datang langsung")


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Menunggu")
    CALLED = "called", _("Dipanggil")
    SERVING = "serving", _("Dilayani")
    DONE = "done", _("Selesai")
    NO_SHOW = "no_show", _("Tidak hadir")


class Ticket(BaseModel):
    """A place in the queue at the mall today: a checked-in booking or a walk-in."""

    code = models.CharField(max_length=32, unique=True, default=public_code, editable=False)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(QueueService, on_delete=models.PROTECT, related_name="tickets")
    date = models.DateField()
    number = models.CharField(max_length=10)
    kind = models.CharField(max_length=8, choices=TicketKind.choices)
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="ticket"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    priority = models.BooleanField(default=False)
    nik = models.CharField(max_length=16, blank=True)
    name = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=8, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    arrived_at = models.DateTimeField()
    called_at = models.DateTimeField(null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["arrived_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "date", "number"], name="uniq_ticket_no")
        ]
        indexes = [models.Index(fields=["service", "date", "status"])]


class TicketSequence(models.Model):
    """The last walk-in/booking number given per service and day (A-001, A-002, ...)."""

    service = models.ForeignKey(QueueService, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "date"], name="uniq_sequence")]


class CrisisKind(models.TextChoices):
    REDUCE_CAPACITY = "reduce", _("Kurangi kapasitas")
    CLOSE_WALK_IN = "close_walk_in", _("Tutup antrean langsung")
    CLOSE_SERVICE = "close_service", _("Tutup layanan")


class CrisisMeasure(BaseModel):
    """A crisis switch of the MPP manager over a period, with a notice shown on every page."""

    public_id = models.CharField(max_length=32, unique=True, default=public_code, editable=False)
    kind = models.CharField(_("jenis"), max_length=14, choices=CrisisKind.choices)
    # Empty: every service of the mall.
    service = models.ForeignKey(QueueService, null=True, blank=True, on_delete=models.CASCADE)
    percent = models.PositiveSmallIntegerField(_("pengurangan (%)"), default=0)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("sampai"))
    notice = models.CharField(_("pengumuman"), max_length=300)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="crisis_range"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="crisis_percent"),
        ]


class QueueDayStats(models.Model):
    """Figures of one service on one day, kept for the dashboards."""

    service = models.ForeignKey(QueueService, on_delete=models.CASCADE, related_name="stats")
    date = models.DateField()
    tickets = models.PositiveIntegerField(default=0)
    served = models.PositiveIntegerField(default=0)
    no_shows = models.PositiveIntegerField(default=0)
    bookings = models.PositiveIntegerField(default=0)
    avg_wait_seconds = models.PositiveIntegerField(null=True)
    avg_service_seconds = models.PositiveIntegerField(null=True)
    no_show_rate = models.FloatField(null=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["service", "date"], name="uniq_day_stats")]


class CitizenApiToken(models.Model):
    """A bearer token a citizen's app gets by signing in; only its SHA-256 is stored (ADR 0022)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="queue_api_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
