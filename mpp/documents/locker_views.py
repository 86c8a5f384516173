"""The citizen's locker page: documents given once, to download again or remove."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mpp.core.files import private_file_response
from mpp.documents import locker


@login_required
@require_GET
def locker_list(request: HttpRequest) -> HttpResponse:
    documents = locker.locker_documents_for(request.user)
    return render(request, "documents/locker.html", {"documents": documents})


@login_required
@require_GET
def locker_download(request: HttpRequest, public_id: str) -> HttpResponse:
    document = locker.locker_document_for(request.user, public_id)
    return private_file_response(
        document.file,
        filename=f"{document.kind}.{document.extension}",
        content_type=document.content_type,
    )


@login_required
@require_POST
def locker_remove(request: HttpRequest, public_id: str) -> HttpResponse:
    document = locker.locker_delete(actor=request.user, public_id=public_id)
    messages.success(
        request,
        _("%(label)s dihapus dari dokumen tersimpan. Permohonan yang sudah memakainya tetap utuh.")
        % {"label": document.label},
    )
    return redirect("documents_locker:list")
