from django.urls import path

from mpp.documents import views

app_name = "documents"

urlpatterns = [
    path("<str:code>/", views.verify, name="verify"),
]
