from django.urls import path

from mpp.catalog import manage_views

app_name = "manage"

urlpatterns = [
    path("", manage_views.dashboard, name="dashboard"),
]
