"""Pages of agency admins (and the MPP manager): API clients and webhook subscriptions.

Thin views over mpp.interop.services and selectors; a domain error they raise becomes the
403/404 page (core's DomainErrorPageMiddleware). Secrets appear once, on the answer to the
POST that made them, never cached (`Cache-Control: no-store`).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mpp.core.errors import MppError, PermissionDenied
from mpp.interop import selectors, services
from mpp.interop.catalogue import EVENT_TYPES, SCOPES
from mpp.interop.forms import ApiClientForm, RotateForm, ScopesForm, SubscriptionForm


def manage_view(view: Callable) -> Callable:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return view(request, *args, **kwargs)

    return wrapper


def _add_errors(form, exc: MppError) -> None:
    placed = False
    for key, field_messages in exc.errors.items():
        if key in form.fields:
            for message in field_messages:
                form.add_error(key, str(message))
            placed = True
    if not placed:
        form.add_error(None, exc.detail or str(exc.title))


def _secret_page(request, context) -> HttpResponse:
    response = render(request, "interop/secret.html", context)
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response


def _pick_agency(request, template: str, target: str) -> HttpResponse:
    agencies = list(services.manageable_agencies(request.user))
    if not agencies:
        raise PermissionDenied()
    if len(agencies) == 1:
        return redirect(target, slug=agencies[0].slug)
    return render(request, template, {"agencies": agencies, "target": target})


def _scope_labels(scopes) -> list[str]:
    return [str(SCOPES.get(s, s)) for s in scopes]


def _event_labels(types) -> list[str]:
    return [_("Semua peristiwa") if t == "*" else str(EVENT_TYPES.get(t, t)) for t in types]


# --- API clients -------------------------------------------------------------------------


@manage_view
@require_GET
def api_agencies(request: HttpRequest) -> HttpResponse:
    return _pick_agency(request, "interop/agencies.html", "interop:api_clients")


@manage_view
@require_GET
def api_clients(request: HttpRequest, slug: str) -> HttpResponse:
    agency = selectors.agency_for(request.user, slug)
    rows = [
        {"client": c, "scopes": _scope_labels(c.scopes)}
        for c in selectors.api_clients(actor=request.user, agency=agency)
    ]
    return render(request, "interop/api_clients.html", {"agency": agency, "rows": rows})


@manage_view
@require_http_methods(["GET", "POST"])
def api_client_create(request: HttpRequest, slug: str) -> HttpResponse:
    agency = selectors.agency_for(request.user, slug)
    form = ApiClientForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_client_create(
                actor=request.user, agency=agency, **form.cleaned_data
            )
        except MppError as exc:
            _add_errors(form, exc)
        else:
            return _secret_page(
                request,
                {
                    "agency": agency,
                    "client": issued.client,
                    "token": issued.token,
                    "signing_secret": issued.signing_secret,
                    "heading": _("Klien API dibuat"),
                },
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request, "interop/api_client_form.html", {"agency": agency, "form": form}, status=status
    )


def _client(request, slug, public_id):
    agency = selectors.agency_for(request.user, slug)
    return agency, selectors.api_client(actor=request.user, agency=agency, public_id=public_id)


def _client_page(request, agency, client, *, scopes_form=None, rotate_form=None, status=200):
    context = {
        "agency": agency,
        "client": client,
        "scopes": _scope_labels(client.scopes),
        "credentials": list(client.credentials.all()),
        "scopes_form": scopes_form or ScopesForm(initial={"scopes": client.scopes}),
        "rotate_form": rotate_form or RotateForm(max_hours=services.max_overlap_hours()),
    }
    return render(request, "interop/api_client.html", context, status=status)


@manage_view
@require_GET
def api_client_detail(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    agency, client = _client(request, slug, public_id)
    return _client_page(request, agency, client)


@manage_view
@require_POST
def api_client_scopes(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    agency, client = _client(request, slug, public_id)
    form = ScopesForm(request.POST)
    if form.is_valid():
        try:
            services.api_client_set_scopes(
                actor=request.user, client=client, scopes=form.cleaned_data["scopes"]
            )
        except MppError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Cakupan disimpan."))
            return redirect("interop:api_client", slug=agency.slug, public_id=client.public_id)
    return _client_page(request, agency, client, scopes_form=form, status=400)


@manage_view
@require_POST
def api_client_rotate(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    agency, client = _client(request, slug, public_id)
    form = RotateForm(request.POST, max_hours=services.max_overlap_hours())
    if form.is_valid():
        try:
            issued = services.api_client_rotate(
                actor=request.user, client=client, overlap_hours=form.cleaned_data["overlap_hours"]
            )
        except MppError as exc:
            _add_errors(form, exc)
        else:
            return _secret_page(
                request,
                {
                    "agency": agency,
                    "client": client,
                    "token": issued.token,
                    "signing_secret": issued.signing_secret,
                    "heading": _("Token dan rahasia baru"),
                },
            )
    return _client_page(request, agency, client, rotate_form=form, status=400)


@manage_view
@require_http_methods(["GET", "POST"])
def api_client_revoke(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    agency, client = _client(request, slug, public_id)
    if request.method == "POST":
        try:
            services.api_client_revoke(actor=request.user, client=client)
        except MppError as exc:
            messages.error(request, exc.detail or str(exc.title))
        else:
            messages.success(request, _("Klien API dicabut."))
        return redirect("interop:api_clients", slug=agency.slug)
    return render(request, "interop/api_client_revoke.html", {"agency": agency, "client": client})


# --- webhooks ----------------------------------------------------------------------------


@manage_view
@require_GET
def webhook_agencies(request: HttpRequest) -> HttpResponse:
    return _pick_agency(request, "interop/agencies.html", "interop:subscriptions")


@manage_view
@require_GET
def subscriptions(request: HttpRequest, slug: str) -> HttpResponse:
    agency = selectors.agency_for(request.user, slug)
    rows = [
        {"subscription": s, "events": _event_labels(s.event_types)}
        for s in selectors.subscriptions(actor=request.user, agency=agency)
    ]
    return render(request, "interop/subscriptions.html", {"agency": agency, "rows": rows})


@manage_view
@require_http_methods(["GET", "POST"])
def subscription_create(request: HttpRequest, slug: str) -> HttpResponse:
    agency = selectors.agency_for(request.user, slug)
    form = SubscriptionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.subscription_create(
                actor=request.user, agency=agency, **form.cleaned_data
            )
        except MppError as exc:
            _add_errors(form, exc)
        else:
            return _secret_page(
                request,
                {
                    "agency": agency,
                    "subscription": issued.subscription,
                    "signing_secret": issued.secret,
                    "heading": _("Langganan webhook dibuat"),
                },
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request, "interop/subscription_form.html", {"agency": agency, "form": form}, status=status
    )


def _subscription(request, slug, public_id):
    agency = selectors.agency_for(request.user, slug)
    return agency, selectors.subscription(actor=request.user, agency=agency, public_id=public_id)


def _subscription_page(request, agency, subscription, *, rotate_form=None, status=200):
    context = {
        "agency": agency,
        "subscription": subscription,
        "events": _event_labels(subscription.event_types),
        "deliveries": selectors.deliveries(subscription=subscription),
        "rotate_form": rotate_form or RotateForm(max_hours=services.max_overlap_hours()),
    }
    return render(request, "interop/subscription.html", context, status=status)


@manage_view
@require_GET
def subscription_detail(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    agency, subscription = _subscription(request, slug, public_id)
    return _subscription_page(request, agency, subscription)


@manage_view
@require_http_methods(["GET", "POST"])
def subscription_edit(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    agency, subscription = _subscription(request, slug, public_id)
    initial = {
        "url": subscription.url,
        "description": subscription.description,
        "event_types": subscription.event_types,
    }
    form = SubscriptionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_update(
                actor=request.user, subscription=subscription, **form.cleaned_data
            )
        except MppError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Langganan disimpan."))
            return redirect("interop:subscription", slug=agency.slug, public_id=public_id)
    status = 400 if request.method == "POST" else 200
    context = {"agency": agency, "form": form, "subscription": subscription}
    return render(request, "interop/subscription_form.html", context, status=status)


@manage_view
@require_POST
def subscription_rotate(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    agency, subscription = _subscription(request, slug, public_id)
    form = RotateForm(request.POST, max_hours=services.max_overlap_hours())
    if form.is_valid():
        try:
            issued = services.subscription_rotate_secret(
                actor=request.user,
                subscription=subscription,
                overlap_hours=form.cleaned_data["overlap_hours"],
            )
        except MppError as exc:
            _add_errors(form, exc)
        else:
            return _secret_page(
                request,
                {
                    "agency": agency,
                    "subscription": issued.subscription,
                    "signing_secret": issued.secret,
                    "heading": _("Rahasia webhook baru"),
                },
            )
    return _subscription_page(request, agency, subscription, rotate_form=form, status=400)


@manage_view
@require_POST
def subscription_toggle(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    agency, subscription = _subscription(request, slug, public_id)
    active = request.POST.get("active") == "1"
    services.subscription_set_active(actor=request.user, subscription=subscription, active=active)
    messages.success(
        request, _("Langganan diaktifkan.") if active else _("Langganan dinonaktifkan.")
    )
    return redirect("interop:subscription", slug=agency.slug, public_id=subscription.public_id)


@manage_view
@require_POST
def redeliver(request: HttpRequest, slug: str, public_id: str, message_id: str) -> HttpResponse:
    agency, subscription = _subscription(request, slug, public_id)
    delivery = selectors.delivery(subscription=subscription, message_id=message_id)
    try:
        services.delivery_redeliver(actor=request.user, delivery=delivery)
    except MppError as exc:
        messages.error(request, exc.detail or str(exc.title))
    else:
        messages.success(request, _("Pengiriman dijadwalkan ulang."))
    return redirect("interop:subscription", slug=agency.slug, public_id=subscription.public_id)
