"""`{{ nik|masked_nik }}` → 3573••••••••0001: for lists and every view that is not the owner's."""

from django import template

from mpp.accounts.nik import mask_nik

register = template.Library()


@register.filter
def masked_nik(value) -> str:
    return mask_nik(str(value or ""))
