"""Account URLs: citizen sign-up and contact verification."""

from django.urls import path

from mpp.accounts.views import signup

urlpatterns = [
    path("daftar/", signup.signup, name="signup"),
    path("verifikasi/", signup.verify, name="verify"),
    path("verifikasi/kirim/", signup.send_code, name="verify_send"),
]
