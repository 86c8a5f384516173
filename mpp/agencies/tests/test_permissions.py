"""Roles are read in one place; inactive users, memberships, roles and agencies grant nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser

from mpp.agencies.models import AgencyRole, CityRole, CityRoleKind, Membership
from mpp.agencies.permissions import (
    agency_ids_for,
    can_edit_agency_catalog,
    has_city_role,
    is_mpp_manager,
    is_officer,
    require_mpp_manager,
)
from mpp.core.errors import PermissionDenied

ADMIN = (AgencyRole.AGENCY_ADMIN,)


class TestAgencyIdsFor:
    def test_a_member_gets_their_agency(self, admin_a, agency_a):
        assert agency_ids_for(admin_a) == {agency_a.pk}

    def test_roles_narrow_the_agencies(self, verifier_a, agency_a):
        assert agency_ids_for(verifier_a, (AgencyRole.VERIFIER,)) == {agency_a.pk}
        assert agency_ids_for(verifier_a, ADMIN) == set()

    def test_memberships_in_two_agencies_with_different_roles(self, admin_b, agency_a, agency_b):
        Membership.objects.create(user=admin_b, agency=agency_a, role=AgencyRole.VERIFIER)
        assert agency_ids_for(admin_b) == {agency_a.pk, agency_b.pk}
        assert agency_ids_for(admin_b, ADMIN) == {agency_b.pk}
        assert agency_ids_for(admin_b, (AgencyRole.VERIFIER,)) == {agency_a.pk}

    def test_an_inactive_membership_grants_nothing(self, admin_a):
        Membership.objects.filter(user=admin_a).update(is_active=False)
        assert agency_ids_for(admin_a) == set()

    def test_a_membership_of_an_inactive_agency_grants_nothing(self, admin_a, agency_a):
        agency_a.is_active = False
        agency_a.save()
        assert agency_ids_for(admin_a) == set()

    def test_an_inactive_user_gets_nothing(self, admin_a):
        admin_a.is_active = False
        admin_a.save()
        assert agency_ids_for(admin_a) == set()

    @pytest.mark.parametrize("user", [None, AnonymousUser()])
    def test_nobody_signed_in_gets_nothing(self, db, user):
        assert agency_ids_for(user) == set()

    def test_city_roles_are_not_agency_memberships(self, manager, auditor):
        assert agency_ids_for(manager) == set()
        assert agency_ids_for(auditor) == set()


class TestIsMppManager:
    def test_the_manager_is_the_manager(self, manager):
        assert is_mpp_manager(manager)

    @pytest.mark.parametrize("persona", ["citizen", "auditor", "admin_a", "verifier_a"])
    def test_no_one_else_is(self, request, persona):
        assert not is_mpp_manager(request.getfixturevalue(persona))

    def test_anonymous_is_not(self, db):
        assert not is_mpp_manager(AnonymousUser())
        assert not is_mpp_manager(None)

    def test_an_inactive_city_role_grants_nothing(self, manager):
        CityRole.objects.filter(user=manager).update(is_active=False)
        assert not is_mpp_manager(manager)

    def test_an_inactive_user_is_not_the_manager(self, manager):
        manager.is_active = False
        manager.save()
        assert not is_mpp_manager(manager)

    def test_the_auditor_holds_only_the_auditor_role(self, auditor):
        assert has_city_role(auditor, CityRoleKind.AUDITOR)
        assert not has_city_role(auditor, CityRoleKind.MPP_MANAGER)

    def test_require_mpp_manager_refuses_others(self, manager, admin_a):
        require_mpp_manager(manager)
        with pytest.raises(PermissionDenied):
            require_mpp_manager(admin_a)
        with pytest.raises(PermissionDenied):
            require_mpp_manager(AnonymousUser())


class TestCanEditAgencyCatalog:
    def test_the_manager_edits_every_agency(self, manager, agency_a, agency_b):
        assert can_edit_agency_catalog(manager, agency_a.pk)
        assert can_edit_agency_catalog(manager, agency_b.pk)

    def test_an_agency_admin_edits_only_their_own_agency(self, admin_a, agency_a, agency_b):
        assert can_edit_agency_catalog(admin_a, agency_a.pk)
        assert not can_edit_agency_catalog(admin_a, agency_b.pk)

    @pytest.mark.parametrize(
        "role", [AgencyRole.FRONT_DESK, AgencyRole.VERIFIER, AgencyRole.APPROVER]
    )
    def test_other_roles_of_the_agency_do_not_edit_the_catalog(self, make_user, agency_a, role):
        officer = make_user(f"officer_{role}")
        Membership.objects.create(user=officer, agency=agency_a, role=role)
        assert not can_edit_agency_catalog(officer, agency_a.pk)

    def test_admin_of_b_who_verifies_for_a_cannot_edit_a(self, admin_b, agency_a, agency_b):
        Membership.objects.create(user=admin_b, agency=agency_a, role=AgencyRole.VERIFIER)
        assert not can_edit_agency_catalog(admin_b, agency_a.pk)
        assert can_edit_agency_catalog(admin_b, agency_b.pk)

    @pytest.mark.parametrize("persona", ["citizen", "auditor"])
    def test_citizens_and_auditors_edit_nothing(self, request, persona, agency_a):
        assert not can_edit_agency_catalog(request.getfixturevalue(persona), agency_a.pk)

    def test_anonymous_edits_nothing(self, agency_a):
        assert not can_edit_agency_catalog(AnonymousUser(), agency_a.pk)

    def test_an_inactive_admin_membership_edits_nothing(self, admin_a, agency_a):
        Membership.objects.filter(user=admin_a).update(is_active=False)
        assert not can_edit_agency_catalog(admin_a, agency_a.pk)


class TestIsOfficer:
    @pytest.mark.parametrize("persona", ["manager", "auditor", "admin_a", "verifier_a"])
    def test_staff_are_officers(self, request, persona):
        assert is_officer(request.getfixturevalue(persona))

    def test_a_citizen_is_not_an_officer(self, citizen):
        assert not is_officer(citizen)

    def test_anonymous_is_not_an_officer(self, db):
        assert not is_officer(AnonymousUser())
