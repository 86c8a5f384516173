"""Officer pages (/kelola/petugas/) and the invitation link (/akun/undangan/<token>/).

Thin views over mpp.accounts.services.officers: the services check every permission; a
domain error they raise becomes the 403/404 page (core's DomainErrorPageMiddleware).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from mpp.accounts.forms.officers import AcceptInvitationForm, InviteForm, RoleForm
from mpp.accounts.services import officers as svc
from mpp.agencies.models import Agency, AgencyRole, Membership
from mpp.agencies.permissions import is_mpp_manager
from mpp.core.errors import Conflict, MppError, NotFound, ValidationFailed

ACTION_LABELS = {
    "officer.invited": gettext_lazy("Undangan dikirim"),
    "officer.invitation_accepted": gettext_lazy("Undangan diterima"),
    "officer.invitation_revoked": gettext_lazy("Undangan dibatalkan"),
    "membership.granted": gettext_lazy("Peran diberikan"),
    "membership.role_changed": gettext_lazy("Peran diubah"),
    "membership.deactivated": gettext_lazy("Peran dinonaktifkan"),
    "membership.reactivated": gettext_lazy("Peran diaktifkan kembali"),
}
LOGIN_BACKEND = "mpp.accounts.backends.IdentifierBackend"


def manage_view(view: Callable) -> Callable:
    """Signed-in users only; the services refuse everyone who manages no officers."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return view(request, *args, **kwargs)

    return wrapper


def _agency_for(user, slug: str) -> Agency:
    agency = svc.manageable_agencies(user).filter(slug=slug).first()
    if agency is None:
        raise NotFound(_("Instansi tidak ditemukan."))
    return agency


def _grantable_roles(user, agency: Agency) -> list[str]:
    return [role for role in AgencyRole.values if svc.may_manage(user, agency.pk, role)]


def _role_label(role: str) -> str:
    return str(AgencyRole(role).label) if role in AgencyRole.values else role


def _to_list(agency: Agency) -> HttpResponse:
    return redirect("accounts:agency_officers", slug=agency.slug)


def _add_errors(form, exc: MppError) -> None:
    """A service's field errors beside the matching inputs, the rest on top of the form."""
    placed = False
    for key, field_messages in exc.errors.items():
        if key in form.fields:
            for message in field_messages:
                form.add_error(key, str(message))
            placed = True
    if not placed:
        form.add_error(None, exc.detail or str(exc.title))


@manage_view
@require_GET
def officers(request: HttpRequest) -> HttpResponse:
    agencies = list(svc.manageable_agencies(request.user))
    if len(agencies) == 1:
        return _to_list(agencies[0])
    return render(request, "accounts/officers/agencies.html", {"agencies": agencies})


@manage_view
@require_GET
def agency_officers(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency_for(request.user, slug)
    rows = [
        {
            "membership": m,
            "name": m.user.display_name(),
            "email": svc.mask_email(m.user.email),
            "manageable": svc.may_manage(request.user, agency.pk, m.role),
            "is_self": m.user_id == request.user.pk,
        }
        for m in svc.officer_list(actor=request.user, agency=agency)
    ]
    invitations = [
        {
            "invitation": i,
            "email": svc.mask_email(i.email),
            "role": _role_label(i.role),
            "manageable": svc.may_manage(request.user, agency.pk, i.role),
            "expired": i.expires_at <= timezone.now(),
        }
        for i in svc.pending_invitations(actor=request.user, agency=agency)
    ]
    context = {
        "agency": agency,
        "rows": rows,
        "invitations": invitations,
        "is_manager": is_mpp_manager(request.user),
    }
    return render(request, "accounts/officers/list.html", context)


@manage_view
@require_http_methods(["GET", "POST"])
def officer_invite(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency_for(request.user, slug)
    roles = _grantable_roles(request.user, agency)
    form = InviteForm(request.POST if request.method == "POST" else None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            svc.officer_invite(actor=request.user, agency=agency, **form.cleaned_data)
        except (ValidationFailed, Conflict) as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Undangan dikirim ke %(email)s.")
                % {"email": svc.mask_email(form.cleaned_data["email"])},
            )
            return _to_list(agency)
    status = 400 if request.method == "POST" else 200
    context = {"agency": agency, "form": form}
    return render(request, "accounts/officers/invite.html", context, status=status)


@manage_view
@require_http_methods(["GET", "POST"])
def officer_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    agency = _agency_for(request.user, slug)
    membership = svc.membership_for(actor=request.user, membership_id=pk, agency=agency)
    roles = [r for r in _grantable_roles(request.user, agency) if r != membership.role]
    form = RoleForm(request.POST if request.method == "POST" else None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            svc.membership_set_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except (ValidationFailed, Conflict) as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Peran %(name)s diubah menjadi %(role)s.")
                % {
                    "name": membership.user.display_name(),
                    "role": _role_label(form.cleaned_data["role"]),
                },
            )
            return _to_list(agency)
    status = 400 if request.method == "POST" else 200
    context = {"agency": agency, "membership": membership, "form": form}
    return render(request, "accounts/officers/role.html", context, status=status)


def _toggle(request: HttpRequest, slug: str, pk: int, *, active: bool) -> HttpResponse:
    agency = _agency_for(request.user, slug)
    membership = svc.membership_for(actor=request.user, membership_id=pk, agency=agency)
    error = ""
    if request.method == "POST":
        service = svc.membership_reactivate if active else svc.membership_deactivate
        try:
            service(actor=request.user, membership=membership)
        except Conflict as exc:
            error = exc.detail
        else:
            done = (
                _("Peran %(role)s %(name)s diaktifkan kembali.")
                if active
                else _("Peran %(role)s %(name)s dinonaktifkan.")
            )
            messages.success(
                request,
                done
                % {"role": _role_label(membership.role), "name": membership.user.display_name()},
            )
            return _to_list(agency)
    context = {"agency": agency, "membership": membership, "active": active, "error": error}
    status = 400 if error else 200
    return render(request, "accounts/officers/toggle.html", context, status=status)


@manage_view
@require_http_methods(["GET", "POST"])
def officer_deactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _toggle(request, slug, pk, active=False)


@manage_view
@require_http_methods(["GET", "POST"])
def officer_reactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _toggle(request, slug, pk, active=True)


@manage_view
@require_http_methods(["GET", "POST"])
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    agency = _agency_for(request.user, slug)
    invitation = svc.invitation_for(actor=request.user, invitation_id=pk, agency=agency)
    error = ""
    if request.method == "POST":
        try:
            svc.invitation_revoke(actor=request.user, invitation=invitation)
        except Conflict as exc:
            error = exc.detail
        else:
            messages.success(request, _("Undangan dibatalkan; tautannya tidak berlaku lagi."))
            return _to_list(agency)
    context = {
        "agency": agency,
        "invitation": invitation,
        "email": svc.mask_email(invitation.email),
        "role": _role_label(invitation.role),
        "error": error,
    }
    return render(request, "accounts/officers/revoke.html", context, status=400 if error else 200)


@manage_view
@require_GET
def officer_history(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency_for(request.user, slug)
    entries = [
        {
            "at": change.at,
            "actor": change.actor_label,
            "action": ACTION_LABELS.get(change.action, change.action),
            "subject": change.subject,
            "detail": _describe(change.data),
        }
        for change in svc.officer_history(actor=request.user, agency=agency)
    ]
    return render(request, "accounts/officers/history.html", {"agency": agency, "entries": entries})


def _describe(data: dict) -> str:
    if "from" in data and "to" in data:
        return f"{_role_label(data['from'])} → {_role_label(data['to'])}"
    return _role_label(data.get("role", ""))


# --- the invitation link ---------------------------------------------------------------


def _invitation_problem(request: HttpRequest, exc: MppError) -> HttpResponse:
    status = 404 if isinstance(exc, NotFound) else 410
    return render(
        request, "accounts/officers/invitation_invalid.html", {"error": exc.detail}, status=status
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = svc.invitation_by_token(token)
    except (NotFound, svc.InvitationUnusable) as exc:
        return _invitation_problem(request, exc)
    existing = svc.invitation_existing_user(invitation)
    signed_in = request.user.is_authenticated
    if existing is not None and not (signed_in and request.user.pk == existing.pk):
        if signed_in:
            return _accept_page(request, invitation, mode="other_account")
        messages.info(request, _("Masuk dahulu untuk menerima undangan ini."))
        return redirect_to_login(request.get_full_path())
    if existing is None and signed_in:
        return _accept_page(request, invitation, mode="other_account")
    form = None if existing else AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            membership = svc.invitation_accept(
                token=token,
                full_name=data.get("full_name", ""),
                password=data.get("password", ""),
                actor=request.user if existing else None,
            )
        except (NotFound, svc.InvitationUnusable) as exc:
            return _invitation_problem(request, exc)
        except (ValidationFailed, Conflict) as exc:
            if form is None:
                raise
            _add_errors(form, exc)
        else:
            return _accepted(request, membership, new_account=existing is None)
    mode = "existing" if existing else "new"
    status = 400 if request.method == "POST" else 200
    return _accept_page(request, invitation, mode=mode, form=form, status=status)


def _accept_page(request, invitation, *, mode: str, form=None, status: int = 200) -> HttpResponse:
    context = {
        "invitation": invitation,
        "role": _role_label(invitation.role),
        "email": svc.mask_email(invitation.email),
        "mode": mode,
        "form": form,
    }
    return render(request, "accounts/officers/accept.html", context, status=status)


def _accepted(request: HttpRequest, membership: Membership, *, new_account: bool) -> HttpResponse:
    if new_account:
        login(request, membership.user, backend=LOGIN_BACKEND)
    messages.success(
        request,
        _(
            "Selamat datang. Anda kini %(role)s di %(agency)s. Akun petugas wajib memakai "
            "verifikasi dua langkah: siapkan aplikasi autentikator di ponsel Anda."
        )
        % {"role": _role_label(membership.role), "agency": membership.agency.name},
    )
    return redirect("manage:dashboard")
