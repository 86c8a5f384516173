from django.urls import path

from mpp.catalog import manage_views

app_name = "manage"

urlpatterns = [
    path("", manage_views.dashboard, name="dashboard"),
    path("impor/", manage_views.import_file, name="import"),
    path("ekspor/", manage_views.export_all, name="export"),
    path("layanan/<slug:slug>/", manage_views.service_detail, name="service"),
    path("layanan/<slug:slug>/draf/", manage_views.draft_create, name="draft_create"),
    path("layanan/<slug:slug>/unggah/", manage_views.draft_upload, name="draft_upload"),
    path("layanan/<slug:slug>/ekspor/", manage_views.service_export, name="service_export"),
    path(
        "layanan/<slug:slug>/versi/<int:version>/ubah/",
        manage_views.draft_edit,
        name="draft_edit",
    ),
    path(
        "layanan/<slug:slug>/versi/<int:version>/tetapkan/",
        manage_views.adopt,
        name="adopt",
    ),
    path(
        "layanan/<slug:slug>/versi/<int:version>/cabut/",
        manage_views.withdraw,
        name="withdraw",
    ),
]
