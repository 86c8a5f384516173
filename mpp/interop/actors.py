"""The user an API client acts as, so that agency systems go through the same services.

Services take the acting user and check its roles in the agency (tenancy first). An API
client acts through a service account of its own — a user that cannot sign in, named
`api.<client public id>`, whose memberships follow the client's scopes — so every step an
agency system takes is checked, recorded in the timeline and audited exactly like an
officer's, under the client's name.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from mpp.accounts.models import SERVICE_ACCOUNT_PREFIX
from mpp.agencies.models import AgencyRole, Membership
from mpp.interop.models import ApiClient

USERNAME_PREFIX = SERVICE_ACCOUNT_PREFIX
# The workflow roles a scope lets a client act in (mpp.applications.workflow).
SCOPE_ROLES: dict[str, tuple[str, ...]] = {
    "applications:transition": (AgencyRole.VERIFIER, AgencyRole.APPROVER, AgencyRole.FRONT_DESK),
    "documents:attach": (AgencyRole.APPROVER,),
    "messages:send": (AgencyRole.FRONT_DESK,),
}


def is_service_account(user) -> bool:
    return str(getattr(user, "username", "")).startswith(USERNAME_PREFIX)


def roles_for(client: ApiClient) -> set[str]:
    return {role for scope in client.scopes or [] for role in SCOPE_ROLES.get(scope, ())}


@transaction.atomic
def client_actor(client: ApiClient):
    """The service account of the client, its memberships in step with its scopes."""
    user, created = get_user_model().objects.get_or_create(
        username=f"{USERNAME_PREFIX}{client.public_id}"[:150],
        defaults={"full_name": f"{client.name} (API)"[:200], "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif user.full_name != f"{client.name} (API)"[:200]:
        user.full_name = f"{client.name} (API)"[:200]
        user.save(update_fields=["full_name"])
    wanted = roles_for(client) if client.is_active else set()
    current = {m.role: m for m in Membership.objects.filter(user=user, agency_id=client.agency_id)}
    for role in wanted - current.keys():
        Membership.objects.create(user=user, agency_id=client.agency_id, role=role)
    for role, membership in current.items():
        active = role in wanted
        if membership.is_active != active:
            membership.is_active = active
            membership.save(update_fields=["is_active"])
    return user
