"""Sign-in, sign-out, lockout and password reset (placeholder until the sign-in work lands)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    return render(request, "accounts/locked.html", status=403)
