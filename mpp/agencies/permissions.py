"""Who may do what: the one place that reads roles. Services call these before changing state."""

from mpp.agencies.models import AgencyRole, CityRole, CityRoleKind, Membership
from mpp.core.errors import PermissionDenied


def _is_signed_in(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False) and user.is_active)


def has_city_role(user, role: str) -> bool:
    """True when the user holds the active city-wide role."""
    if not _is_signed_in(user):
        return False
    return CityRole.objects.filter(user=user, role=role, is_active=True).exists()


def is_mpp_manager(user) -> bool:
    """The MPP manager (pengelola) manages agencies, services and the calendar."""
    return has_city_role(user, CityRoleKind.MPP_MANAGER)


def agency_ids_for(user, roles: tuple[str, ...] | None = None) -> set[int]:
    """Ids of the agencies where the user holds one of the roles (any role when None)."""
    if not _is_signed_in(user):
        return set()
    qs = Membership.objects.filter(user=user, is_active=True, agency__is_active=True)
    if roles is not None:
        qs = qs.filter(role__in=roles)
    return set(qs.values_list("agency_id", flat=True))


def can_edit_agency_catalog(user, agency_id: int) -> bool:
    """MPP manager everywhere; agency admin in their own agency."""
    return is_mpp_manager(user) or agency_id in agency_ids_for(user, (AgencyRole.AGENCY_ADMIN,))


def require_mpp_manager(user) -> None:
    """Refuse unless the user is the MPP manager."""
    if not is_mpp_manager(user):
        raise PermissionDenied()


def is_officer(user) -> bool:
    """Any staff role: a membership in an agency or a city-wide role."""
    if not _is_signed_in(user):
        return False
    return bool(agency_ids_for(user)) or CityRole.objects.filter(user=user, is_active=True).exists()
