"""Account URLs: the citizen's own pages (profile, kuasa, my data), and the MPP manager's
handling of personal-data requests (`manage_urlpatterns`, mounted at /kelola/permintaan-data/
by mpp/accounts/urls.py). Records are addressed by public ids, never by NIK."""

from django.urls import path

from mpp.accounts.views import personal_data, profile, representation

urlpatterns = [
    path("profil/", profile.profile, name="profile"),
    path("kuasa/", representation.kuasa, name="kuasa"),
    path("kuasa/<str:public_id>/cabut/", representation.kuasa_revoke, name="kuasa_revoke"),
    path("kuasa/<str:public_id>/surat/", representation.kuasa_document, name="kuasa_document"),
    path("data-saya/", personal_data.mydata, name="mydata"),
    path("data-saya/unduh/", personal_data.mydata_download, name="mydata_download"),
    path("data-saya/hapus/", personal_data.deletion_request, name="deletion_request"),
]

manage_urlpatterns = [
    path("", personal_data.manage_requests, name="deletion_requests"),
    path("<str:public_id>/", personal_data.manage_request, name="deletion_request_detail"),
]
