"""Account URLs (namespace "accounts"), one list per area so that each grows on its own."""

from django.urls import include, path

from mpp.accounts import urls_citizen, urls_officers, urls_signin, urls_signup

app_name = "accounts"

# Mounted at the site root (mpp/urls.py): account pages under /akun/, and the officer pages
# of agency admins and the MPP manager under /kelola/petugas/, all in one namespace.
account_urlpatterns = [
    *urls_signin.urlpatterns,
    *urls_signup.urlpatterns,
    *urls_officers.urlpatterns,
    *urls_citizen.urlpatterns,
]

urlpatterns = [
    path("akun/", include(account_urlpatterns)),
    path("kelola/petugas/", include(urls_officers.manage_urlpatterns)),
    path("kelola/permintaan-data/", include(urls_citizen.manage_urlpatterns)),
]
