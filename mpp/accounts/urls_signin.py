"""Account URLs: sign-in, sign-out, password reset by e-mail and the second factor (TOTP)."""

from django.urls import path

from mpp.accounts.views import signin, twofactor

urlpatterns = [
    path("masuk/", signin.SignInView.as_view(), name="login"),
    path("keluar/", signin.SignOutView.as_view(), name="logout"),
    path("lupa-sandi/", signin.ResetRequestView.as_view(), name="password_reset"),
    path("lupa-sandi/terkirim/", signin.ResetDoneView.as_view(), name="password_reset_done"),
    path(
        "atur-sandi/<uidb64>/<token>/",
        signin.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "atur-sandi/selesai/",
        signin.ResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("2fa/", twofactor.verify, name="twofactor"),
    path("2fa/daftar/", twofactor.enrol, name="twofactor_enrol"),
]
