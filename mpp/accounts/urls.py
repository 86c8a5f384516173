"""Account URLs (namespace "accounts"), one list per area so that each grows on its own."""

from mpp.accounts import urls_signin

app_name = "accounts"

urlpatterns = [*urls_signin.urlpatterns]
