"""Reads about citizens: their profile, kuasa, personal data (UU 27/2022), deletion requests.

Every lookup by public id takes the user: another person's record reads as "not found".
"""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import (
    CitizenProfile,
    DeletionRequest,
    DeletionRequestStatus,
    Representation,
    User,
)
from mpp.agencies.permissions import require_mpp_manager
from mpp.core.errors import NotFound
from mpp.core.models import AuditRecord

RECENT_AUDIT_LIMIT = 100


def citizen_profile_for(user) -> CitizenProfile | None:
    """The citizen identity (NIK) bound to the account, if any."""
    return CitizenProfile.objects.filter(user_id=user.pk).first()


def active_on(day: date) -> Q:
    """Kuasa in force on `day`: not revoked and inside its validity period."""
    return Q(revoked_at__isnull=True, valid_from__lte=day, valid_until__gte=day)


def representations_for(user) -> QuerySet[Representation]:
    """The citizen's own kuasa, newest validity first."""
    return Representation.objects.filter(representative_id=user.pk).order_by(
        "-valid_until", "-created_at"
    )


def representation_for(user, public_id: str) -> Representation:
    """One of the citizen's own kuasa; anybody else's reads as not found."""
    representation = representations_for(user).filter(public_id=public_id).first()
    if representation is None:
        raise NotFound(_("Surat kuasa tidak ditemukan."))
    return representation


def active_representation_for(*, representative, represented_nik: str) -> Representation | None:
    """The kuasa in force today under which `representative` acts for `represented_nik`.

    Later acts (applications, bookings) call this and record both people.
    """
    if not getattr(representative, "pk", None):
        return None
    return (
        representations_for(representative)
        .filter(active_on(timezone.localdate()), represented_nik=represented_nik)
        .first()
    )


def open_deletion_request_for(user) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(
        user_id=user.pk, status=DeletionRequestStatus.OPEN
    ).first()


def deletion_requests_for(user) -> QuerySet[DeletionRequest]:
    return DeletionRequest.objects.filter(user_id=user.pk)


def _ids(queryset: QuerySet) -> list[str]:
    return [str(pk) for pk in queryset.values_list("pk", flat=True)]


def audit_records_about(user, *, limit: int = RECENT_AUDIT_LIMIT) -> QuerySet[AuditRecord]:
    """Audit entries the user made or that concern their account, profile, kuasa, requests."""
    profile_ids = _ids(CitizenProfile.objects.filter(user_id=user.pk))
    representation_ids = _ids(representations_for(user))
    request_ids = _ids(deletion_requests_for(user))
    about = (
        Q(actor_id=user.pk)
        | Q(target_type="accounts.user", target_id=str(user.pk))
        | Q(target_type="accounts.citizenprofile", target_id__in=profile_ids)
        | Q(target_type="accounts.representation", target_id__in=representation_ids)
        | Q(target_type="accounts.deletionrequest", target_id__in=request_ids)
    )
    return AuditRecord.objects.filter(about).order_by("-id")[:limit]


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _representation_data(representation: Representation) -> dict:
    return {
        "id": representation.public_id,
        "represented_nik": representation.represented_nik,
        "represented_name": representation.represented_name,
        "relationship": representation.relationship,
        "relationship_label": str(representation.get_relationship_display()),
        "valid_from": _iso(representation.valid_from),
        "valid_until": _iso(representation.valid_until),
        "revoked_at": _iso(representation.revoked_at),
        "power_of_attorney_type": representation.power_of_attorney_type,
        "registered_at": _iso(representation.created_at),
    }


def _deletion_request_data(request: DeletionRequest) -> dict:
    return {
        "id": request.public_id,
        "status": request.status,
        "reason": request.reason,
        "requested_at": _iso(request.created_at),
        "handled_at": _iso(request.handled_at),
        "answer": request.answer,
    }


def _audit_data(record: AuditRecord, owner_id: int) -> dict:
    return {
        "at": _iso(record.at),
        "action": record.action,
        "by_you": record.actor_id == owner_id,
        "target": f"{record.target_type}:{record.target_id}",
        "data": record.data,
    }


def personal_data_for(user: User) -> dict:
    """Everything held about the user, for the "My data" page and its JSON download.

    The owner sees their own NIK in full here; the result is never shown to anybody else.
    """
    profile = citizen_profile_for(user)
    return {
        "format": "mpp-personal-data/1",
        "generated_at": _iso(timezone.now()),
        "account": {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "email_verified_at": _iso(user.email_verified_at),
            "phone": user.phone,
            "phone_verified_at": _iso(user.phone_verified_at),
            "preferred_language": user.preferred_language,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "is_active": user.is_active,
        },
        "citizen_profile": (
            {
                "nik": profile.nik,
                "birth_date": _iso(profile.birth_date),
                "sex": profile.sex,
                "created_at": _iso(profile.created_at),
            }
            if profile
            else None
        ),
        "representations": [_representation_data(r) for r in representations_for(user)],
        "deletion_requests": [_deletion_request_data(r) for r in deletion_requests_for(user)],
        # Kept because the law requires it (see mpp.accounts.services.personal_data.KEPT).
        "audit_records": [_audit_data(r, user.pk) for r in audit_records_about(user)],
    }


def deletion_requests_for_manager(
    actor, *, status: str | None = DeletionRequestStatus.OPEN
) -> QuerySet[DeletionRequest]:
    """Deletion requests for the MPP manager (only they handle them), oldest first."""
    require_mpp_manager(actor)
    requests = DeletionRequest.objects.select_related("user", "user__citizen", "handled_by")
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("created_at")


def deletion_request_for_manager(actor, public_id: str) -> DeletionRequest:
    """One deletion request, for the MPP manager."""
    request = deletion_requests_for_manager(actor, status=None).filter(public_id=public_id).first()
    if request is None:
        raise NotFound(_("Permintaan tidak ditemukan."))
    return request
