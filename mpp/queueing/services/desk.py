"""At the mall: kiosk tickets, check-in, late arrivals, and the counter console.

Calling order (ADR 0023): bookings due now (by their slot time), then priority visitors
(elderly, disabled, pregnant: the special service of UU 25/2009 art. 29) in arrival order,
then everyone else in arrival order; bookings that arrived early wait for their slot.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.core.audit import audit, record_event
from mpp.core.calendar import JAKARTA
from mpp.core.errors import NotFound, ValidationFailed
from mpp.queueing import capacity
from mpp.queueing.errors import NothingToCall, TooLate, WalkInClosed, WrongTicketState
from mpp.queueing.models import (
    Booking,
    BookingStatus,
    Counter,
    CrisisKind,
    QueueService,
    Ticket,
    TicketKind,
    TicketSequence,
    TicketStatus,
)
from mpp.queueing.permissions import require_desk

LATE_WALK_IN = "walk_in"


def grace() -> dt.timedelta:
    return dt.timedelta(minutes=settings.MPP_QUEUE_GRACE_MINUTES)


def today(now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(JAKARTA).date()


# Numbers ------------------------------------------------------------------------------------


def _locked_sequence(service: QueueService, day: dt.date) -> TicketSequence:
    TicketSequence.objects.get_or_create(service=service, date=day)
    return TicketSequence.objects.select_for_update().get(service=service, date=day)


def _next_number(sequence: TicketSequence, prefix: str) -> str:
    sequence.last = F("last") + 1
    sequence.save(update_fields=["last"])
    sequence.refresh_from_db(fields=["last"])
    return f"{prefix}-{sequence.last:03d}"


def walk_in_quota(service: QueueService, day: dt.date) -> int:
    base = capacity.day_capacity(service, day).walk_in
    return capacity.reduced(base, capacity.crisis_percent(service, day))


def walk_ins_closed(service: QueueService, day: dt.date) -> bool:
    return (
        capacity.active_measures(day, service)
        .filter(kind__in=(CrisisKind.CLOSE_WALK_IN, CrisisKind.CLOSE_SERVICE))
        .exists()
    )


# Kiosk ----------------------------------------------------------------------------------------


def _clean_nik(nik: str) -> str:
    nik = (nik or "").strip()
    if nik and not (nik.isdigit() and len(nik) == 16):
        raise ValidationFailed(errors={"nik": [_("NIK harus terdiri dari 16 angka.")]})
    return nik


def walk_in_issue(
    *, actor, service: QueueService, nik: str = "", name: str = "", priority: bool = False
) -> Ticket:
    """A walk-in ticket (A-001, A-002, ... restarting daily), within the walk-in quota."""
    now = timezone.now()
    day = today(now)
    nik = _clean_nik(nik)
    if walk_ins_closed(service, day):
        raise WalkInClosed(_("Antrean langsung layanan ini ditutup sementara. Pesan daring."))
    with transaction.atomic():
        sequence = _locked_sequence(service, day)
        issued = Ticket.objects.filter(service=service, date=day, kind=TicketKind.WALK_IN).count()
        if issued >= walk_in_quota(service, day):
            raise WalkInClosed(_("Kuota antrean langsung hari ini sudah habis. Pesan daring."))
        ticket = _new_ticket(sequence, service, day, now, kind=TicketKind.WALK_IN)
        ticket.nik, ticket.name, ticket.priority = nik, " ".join(name.split())[:200], priority
        ticket.save()
        _record(actor, ticket, "queueing.walk_in_issued", "queue.ticket.issued")
    return ticket


def _new_ticket(sequence, service, day, now, *, kind: str) -> Ticket:
    return Ticket(
        agency_id=service.agency_id,
        service=service,
        date=day,
        number=_next_number(sequence, service.prefix),
        kind=kind,
        arrived_at=now,
    )


def check_in(*, actor, code: str) -> Ticket:
    """A booking arrives: a ticket for its slot, or after the grace period a walk-in ticket
    (MPP_QUEUE_LATE_POLICY=walk_in) or a no-show (no_show)."""
    now = timezone.now()
    day = today(now)
    code = (code or "").strip().upper()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .select_related("slot", "service")
            .filter(code=code, date=day)
            .first()
        )
        if booking is None:
            raise NotFound(_("Kode pesanan tidak ditemukan untuk hari ini."))
        if hasattr(booking, "ticket"):
            return booking.ticket
        late = now > capacity.slot_start(booking.slot) + grace()
        usable = booking.status == BookingStatus.ACTIVE or (
            booking.status == BookingStatus.NO_SHOW and late
        )
        if not usable:
            raise WrongTicketState(_("Pesanan ini tidak aktif (dibatalkan atau sudah dipakai)."))
        if late and settings.MPP_QUEUE_LATE_POLICY != LATE_WALK_IN:
            booking.status = BookingStatus.NO_SHOW
            booking.save(update_fields=["status", "modified_at"])
            ticket = None
        else:
            ticket = _ticket_for_booking(booking, day, now, late=late)
            _record(actor, ticket, "queueing.checked_in", "queue.ticket.checked_in")
    if ticket is None:
        # Raised after the commit: the booking stays marked as a no-show.
        raise TooLate(
            _("Anda datang lebih dari %(m)s menit setelah jadwal; pesanan hangus.")
            % {"m": settings.MPP_QUEUE_GRACE_MINUTES}
        )
    return ticket


def _ticket_for_booking(booking: Booking, day: dt.date, now: dt.datetime, *, late: bool) -> Ticket:
    sequence = _locked_sequence(booking.service, day)
    kind = TicketKind.WALK_IN if late else TicketKind.BOOKING
    ticket = _new_ticket(sequence, booking.service, day, now, kind=kind)
    ticket.booking, ticket.nik, ticket.name = booking, booking.nik, booking.name
    ticket.priority = booking.priority
    ticket.due_at = None if late else capacity.slot_start(booking.slot)
    ticket.save()
    booking.status = BookingStatus.LATE_WALK_IN if late else BookingStatus.CHECKED_IN
    booking.save(update_fields=["status", "modified_at"])
    return ticket


def expire_late_bookings(now: dt.datetime | None = None) -> int:
    """Bookings of today not checked in within the grace period become no-shows."""
    now = now or timezone.now()
    day = today(now)
    cutoff = (now - grace()).astimezone(JAKARTA)
    late = Booking.objects.filter(
        status=BookingStatus.ACTIVE, date__lt=day
    ) | Booking.objects.filter(
        status=BookingStatus.ACTIVE, date=day, slot__starts_at__lt=cutoff.time()
    )
    with transaction.atomic():
        count = Booking.objects.filter(pk__in=list(late.values_list("pk", flat=True))).update(
            status=BookingStatus.NO_SHOW, modified_at=now
        )
    return count


# Order -------------------------------------------------------------------------------------------


def call_rank(ticket: Ticket, now: dt.datetime) -> tuple:
    """Sort key of a waiting ticket (see the module docstring)."""
    if ticket.due_at is not None:
        if ticket.due_at <= now:
            return (0, ticket.due_at, ticket.pk)
        return (3, ticket.due_at, ticket.pk)
    if ticket.priority:
        return (1, ticket.arrived_at, ticket.pk)
    return (2, ticket.arrived_at, ticket.pk)


def waiting_for_counter(counter: Counter, day: dt.date):
    service_ids = list(counter.services.values_list("pk", flat=True))
    return Ticket.objects.filter(
        agency_id=counter.agency_id,
        service_id__in=service_ids,
        date=day,
        status=TicketStatus.WAITING,
    ).filter(Q(counter__isnull=True) | Q(counter=counter))


def ordered_waiting(queryset, now: dt.datetime) -> list[Ticket]:
    return sorted(queryset, key=lambda t: call_rank(t, now))


# Counter console ---------------------------------------------------------------------------------


def counter_for(actor, public_id: str) -> Counter:
    """A counter the actor may work; another agency's counter reads as not found."""
    counter = Counter.objects.select_related("agency").filter(public_id=public_id).first()
    if counter is None:
        raise NotFound(_("Loket tidak ditemukan."))
    require_desk(actor, counter.agency_id)
    return counter


def current_ticket(counter: Counter) -> Ticket | None:
    return (
        Ticket.objects.select_related("service__service")
        .filter(counter=counter, status__in=(TicketStatus.CALLED, TicketStatus.SERVING))
        .order_by("-called_at")
        .first()
    )


def _require_current(counter: Counter, *states: str) -> Ticket:
    ticket = current_ticket(counter)
    if ticket is None or ticket.status not in states:
        raise WrongTicketState(_("Tidak ada tiket yang sesuai di loket ini."))
    return ticket


def call_next(*, actor, counter: Counter) -> Ticket:
    """Call the next visitor to the counter."""
    require_desk(actor, counter.agency_id)
    if current_ticket(counter) is not None:
        raise WrongTicketState(_("Selesaikan atau lewati tiket yang sedang dipanggil dahulu."))
    now = timezone.now()
    with transaction.atomic():
        for ticket in ordered_waiting(waiting_for_counter(counter, today(now)), now):
            # Two counters may race for one ticket: only one conditional UPDATE wins.
            won = Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.WAITING).update(
                status=TicketStatus.CALLED,
                counter=counter,
                called_at=now,
                call_count=F("call_count") + 1,
                modified_by=actor,
                modified_at=now,
            )
            if won:
                ticket.refresh_from_db()
                _record(actor, ticket, "queueing.called", "queue.ticket.called")
                return ticket
    raise NothingToCall(_("Tidak ada antrean yang menunggu untuk loket ini."))


def _change(actor, counter: Counter, states: tuple[str, ...], action: str, /, **fields) -> Ticket:
    require_desk(actor, counter.agency_id)
    with transaction.atomic():
        ticket = _require_current(counter, *states)
        for name, value in fields.items():
            setattr(ticket, name, value)
        ticket.modified_by = actor
        ticket.save()
        _record(actor, ticket, f"queueing.{action}", f"queue.ticket.{action}")
    return ticket


def recall(*, actor, counter: Counter) -> Ticket:
    """Call the same visitor again (the display shows the number anew)."""
    ticket = _require_current(counter, TicketStatus.CALLED)
    return _change(
        actor,
        counter,
        (TicketStatus.CALLED,),
        "recalled",
        called_at=timezone.now(),
        call_count=ticket.call_count + 1,
    )


def skip_no_show(*, actor, counter: Counter) -> Ticket:
    """The called visitor did not come: a no-show (their booking too)."""
    ticket = _change(actor, counter, (TicketStatus.CALLED,), "no_show", status=TicketStatus.NO_SHOW)
    if ticket.booking_id:
        Booking.objects.filter(pk=ticket.booking_id).update(status=BookingStatus.NO_SHOW)
    return ticket


def start_service(*, actor, counter: Counter) -> Ticket:
    return _change(
        actor,
        counter,
        (TicketStatus.CALLED,),
        "started",
        status=TicketStatus.SERVING,
        started_at=timezone.now(),
    )


def finish_service(*, actor, counter: Counter) -> Ticket:
    return _change(
        actor,
        counter,
        (TicketStatus.SERVING,),
        "finished",
        status=TicketStatus.DONE,
        finished_at=timezone.now(),
    )


def transfer(
    *,
    actor,
    counter: Counter,
    to_counter: Counter | None = None,
    to_service: QueueService | None = None,
) -> Ticket:
    """Send the current visitor to another counter or service of the same agency; they keep
    their place (arrival time) in the new queue."""
    require_desk(actor, counter.agency_id)
    if to_counter is None and to_service is None:
        raise ValidationFailed(errors={"to": [_("Pilih loket atau layanan tujuan.")]})
    if to_counter is not None and to_counter.agency_id != counter.agency_id:
        raise NotFound(_("Loket tujuan tidak ditemukan."))
    if to_service is not None and to_service.agency_id != counter.agency_id:
        raise NotFound(_("Layanan tujuan tidak ditemukan."))
    fields: dict = {"status": TicketStatus.WAITING, "counter": to_counter, "started_at": None}
    if to_service is not None:
        fields["service"] = to_service
    return _change(
        actor, counter, (TicketStatus.CALLED, TicketStatus.SERVING), "transferred", **fields
    )


def _record(actor, ticket: Ticket, action: str, event: str) -> None:
    data = {"number": ticket.number, "status": ticket.status, "counter": ticket.counter_id}
    audit(actor=actor, action=action, target=ticket, agency_id=ticket.agency_id, data=data)
    record_event(type=event, subject=ticket.code, agency_id=ticket.agency_id, data=data)
