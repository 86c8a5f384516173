from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # any database failure is reported, not raised
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {
            "status": "ok" if status == 200 else "error",
            "database": database,
            "database_vendor": connection.vendor,
        },
        status=status,
    )


def _error_page(request: HttpRequest, status: int, template: str):
    from django.shortcuts import render

    if request.path.startswith("/api/"):
        titles = {
            400: _("Permintaan tidak valid"),
            403: _("Tidak berwenang"),
            404: _("Tidak ditemukan"),
            500: _("Kesalahan server"),
        }
        return JsonResponse(
            {"type": "about:blank", "title": titles[status], "status": status},
            status=status,
            content_type="application/problem+json",
        )
    return render(request, template, status=status)


def not_found(request: HttpRequest, exception=None):
    return _error_page(request, 404, "errors/404.html")


def forbidden(request: HttpRequest, exception=None):
    return _error_page(request, 403, "errors/403.html")


def bad_request(request: HttpRequest, exception=None):
    return _error_page(request, 400, "errors/400.html")


def server_error(request: HttpRequest):
    return _error_page(request, 500, "errors/500.html")
