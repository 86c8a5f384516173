"""The status workflow of an application: which step leads where, and who may take it.

submitted → verification → revision requested → (resubmitted → verification) → processing →
approved or rejected → document issued → completed. Officers take their steps only in their
own agency and only with the role named here; the applicant takes theirs on their own case.
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from mpp.agencies.models import AgencyRole
from mpp.applications.models import Status

APPLICANT = "applicant"


@dataclass(frozen=True)
class Action:
    """One step an officer (or the applicant) can take."""

    key: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    label: str
    note_required: bool = False
    note_label: str = ""


OFFICER_ACTIONS: dict[str, Action] = {
    action.key: action
    for action in (
        Action(
            "start_verification",
            (Status.SUBMITTED, Status.RESUBMITTED),
            Status.VERIFICATION,
            (AgencyRole.VERIFIER,),
            _("Mulai verifikasi berkas"),
        ),
        Action(
            "request_revision",
            (Status.VERIFICATION,),
            Status.REVISION_REQUESTED,
            (AgencyRole.VERIFIER,),
            _("Minta perbaikan kepada pemohon"),
            note_required=True,
            note_label=_("Apa yang perlu diperbaiki"),
        ),
        Action(
            "verify",
            (Status.VERIFICATION,),
            Status.PROCESSING,
            (AgencyRole.VERIFIER,),
            _("Berkas lengkap: teruskan untuk diproses"),
        ),
        Action(
            "reject",
            (Status.VERIFICATION, Status.PROCESSING),
            Status.REJECTED,
            (AgencyRole.VERIFIER, AgencyRole.APPROVER),
            _("Tolak permohonan"),
            note_required=True,
            note_label=_("Alasan penolakan"),
        ),
        Action(
            "approve",
            (Status.PROCESSING,),
            Status.APPROVED,
            (AgencyRole.APPROVER,),
            _("Setujui permohonan"),
        ),
        Action(
            "issue",
            (Status.APPROVED,),
            Status.ISSUED,
            (AgencyRole.APPROVER,),
            _("Terbitkan dokumen bertanda tangan elektronik"),
        ),
        Action(
            "complete",
            (Status.ISSUED,),
            Status.COMPLETED,
            (AgencyRole.FRONT_DESK, AgencyRole.VERIFIER, AgencyRole.APPROVER),
            _("Tandai selesai (dokumen sudah diterima)"),
        ),
    )
}

# The reject step of a verifier is in verification; of an approver, in processing.
ROLE_SOURCES: dict[tuple[str, str], tuple[str, ...]] = {
    ("reject", AgencyRole.VERIFIER): (Status.VERIFICATION,),
    ("reject", AgencyRole.APPROVER): (Status.PROCESSING,),
}


def allowed(action: Action, *, status: str, roles: set[str]) -> bool:
    """True when one of `roles` may take `action` on a case in `status`."""
    for role in roles:
        if role in action.roles and status in ROLE_SOURCES.get((action.key, role), action.sources):
            return True
    return False


def actions_for(*, status: str, roles: set[str]) -> list[Action]:
    """The steps these roles can take now, in workflow order."""
    return [a for a in OFFICER_ACTIONS.values() if allowed(a, status=status, roles=roles)]


def sla_working_days(completion_time: dict) -> int:
    """The promised time as whole working days (hours and minutes round up to a day).

    A standard promising minutes or hours (e.g. "1×24 jam") is finished within one working
    day of the online submission at the latest: 24 hours count as one working day.
    """
    value, unit = int(completion_time.get("value") or 1), completion_time.get("unit")
    if unit == "working_days":
        return max(value, 1)
    if unit == "hours":
        return max(math.ceil(value / 24), 1)
    return max(math.ceil(value / (24 * 60)), 1)
