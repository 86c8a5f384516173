"""The citizen's registry page, mounted at /akun/data-kependudukan/ by mpp/urls.py."""

from django.urls import path

from mpp.registries import views

app_name = "registries"

urlpatterns = [
    path("", views.registry_data, name="data"),
]
