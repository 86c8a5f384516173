from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from mpp.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # Switching the language only sets a preference cookie: no CSRF token is needed, which
    # keeps public pages free of per-visitor tokens (and so cacheable, see mpp.core.cache).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/v1/", include("mpp.api_urls")),
    # /akun/... and /kelola/petugas/... (see mpp/accounts/urls.py)
    path("", include("mpp.accounts.urls")),
    path("", include("mpp.core.urls")),
    path("kelola/permohonan/", include("mpp.applications.manage_urls")),
    path("kelola/", include("mpp.interop.urls")),
    path("", include("mpp.queueing.urls")),
    path("kelola/", include("mpp.catalog.manage_urls")),
    path("admin/", admin.site.urls),
    path("verifikasi/", include("mpp.documents.urls")),
    path("", include("mpp.applications.urls")),
    path("akun/dokumen/", include("mpp.documents.locker_urls")),
    path("akun/data-kependudukan/", include("mpp.registries.urls")),
    path("", include("mpp.catalog.urls")),
]

handler404 = "mpp.core.views.not_found"
handler500 = "mpp.core.views.server_error"
handler403 = "mpp.core.views.forbidden"
handler400 = "mpp.core.views.bad_request"
