"""`manage.py create_officer`: officer accounts and roles from the command line."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from mpp.agencies.models import CityRole, Membership
from mpp.agencies.permissions import can_edit_agency_catalog, is_mpp_manager
from mpp.core.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_officer", *args, stdout=out)
    return out.getvalue()


def test_it_creates_an_officer_of_an_agency(agency_a):
    output = run("budi", "--agency", agency_a.slug, "--role", "agency_admin",
                 "--password", "Rahasia-123!", "--full-name", "Budi Santoso")  # fmt: skip

    user = get_user_model().objects.get(username="budi")
    assert user.full_name == "Budi Santoso"
    assert authenticate(username="budi", password="Rahasia-123!") == user
    assert can_edit_agency_catalog(user, agency_a.pk)
    assert "dibuat" in output
    assert (
        AuditRecord.objects.filter(action="membership.granted", agency_id=agency_a.pk).count() == 1
    )


def test_without_a_password_it_prints_a_generated_one_that_works(agency_a):
    output = run("sari", "--agency", agency_a.slug, "--role", "verifier")

    password = output.split("(simpan sekarang): ")[1].split()[0]
    assert authenticate(username="sari", password=password) is not None


def test_it_creates_a_city_role(db):
    run("kepala.mpp", "--city-role", "mpp_manager", "--password", "Rahasia-123!")

    assert is_mpp_manager(get_user_model().objects.get(username="kepala.mpp"))


def test_an_existing_user_gets_the_new_role_and_keeps_the_old_ones(verifier_a, agency_b):
    run(verifier_a.username, "--agency", agency_b.slug, "--role", "front_desk")

    roles = set(Membership.objects.filter(user=verifier_a).values_list("agency__slug", "role"))
    assert roles == {("dispendukcapil", "verifier"), ("polresta", "front_desk")}
    assert authenticate(username=verifier_a.username, password="rahasia-Panjang-123")


def test_running_it_twice_changes_nothing(agency_a):
    args = ("budi", "--agency", agency_a.slug, "--role", "approver", "--password", "Rahasia-123!")
    run(*args)
    audits = AuditRecord.objects.count()

    output = run(*args)

    assert Membership.objects.filter(user__username="budi").count() == 1
    assert get_user_model().objects.filter(username="budi").count() == 1
    assert AuditRecord.objects.count() == audits
    assert "tidak ada perubahan peran" in output


def test_an_inactive_role_is_reactivated(manager):
    CityRole.objects.filter(user=manager).update(is_active=False)

    run(manager.username, "--city-role", "mpp_manager")

    assert is_mpp_manager(manager)


def test_it_refuses_an_unknown_agency(agency_a):
    with pytest.raises(CommandError, match="'tidak-ada' tidak ditemukan"):
        run("budi", "--agency", "tidak-ada", "--role", "verifier")
    assert not get_user_model().objects.filter(username="budi").exists()


def test_it_refuses_an_unknown_role(agency_a):
    with pytest.raises(CommandError, match="invalid choice"):
        run("budi", "--agency", agency_a.slug, "--role", "kepala")


def test_it_refuses_an_unknown_city_role(db):
    with pytest.raises(CommandError, match="invalid choice"):
        run("budi", "--city-role", "walikota")


@pytest.mark.parametrize(
    "args",
    [
        ("budi",),
        ("budi", "--role", "verifier"),
        ("budi", "--agency", "dispendukcapil"),
    ],
)
def test_it_refuses_incomplete_role_arguments(agency_a, args):
    with pytest.raises(CommandError):
        run(*args)
    assert not get_user_model().objects.filter(username="budi").exists()


def test_it_refuses_an_inactive_agency(agency_a):
    agency_a.is_active = False
    agency_a.save()

    with pytest.raises(CommandError, match="tidak aktif"):
        run("budi", "--agency", agency_a.slug, "--role", "verifier")


def test_the_audit_trail_names_the_officer_by_id_not_by_address(agency_a):
    run("budi", "--agency", agency_a.slug, "--role", "verifier", "--email", "budi@contoh.id")

    user = get_user_model().objects.get(username="budi")
    record = AuditRecord.objects.get(action="membership.granted")
    assert record.data == {"user": user.pk, "role": "verifier"}
    assert "budi@contoh.id" not in str(AuditRecord.objects.values_list("data", flat=True))


def test_the_command_and_the_officer_services_share_one_implementation():
    from mpp.accounts.management.commands import create_officer
    from mpp.accounts.services import officers

    assert create_officer.ensure_officer is officers.ensure_officer
