from django.urls import path

from mpp.applications import views

app_name = "applications"

urlpatterns = [
    path("permohonan/", views.mine, name="mine"),
    path("permohonan/ajukan/<slug:slug>/", views.start, name="start"),
    path("permohonan/<str:public_id>/", views.detail, name="detail"),
    path("permohonan/<str:public_id>/isi/", views.edit, name="edit"),
    path("permohonan/<str:public_id>/periksa/", views.review, name="review"),
    path("permohonan/<str:public_id>/terkirim/", views.submitted, name="submitted"),
    path("permohonan/<str:public_id>/diterima/", views.confirm_received, name="confirm_received"),
    path("permohonan/<str:public_id>/tanda-terima.pdf", views.receipt, name="receipt"),
    path(
        "permohonan/<str:public_id>/berkas/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path(
        "permohonan/<str:public_id>/dokumen-terbit.pdf",
        views.issued_document,
        name="issued_document",
    ),
    path("lacak/", views.track, name="track_form"),
    path("lacak/<str:code>/", views.track, name="track"),
]
