from django.urls import path

from mpp.documents import locker_views

app_name = "documents_locker"

urlpatterns = [
    path("", locker_views.locker_list, name="list"),
    path("<str:public_id>/", locker_views.locker_download, name="download"),
    path("<str:public_id>/hapus/", locker_views.locker_remove, name="remove"),
]
