"""Display helpers for the public catalog: rupiah, durations, requirement kinds, names.

Plain functions registered as template filters, so that other modules (the version
comparison) describe things in exactly the words the pages use.
"""

from typing import Any

from django import template
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def rupiah(amount: Any) -> str:
    """30000 → "Rp 30.000" (Indonesian thousands separator, whatever the UI language)."""
    try:
        value = int(amount)
    except (TypeError, ValueError):
        return ""
    return "Rp " + f"{value:,}".replace(",", ".")


@register.filter
def fee_text(total: Any) -> str:
    """A fee total as shown to citizens: "Gratis" when zero."""
    try:
        value = int(total or 0)
    except (TypeError, ValueError):
        value = 0
    return _("Gratis") if value == 0 else rupiah(value)


@register.filter
def duration(value: Any) -> str:
    """{"value": 3, "unit": "working_days"} → "3 hari kerja"; "" for anything unreadable."""
    if not isinstance(value, dict):
        return ""
    try:
        n = int(value.get("value"))
    except (TypeError, ValueError):
        return ""
    unit = value.get("unit")
    if unit == "minutes":
        return ngettext("%(n)d menit", "%(n)d menit", n) % {"n": n}
    if unit == "hours":
        return ngettext("%(n)d jam", "%(n)d jam", n) % {"n": n}
    if unit == "working_days":
        return ngettext("%(n)d hari kerja", "%(n)d hari kerja", n) % {"n": n}
    return str(n)


@register.filter
def requirement_kind(kind: Any) -> str:
    return {
        "document": _("Dokumen"),
        "data": _("Data isian"),
        "condition": _("Ketentuan"),
    }.get(str(kind), str(kind))


@register.filter
def file_types(types: Any) -> str:
    """["pdf", "jpg"] → "PDF, JPG"."""
    if not isinstance(types, list | tuple):
        return ""
    return ", ".join(str(t).upper() for t in types)


@register.filter
def local_name(obj: Any) -> str:
    """A category or life event in the active language (name_en when English and filled)."""
    english = getattr(obj, "name_en", "")
    if english and (get_language() or "").startswith("en"):
        return english
    return getattr(obj, "name", str(obj))


def describe_requirement(item: dict) -> str:
    """One requirement in a sentence: name, kind, mandatory or optional, file types."""
    parts = [
        requirement_kind(item.get("kind")),
        _("wajib") if item.get("mandatory", True) else _("opsional"),
    ]
    if item.get("kind") == "document" and item.get("file_types"):
        parts.append(file_types(item["file_types"]))
    return f"{item.get('name', '')} ({', '.join(parts)})"


def describe_step(item: dict) -> str:
    return _("%(title)s — %(who)s, %(time)s") % {
        "title": item.get("title", ""),
        "who": item.get("responsible", ""),
        "time": duration(item.get("duration")),
    }


def describe_fee(item: dict) -> str:
    text = f"{item.get('name', '')}: {fee_text(item.get('amount'))}"
    if item.get("legal_basis"):
        text += f" ({item['legal_basis']})"
    return text


@register.filter
def safe_url(url: Any) -> str:
    """The URL when it is a plain web address; "" otherwise (never javascript: or data:)."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""
