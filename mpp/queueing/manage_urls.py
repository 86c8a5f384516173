"""Set-up and counter pages under /kelola/antrean/."""

from django.urls import path

from mpp.queueing.views import mall

app_name = "queueing_manage"

urlpatterns = [
    path("", mall.overview, name="overview"),
    path("jam/", mall.hours, name="hours"),
    path("layanan/<slug:slug>/", mall.queue_service, name="service"),
    path("loket/baru/", mall.counter_edit, name="counter_new"),
    path("loket/<str:public_id>/", mall.counter_edit, name="counter"),
    path("loket/<str:public_id>/konsol/", mall.console, name="console"),
    path("kiosk/aktifkan/", mall.kiosk_activate, name="kiosk_activate"),
    path("krisis/", mall.crisis_page, name="crisis"),
    path("statistik/", mall.statistics, name="statistics"),
]
