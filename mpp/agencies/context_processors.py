from django.utils.functional import SimpleLazyObject

from mpp.agencies.permissions import is_officer


def roles(request) -> dict:
    """`is_officer` for menus: evaluated only when a template asks, and never for anonymous."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_officer": False}
    return {"is_officer": SimpleLazyObject(lambda: is_officer(user))}
