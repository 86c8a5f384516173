"""The citizen's own profile (/akun/profil/): the only page besides "My data" with the full NIK."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mpp.accounts import selectors


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "profile": selectors.citizen_profile_for(user),
        "active_representations": selectors.representations_for(user)
        .filter(selectors.active_on(timezone.localdate()))
        .count(),
        "open_deletion_request": selectors.open_deletion_request_for(user),
    }
    response = render(request, "accounts/profile.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
