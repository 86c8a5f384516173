"""Officers and their roles: e-mailed invitations, role changes, deactivation.

Who manages whom (ADR 0012): an agency admin manages the front desk, verifiers and approvers
of their own agency; the MPP manager manages everyone, agency admins included. Another
agency's membership or invitation reads as not found; a role that manages nobody is refused.
Every change is audited with ids only: no e-mail address goes into the audit trail.
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import SERVICE_ACCOUNT_PREFIX, OfficerInvitation
from mpp.agencies.models import Agency, AgencyRole, CityRole, Membership
from mpp.agencies.permissions import agency_ids_for, is_mpp_manager
from mpp.core.audit import audit
from mpp.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from mpp.core.mail import queue_email
from mpp.core.models import AuditRecord

INVITATION_TTL = dt.timedelta(days=7)
ADMIN_MANAGED_ROLES = (AgencyRole.FRONT_DESK, AgencyRole.VERIFIER, AgencyRole.APPROVER)
OFFICER_ACTIONS = (
    "officer.invited",
    "officer.invitation_accepted",
    "officer.invitation_revoked",
    "membership.granted",
    "membership.role_changed",
    "membership.deactivated",
    "membership.reactivated",
)
FULL_NAME_MAX = 200
EMAIL_MAX = 254


# --- helpers ---------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """The SHA-256 of an invitation token: the only form in which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def mask_email(email: str) -> str:
    """s***@malangkota.go.id: enough to recognise an address in a list, not to read it."""
    local, _sep, domain = (email or "").partition("@")
    if not local or not domain:
        return "***"
    return f"{local[0]}***@{domain}"


def _admin_agency_ids(actor) -> set[int]:
    return agency_ids_for(actor, (AgencyRole.AGENCY_ADMIN,))


def _require_officer_manager(actor) -> None:
    """Only the MPP manager and agency admins manage officers; everyone else is refused."""
    if not (is_mpp_manager(actor) or _admin_agency_ids(actor)):
        raise PermissionDenied()


def may_manage(actor, agency_id: int, role: str) -> bool:
    """True when the actor may grant, change or withdraw `role` in the agency."""
    if is_mpp_manager(actor):
        return True
    return role in ADMIN_MANAGED_ROLES and agency_id in _admin_agency_ids(actor)


def manageable_agencies(actor) -> QuerySet[Agency]:
    """Agencies whose officers the actor manages: all for the MPP manager, else the admin's."""
    _require_officer_manager(actor)
    agencies = Agency.objects.filter(is_active=True)
    if not is_mpp_manager(actor):
        agencies = agencies.filter(pk__in=_admin_agency_ids(actor))
    return agencies.order_by("name")


def _require_agency(actor, agency: Agency) -> None:
    """The agency (public, handed to the service) is one the actor manages."""
    _require_officer_manager(actor)
    if not is_mpp_manager(actor) and agency.pk not in _admin_agency_ids(actor):
        raise PermissionDenied()


def _check_role(role: str) -> str:
    if role not in AgencyRole.values:
        message = _("Peran tidak dikenal.")
        raise ValidationFailed(message, errors={"role": [message]})
    return role


def _require_role_rights(actor, agency_id: int, *roles: str) -> None:
    for role in roles:
        if not may_manage(actor, agency_id, role):
            raise PermissionDenied(
                _("Hanya pengelola MPP yang dapat mengatur peran admin instansi.")
                if role == AgencyRole.AGENCY_ADMIN
                else None
            )


# --- accessors and selectors -----------------------------------------------------------


def membership_for(*, actor, membership_id: int, agency: Agency | None = None) -> Membership:
    """A membership the actor may manage; another agency's reads as not found."""
    _require_officer_manager(actor)
    memberships = Membership.objects.select_related("user", "agency")
    if not is_mpp_manager(actor):
        memberships = memberships.filter(agency_id__in=_admin_agency_ids(actor))
    if agency is not None:
        memberships = memberships.filter(agency=agency)
    membership = memberships.filter(pk=membership_id).first()
    if membership is None:
        raise NotFound(_("Petugas tidak ditemukan."))
    return membership


def invitation_for(*, actor, invitation_id: int, agency: Agency | None = None):
    """An invitation the actor may manage; another agency's reads as not found."""
    _require_officer_manager(actor)
    invitations = OfficerInvitation.objects.select_related("agency")
    if not is_mpp_manager(actor):
        invitations = invitations.filter(agency_id__in=_admin_agency_ids(actor))
    if agency is not None:
        invitations = invitations.filter(agency=agency)
    invitation = invitations.filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound(_("Undangan tidak ditemukan."))
    return invitation


def officer_list(*, actor, agency: Agency) -> QuerySet[Membership]:
    """The agency's officers with their roles, active first."""
    _require_agency(actor, agency)
    return (
        Membership.objects.filter(agency=agency)
        .exclude(user__username__startswith=SERVICE_ACCOUNT_PREFIX)
        .select_related("user")
        .order_by("-is_active", "user__full_name", "user__username", "role")
    )


def pending_invitations(*, actor, agency: Agency) -> QuerySet[OfficerInvitation]:
    """Invitations of the agency not yet accepted or revoked (expired ones included)."""
    _require_agency(actor, agency)
    return OfficerInvitation.objects.filter(
        agency=agency, accepted_at__isnull=True, revoked_at__isnull=True
    ).order_by("-created_at")


@dataclass
class RoleChange:
    at: dt.datetime
    actor_label: str
    action: str
    subject: str
    data: dict = field(default_factory=dict)


def officer_history(*, actor, agency: Agency, limit: int = 200) -> list[RoleChange]:
    """The agency's record of invitations and role changes, newest first."""
    _require_agency(actor, agency)
    records = list(
        AuditRecord.objects.filter(agency_id=agency.pk, action__in=OFFICER_ACTIONS)
        .select_related("actor")
        .order_by("-id")[:limit]
    )
    user_ids = {r.data.get("user") for r in records if isinstance(r.data.get("user"), int)}
    names = {u.pk: u.display_name() for u in get_user_model().objects.filter(pk__in=user_ids)}
    return [
        RoleChange(
            at=r.at,
            actor_label=r.actor.display_name() if r.actor else (r.actor_label or "system"),
            action=r.action,
            subject=names.get(r.data.get("user"), "") if isinstance(r.data, dict) else "",
            data=r.data if isinstance(r.data, dict) else {},
        )
        for r in records
    ]


# --- invitations -----------------------------------------------------------------------


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    try:
        if len(email) > EMAIL_MAX:
            raise DjangoValidationError("too long")
        validate_email(email)
    except DjangoValidationError:
        message = _("Masukkan alamat e-mail yang valid.")
        raise ValidationFailed(message, errors={"email": [message]}) from None
    local, _sep, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _user_with_email(email: str):
    return get_user_model().objects.filter(email__iexact=email).first()


def accept_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[token])


@transaction.atomic
def officer_invite(*, actor, agency: Agency, email: str, role: str) -> OfficerInvitation:
    """Invite someone by e-mail to work for the agency in a role; the link lasts 7 days."""
    _require_agency(actor, agency)
    role = _check_role(role)
    _require_role_rights(actor, agency.pk, role)
    email = _clean_email(email)
    if not agency.is_active:
        raise Conflict(_("Instansi ini tidak aktif."))
    user = _user_with_email(email)
    if (
        user is not None
        and Membership.objects.filter(user=user, agency=agency, role=role, is_active=True).exists()
    ):
        message = _("Pemilik alamat e-mail ini sudah memegang peran tersebut di instansi ini.")
        raise Conflict(message, errors={"email": [message]})
    now = timezone.now()
    if OfficerInvitation.objects.filter(
        agency=agency,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).exists():
        message = _(
            "Undangan untuk alamat ini masih berlaku. Batalkan undangan itu dahulu jika ingin "
            "mengirim yang baru."
        )
        raise Conflict(message, errors={"email": [message]})
    token = secrets.token_urlsafe(32)
    invitation = OfficerInvitation.objects.create(
        email=email,
        agency=agency,
        role=role,
        token_hash=token_hash(token),
        expires_at=now + INVITATION_TTL,
        created_by=actor,
        modified_by=actor,
    )
    audit(
        actor=actor,
        action="officer.invited",
        target=invitation,
        agency_id=agency.pk,
        data={"invitation": invitation.pk, "role": role},
    )
    queue_email(
        to=email,
        template="accounts/mail/invitation",
        context={
            "agency": agency.name,
            "role": str(AgencyRole(role).label),
            "inviter": actor.display_name(),
            "url": accept_url(token),
            "expires_at": invitation.expires_at,
        },
        language=getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE,
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation: OfficerInvitation) -> OfficerInvitation:
    """Cancel an invitation that has not been accepted; its link stops working."""
    invitation = invitation_for(actor=actor, invitation_id=invitation.pk)
    _require_role_rights(actor, invitation.agency_id, invitation.role)
    invitation = OfficerInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise Conflict(_("Undangan ini sudah diterima; nonaktifkan petugasnya bila perlu."))
    if invitation.revoked_at is not None:
        raise Conflict(_("Undangan ini sudah dibatalkan."))
    invitation.revoked_at = timezone.now()
    invitation.modified_by = actor
    invitation.save(update_fields=["revoked_at", "modified_by", "modified_at"])
    audit(
        actor=actor,
        action="officer.invitation_revoked",
        target=invitation,
        agency_id=invitation.agency_id,
        data={"invitation": invitation.pk, "role": invitation.role},
    )
    return invitation


class InvitationUnusable(Conflict):
    """The link can no longer be used (expired, used or revoked): the message says which."""


class SignInRequired(Conflict):
    """The invited address already belongs to an account: its owner must sign in first."""


def invitation_by_token(token: str, *, for_update: bool = False) -> OfficerInvitation:
    """The invitation behind a link, or a clear reason why the link cannot be used."""
    invitations = OfficerInvitation.objects.select_related("agency")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=token_hash(token or "")).first()
    if invitation is None:
        raise NotFound(
            _("Tautan undangan tidak dikenal. Periksa kembali tautan di e-mail undangan Anda.")
        )
    if invitation.accepted_at is not None:
        raise InvitationUnusable(
            _("Undangan ini sudah dipakai. Silakan masuk dengan akun Anda."), reason="used"
        )
    if invitation.revoked_at is not None:
        raise InvitationUnusable(
            _("Undangan ini sudah dibatalkan oleh admin. Hubungi admin instansi Anda."),
            reason="revoked",
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable(
            _(
                "Undangan ini sudah kedaluwarsa (berlaku 7 hari). Mintalah undangan baru kepada "
                "admin instansi Anda."
            ),
            reason="expired",
        )
    return invitation


def invitation_existing_user(invitation: OfficerInvitation):
    """The account that already holds the invited address, if any."""
    return _user_with_email(invitation.email)


def _clean_full_name(full_name: str) -> str:
    full_name = " ".join((full_name or "").split())
    if not full_name:
        message = _("Nama lengkap wajib diisi.")
        raise ValidationFailed(message, errors={"full_name": [message]})
    if len(full_name) > FULL_NAME_MAX:
        message = _("Nama lengkap paling banyak %(max)d karakter.") % {"max": FULL_NAME_MAX}
        raise ValidationFailed(message, errors={"full_name": [message]})
    return full_name


def _new_officer(invitation: OfficerInvitation, full_name: str, password: str):
    user_model = get_user_model()
    # An internal handle: the officer signs in with the e-mail address, and the audit trail
    # (which records usernames as actor labels) must not carry the address.
    username = f"petugas.{secrets.token_hex(5)}"
    user = user_model(
        username=username,
        email=invitation.email,
        full_name=full_name,
        email_verified_at=timezone.now(),
    )
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(exc.messages[0], errors={"password": exc.messages}) from None
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def invitation_accept(*, token: str, full_name: str = "", password: str = "", actor=None):
    """Accept an invitation: a new officer account, or the signed-in owner of the address.

    Returns the membership. When the address already belongs to an account, `actor` must be
    that account (signed in); otherwise SignInRequired asks them to sign in first.
    """
    # Locked, so that two clicks on the same link cannot both succeed.
    invitation = invitation_by_token(token, for_update=True)
    existing = invitation_existing_user(invitation)
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    if existing is not None:
        if not signed_in or actor.pk != existing.pk:
            raise SignInRequired(
                _(
                    "Alamat e-mail ini sudah memiliki akun. Masuk dahulu dengan akun tersebut, "
                    "lalu buka kembali tautan undangan."
                )
            )
        user = existing
        if not user.email_verified_at:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
    elif signed_in:
        raise PermissionDenied(
            _("Undangan ini ditujukan ke alamat e-mail lain. Keluar dahulu dari akun Anda.")
        )
    else:
        user = _new_officer(invitation, _clean_full_name(full_name), password)
    membership, _created = Membership.objects.get_or_create(
        user=user,
        agency=invitation.agency,
        role=invitation.role,
        defaults={"created_by": user, "modified_by": user},
    )
    if not membership.is_active:
        membership.is_active = True
        membership.modified_by = user
        membership.save(update_fields=["is_active", "modified_by", "modified_at"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "modified_at"])
    data = {"invitation": invitation.pk, "user": user.pk, "role": invitation.role}
    audit(
        actor=user,
        action="officer.invitation_accepted",
        target=invitation,
        agency_id=invitation.agency_id,
        data=data,
    )
    audit(
        actor=user,
        action="membership.granted",
        target=membership,
        agency_id=invitation.agency_id,
        data={**data, "account_created": existing is None},
    )
    return membership


# --- roles -----------------------------------------------------------------------------


def _locked(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)


def _refuse_own_last_admin_role(actor, membership: Membership) -> None:
    """Nobody removes their own last admin role in an agency: keep a way back."""
    if membership.user_id != getattr(actor, "pk", None):
        return
    if membership.role != AgencyRole.AGENCY_ADMIN or not membership.is_active:
        return
    others = Membership.objects.filter(
        user_id=membership.user_id,
        agency_id=membership.agency_id,
        role=AgencyRole.AGENCY_ADMIN,
        is_active=True,
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise Conflict(
            _(
                "Anda tidak dapat mengubah atau menonaktifkan peran admin Anda sendiri. "
                "Mintalah pengelola MPP melakukannya."
            )
        )


@transaction.atomic
def membership_set_role(*, actor, membership: Membership, role: str) -> Membership:
    """Give an officer another role in the same agency; the change is recorded."""
    membership = membership_for(actor=actor, membership_id=membership.pk)
    role = _check_role(role)
    _require_role_rights(actor, membership.agency_id, membership.role, role)
    membership = _locked(membership)
    if membership.role == role:
        message = _("Petugas ini sudah memegang peran tersebut.")
        raise Conflict(message, errors={"role": [message]})
    _refuse_own_last_admin_role(actor, membership)
    if Membership.objects.filter(
        user_id=membership.user_id, agency_id=membership.agency_id, role=role
    ).exists():
        message = _(
            "Petugas ini sudah memiliki peran tersebut (mungkin nonaktif). Aktifkan peran itu "
            "dan nonaktifkan yang ini."
        )
        raise Conflict(message, errors={"role": [message]})
    previous = membership.role
    membership.role = role
    membership.modified_by = actor
    membership.save(update_fields=["role", "modified_by", "modified_at"])
    audit(
        actor=actor,
        action="membership.role_changed",
        target=membership,
        agency_id=membership.agency_id,
        data={"user": membership.user_id, "from": previous, "to": role},
    )
    return membership


def _set_active(actor, membership: Membership, active: bool) -> Membership:
    membership = membership_for(actor=actor, membership_id=membership.pk)
    _require_role_rights(actor, membership.agency_id, membership.role)
    membership = _locked(membership)
    if membership.is_active == active:
        raise Conflict(
            _("Petugas ini sudah aktif.") if active else _("Petugas ini sudah nonaktif.")
        )
    if not active:
        _refuse_own_last_admin_role(actor, membership)
    membership.is_active = active
    membership.modified_by = actor
    membership.save(update_fields=["is_active", "modified_by", "modified_at"])
    audit(
        actor=actor,
        action="membership.reactivated" if active else "membership.deactivated",
        target=membership,
        agency_id=membership.agency_id,
        data={"user": membership.user_id, "role": membership.role},
    )
    return membership


@transaction.atomic
def membership_deactivate(*, actor, membership: Membership) -> Membership:
    """Withdraw an officer's role; the account remains and the role can be given back."""
    return _set_active(actor, membership, False)


@transaction.atomic
def membership_reactivate(*, actor, membership: Membership) -> Membership:
    """Give a deactivated role back."""
    return _set_active(actor, membership, True)


# --- command line and demo -------------------------------------------------------------


@dataclass
class OfficerResult:
    user: object
    created: bool
    granted: list[str] = field(default_factory=list)
    generated_password: str | None = None


@transaction.atomic
def ensure_officer(
    username: str,
    *,
    password: str | None = None,
    full_name: str = "",
    email: str = "",
    agency: Agency | None = None,
    role: str | None = None,
    city_role: str | None = None,
    reset_password: bool = True,
) -> OfficerResult:
    """Create the user if needed and make sure it holds the roles; audit every grant.

    For the command line and the demo (no acting user). An existing user keeps its password
    unless one is given and reset_password is true.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    result = OfficerResult(user=user, created=user is None)
    if user is None:
        if not password:
            password = result.generated_password = secrets.token_urlsafe(12)
        user = user_model.objects.create_user(
            username=username, password=password, email=email, full_name=full_name
        )
        result.user = user
    else:
        _refresh_profile(user, password if reset_password else None, full_name, email)
    if agency is not None and role and _grant_membership(user, agency, role):
        result.granted.append(f"{role}@{agency.slug}")
    if city_role and _grant_city_role(user, city_role):
        result.granted.append(city_role)
    return result


def _refresh_profile(user, password: str | None, full_name: str, email: str) -> None:
    changed = []
    if password:
        user.set_password(password)
        changed.append("password")
    if full_name and user.full_name != full_name:
        user.full_name = full_name
        changed.append("full_name")
    if email and user.email != email:
        user.email = email
        changed.append("email")
    if changed:
        user.save(update_fields=changed)


def _grant_membership(user, agency: Agency, role: str) -> bool:
    membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
    if not created and membership.is_active:
        return False
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active", "modified_at"])
    audit(
        actor=None,
        action="membership.granted",
        target=membership,
        agency_id=agency.pk,
        data={"user": user.pk, "role": role},
    )
    return True


def _grant_city_role(user, role: str) -> bool:
    city_role, created = CityRole.objects.get_or_create(user=user, role=role)
    if not created and city_role.is_active:
        return False
    if not city_role.is_active:
        city_role.is_active = True
        city_role.save(update_fields=["is_active", "modified_at"])
    audit(
        actor=None,
        action="city_role.granted",
        target=city_role,
        data={"user": user.pk, "role": role},
    )
    return True
