"""Officer pages (/kelola/): agency admins and the MPP manager edit, adopt, withdraw, import
and export their services' standards. Permission is enforced by the catalog services; the
accessors here only make another agency's service read as "not found".
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mpp.agencies.models import AgencyRole
from mpp.agencies.permissions import agency_ids_for, is_mpp_manager, is_officer
from mpp.catalog import io, services
from mpp.catalog.manage_forms import AdoptForm, StandardFileForm, StandardYamlForm, WithdrawForm
from mpp.catalog.models import Service, ServiceStandard, StandardStatus
from mpp.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


def officer_view(view: Callable) -> Callable:
    """Signed-in staff only; domain errors become the 404 and 403 pages."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_officer(request.user):
            raise DjangoPermissionDenied
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.detail) from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.detail) from exc

    return wrapper


def _editable_services(user) -> QuerySet[Service]:
    services_qs = Service.objects.all()
    if not is_mpp_manager(user):
        services_qs = services_qs.filter(
            agency_id__in=agency_ids_for(user, (AgencyRole.AGENCY_ADMIN,))
        )
    return services_qs


def _service_for(user, slug: str) -> Service:
    """A service the user may edit; too low a role in its agency is forbidden, else not found."""
    service = _editable_services(user).filter(slug=slug).select_related("agency").first()
    if service is not None:
        return service
    owner = Service.objects.filter(slug=slug).values_list("agency_id", flat=True).first()
    if owner is not None and owner in agency_ids_for(user):
        raise PermissionDenied()
    raise NotFound(_("Layanan tidak ditemukan."))


def _standard_for(user, slug: str, version: int) -> ServiceStandard:
    _service_for(user, slug)
    return services.get_standard_for_editing(actor=user, service_slug=slug, version=version)


def _back(service: Service) -> HttpResponse:
    return redirect("manage:service", slug=service.slug)


@officer_view
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    drafts = ServiceStandard.objects.filter(service=OuterRef("pk"), status=StandardStatus.DRAFT)
    services_qs = (
        _editable_services(request.user)
        .select_related("agency", "current_standard")
        .annotate(draft_version=Subquery(drafts.values("version")[:1]))
        .order_by("agency__name", "name")
    )
    context = {
        "services": services_qs,
        "is_manager": is_mpp_manager(request.user),
        "manages_officers": bool(agency_ids_for(request.user, (AgencyRole.AGENCY_ADMIN,))),
        "works_applications": bool(agency_ids_for(request.user)),
        "formats": io.FORMATS,
    }
    return render(request, "catalog/manage/dashboard.html", context)


def _render_service(
    request: HttpRequest, service: Service, *, status: int = 200, **forms
) -> HttpResponse:
    versions = list(service.standards.order_by("-version"))
    draft = next((v for v in versions if v.status == StandardStatus.DRAFT), None)
    edit_form = forms.get("edit_form")
    if edit_form is None and draft is not None:
        edit_form = StandardYamlForm(
            initial={
                "components_yaml": io.components_to_yaml(draft.components()),
                "change_note": draft.change_note,
            }
        )
    context = {
        "service": service,
        "versions": versions,
        "draft": draft,
        "edit_form": edit_form,
        "upload_form": forms.get("upload_form") or StandardFileForm(),
        "adopt_form": forms.get("adopt_form")
        or AdoptForm(initial={"effective_date": timezone.localdate()}),
        "formats": io.FORMATS,
    }
    return render(request, "catalog/manage/service.html", context, status=status)


@officer_view
@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_service(request, _service_for(request.user, slug))


@officer_view
@require_POST
def draft_create(request: HttpRequest, slug: str) -> HttpResponse:
    service = _service_for(request.user, slug)
    try:
        draft = services.standard_create_draft(actor=request.user, service=service)
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Draf versi %(v)d dibuat.") % {"v": draft.version})
    return _back(service)


@officer_view
@require_POST
def draft_edit(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    standard = _standard_for(request.user, slug, version)
    form = StandardYamlForm(request.POST)
    if form.is_valid():
        try:
            components = io.components_from_yaml(form.cleaned_data["components_yaml"])
            services.standard_update_draft(
                actor=request.user,
                standard=standard,
                components=components,
                change_note=form.cleaned_data["change_note"],
            )
        except io.ImportRefused as exc:
            for problem in exc.problems:
                form.add_error("components_yaml", str(problem))
        except (Conflict, ValidationFailed) as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Draf versi %(v)d disimpan.") % {"v": version})
            return _back(standard.service)
    return _render_service(request, standard.service, status=400, edit_form=form)


@officer_view
@require_POST
def draft_upload(request: HttpRequest, slug: str) -> HttpResponse:
    service = _service_for(request.user, slug)
    form = StandardFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            io.import_standards(
                actor=request.user,
                data=upload.read(io.MAX_BYTES + 1),
                filename=upload.name,
                only_service=service,
            )
        except io.ImportRefused as exc:
            form.add_error("file", exc.detail)
            for problem in exc.problems:
                form.add_error("file", str(problem))
        except (Conflict, ValidationFailed) as exc:
            form.add_error("file", exc.detail)
        else:
            messages.success(request, _("Draf diperbarui dari berkas %(f)s.") % {"f": upload.name})
            return _back(service)
    return _render_service(request, service, status=400, upload_form=form)


@officer_view
@require_POST
def adopt(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    standard = _standard_for(request.user, slug, version)
    form = AdoptForm(request.POST)
    if form.is_valid():
        try:
            services.standard_adopt(actor=request.user, standard=standard, **form.cleaned_data)
        except Conflict as exc:
            messages.error(request, exc.detail)
            return _back(standard.service)
        except ValidationFailed as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Standar versi %(v)d ditetapkan.") % {"v": version})
            return _back(standard.service)
    return _render_service(request, standard.service, status=400, adopt_form=form)


def _add_errors(form, exc: ValidationFailed) -> None:
    """A service's field errors beside the matching inputs, the rest on top of the form."""
    placed = False
    for key, messages_ in exc.errors.items():
        if key in form.fields:
            for message in messages_:
                form.add_error(key, str(message))
            placed = True
    if not placed:
        form.add_error(None, exc.detail)


@officer_view
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    standard = _standard_for(request.user, slug, version)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_withdraw(
                actor=request.user, standard=standard, reason=form.cleaned_data["reason"]
            )
        except Conflict as exc:
            messages.error(request, exc.detail)
            return _back(standard.service)
        except ValidationFailed as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Standar versi %(v)d dicabut.") % {"v": version})
            return _back(standard.service)
    status = 400 if request.method == "POST" else 200
    context = {"standard": standard, "service": standard.service, "form": form}
    return render(request, "catalog/manage/withdraw.html", context, status=status)


def _export_response(request: HttpRequest, name: str, **filters) -> HttpResponse:
    fmt = request.GET.get("format", "yaml")
    version = request.GET.get("version") or None
    if fmt not in io.FORMATS or (version not in (None, "draft") and not version.isdigit()):
        return render(request, "errors/400.html", status=400)
    version = int(version) if version and version.isdigit() else version
    standards = io.exportable_standards(actor=request.user, version=version, **filters)
    response = HttpResponse(io.export_bytes(standards, fmt), content_type=io.CONTENT_TYPES[fmt])
    filename = io.export_filename(fmt, name if version is None else f"{name}-v{version}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@officer_view
@require_GET
def service_export(request: HttpRequest, slug: str) -> HttpResponse:
    service = _service_for(request.user, slug)
    return _export_response(request, service.slug, service_slug=service.slug)


@officer_view
@require_GET
def export_all(request: HttpRequest) -> HttpResponse:
    return _export_response(request, "standar-pelayanan")


@officer_view
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = StandardFileForm(request.POST if posted else None, request.FILES if posted else None)
    context: dict = {"form": form, "result": None, "problems": []}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            context["result"] = io.import_standards(
                actor=request.user, data=upload.read(io.MAX_BYTES + 1), filename=upload.name
            )
        except io.ImportRefused as exc:
            form.add_error("file", exc.detail)
            context["problems"] = exc.problems
        except (Conflict, ValidationFailed) as exc:
            form.add_error("file", exc.detail)
    status = 400 if request.method == "POST" and context["result"] is None else 200
    return render(request, "catalog/manage/import.html", context, status=status)
