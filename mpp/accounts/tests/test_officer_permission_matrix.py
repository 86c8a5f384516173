"""Every persona × agency A and agency B × every officer-facing action, in one table.

The actions: managing officers (mpp.accounts.services.officers), editing the catalog
(mpp.catalog.services) and the working-day calendar (mpp.core.services). Each cell says what
happens when the persona acts on agency A's object and on agency B's object:

    +  allowed (and audited)
    F  forbidden: PermissionDenied, the persona's role does not allow it
    N  not found: NotFound, the object belongs to an agency the persona does not manage

A refusal leaves the database exactly as it was. The catalog's own, more detailed matrix is
in mpp/catalog/tests/test_permission_matrix.py.
"""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from mpp.accounts.models import OfficerInvitation
from mpp.accounts.services import officers
from mpp.agencies.models import AgencyRole, CityRole, Membership
from mpp.catalog import services as catalog
from mpp.catalog.models import Service, ServiceStandard, StandardStatus
from mpp.catalog.testing import make_category, make_service, valid_components
from mpp.core import services as core
from mpp.core.errors import NotFound, PermissionDenied
from mpp.core.models import AuditRecord, CalendarOverride, DomainEvent

PERSONAS = (
    "anonymous",
    "citizen",
    "auditor",
    "manager",
    "admin_a",
    "verifier_a",
    "front_desk_a",
    "approver_a",
    "admin_b",
)

# Each cell: outcome on agency A's object, then on agency B's object.
# fmt: off
MATRIX: dict[str, tuple[str, ...]] = {
    #                           anon  citizen auditor manager admin_a verif_a desk_a appr_a admin_b
    "officer_list":            ("FF", "FF",   "FF",   "++",   "+F",   "FF",   "FF",  "FF",  "F+"),
    "pending_invitations":     ("FF", "FF",   "FF",   "++",   "+F",   "FF",   "FF",  "FF",  "F+"),
    "officer_history":         ("FF", "FF",   "FF",   "++",   "+F",   "FF",   "FF",  "FF",  "F+"),
    "officer_invite":          ("FF", "FF",   "FF",   "++",   "+F",   "FF",   "FF",  "FF",  "F+"),
    "officer_invite_admin":    ("FF", "FF",   "FF",   "++",   "FF",   "FF",   "FF",  "FF",  "FF"),
    "invitation_revoke":       ("FF", "FF",   "FF",   "++",   "+N",   "FF",   "FF",  "FF",  "N+"),
    "invitation_revoke_admin": ("FF", "FF",   "FF",   "++",   "FN",   "FF",   "FF",  "FF",  "NF"),
    "membership_for":          ("FF", "FF",   "FF",   "++",   "+N",   "FF",   "FF",  "FF",  "N+"),
    "membership_set_role":     ("FF", "FF",   "FF",   "++",   "+N",   "FF",   "FF",  "FF",  "N+"),
    "membership_make_admin":   ("FF", "FF",   "FF",   "++",   "FN",   "FF",   "FF",  "FF",  "NF"),
    "membership_demote_admin": ("FF", "FF",   "FF",   "++",   "FN",   "FF",   "FF",  "FF",  "NF"),
    "membership_deactivate":   ("FF", "FF",   "FF",   "++",   "+N",   "FF",   "FF",  "FF",  "N+"),
    "membership_deactivate_admin": ("FF", "FF", "FF", "++",   "FN",   "FF",   "FF",  "FF",  "NF"),
    "membership_reactivate":   ("FF", "FF",   "FF",   "++",   "+N",   "FF",   "FF",  "FF",  "N+"),
    "service_create":          ("FF", "FF",   "FF",   "++",   "FF",   "FF",   "FF",  "FF",  "FF"),
    "service_update":          ("FF", "FF",   "FF",   "++",   "+F",   "FF",   "FF",  "FF",  "F+"),
    "standard_create_draft":   ("FF", "FF",   "FF",   "++",   "+F",   "FF",   "FF",  "FF",  "F+"),
    "standard_update_draft":   ("FF", "FF",   "FF",   "++",   "+F",   "FF",   "FF",  "FF",  "F+"),
    "standard_adopt":          ("FF", "FF",   "FF",   "++",   "+F",   "FF",   "FF",  "FF",  "F+"),
    "standard_withdraw":       ("FF", "FF",   "FF",   "++",   "+F",   "FF",   "FF",  "FF",  "F+"),
    "get_standard_for_editing": ("NN", "NN",  "NN",   "++",   "+N",   "NN",   "NN",  "NN",  "N+"),
    "calendar_day_set":        ("FF", "FF",   "FF",   "++",   "FF",   "FF",   "FF",  "FF",  "FF"),
    "calendar_day_clear":      ("FF", "FF",   "FF",   "++",   "FF",   "FF",   "FF",  "FF",  "FF"),
}
# fmt: on
OUTCOMES = {"+": "allowed", "F": PermissionDenied, "N": NotFound}
READS = {
    "officer_list",
    "pending_invitations",
    "officer_history",
    "membership_for",
    "get_standard_for_editing",
}
SATURDAY = dt.date(2026, 3, 14)
OVERRIDDEN_SATURDAY = dt.date(2026, 3, 21)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))):
        yield


@pytest.fixture
def anonymous():
    return AnonymousUser()


def _member(make_user, username, agency, role, **fields):
    user = make_user(username)
    return Membership.objects.create(user=user, agency=agency, role=role, **fields)


@pytest.fixture
def front_desk_a(make_user, agency_a):
    return _member(make_user, "front_desk_a", agency_a, AgencyRole.FRONT_DESK).user


@pytest.fixture
def approver_a(make_user, agency_a):
    return _member(make_user, "approver_a", agency_a, AgencyRole.APPROVER).user


def _agency_objects(make_user, agency, key: str, manager) -> dict:
    """One agency's objects that the actions work on, none of them held by a persona."""
    service = make_service(agency=agency, slug=f"akta-{key}", name=f"Akta {key}")
    draft = ServiceStandard.objects.create(
        service=service, agency=agency, version=2, status=StandardStatus.DRAFT,
        **valid_components(),
    )  # fmt: skip
    return {
        "agency": agency,
        "key": key,
        "service": service,
        "draft": draft,
        "service_without_draft": make_service(agency=agency, slug=f"ktp-{key}", name="KTP"),
        "verifier": _member(make_user, f"v-{key}", agency, AgencyRole.VERIFIER),
        "front_desk": _member(make_user, f"fd-{key}", agency, AgencyRole.FRONT_DESK),
        "inactive": _member(make_user, f"x-{key}", agency, AgencyRole.APPROVER, is_active=False),
        "admin": _member(make_user, f"adm-{key}", agency, AgencyRole.AGENCY_ADMIN),
        "invitation": officers.officer_invite(
            actor=manager, agency=agency, email=f"baru@{key}.example", role="front_desk"
        ),
        "admin_invitation": officers.officer_invite(
            actor=manager, agency=agency, email=f"kepala@{key}.example", role="agency_admin"
        ),
    }


@pytest.fixture
def world(make_user, agency_a, agency_b):
    # A separate manager sets the scene, so that the manager persona's audit trail starts empty.
    setup = make_user("penyiap")
    CityRole.objects.create(user=setup, role="mpp_manager")
    CalendarOverride.objects.create(date=OVERRIDDEN_SATURDAY, is_working_day=True, reason="X")
    return {
        "A": _agency_objects(make_user, agency_a, "a", setup),
        "B": _agency_objects(make_user, agency_b, "b", setup),
    }


ACTIONS: dict[str, Callable] = {
    "officer_list": lambda u, o: list(officers.officer_list(actor=u, agency=o["agency"])),
    "pending_invitations": lambda u, o: list(
        officers.pending_invitations(actor=u, agency=o["agency"])
    ),
    "officer_history": lambda u, o: officers.officer_history(actor=u, agency=o["agency"]),
    "officer_invite": lambda u, o: officers.officer_invite(
        actor=u, agency=o["agency"], email="sari@contoh.id", role="verifier"
    ),
    "officer_invite_admin": lambda u, o: officers.officer_invite(
        actor=u, agency=o["agency"], email="sari@contoh.id", role="agency_admin"
    ),
    "invitation_revoke": lambda u, o: officers.invitation_revoke(
        actor=u, invitation=o["invitation"]
    ),
    "invitation_revoke_admin": lambda u, o: officers.invitation_revoke(
        actor=u, invitation=o["admin_invitation"]
    ),
    "membership_for": lambda u, o: officers.membership_for(actor=u, membership_id=o["verifier"].pk),
    "membership_set_role": lambda u, o: officers.membership_set_role(
        actor=u, membership=o["verifier"], role="approver"
    ),
    "membership_make_admin": lambda u, o: officers.membership_set_role(
        actor=u, membership=o["verifier"], role="agency_admin"
    ),
    "membership_demote_admin": lambda u, o: officers.membership_set_role(
        actor=u, membership=o["admin"], role="verifier"
    ),
    "membership_deactivate": lambda u, o: officers.membership_deactivate(
        actor=u, membership=o["front_desk"]
    ),
    "membership_deactivate_admin": lambda u, o: officers.membership_deactivate(
        actor=u, membership=o["admin"]
    ),
    "membership_reactivate": lambda u, o: officers.membership_reactivate(
        actor=u, membership=o["inactive"]
    ),
    "service_create": lambda u, o: catalog.service_create(
        actor=u,
        agency=o["agency"],
        slug=f"baru-{o['key']}",
        name="Layanan Baru",
        short_description="Layanan baru",
        category=make_category(slug="umum", name="Umum"),
        channel="online",
    ),
    "service_update": lambda u, o: catalog.service_update(
        actor=u, service=o["service"], name="Nama Baru"
    ),
    "standard_create_draft": lambda u, o: catalog.standard_create_draft(
        actor=u, service=o["service_without_draft"]
    ),
    "standard_update_draft": lambda u, o: catalog.standard_update_draft(
        actor=u,
        standard=o["draft"],
        components=valid_components(fee=[{"name": "Retribusi", "amount": 10_000}]),
    ),
    "standard_adopt": lambda u, o: catalog.standard_adopt(actor=u, standard=o["draft"]),
    "standard_withdraw": lambda u, o: catalog.standard_withdraw(
        actor=u, standard=o["service"].current_standard, reason="Dicabut"
    ),
    "get_standard_for_editing": lambda u, o: catalog.get_standard_for_editing(
        actor=u, service_slug=o["service"].slug, version=2
    ),
    "calendar_day_set": lambda u, o: core.calendar_day_set(
        actor=u, day=SATURDAY, is_working_day=True, reason="Pelayanan Sabtu"
    ),
    "calendar_day_clear": lambda u, o: core.calendar_day_clear(actor=u, day=OVERRIDDEN_SATURDAY),
}

CASES = [
    pytest.param(persona, action, target, id=f"{persona}-{action}-{target}")
    for action in MATRIX
    for persona in PERSONAS
    for target in ("A", "B")
]


def expected(persona: str, action: str, target: str):
    cell = MATRIX[action][PERSONAS.index(persona)]
    return OUTCOMES[cell["AB".index(target)]]


def snapshot() -> dict:
    tables = (
        get_user_model(),
        Membership,
        CityRole,
        OfficerInvitation,
        Service,
        Service.life_events.through,
        ServiceStandard,
        CalendarOverride,
        AuditRecord,
        DomainEvent,
    )
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in tables}


def test_the_table_covers_every_action_and_persona():
    assert set(MATRIX) == set(ACTIONS)
    for action, row in MATRIX.items():
        assert len(row) == len(PERSONAS), action
        assert all(len(cell) == 2 and set(cell) <= set(OUTCOMES) for cell in row), action


@pytest.mark.parametrize(("persona", "action", "target"), CASES)
def test_permission_matrix(request, world, persona, action, target):
    actor = request.getfixturevalue(persona)
    outcome = expected(persona, action, target)
    objects = world[target]

    if outcome == "allowed":
        ACTIONS[action](actor, objects)
        if action not in READS:
            assert AuditRecord.objects.filter(actor=actor).exists()
    else:
        before = snapshot()
        with pytest.raises(outcome):
            ACTIONS[action](actor, objects)
        assert snapshot() == before


@pytest.mark.parametrize("action", [a for a in MATRIX if MATRIX[a][4][0] == "+"])
def test_an_admin_whose_role_was_deactivated_is_refused_everything(world, admin_a, action):
    Membership.objects.filter(user=admin_a).update(is_active=False)
    before = snapshot()
    with pytest.raises((PermissionDenied, NotFound)):
        ACTIONS[action](admin_a, world["A"])
    assert snapshot() == before


@pytest.mark.parametrize("action", [a for a in MATRIX if MATRIX[a][4][0] == "+"])
def test_an_admin_of_b_who_also_verifies_for_a_cannot_manage_a(world, admin_b, agency_a, action):
    Membership.objects.create(user=admin_b, agency=agency_a, role=AgencyRole.VERIFIER)
    before = snapshot()
    with pytest.raises((PermissionDenied, NotFound)):
        ACTIONS[action](admin_b, world["A"])
    assert snapshot() == before
