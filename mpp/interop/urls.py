"""Pages of agency admins under /kelola/api/ and /kelola/webhook/ (namespace "interop")."""

from django.urls import path

from mpp.interop import views

app_name = "interop"

urlpatterns = [
    path("api/", views.api_agencies, name="api_agencies"),
    path("api/<slug:slug>/", views.api_clients, name="api_clients"),
    path("api/<slug:slug>/baru/", views.api_client_create, name="api_client_create"),
    path("api/<slug:slug>/<str:public_id>/", views.api_client_detail, name="api_client"),
    path(
        "api/<slug:slug>/<str:public_id>/cakupan/",
        views.api_client_scopes,
        name="api_client_scopes",
    ),
    path(
        "api/<slug:slug>/<str:public_id>/rotasi/",
        views.api_client_rotate,
        name="api_client_rotate",
    ),
    path(
        "api/<slug:slug>/<str:public_id>/cabut/",
        views.api_client_revoke,
        name="api_client_revoke",
    ),
    path("webhook/", views.webhook_agencies, name="webhook_agencies"),
    path("webhook/<slug:slug>/", views.subscriptions, name="subscriptions"),
    path("webhook/<slug:slug>/baru/", views.subscription_create, name="subscription_create"),
    path("webhook/<slug:slug>/<str:public_id>/", views.subscription_detail, name="subscription"),
    path(
        "webhook/<slug:slug>/<str:public_id>/ubah/",
        views.subscription_edit,
        name="subscription_edit",
    ),
    path(
        "webhook/<slug:slug>/<str:public_id>/rotasi/",
        views.subscription_rotate,
        name="subscription_rotate",
    ),
    path(
        "webhook/<slug:slug>/<str:public_id>/status/",
        views.subscription_toggle,
        name="subscription_toggle",
    ),
    path(
        "webhook/<slug:slug>/<str:public_id>/kirim-ulang/<str:message_id>/",
        views.redeliver,
        name="redeliver",
    ),
]
