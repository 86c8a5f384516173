"""Role changes made in the Django admin are stamped and audited; agencies are not deleted."""

import pytest
from django.urls import reverse

from mpp.accounts.testing import verified_login
from mpp.agencies.models import Agency, AgencyRole, CityRole, Membership
from mpp.core.audit import audit_chain_is_intact
from mpp.core.models import AuditRecord


@pytest.fixture
def admin_client_(client, make_user):
    verified_login(client, make_user("root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", [Agency, Membership, CityRole], ids=lambda m: m.__name__)
def test_every_agencies_changelist_opens(admin_client_, admin_a, manager, model):
    url = reverse(f"admin:agencies_{model._meta.model_name}_changelist")
    assert admin_client_.get(url).status_code == 200


def test_the_agency_page_lists_its_members(admin_client_, admin_a, agency_a):
    url = reverse("admin:agencies_agency_change", args=[agency_a.pk])
    response = admin_client_.get(url)
    assert response.status_code == 200
    assert b"admin_a" in response.content


def test_granting_a_role_is_stamped_and_audited(admin_client_, citizen, agency_a):
    response = admin_client_.post(
        reverse("admin:agencies_membership_add"),
        {"user": citizen.pk, "agency": agency_a.pk, "role": AgencyRole.VERIFIER, "is_active": "on"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=citizen)
    assert membership.created_by.username == "root"
    record = AuditRecord.objects.get(action="membership.created_in_admin")
    assert record.agency_id == agency_a.pk
    assert record.actor.username == "root"
    assert audit_chain_is_intact()


def test_revoking_a_role_is_audited(admin_client_, admin_a):
    membership = Membership.objects.get(user=admin_a)
    url = reverse("admin:agencies_membership_delete", args=[membership.pk])
    assert admin_client_.post(url, {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(user=admin_a).exists()
    assert AuditRecord.objects.filter(action="membership.deleted_in_admin").count() == 1


def test_agencies_are_deactivated_not_deleted(admin_client_, agency_a):
    url = reverse("admin:agencies_agency_delete", args=[agency_a.pk])
    assert admin_client_.post(url, {"post": "yes"}).status_code == 403
    assert Agency.objects.filter(pk=agency_a.pk).exists()
