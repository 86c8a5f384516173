"""Small template helpers of the application pages."""

from django import template

from mpp.applications.forms import DraftForm

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def is_reuse_field(name: str) -> bool:
    return str(name).endswith(DraftForm.REUSE_SUFFIX)


@register.filter
def reuse_field(form, name: str):
    """The bound "use a stored document" field of a document requirement, if any."""
    key = f"{name}{DraftForm.REUSE_SUFFIX}"
    return form[key] if key in form.fields else None
