"""Account pages, one module per area: signup, signin, twofactor, officers, representation,
personal_data."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def ratelimited(request: HttpRequest, exception=None) -> HttpResponse:
    """Shown when a rate limit is hit (django-ratelimit's RATELIMIT_VIEW)."""
    return render(request, "accounts/ratelimited.html", status=429)
