"""Personal data (UU 27/2022): the citizen's "My data" page, JSON download and deletion request
(/akun/data-saya/), and the MPP manager's handling of requests (/kelola/permintaan-data/)."""

import json
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mpp.accounts import selectors
from mpp.accounts.forms.personal_data import DeletionAnswerForm, DeletionRequestForm
from mpp.accounts.services import personal_data as services
from mpp.accounts.views.representation import apply_error
from mpp.agencies.permissions import is_mpp_manager
from mpp.core.errors import MppError, NotFound


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def mydata(request: HttpRequest) -> HttpResponse:
    context = {
        "data": selectors.personal_data_for(request.user),
        "open_request": selectors.open_deletion_request_for(request.user),
        "kept_label": services.KEPT_LABEL,
    }
    return _private(render(request, "accounts/mydata.html", context))


@login_required
@require_GET
def mydata_download(request: HttpRequest) -> HttpResponse:
    data = selectors.personal_data_for(request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"data-saya-mpp-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


def _render_request_page(request: HttpRequest, form: DeletionRequestForm, *, status: int = 200):
    context = {
        "form": form,
        "open_request": selectors.open_deletion_request_for(request.user),
        "erased": services.ERASED,
        "kept": services.KEPT,
        "kept_label": services.KEPT_LABEL,
    }
    return _private(render(request, "accounts/deletion_request.html", context, status=status))


@login_required
@require_http_methods(["GET", "POST"])
def deletion_request(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render_request_page(request, DeletionRequestForm())
    form = DeletionRequestForm(request.POST)
    if not form.is_valid():
        return _render_request_page(request, form, status=400)
    try:
        services.deletion_request_create(actor=request.user, reason=form.cleaned_data["reason"])
    except MppError as exc:
        apply_error(form, exc)
        return _render_request_page(request, form, status=exc.status)
    messages.success(
        request,
        _("Permintaan penghapusan terkirim ke pengelola MPP. Jawaban dikirim ke kontak Anda."),
    )
    return redirect("accounts:mydata")


def manager_view(view: Callable) -> Callable:
    """The MPP manager only: other signed-in people get 403, another id reads as 404."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_mpp_manager(request.user):
            raise DjangoPermissionDenied
        try:
            return _private(view(request, *args, **kwargs))
        except NotFound as exc:
            raise Http404(exc.detail) from exc

    return wrapper


@manager_view
@require_GET
def manage_requests(request: HttpRequest) -> HttpResponse:
    context = {
        "open_requests": selectors.deletion_requests_for_manager(request.user),
        "handled": selectors.deletion_requests_for_manager(request.user, status=None)
        .exclude(status="open")
        .order_by("-handled_at")[:20],
    }
    return render(request, "accounts/deletion_manage_list.html", context)


@manager_view
@require_http_methods(["GET", "POST"])
def manage_request(request: HttpRequest, public_id: str) -> HttpResponse:
    item = selectors.deletion_request_for_manager(request.user, public_id)
    form = DeletionAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        handle = (
            services.deletion_request_approve
            if form.cleaned_data["decision"] == "approve"
            else services.deletion_request_reject
        )
        try:
            handle(actor=request.user, public_id=public_id, answer=form.cleaned_data["answer"])
        except MppError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Permintaan sudah ditangani; pemohon diberi tahu."))
            return redirect("accounts:deletion_requests")
    context = {
        "item": item,
        "form": form,
        "erased": services.ERASED,
        "kept": services.KEPT,
        "kept_label": services.KEPT_LABEL,
    }
    status = 400 if form.errors else 200
    return render(request, "accounts/deletion_manage_detail.html", context, status=status)
