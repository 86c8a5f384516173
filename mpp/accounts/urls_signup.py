"""Account URLs: signup."""

urlpatterns: list = []
