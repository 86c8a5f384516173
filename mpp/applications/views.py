"""Citizen pages of online applications: apply, save a draft, check, submit, follow, receive.

Thin: each view parses input, calls one service or selector, renders. Domain errors become
their error pages (mpp.core.middleware.DomainErrorPageMiddleware); another person's case
reads as not found.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mpp.accounts.selectors import active_on, citizen_profile_for, representations_for
from mpp.applications import selectors, services
from mpp.applications.form_schema import online_service_standard, requirements_of
from mpp.applications.forms import DraftForm
from mpp.applications.models import Application, Status
from mpp.applications.receipt import receipt_pdf
from mpp.core.calendar import load_calendar
from mpp.core.errors import Conflict, NotFound, ValidationFailed
from mpp.core.files import private_file_response
from mpp.documents.locker import document_kind, locker_documents_for
from mpp.registries.models import RegistryPurpose
from mpp.registries.selectors import has_consent
from mpp.registries.services import prefill_for


def _locker_options(application: Application) -> dict[str, list[tuple[str, str]]]:
    """Documents already in the locker, by requirement code, for the person of the case."""
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for doc in locker_documents_for(application.applicant, subject_nik=application.subject_nik):
        label = _("%(label)s (disimpan %(date)s)") % {
            "label": doc.label,
            "date": doc.created_at.strftime("%d-%m-%Y"),
        }
        by_kind.setdefault(doc.kind, []).append((doc.public_id, label))
    return {
        req.code: by_kind[document_kind(req.code)]
        for req in requirements_of(application.standard)
        if document_kind(req.code) in by_kind
    }


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    applications = list(selectors.applications_for_citizen(request.user)[:200])
    calendar = load_calendar()  # the manual days, one query for every row
    rows = [
        (a, selectors.deadline_of(a, calendar=calendar), selectors.next_step(a))
        for a in applications
    ]
    return render(request, "applications/mine.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """Whom the application is for; POST opens the draft (or resumes the open one)."""
    service, standard = online_service_standard(slug)
    profile = citizen_profile_for(request.user)
    representations = list(
        representations_for(request.user).filter(active_on(timezone.localdate()))
    )
    error = ""
    if request.method == "POST":
        try:
            application = services.application_start(
                actor=request.user,
                service_slug=slug,
                represented_nik=request.POST.get("untuk", "").strip()[:16],
            )
        except ValidationFailed as exc:
            error = exc.detail
        else:
            return redirect("applications:edit", public_id=application.public_id)
    context = {
        "service": service,
        "standard": standard,
        "profile": profile,
        "representations": representations,
        "error": error,
    }
    return render(request, "applications/start.html", context, status=400 if error else 200)


def _prefill(user, application: Application) -> dict:
    """Answers the population registry can give (with the citizen's consent), data given once."""
    nik = application.subject_nik if application.representation_id else None
    return prefill_for(actor=user, requirements=requirements_of(application.standard), nik=nik)


def _add_errors(form: DraftForm, errors: dict[str, list[str]]) -> None:
    for code, problems in errors.items():
        for problem in problems:
            form.add_error(code if code in form.fields else None, problem)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, public_id: str) -> HttpResponse:
    """Fill in the form: every valid answer is kept; "continue" leads to the check page."""
    application = selectors.application_for_citizen(request.user, public_id)
    if application.applicant_id != request.user.pk or application.status not in services.EDITABLE:
        return redirect("applications:detail", public_id=application.public_id)
    locker = _locker_options(application)
    if request.method == "POST":
        form = DraftForm(application.standard, request.POST, request.FILES, locker=locker)
        form.is_valid()
        try:
            application = services.application_save(
                actor=request.user,
                application=application,
                answers=form.answers(),
                uploads=form.uploads(),
                reuse=form.reuse(),
            )
        except ValidationFailed as exc:
            _add_errors(form, exc.errors or {"": [exc.detail]})
        if not form.errors and "lanjut" in request.POST:
            # "Save and check": what is still missing is shown next to its field.
            _add_errors(form, services.completeness_errors(application))
            if not form.errors:
                return redirect("applications:review", public_id=application.public_id)
        if not form.errors:
            messages.success(request, _("Draf tersimpan. Anda dapat melanjutkannya kapan saja."))
            return redirect("applications:edit", public_id=application.public_id)
        status = 400
    else:
        initial = _prefill(request.user, application) if not application.answers else {}
        form = DraftForm(
            application.standard, initial={**initial, **application.answers}, locker=locker
        )
        status = 200
    attached = {a.requirement_code: a for a in application.attachments.select_related("document")}
    context = {
        "application": application,
        "form": form,
        "attached": attached,
        "prefill_offered": not has_consent(request.user, RegistryPurpose.PREFILL),
    }
    return render(request, "applications/edit.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, public_id: str) -> HttpResponse:
    """Check your answers, then submit (or resubmit after a revision request)."""
    application = selectors.application_for_citizen(request.user, public_id)
    if application.applicant_id != request.user.pk or application.status not in services.EDITABLE:
        return redirect("applications:detail", public_id=application.public_id)
    missing = services.completeness_errors(application)
    status = 200
    if request.method == "POST" and not missing:
        try:
            if application.status == Status.REVISION_REQUESTED:
                services.application_resubmit(
                    actor=request.user,
                    application=application,
                    note=request.POST.get("catatan", ""),
                )
                messages.success(request, _("Perbaikan terkirim; petugas akan memeriksanya lagi."))
                return redirect("applications:detail", public_id=application.public_id)
            services.application_submit(actor=request.user, application=application)
        except ValidationFailed as exc:
            missing = exc.errors or {"": [exc.detail]}
        else:
            return redirect("applications:submitted", public_id=application.public_id)
    if request.method == "POST":
        status = 400
    context = {
        "application": application,
        "rows": selectors.answer_rows(application),
        "missing": missing,
        "missing_labels": _missing_labels(application, missing),
    }
    return render(request, "applications/review.html", context, status=status)


def _missing_labels(application: Application, missing: dict) -> list[tuple[str, str]]:
    names = {r.code: r.name for r in requirements_of(application.standard)}
    return [(names.get(code, ""), problems[0]) for code, problems in missing.items()]


@login_required
@require_GET
def submitted(request: HttpRequest, public_id: str) -> HttpResponse:
    """The confirmation page: number, tracking code, deadline and what happens next."""
    application = selectors.application_for_citizen(request.user, public_id)
    if application.submitted_at is None:
        return redirect("applications:edit", public_id=application.public_id)
    return render(request, "applications/submitted.html", {"application": application})


@login_required
@require_GET
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    application = selectors.application_for_citizen(request.user, public_id)
    context = {
        "application": application,
        "deadline": selectors.deadline_of(application),
        "next_step": selectors.next_step(application),
        "rows": selectors.answer_rows(application),
        "events": application.events.select_related("actor"),
        "is_applicant": application.applicant_id == request.user.pk,
    }
    return render(request, "applications/detail.html", context)


@login_required
@require_POST
def confirm_received(request: HttpRequest, public_id: str) -> HttpResponse:
    application = selectors.application_for_citizen(request.user, public_id)
    try:
        services.application_confirm_received(actor=request.user, application=application)
    except Conflict as exc:
        messages.error(request, exc.detail)
    return redirect("applications:detail", public_id=application.public_id)


@login_required
@require_GET
def receipt(request: HttpRequest, public_id: str) -> HttpResponse:
    application = selectors.application_for_citizen(request.user, public_id)
    if application.submitted_at is None:
        return redirect("applications:edit", public_id=application.public_id)
    response = HttpResponse(receipt_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="tanda-terima-{application.number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def attachment(request: HttpRequest, public_id: str, attachment_id: int) -> HttpResponse:
    application = selectors.application_for_citizen(request.user, public_id)
    item = selectors.attachment_for(application, attachment_id)
    return private_file_response(
        item.document.file,
        filename=f"{item.requirement_code}.{item.document.extension}",
        content_type=item.document.content_type,
    )


@login_required
@require_GET
def issued_document(request: HttpRequest, public_id: str) -> HttpResponse:
    application = selectors.application_for_citizen(request.user, public_id)
    document = application.issued_document
    if document is None:
        raise Http404(_("Dokumen belum terbit."))
    return private_file_response(
        document.file, filename=f"{application.number}.pdf", content_type="application/pdf"
    )


@require_GET
def track(request: HttpRequest, code: str = "") -> HttpResponse:
    """Public tracking by code: status, timeline and deadline, initials only."""
    code = code or request.GET.get("kode", "")
    if not code:
        return render(request, "applications/track_form.html", {})
    try:
        application = selectors.application_by_tracking_code(code)
    except NotFound as exc:
        context = {"error": exc.detail, "code": code[:20]}
        return render(request, "applications/track_form.html", context, status=404)
    context = {
        "application": application,
        "initials": selectors.initials(application.subject_name),
        "deadline": selectors.deadline_of(application),
        "events": application.events.all(),
    }
    response = render(request, "applications/track.html", context)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
