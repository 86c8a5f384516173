from django.urls import path

from mpp.applications import manage_views

app_name = "applications_manage"

urlpatterns = [
    path("", manage_views.work_list, name="list"),
    path("<str:public_id>/", manage_views.case, name="case"),
    path("<str:public_id>/langkah/", manage_views.step, name="step"),
    path("<str:public_id>/pesan/", manage_views.message, name="message"),
    path(
        "<str:public_id>/berkas/<int:attachment_id>/",
        manage_views.attachment,
        name="attachment",
    ),
]
