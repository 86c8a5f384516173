"""Account URLs: officers."""

urlpatterns: list = []
