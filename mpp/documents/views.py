"""The public verification page: what a document states, and whether a copy is authentic."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mpp.core.errors import ValidationFailed
from mpp.core.uploads import check_upload
from mpp.documents import services

PDF_ONLY = {"application/pdf": "pdf"}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """GET shows the document's record; POST checks an uploaded copy against it."""
    document = services.document_by_code(code)  # NotFound -> the 404 page
    context: dict = {"document": document, "check": None, "upload_error": ""}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("berkas")
        try:
            check_upload(upload, allowed=PDF_ONLY)
        except ValidationFailed as exc:
            context["upload_error"] = exc.detail
            status = 400
        else:
            context["check"] = services.document_check_copy(document=document, data=upload.read())
    return render(request, "documents/verify.html", context, status=status)
