from django.urls import path

from mpp.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("layanan/", views.service_list, name="service_list"),
    path("layanan/<slug:slug>/", views.service_detail, name="service_detail"),
    path("layanan/<slug:slug>/standar/", views.standard_list, name="standard_list"),
    path(
        "layanan/<slug:slug>/standar/bandingkan/",
        views.standard_compare,
        name="standard_compare",
    ),
    path(
        "layanan/<slug:slug>/standar/<int:version>/",
        views.standard_detail,
        name="standard_detail",
    ),
    path("instansi/", views.agency_list, name="agency_list"),
    path("instansi/<slug:slug>/", views.agency_detail, name="agency_detail"),
]
