"""Reads about registry consent and look-ups; each person sees only their own."""

from django.db.models import QuerySet
from django.utils.crypto import salted_hmac

from mpp.agencies.models import AgencyRole
from mpp.agencies.permissions import agency_ids_for
from mpp.registries.models import RegistryConsent, RegistryLookup

# Officers who serve citizens may look a person up; admins and auditors may not.
OFFICER_ROLES = (AgencyRole.FRONT_DESK, AgencyRole.VERIFIER, AgencyRole.APPROVER)


def nik_hash(nik: str) -> str:
    """A keyed hash of a NIK (HMAC with the site's secret): finds a person's look-ups in
    the log without storing the NIK."""
    return salted_hmac("mpp.registries.nik", nik, algorithm="sha256").hexdigest()


def active_consent(user, purpose: str) -> RegistryConsent | None:
    if not getattr(user, "pk", None):
        return None
    return RegistryConsent.objects.filter(
        user_id=user.pk, purpose=purpose, withdrawn_at__isnull=True
    ).first()


def has_consent(user, purpose: str) -> bool:
    """True when the user has consented to registry look-ups for this purpose."""
    return active_consent(user, purpose) is not None


def consented_purposes(user) -> set[str]:
    return set(
        RegistryConsent.objects.filter(user_id=user.pk, withdrawn_at__isnull=True).values_list(
            "purpose", flat=True
        )
    )


def registry_officer_agency_ids(user) -> set[int]:
    """Agencies in which the user serves citizens and so may look people up."""
    return agency_ids_for(user, OFFICER_ROLES)


def lookups_of(nik: str) -> QuerySet[RegistryLookup]:
    """Look-ups of the person with this NIK (the citizen's own "who looked me up")."""
    return RegistryLookup.objects.filter(nik_hash=nik_hash(nik))
