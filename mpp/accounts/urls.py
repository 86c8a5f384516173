"""Account URLs (namespace "accounts"), one list per area so that each grows on its own."""

from mpp.accounts import urls_citizen, urls_officers, urls_signin, urls_signup

app_name = "accounts"

urlpatterns = [
    *urls_signin.urlpatterns,
    *urls_signup.urlpatterns,
    *urls_officers.urlpatterns,
    *urls_citizen.urlpatterns,
]
