"""A minimal view: the ceiling a benchmark compares real pages against (see bench/README.md)."""

from django.http import HttpRequest, HttpResponse


def minimal(request: HttpRequest) -> HttpResponse:
    """Return a few bytes without touching the database or templates."""
    return HttpResponse(b"ok", content_type="text/plain")
