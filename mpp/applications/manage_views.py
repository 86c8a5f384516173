"""Officer pages: the agency's work list in due-date order, a case, and its next steps."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mpp.agencies.permissions import agency_ids_for
from mpp.applications import selectors, services, workflow
from mpp.applications.models import Status
from mpp.catalog.manage_views import officer_view
from mpp.catalog.models import Service
from mpp.core.audit import audit
from mpp.core.calendar import load_calendar
from mpp.core.errors import Conflict, ValidationFailed
from mpp.core.files import private_file_response

PAGE_SIZE = 50


@officer_view
@never_cache
@require_GET
def work_list(request: HttpRequest) -> HttpResponse:
    service_slug = request.GET.get("layanan", "")[:120]
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    qs = selectors.work_list(request.user, service_slug=service_slug, status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("halaman"))
    calendar = load_calendar()  # the manual days, one query for every row
    rows = [(a, selectors.deadline_of(a, calendar=calendar)) for a in page.object_list]
    context = {
        "rows": rows,
        "page": page,
        "services": Service.objects.filter(agency_id__in=agency_ids_for(request.user))
        .exclude(channel="counter")
        .order_by("name")
        .only("slug", "name"),
        "statuses": [s for s in Status if s != Status.DRAFT],
        "service_slug": service_slug,
        "status": status,
    }
    return render(request, "applications/manage/list.html", context)


@officer_view
@never_cache
@require_GET
def case(request: HttpRequest, public_id: str) -> HttpResponse:
    application = selectors.application_for_officer(request.user, public_id)
    roles = selectors.officer_roles_for(request.user, application)
    context = {
        "application": application,
        "deadline": selectors.deadline_of(application),
        "rows": selectors.answer_rows(application),
        "events": application.events.select_related("actor"),
        "actions": workflow.actions_for(status=application.status, roles=roles),
        "can_message": bool(roles & set(services.MESSAGE_ROLES)),
        "error": "",
    }
    return render(request, "applications/manage/case.html", context)


@officer_view
@require_POST
def step(request: HttpRequest, public_id: str) -> HttpResponse:
    application = selectors.application_for_officer(request.user, public_id)
    try:
        services.application_transition(
            actor=request.user,
            application=application,
            action=request.POST.get("langkah", ""),
            note=request.POST.get("catatan", ""),
        )
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, exc.detail)
        return redirect("applications_manage:case", public_id=application.public_id)
    messages.success(request, _("Langkah tercatat; pemohon diberi tahu bila perlu."))
    return redirect("applications_manage:case", public_id=application.public_id)


@officer_view
@require_GET
def attachment(request: HttpRequest, public_id: str, attachment_id: int) -> HttpResponse:
    """A citizen's document, opened through this authorised view only (audited)."""
    application = selectors.application_for_officer(request.user, public_id)
    item = selectors.attachment_for(application, attachment_id)
    audit(
        actor=request.user,
        action="application.document_viewed",
        target=application,
        agency_id=application.agency_id,
        data={"requirement": item.requirement_code},
    )
    return private_file_response(
        item.document.file,
        filename=f"{application.number}-{item.requirement_code}.{item.document.extension}",
        content_type=item.document.content_type,
        inline=True,
    )


@officer_view
@require_POST
def message(request: HttpRequest, public_id: str) -> HttpResponse:
    application = selectors.application_for_officer(request.user, public_id)
    try:
        services.application_message(
            actor=request.user, application=application, text=request.POST.get("pesan", "")
        )
    except ValidationFailed as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Pesan terkirim kepada pemohon."))
    return redirect("applications_manage:case", public_id=application.public_id)
