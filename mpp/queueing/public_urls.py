"""Citizen and public pages under /antrean/."""

from django.urls import path

from mpp.queueing.views import citizen, mall

app_name = "queueing"

urlpatterns = [
    path("", citizen.service_list, name="services"),
    path("pesanan/", citizen.my_bookings, name="my_bookings"),
    path("pesanan/<str:code>/", citizen.booking_detail, name="booking"),
    path("pesanan/<str:code>/kalender.ics", citizen.booking_ics_download, name="booking_ics"),
    path("pesanan/<str:code>/batal/", citizen.booking_cancel, name="booking_cancel"),
    path("pesanan/<str:code>/ubah/", citizen.booking_reschedule, name="booking_reschedule"),
    path("tiket/<str:code>/", citizen.ticket, name="ticket"),
    path("tiket/<str:code>/status.json", citizen.ticket_status, name="ticket_status"),
    path("layar/", citizen.display, name="display"),
    path("layar/data.json", citizen.display_data, name="display_data"),
    path("kiosk/", mall.kiosk, name="kiosk"),
    path("pesan/<slug:slug>/", citizen.book, name="book"),
]
