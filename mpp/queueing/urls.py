"""The queue's pages: /antrean/... (citizens, kiosk, display) and /kelola/antrean/... (officers)."""

from django.urls import include, path

urlpatterns = [
    path("kelola/antrean/", include("mpp.queueing.manage_urls")),
    path("antrean/", include("mpp.queueing.public_urls")),
]
