"""What the look-ups are for: prefilling forms, checking identity, filling the profile."""

import datetime

import pytest

from mpp.catalog.standard_schema import Requirement
from mpp.core.models import AuditRecord
from mpp.registries import services
from mpp.registries.errors import ConsentRequired, RegistryUnavailable
from mpp.registries.models import LookupOutcome, RegistryLookup, RegistryPurpose
from mpp.registries.tests.conftest import SITI_NIK, give_kuasa

pytestmark = pytest.mark.django_db
PREFILL = RegistryPurpose.PREFILL

REQUIREMENTS = [
    {"code": "nik", "kind": "data", "data_type": "nik", "name": "NIK pemohon"},
    {"code": "nama", "kind": "data", "data_type": "text", "name": "Nama"},
    {"code": "tempat_lahir", "kind": "data", "data_type": "text", "name": "Tempat lahir"},
    {"code": "tanggal_lahir", "kind": "data", "data_type": "date", "name": "Tanggal lahir"},
    {"code": "alamat", "kind": "data", "data_type": "text", "name": "Alamat"},
    {"code": "nomor_kk", "kind": "data", "data_type": "text", "name": "Nomor KK"},
    {
        "code": "jenis_kelamin",
        "kind": "data",
        "data_type": "choice",
        "name": "Jenis kelamin",
        "choices": ["LAKI-LAKI", "PEREMPUAN"],
    },
    {"code": "status_perkawinan", "kind": "data", "data_type": "text", "name": "Status"},
    # Not the applicant's: never filled from the applicant's record.
    {"code": "nik_saksi", "kind": "data", "data_type": "nik", "name": "NIK saksi"},
    {"code": "nomor_hp", "kind": "data", "data_type": "phone", "name": "Nomor HP"},
    # A document and a condition with codes the table knows are not data to fill.
    {"code": "kk", "kind": "document", "name": "Kartu Keluarga"},
    {"code": "agama", "kind": "condition", "name": "Beragama"},
]

EXPECTED = {
    "nik": "3573051708900001",
    "nama": "Warga Demo",
    "tempat_lahir": "Malang",
    "tanggal_lahir": "1990-08-17",
    "alamat": "Jl. Soekarno Hatta No. 9, RT 003/RW 005, Jatimulyo, Lowokwaru, Kota Malang",
    "nomor_kk": "3573050101100001",
    "jenis_kelamin": "LAKI-LAKI",
    "status_perkawinan": "KAWIN",
}


def test_prefill_maps_requirement_codes_to_registry_fields(registry, warga):
    services.registry_consent_give(actor=warga, purpose=PREFILL)
    assert services.prefill_for(actor=warga, requirements=REQUIREMENTS) == EXPECTED
    assert RegistryLookup.objects.get().purpose == PREFILL


def test_prefill_takes_the_validated_requirement_models_too(registry, warga):
    services.registry_consent_give(actor=warga, purpose=PREFILL)
    models = [Requirement.model_validate(item) for item in REQUIREMENTS]
    assert services.prefill_for(actor=warga, requirements=models) == EXPECTED


def test_prefill_without_consent_is_empty_and_asks_nobody(registry, warga):
    assert services.prefill_for(actor=warga, requirements=REQUIREMENTS) == {}
    assert registry.hits == 0
    with pytest.raises(ConsentRequired):
        services.prefill_for(actor=warga, requirements=REQUIREMENTS, strict=True)


def test_prefill_when_the_registry_is_down_is_empty_unless_strict(
    registry, warga, settings, closed_port
):
    settings.MPP_REGISTRY_URL = f"http://127.0.0.1:{closed_port}"
    services.registry_consent_give(actor=warga, purpose=PREFILL)
    assert services.prefill_for(actor=warga, requirements=REQUIREMENTS) == {}
    with pytest.raises(RegistryUnavailable):
        services.prefill_for(actor=warga, requirements=REQUIREMENTS, strict=True)
    assert set(RegistryLookup.objects.values_list("outcome", flat=True)) == {
        LookupOutcome.UNAVAILABLE
    }


def test_prefill_for_a_represented_person_uses_their_record(registry, warga):
    services.registry_consent_give(actor=warga, purpose=PREFILL)
    give_kuasa(warga, SITI_NIK)
    values = services.prefill_for(actor=warga, requirements=REQUIREMENTS, nik=SITI_NIK)
    assert values["nama"] == "Siti Aminah (demo)"
    assert values["jenis_kelamin"] == "PEREMPUAN"


def test_prefill_for_someone_not_represented_is_empty(registry, warga):
    services.registry_consent_give(actor=warga, purpose=PREFILL)
    assert services.prefill_for(actor=warga, requirements=REQUIREMENTS, nik=SITI_NIK) == {}
    assert registry.hits == 0


def test_a_choice_without_a_matching_option_is_left_empty(registry, warga):
    services.registry_consent_give(actor=warga, purpose=PREFILL)
    requirement = {
        "code": "jenis_kelamin",
        "kind": "data",
        "data_type": "choice",
        "name": "Jenis kelamin",
        "choices": ["Pria", "Wanita"],
    }
    assert services.prefill_for(actor=warga, requirements=[requirement]) == {}


def test_identity_check_compares_name_and_birth_date(registry, warga):
    services.registry_consent_give(actor=warga, purpose=RegistryPurpose.IDENTITY)
    check = services.registry_verify_identity(actor=warga)  # full name typed "warga demo"
    assert check.matches and check.name_matches and check.birth_date_matches
    assert check.sex_matches is True
    record = services.registry_lookup(
        actor=warga, nik=warga.citizen.nik, purpose=RegistryPurpose.IDENTITY
    )
    wrong_name = services.identity_check(
        record=record, full_name="Warga Lain", birth_date=datetime.date(1990, 8, 17)
    )
    assert not wrong_name.matches and not wrong_name.name_matches
    assert wrong_name.birth_date_matches
    wrong_date = services.identity_check(
        record=record, full_name="WARGA  DEMO", birth_date=datetime.date(1990, 8, 18)
    )
    assert wrong_date.name_matches and not wrong_date.birth_date_matches
    missing = services.identity_check(
        record=None, full_name="Warga Demo", birth_date=datetime.date(1990, 8, 17)
    )
    assert not missing.found and not missing.matches


def test_filling_the_profile_copies_name_birth_date_and_sex(registry, warga):
    services.registry_consent_give(actor=warga, purpose=RegistryPurpose.PROFILE)
    profile = warga.citizen
    profile.birth_date = datetime.date(1990, 8, 18)
    profile.save()
    changed = services.registry_profile_fill(actor=warga)
    assert changed == ["full_name", "birth_date"]
    warga.refresh_from_db()
    profile.refresh_from_db()
    assert warga.full_name == "Warga Demo"
    assert profile.birth_date == datetime.date(1990, 8, 17)
    record = AuditRecord.objects.get(action="registry.profile_filled")
    assert record.data == {"fields": ["full_name", "birth_date"]}
    assert services.registry_profile_fill(actor=warga) == []  # nothing left to change


def test_an_officer_at_the_counter_prefills_for_the_citizen_served(registry, verifier_a, agency_a):
    values = services.prefill_for(actor=verifier_a, requirements=REQUIREMENTS, nik=SITI_NIK)
    assert values["nama"] == "Siti Aminah (demo)"
    log = RegistryLookup.objects.get()
    assert (log.purpose, log.agency_id) == (RegistryPurpose.SERVICE, agency_a.pk)


def test_an_agency_admin_cannot_prefill_for_anybody(registry, admin_a):
    assert services.prefill_for(actor=admin_a, requirements=REQUIREMENTS, nik=SITI_NIK) == {}
    assert registry.hits == 0
