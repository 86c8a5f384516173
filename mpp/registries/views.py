"""/akun/data-kependudukan/: the citizen gives or withdraws consent per purpose, sees what
the population registry holds about them, fills their profile from it, and sees who looked
them up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mpp.accounts.selectors import citizen_profile_for
from mpp.core.errors import MppError
from mpp.registries import selectors, services
from mpp.registries.forms import ConsentForm
from mpp.registries.models import CITIZEN_PURPOSES, RegistryPurpose

RECENT_LOOKUPS = 10
FIELD_LABELS = {
    "full_name": gettext_lazy("nama lengkap"),
    "birth_date": gettext_lazy("tanggal lahir"),
    "sex": gettext_lazy("jenis kelamin"),
}


def _save_consent(request: HttpRequest) -> None:
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilihan persetujuan tidak valid."))
        return
    chosen = set(form.cleaned_data["purposes"])
    for purpose in CITIZEN_PURPOSES:
        if purpose in chosen:
            services.registry_consent_give(actor=request.user, purpose=purpose)
        else:
            services.registry_consent_withdraw(actor=request.user, purpose=purpose)
    messages.success(request, _("Persetujuan Anda disimpan."))


def _fill_profile(request: HttpRequest) -> None:
    changed = services.registry_profile_fill(actor=request.user)
    if changed:
        names = ", ".join(str(FIELD_LABELS.get(name, name)) for name in changed)
        messages.success(request, _("Profil diperbarui dari data kependudukan: %s.") % names)
    else:
        messages.info(request, _("Profil Anda sudah sama dengan data kependudukan."))


@login_required
@require_http_methods(["GET", "POST"])
def registry_data(request: HttpRequest) -> HttpResponse:
    user = request.user
    profile = citizen_profile_for(user)
    if request.method == "POST" and profile is not None:
        try:
            if request.POST.get("action") == "fill":
                _fill_profile(request)
            else:
                _save_consent(request)
        except MppError as error:
            messages.error(request, error.detail or str(error.title))
        return redirect("registries:data")
    consented = selectors.consented_purposes(user)
    record, problem = None, None
    if profile is not None and RegistryPurpose.PROFILE in consented:
        try:
            record = services.registry_lookup(
                actor=user, nik=profile.nik, purpose=RegistryPurpose.PROFILE
            )
            if record is None:
                problem = _("NIK Anda tidak ditemukan di data kependudukan Dukcapil.")
        except MppError as error:
            problem = error.detail or str(error.title)
    identity = None
    if profile is not None and RegistryPurpose.IDENTITY in consented:
        try:
            identity = services.registry_verify_identity(actor=user)
        except MppError as error:
            problem = problem or error.detail or str(error.title)
    context = {
        "profile": profile,
        "identity": identity,
        "form": ConsentForm(initial={"purposes": sorted(consented)}),
        "consented": consented,
        "record": record,
        "problem": problem,
        "lookups": selectors.lookups_of(profile.nik)[:RECENT_LOOKUPS] if profile else [],
    }
    response = render(request, "registries/data.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
