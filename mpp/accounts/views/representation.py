"""Kuasa pages (/akun/kuasa/): list, register, revoke, and the owner's document download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mpp.accounts import selectors
from mpp.accounts.forms.representation import RepresentationForm
from mpp.accounts.services import representation as services
from mpp.core.errors import MppError, NotFound
from mpp.core.uploads import DOCUMENT_TYPES


def apply_error(form: Form, exc: MppError) -> None:
    """Show a domain error in the form: on its fields when it names them, else on top."""
    if not exc.errors:
        form.add_error(None, exc.detail or str(exc.title))
        return
    for field, field_messages in exc.errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, str(message))


def _render(request: HttpRequest, form: RepresentationForm, *, status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "form": form,
        "representations": selectors.representations_for(user),
        "can_register": user.has_verified_contact
        and selectors.citizen_profile_for(user) is not None,
        "has_profile": selectors.citizen_profile_for(user) is not None,
        "max_represented": services.max_represented(),
        "max_days": services.max_validity_days(),
    }
    return render(request, "accounts/kuasa.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def kuasa(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render(request, RepresentationForm())
    form = RepresentationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form, status=400)
    try:
        services.representation_register(
            actor=request.user,
            document=form.cleaned_data["document"],
            **{k: form.cleaned_data[k] for k in _REGISTER_FIELDS},
        )
    except MppError as exc:
        apply_error(form, exc)
        return _render(request, form, status=exc.status)
    messages.success(request, _("Kuasa terdaftar."))
    return redirect("accounts:kuasa")


_REGISTER_FIELDS = (
    "represented_nik",
    "represented_name",
    "relationship",
    "valid_from",
    "valid_until",
)


@login_required
@require_POST
def kuasa_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        services.representation_revoke(actor=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except MppError as exc:
        messages.error(request, exc.detail or str(exc.title))
        return redirect("accounts:kuasa")
    messages.success(request, _("Kuasa dicabut."))
    return redirect("accounts:kuasa")


@login_required
@require_GET
def kuasa_document(request: HttpRequest, public_id: str) -> FileResponse:
    """The power of attorney, to its owner only; never through a public media URL."""
    try:
        representation = selectors.representation_for(request.user, public_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    if not representation.power_of_attorney:
        raise Http404(_("Berkas surat kuasa tidak tersedia lagi."))
    try:
        handle = representation.power_of_attorney.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Berkas surat kuasa tidak tersedia lagi.")) from exc
    extension = DOCUMENT_TYPES.get(representation.power_of_attorney_type, "bin")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"surat-kuasa-{representation.public_id}.{extension}",
        content_type=representation.power_of_attorney_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response
