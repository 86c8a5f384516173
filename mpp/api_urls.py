from django.urls import path

from mpp.api import api

urlpatterns = [path("", api.urls)]
