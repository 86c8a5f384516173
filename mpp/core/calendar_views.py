"""The MPP manager's page for the working-day calendar: holidays of a year and manual changes."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from mpp.core import services
from mpp.core.calendar import (
    SOURCE_CUTI_BERSAMA,
    SOURCE_MANUAL,
    SOURCE_NATIONAL,
    holidays_between,
)
from mpp.core.errors import MppError
from mpp.core.models import CalendarOverride

MIN_YEAR, MAX_YEAR = 2000, 2100
SOURCE_LABELS = {
    SOURCE_NATIONAL: gettext_lazy("Libur nasional"),
    SOURCE_CUTI_BERSAMA: gettext_lazy("Cuti bersama"),
    SOURCE_MANUAL: gettext_lazy("Ditetapkan pengelola"),
}
KIND_CHOICES = [
    ("holiday", gettext_lazy("Hari libur tambahan")),
    ("working", gettext_lazy("Hari kerja (walaupun akhir pekan atau libur)")),
]


class OverrideForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Tanggal"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=gettext_lazy("Alasan"), max_length=200)

    def clean_day(self) -> dt.date:
        day = self.cleaned_data["day"]
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise forms.ValidationError(_("Tanggal harus antara tahun 2000 dan 2100."))
        return day


class ClearForm(forms.Form):
    day = forms.DateField()


def _require_manager(request: HttpRequest) -> None:
    from mpp.agencies.permissions import is_mpp_manager

    if not is_mpp_manager(request.user):
        raise DjangoPermissionDenied


def _year(raw: str | None) -> int:
    """The year asked for in ?tahun=, or the current one when absent or out of range."""
    try:
        year = int(raw or "")
    except ValueError:
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


def _page(request: HttpRequest, year: int, form: OverrideForm, status: int = 200) -> HttpResponse:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days = [
        {"date": h.date, "name": h.name, "source": h.source, "label": SOURCE_LABELS[h.source]}
        for h in holidays_between(start, end)
    ]
    context = {
        "year": year,
        "previous_year": year - 1 if year > MIN_YEAR else None,
        "next_year": year + 1 if year < MAX_YEAR else None,
        "holidays": days,
        "overrides": CalendarOverride.objects.filter(date__range=(start, end)),
        "form": form,
    }
    return render(request, "core/calendar.html", context, status=status)


def _redirect_to(year: int) -> HttpResponse:
    return redirect(f"{reverse('core:calendar')}?tahun={year}")


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    """List the year's days off; POST adds a manual holiday or working day."""
    _require_manager(request)
    if request.method == "GET":
        return _page(request, _year(request.GET.get("tahun")), OverrideForm())
    form = OverrideForm(request.POST)
    if not form.is_valid():
        return _page(request, _year(request.GET.get("tahun")), form, status=400)
    day = form.cleaned_data["day"]
    try:
        services.calendar_day_set(
            actor=request.user,
            day=day,
            is_working_day=form.cleaned_data["kind"] == "working",
            reason=form.cleaned_data["reason"],
        )
    except MppError as error:
        form.add_error(None, error.detail or str(error.title))
        return _page(request, day.year, form, status=400)
    messages.success(request, _("Kalender diperbarui."))
    return _redirect_to(day.year)


@login_required
@require_POST
def calendar_clear(request: HttpRequest) -> HttpResponse:
    """Remove a manual change, returning the day to the national calendar."""
    _require_manager(request)
    form = ClearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tanggal tidak valid."))
        return _redirect_to(timezone.localdate().year)
    day = form.cleaned_data["day"]
    try:
        services.calendar_day_clear(actor=request.user, day=day)
    except MppError as error:
        messages.error(request, error.detail or str(error.title))
    else:
        messages.success(request, _("Penyesuaian manual dihapus."))
    return _redirect_to(day.year if MIN_YEAR <= day.year <= MAX_YEAR else timezone.localdate().year)
