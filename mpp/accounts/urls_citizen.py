"""Account URLs: citizen."""

urlpatterns: list = []
