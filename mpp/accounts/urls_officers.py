"""Account URLs: officers.

`urlpatterns` sit under /akun/ (the invitation link); `manage_urlpatterns` under
/kelola/petugas/ (the officer pages of agency admins and the MPP manager). Both are in the
"accounts" namespace (see mpp/accounts/urls.py).
"""

from django.urls import path

from mpp.accounts.views import officers as views

urlpatterns = [
    path("undangan/<str:token>/", views.invitation_accept, name="invitation_accept"),
]

manage_urlpatterns = [
    path("", views.officers, name="officers"),
    path("<slug:slug>/", views.agency_officers, name="agency_officers"),
    path("<slug:slug>/undang/", views.officer_invite, name="officer_invite"),
    path("<slug:slug>/riwayat/", views.officer_history, name="officer_history"),
    path("<slug:slug>/<int:pk>/peran/", views.officer_role, name="officer_role"),
    path("<slug:slug>/<int:pk>/nonaktifkan/", views.officer_deactivate, name="officer_deactivate"),
    path("<slug:slug>/<int:pk>/aktifkan/", views.officer_reactivate, name="officer_reactivate"),
    path(
        "<slug:slug>/undangan/<int:pk>/batalkan/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
