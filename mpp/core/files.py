"""Sending a privately stored file to a reader a view has already authorised."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


def private_file_response(field_file, *, filename: str, content_type: str, inline: bool = False):
    """The file as a download that no cache keeps; a missing file is a 404, never a 500."""
    if not field_file:
        raise Http404(_("Berkas tidak tersedia lagi."))
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Berkas tidak tersedia lagi.")) from exc
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response
