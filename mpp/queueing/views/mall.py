"""Pages at the mall and for set-up (/kelola/antrean/...): overview, hours, queued services,
counters, the counter console, the kiosk, the crisis switch and statistics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mpp.accounts.nik import mask_nik
from mpp.agencies.models import Agency, AgencyRole
from mpp.agencies.permissions import agency_ids_for, is_mpp_manager, is_officer
from mpp.catalog.models import Service
from mpp.core.errors import MppError, NotFound, PermissionDenied
from mpp.queueing import capacity
from mpp.queueing.forms import (
    CounterForm,
    CrisisForm,
    HoursForm,
    KioskCheckInForm,
    KioskWalkInForm,
    QueueServiceForm,
)
from mpp.queueing.models import (
    Counter,
    CrisisMeasure,
    OpeningHours,
    QueueDayStats,
    QueueService,
    Weekday,
)
from mpp.queueing.permissions import DESK_ROLES, require_queue_admin
from mpp.queueing.services import crisis, desk, setup

KIOSK_COOKIE = "mpp_kiosk"
KIOSK_SALT = "mpp.queueing.kiosk"
KIOSK_MAX_AGE = 366 * 24 * 3600


def officer_page(view: Callable) -> Callable:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_officer(request.user):
            raise PermissionDenied()
        return view(request, *args, **kwargs)

    return wrapper


def _agencies_for(user):
    if is_mpp_manager(user):
        return Agency.objects.filter(is_active=True)
    return Agency.objects.filter(pk__in=agency_ids_for(user))


@officer_page
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """What the officer may set up or work: hours, services, counters, consoles."""
    user = request.user
    agencies = list(_agencies_for(user))
    ids = [a.pk for a in agencies]
    admin_ids = (
        set(ids) if is_mpp_manager(user) else agency_ids_for(user, (AgencyRole.AGENCY_ADMIN,))
    )
    desk_ids = set(ids) if is_mpp_manager(user) else agency_ids_for(user, DESK_ROLES)
    services = (
        Service.objects.filter(agency_id__in=admin_ids, is_active=True)
        .select_related("agency", "queue_settings")
        .order_by("agency__name", "name")
    )
    counters = (
        Counter.objects.filter(agency_id__in=ids)
        .select_related("agency")
        .prefetch_related("services__service")
    )
    return render(
        request,
        "queueing/manage/overview.html",
        {
            "is_manager": is_mpp_manager(user),
            "hours": list(OpeningHours.objects.all()),
            "services": services,
            "counters": counters,
            "admin_ids": admin_ids,
            "desk_ids": desk_ids,
            "agencies": [a for a in agencies if a.pk in admin_ids],
        },
    )


@officer_page
@require_http_methods(["GET", "POST"])
def hours(request: HttpRequest) -> HttpResponse:
    """The MPP manager sets opening hours per weekday (empty opening time: closed)."""
    if not is_mpp_manager(request.user):
        raise PermissionDenied()
    existing = {h.weekday: h for h in OpeningHours.objects.all()}
    forms = [
        HoursForm(
            request.POST or None,
            prefix=f"d{day}",
            initial=_hours_initial(existing.get(day)),
            label=label,
        )
        for day, label in Weekday.choices
    ]
    if request.method == "POST" and all(f.is_valid() for f in forms):
        try:
            for day, form in enumerate(forms):
                setup.opening_hours_set(actor=request.user, weekday=day, **form.cleaned_data)
        except MppError as exc:
            for field, errors in exc.errors.items():
                for error in errors:
                    forms[day].add_error(field if field in forms[day].fields else None, error)
        else:
            messages.success(request, _("Jam layanan disimpan."))
            return redirect("queueing_manage:overview")
    return render(request, "queueing/manage/hours.html", {"forms": forms})


def _hours_initial(hours: OpeningHours | None) -> dict:
    if hours is None:
        return {}
    return {
        "opens_at": hours.opens_at,
        "closes_at": hours.closes_at,
        "break_starts_at": hours.break_starts_at,
        "break_ends_at": hours.break_ends_at,
    }


@officer_page
@require_http_methods(["GET", "POST"])
def queue_service(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue a service: prefix, minutes per visit, slot length, online share."""
    service = Service.objects.filter(slug=slug).select_related("agency").first()
    if service is None:
        raise NotFound()
    require_queue_admin(request.user, service.agency_id)
    current = QueueService.objects.filter(service=service).first()
    form = QueueServiceForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            setup.queue_service_configure(actor=request.user, service=service, **form.cleaned_data)
        except MppError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Pengaturan antrean disimpan."))
            return redirect("queueing_manage:overview")
    day = capacity.bookable_days()[:1]
    cap = capacity.day_capacity(current, day[0]) if current and day else None
    return render(
        request,
        "queueing/manage/service.html",
        {"service": service, "form": form, "capacity": cap, "day": day[0] if day else None},
    )


def _form_errors(form, exc: MppError) -> None:
    if not exc.errors:
        form.add_error(None, exc.detail or str(exc.title))
    for field, errors in exc.errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@officer_page
@require_http_methods(["GET", "POST"])
def counter_edit(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    """Create or change a counter of an agency the user administers."""
    counter = None
    if public_id:
        counter = Counter.objects.select_related("agency").filter(public_id=public_id).first()
        if counter is None:
            raise NotFound()
        require_queue_admin(request.user, counter.agency_id)
    agencies = Agency.objects.filter(
        pk__in=[a.pk for a in _agencies_for(request.user)]
        if is_mpp_manager(request.user)
        else agency_ids_for(request.user, (AgencyRole.AGENCY_ADMIN,))
    )
    form = CounterForm(request.POST or None, counter=counter, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        agency = counter.agency if counter else form.cleaned_data["agency"]
        try:
            setup.counter_save(
                actor=request.user,
                agency=agency,
                counter=counter,
                name=form.cleaned_data["name"],
                services=list(form.cleaned_data["services"]),
                is_open=form.cleaned_data["is_open"],
            )
        except MppError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Loket disimpan."))
            return redirect("queueing_manage:overview")
    return render(request, "queueing/manage/counter.html", {"form": form, "counter": counter})


# Counter console --------------------------------------------------------------------------------

CONSOLE_ACTIONS = {
    "call": desk.call_next,
    "recall": desk.recall,
    "no_show": desk.skip_no_show,
    "start": desk.start_service,
    "finish": desk.finish_service,
}


@officer_page
@require_http_methods(["GET", "POST"])
def console(request: HttpRequest, public_id: str) -> HttpResponse:
    """The front-desk officer's console of one counter."""
    counter = desk.counter_for(request.user, public_id)
    if request.method == "POST":
        _console_action(request, counter)
        return redirect("queueing_manage:console", public_id=counter.public_id)
    now_ticket = desk.current_ticket(counter)
    from django.utils import timezone

    waiting = desk.ordered_waiting(
        desk.waiting_for_counter(counter, desk.today()).select_related("service"),
        timezone.now(),
    )
    others = Counter.objects.filter(agency=counter.agency).exclude(pk=counter.pk)
    return render(
        request,
        "queueing/manage/console.html",
        {
            "counter": counter,
            "ticket": now_ticket,
            "nik_masked": mask_nik(now_ticket.nik) if now_ticket and now_ticket.nik else "",
            "waiting": waiting[:20],
            "waiting_count": len(waiting),
            "other_counters": others,
            "other_services": QueueService.objects.filter(agency=counter.agency).select_related(
                "service"
            ),
        },
    )


def _console_action(request: HttpRequest, counter: Counter) -> None:
    action = request.POST.get("action", "")
    try:
        if action == "transfer":
            to_counter = Counter.objects.filter(
                public_id=request.POST.get("to_counter") or "-"
            ).first()
            to_service = QueueService.objects.filter(
                public_id=request.POST.get("to_service") or "-"
            ).first()
            desk.transfer(
                actor=request.user, counter=counter, to_counter=to_counter, to_service=to_service
            )
        elif action in CONSOLE_ACTIONS:
            ticket = CONSOLE_ACTIONS[action](actor=request.user, counter=counter)
            if action == "call":
                messages.success(request, _("Memanggil %(n)s.") % {"n": ticket.number})
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
    except MppError as exc:
        messages.error(request, exc.detail or str(exc.title))


# Kiosk ------------------------------------------------------------------------------------------


def kiosk_allowed(request: HttpRequest) -> bool:
    """A screen the MPP manager turned into a kiosk (signed cookie), or a signed-in officer."""
    raw = request.COOKIES.get(KIOSK_COOKIE)
    if raw:
        try:
            signing.loads(raw, salt=KIOSK_SALT, max_age=KIOSK_MAX_AGE)
            return True
        except signing.BadSignature:
            pass
    return is_officer(request.user)


@officer_page
@require_POST
def kiosk_activate(request: HttpRequest) -> HttpResponse:
    """The MPP manager turns this browser into a kiosk (no sign-in needed afterwards)."""
    if not is_mpp_manager(request.user):
        raise PermissionDenied()
    response = redirect("queueing:kiosk")
    value = signing.dumps({"by": request.user.pk}, salt=KIOSK_SALT)
    response.set_cookie(
        KIOSK_COOKIE,
        value,
        max_age=KIOSK_MAX_AGE,
        httponly=True,
        samesite="Strict",
        secure=request.is_secure(),
    )
    return response


@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest) -> HttpResponse:
    """Walk-in tickets (optionally with a NIK) and check-in of bookings by code or QR."""
    if not kiosk_allowed(request):
        raise PermissionDenied(_("Halaman ini hanya untuk kiosk MPP."))
    actor = request.user if request.user.is_authenticated else None
    walk_in = KioskWalkInForm(
        request.POST if request.POST.get("form") == "walk_in" else None,
        services=QueueService.objects.select_related("service", "agency").order_by("prefix"),
    )
    check_in = KioskCheckInForm(request.POST if request.POST.get("form") == "check_in" else None)
    ticket = None
    try:
        if walk_in.is_bound and walk_in.is_valid():
            ticket = desk.walk_in_issue(actor=actor, **walk_in.cleaned_data)
        elif check_in.is_bound and check_in.is_valid():
            ticket = desk.check_in(actor=actor, code=check_in.cleaned_data["code"])
    except MppError as exc:
        target = walk_in if walk_in.is_bound else check_in
        _form_errors(target, exc)
    return render(
        request,
        "queueing/kiosk.html",
        {
            "walk_in": walk_in,
            "check_in": check_in,
            "ticket": ticket,
            "nik_masked": mask_nik(ticket.nik) if ticket and ticket.nik else "",
        },
        status=200 if ticket or not (walk_in.is_bound or check_in.is_bound) else 400,
    )


# Crisis switch and statistics --------------------------------------------------------------------


@officer_page
@require_http_methods(["GET", "POST"])
def crisis_page(request: HttpRequest) -> HttpResponse:
    if not is_mpp_manager(request.user):
        raise PermissionDenied()
    form = CrisisForm(request.POST or None)
    if request.method == "POST" and request.POST.get("lift"):
        measure = CrisisMeasure.objects.filter(public_id=request.POST["lift"]).first()
        if measure is None:
            raise NotFound()
        crisis.crisis_lift(actor=request.user, measure=measure)
        messages.success(request, _("Tindakan krisis dicabut."))
        return redirect("queueing_manage:crisis")
    if request.method == "POST" and form.is_valid():
        try:
            crisis.crisis_declare(actor=request.user, **form.cleaned_data)
        except MppError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("Tindakan krisis berlaku; pemegang pesanan terdampak diberi tahu.")
            )
            return redirect("queueing_manage:crisis")
    measures = CrisisMeasure.objects.select_related("service__service")[:50]
    return render(request, "queueing/manage/crisis.html", {"form": form, "measures": measures})


@officer_page
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """Stored figures per service and day (the agency's own, or all for the manager)."""
    rows = QueueDayStats.objects.select_related("service__service", "service__agency")
    if not is_mpp_manager(request.user):
        rows = rows.filter(service__agency_id__in=agency_ids_for(request.user))
    since = desk.today() - dt.timedelta(days=30)
    return render(
        request,
        "queueing/manage/statistics.html",
        {"rows": rows.filter(date__gte=since).order_by("-date", "service__prefix")[:500]},
    )
