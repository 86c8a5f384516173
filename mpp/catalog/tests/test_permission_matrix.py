"""Who may change agency A's catalog: every persona against every officer-facing action.

The MPP manager may do everything; agency A's admin everything on A except creating services;
everyone else is refused and nothing changes. An action on an object the caller was handed is
"forbidden"; a lookup of another agency's standard by slug reads as "not found".
"""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from mpp.agencies.models import AgencyRole, CityRole, Membership
from mpp.catalog import services
from mpp.catalog.models import Service, ServiceStandard, StandardStatus
from mpp.catalog.testing import make_category, make_service, valid_components
from mpp.core.errors import NotFound, PermissionDenied
from mpp.core.models import AuditRecord, DomainEvent

ALLOWED = "allowed"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))):
        yield


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def front_desk_a(make_user, agency_a):
    user = make_user("front_desk_a")
    Membership.objects.create(user=user, agency=agency_a, role=AgencyRole.FRONT_DESK)
    return user


@pytest.fixture
def approver_a(make_user, agency_a):
    user = make_user("approver_a")
    Membership.objects.create(user=user, agency=agency_a, role=AgencyRole.APPROVER)
    return user


@pytest.fixture
def catalog_a(agency_a):
    """Agency A: one service with v1 in force and a v2 draft, one with only v1 in force."""
    with_draft = make_service(agency=agency_a, slug="akta-kelahiran", name="Akta Kelahiran")
    draft = ServiceStandard.objects.create(
        service=with_draft,
        agency=agency_a,
        version=2,
        status=StandardStatus.DRAFT,
        **valid_components(),
    )
    without_draft = make_service(agency=agency_a, slug="ktp-el", name="Penerbitan KTP-el")
    return {"service": with_draft, "draft": draft, "service_without_draft": without_draft}


def _service_create(actor, ctx):
    return services.service_create(
        actor=actor,
        agency=ctx["service"].agency,
        slug="layanan-baru",
        name="Layanan Baru",
        short_description="Layanan baru instansi A",
        category=make_category(slug="umum", name="Umum"),
        channel="online",
    )


def _service_update(actor, ctx):
    return services.service_update(actor=actor, service=ctx["service"], name="Nama Baru")


def _standard_create_draft(actor, ctx):
    return services.standard_create_draft(actor=actor, service=ctx["service_without_draft"])


def _standard_update_draft(actor, ctx):
    components = valid_components(fee=[{"name": "Retribusi", "amount": 10_000}])
    return services.standard_update_draft(actor=actor, standard=ctx["draft"], components=components)


def _standard_adopt(actor, ctx):
    return services.standard_adopt(actor=actor, standard=ctx["draft"])


def _standard_withdraw(actor, ctx):
    in_force = ctx["service"].current_standard
    return services.standard_withdraw(actor=actor, standard=in_force, reason="Dicabut")


def _get_standard_for_editing(actor, ctx):
    return services.get_standard_for_editing(
        actor=actor, service_slug=ctx["service"].slug, version=2
    )


ACTIONS: dict[str, Callable] = {
    "service_create": _service_create,
    "service_update": _service_update,
    "standard_create_draft": _standard_create_draft,
    "standard_update_draft": _standard_update_draft,
    "standard_adopt": _standard_adopt,
    "standard_withdraw": _standard_withdraw,
    "get_standard_for_editing": _get_standard_for_editing,
}
# A lookup by slug does not tell an outsider that the object exists.
REFUSAL = {name: PermissionDenied for name in ACTIONS} | {"get_standard_for_editing": NotFound}

PERSONAS = (
    "anonymous",
    "citizen",
    "auditor",
    "manager",
    "admin_a",
    "admin_b",
    "verifier_a",
    "front_desk_a",
    "approver_a",
)


def expected(persona: str, action: str):
    if persona == "manager":
        return ALLOWED
    if persona == "admin_a" and action != "service_create":
        return ALLOWED
    return REFUSAL[action]


def snapshot() -> dict:
    tables = (Service, Service.life_events.through, ServiceStandard, AuditRecord, DomainEvent)
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in tables}


def assert_refused(action: str, actor, ctx) -> None:
    before = snapshot()
    with pytest.raises(REFUSAL[action]):
        ACTIONS[action](actor, ctx)
    assert snapshot() == before


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix_on_agency_a(request, catalog_a, persona, action):
    actor = request.getfixturevalue(persona)
    outcome = expected(persona, action)

    if outcome is ALLOWED:
        result = ACTIONS[action](actor, catalog_a)
        assert result is not None
        if action != "get_standard_for_editing":
            assert AuditRecord.objects.filter(actor=actor).exists()
    else:
        assert_refused(action, actor, catalog_a)


@pytest.mark.parametrize("action", [a for a in ACTIONS if a != "service_create"])
def test_admin_of_b_who_also_verifies_for_a_still_cannot_edit_a(
    admin_b, agency_a, catalog_a, action
):
    Membership.objects.create(user=admin_b, agency=agency_a, role=AgencyRole.VERIFIER)
    assert_refused(action, admin_b, catalog_a)


def test_admin_of_b_edits_b(admin_b, agency_b):
    service_b = make_service(agency=agency_b, slug="skck", name="SKCK")
    draft = services.standard_create_draft(actor=admin_b, service=service_b)
    assert services.standard_adopt(actor=admin_b, standard=draft).status == StandardStatus.ADOPTED


@pytest.mark.parametrize("action", [a for a in ACTIONS if a != "service_create"])
def test_an_inactive_admin_membership_grants_nothing(admin_a, catalog_a, action):
    Membership.objects.filter(user=admin_a).update(is_active=False)
    assert_refused(action, admin_a, catalog_a)


@pytest.mark.parametrize("action", [a for a in ACTIONS if a != "service_create"])
def test_an_inactive_admin_user_is_refused(admin_a, catalog_a, action):
    admin_a.is_active = False
    admin_a.save()
    assert_refused(action, admin_a, catalog_a)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_an_inactive_manager_role_grants_nothing(manager, catalog_a, action):
    CityRole.objects.filter(user=manager).update(is_active=False)
    assert_refused(action, manager, catalog_a)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_an_inactive_manager_user_is_refused(manager, catalog_a, action):
    manager.is_active = False
    manager.save()
    assert_refused(action, manager, catalog_a)


@pytest.mark.parametrize("action", [a for a in ACTIONS if a != "service_create"])
def test_the_admin_of_a_deactivated_agency_is_refused(admin_a, agency_a, catalog_a, action):
    agency_a.is_active = False
    agency_a.save()
    assert_refused(action, admin_a, catalog_a)
