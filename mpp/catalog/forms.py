"""Forms of the public catalog: the search and filter form (a plain GET form)."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mpp.catalog.models import Channel
from mpp.catalog.templatetags.catalog_format import local_name


def _slug_choices(objects: Sequence[Any], everything: str, named=str) -> list[tuple[str, str]]:
    return [("", everything), *((obj.slug, named(obj)) for obj in objects)]


class ServiceFilterForm(forms.Form):
    """Search words and filters; choices come from lists the view already fetched."""

    q = forms.CharField(label=_("Kata kunci"), required=False, max_length=200)
    agency = forms.ChoiceField(label=pgettext_lazy("one agency", "Instansi"), required=False)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    life_event = forms.ChoiceField(label=_("Peristiwa hidup"), required=False)
    channel = forms.ChoiceField(
        label=_("Kanal"),
        required=False,
        choices=[
            ("", _("Semua kanal")),
            (Channel.ONLINE.value, _("Daring")),
            (Channel.COUNTER.value, _("Di loket")),
        ],
    )

    def __init__(self, data, *, agencies, categories, life_events) -> None:
        super().__init__(data)
        self._by_slug = {
            "agency": {a.slug: a for a in agencies},
            "category": {c.slug: c for c in categories},
            "life_event": {e.slug: e for e in life_events},
        }
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        self.fields["agency"].choices = _slug_choices(agencies, _("Semua instansi"))
        self.fields["category"].choices = _slug_choices(categories, _("Semua kategori"), local_name)
        self.fields["life_event"].choices = _slug_choices(
            life_events, _("Semua peristiwa hidup"), local_name
        )

    def selector_filters(self) -> dict[str, Any]:
        """Keyword arguments for selectors.service_list (call after is_valid())."""
        data = self.cleaned_data
        return {
            "query": data.get("q", ""),
            "agency": self._by_slug["agency"].get(data.get("agency") or ""),
            "category": self._by_slug["category"].get(data.get("category") or ""),
            "life_event": self._by_slug["life_event"].get(data.get("life_event") or ""),
            "channel": data.get("channel") or "",
        }

    def active_filters(self) -> list[tuple[str, str]]:
        """(label, value) of each filter in use, to tell the reader what the list shows."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return []
        shown = []
        for name in ("agency", "category", "life_event", "channel"):
            value = self.cleaned_data.get(name)
            if value:
                label = dict(self.fields[name].choices).get(value, value)
                shown.append((str(self.fields[name].label), str(label)))
        return shown
