"""Who may set up queues and who may work a counter."""

from mpp.agencies.models import AgencyRole
from mpp.agencies.permissions import agency_ids_for, is_mpp_manager, require_mpp_manager
from mpp.core.errors import NotFound, PermissionDenied

__all__ = ["require_desk", "require_mpp_manager", "require_queue_admin", "visible_agency_ids"]

DESK_ROLES = (AgencyRole.FRONT_DESK, AgencyRole.AGENCY_ADMIN)


def visible_agency_ids(user) -> set[int] | None:
    """Agencies whose queue the user may see; None means every agency (MPP manager)."""
    if is_mpp_manager(user):
        return None
    return agency_ids_for(user)


def require_queue_admin(user, agency_id: int) -> None:
    """MPP manager everywhere, agency admin in their own agency; outsiders read 'not found'."""
    if is_mpp_manager(user):
        return
    if agency_id in agency_ids_for(user, (AgencyRole.AGENCY_ADMIN,)):
        return
    if agency_id in agency_ids_for(user):
        raise PermissionDenied()
    raise NotFound()


def require_desk(user, agency_id: int) -> None:
    """Front-desk officers and admins of the agency (and the MPP manager) work its counters."""
    if is_mpp_manager(user) or agency_id in agency_ids_for(user, DESK_ROLES):
        return
    if agency_id in agency_ids_for(user):
        raise PermissionDenied()
    raise NotFound()
