"""registry_lookup against a real reference registry over HTTP: consent, whose NIK, cache,
the log, and every way the registry can fail."""

import datetime
import json
import logging

import pytest
import time_machine
from django.utils import timezone

from mpp.core.errors import ValidationFailed
from mpp.registries import services
from mpp.registries.errors import (
    ConsentRequired,
    NikNotPermitted,
    RegistryCredentialsRejected,
    RegistryUnavailable,
)
from mpp.registries.models import LookupOutcome, RegistryConsent, RegistryLookup, RegistryPurpose
from mpp.registries.selectors import nik_hash
from mpp.registries.tests.conftest import DEMO_NIK, SITI_NIK, UNKNOWN_NIK, give_kuasa

pytestmark = pytest.mark.django_db
PROFILE = RegistryPurpose.PROFILE


def consent(user, purpose=PROFILE):
    return services.registry_consent_give(actor=user, purpose=purpose)


def outcomes() -> list[str]:
    return list(RegistryLookup.objects.order_by("id").values_list("outcome", flat=True))


def test_without_consent_the_registry_is_not_asked(registry, warga):
    with pytest.raises(ConsentRequired) as caught:
        services.registry_lookup(actor=warga, nik=DEMO_NIK, purpose=PROFILE)
    assert "persetujuan" in caught.value.detail.lower()
    assert registry.hits == 0
    assert outcomes() == [LookupOutcome.NO_CONSENT]


def test_consent_for_one_purpose_does_not_cover_another(registry, warga):
    consent(warga, RegistryPurpose.PREFILL)
    with pytest.raises(ConsentRequired):
        services.registry_lookup(actor=warga, nik=DEMO_NIK, purpose=PROFILE)
    assert registry.hits == 0


def test_with_consent_the_record_comes_from_the_registry(registry, warga):
    consent(warga)
    record = services.registry_lookup(actor=warga, nik=DEMO_NIK, purpose=PROFILE)
    assert registry.hits == 1
    assert record.full_name == "Warga Demo"
    assert record.birth_date == datetime.date(1990, 8, 17)
    assert (record.sex, record.birth_place) == ("M", "Malang")
    assert (record.kelurahan, record.kecamatan) == ("Jatimulyo", "Lowokwaru")
    assert record.family_card_number == "3573050101100001"
    assert (record.religion, record.marital_status) == ("ISLAM", "KAWIN")
    assert record.full_address == (
        "Jl. Soekarno Hatta No. 9, RT 003/RW 005, Jatimulyo, Lowokwaru, Kota Malang"
    )
    log = RegistryLookup.objects.get()
    assert (log.actor, log.purpose, log.outcome) == (warga, PROFILE, LookupOutcome.FOUND)
    assert log.nik_masked == "3573••••••••0001"
    assert log.nik_hash == nik_hash(DEMO_NIK) != DEMO_NIK


def test_a_record_is_cached_within_the_ttl_and_fetched_again_after(registry, warga, settings):
    settings.MPP_REGISTRY_CACHE_SECONDS = 600
    consent(warga)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        first = services.registry_lookup(actor=warga, nik=DEMO_NIK, purpose=PROFILE)
        clock.shift(datetime.timedelta(seconds=599))
        again = services.registry_lookup(actor=warga, nik=DEMO_NIK, purpose=PROFILE)
        assert registry.hits == 1
        assert again == first
        clock.shift(datetime.timedelta(seconds=2))  # 601 s after the fetch
        services.registry_lookup(actor=warga, nik=DEMO_NIK, purpose=PROFILE)
        assert registry.hits == 2
    assert outcomes() == [LookupOutcome.FOUND, LookupOutcome.FOUND_CACHED, LookupOutcome.FOUND]


def test_no_cache_when_the_ttl_is_zero(registry, warga, settings):
    settings.MPP_REGISTRY_CACHE_SECONDS = 0
    consent(warga)
    for _ in range(2):
        services.registry_lookup(actor=warga, nik=DEMO_NIK, purpose=PROFILE)
    assert registry.hits == 2


def test_every_look_up_is_logged_and_no_log_holds_the_nik(registry, warga, stranger, caplog):
    caplog.set_level(logging.DEBUG)
    consent(warga)
    services.registry_lookup(actor=warga, nik=DEMO_NIK, purpose=PROFILE)
    services.registry_lookup(actor=warga, nik=DEMO_NIK, purpose=PROFILE)
    with pytest.raises(NikNotPermitted):
        services.registry_lookup(actor=warga, nik=SITI_NIK, purpose=PROFILE)
    with pytest.raises(ConsentRequired):
        services.registry_lookup(actor=stranger, nik=UNKNOWN_NIK, purpose=PROFILE)
    assert len(outcomes()) == 4
    rows = json.dumps(list(RegistryLookup.objects.values()), default=str)
    for nik in (DEMO_NIK, SITI_NIK, UNKNOWN_NIK):
        assert nik not in rows
        assert nik not in caplog.text
    assert "3573••••••••0001" in caplog.text


def test_an_unknown_nik_is_none_and_logged(registry, stranger):
    consent(stranger)
    assert services.registry_lookup(actor=stranger, nik=UNKNOWN_NIK, purpose=PROFILE) is None
    assert registry.hits == 1
    assert outcomes() == [LookupOutcome.NOT_FOUND]


def test_a_malformed_nik_is_a_validation_error(registry, warga):
    consent(warga)
    with pytest.raises(ValidationFailed):
        services.registry_lookup(actor=warga, nik="3573/../healthz", purpose=PROFILE)
    assert registry.hits == 0


def test_registry_down_is_a_clear_domain_error(registry, warga, settings, closed_port):
    settings.MPP_REGISTRY_URL = f"http://127.0.0.1:{closed_port}"
    consent(warga)
    with pytest.raises(RegistryUnavailable) as caught:
        services.registry_lookup(actor=warga, nik=DEMO_NIK, purpose=PROFILE)
    assert caught.value.status == 503
    assert "isi data secara manual" in caught.value.detail
    assert outcomes() == [LookupOutcome.UNAVAILABLE]


def test_a_wrong_token_is_a_clear_domain_error(registry, warga, settings):
    settings.MPP_REGISTRY_TOKEN = "salah"
    consent(warga)
    with pytest.raises(RegistryCredentialsRejected) as caught:
        services.registry_lookup(actor=warga, nik=DEMO_NIK, purpose=PROFILE)
    assert caught.value.type == "registry-credentials-rejected"
    assert "kredensial" in caught.value.detail
    assert registry.hits == 1
    assert outcomes() == [LookupOutcome.CREDENTIALS]


def test_someone_elses_nik_is_refused_without_asking_the_registry(registry, warga):
    consent(warga)
    with pytest.raises(NikNotPermitted):
        services.registry_lookup(actor=warga, nik=SITI_NIK, purpose=PROFILE)
    assert registry.hits == 0
    assert outcomes() == [LookupOutcome.NOT_PERMITTED]


def test_a_representative_may_look_up_the_person_they_represent(registry, warga):
    consent(warga)
    give_kuasa(warga, SITI_NIK)
    record = services.registry_lookup(actor=warga, nik=SITI_NIK, purpose=PROFILE)
    assert record.full_name == "Siti Aminah (demo)"
    assert RegistryLookup.objects.get().on_behalf is True


@pytest.mark.parametrize("state", ["revoked", "expired"])
def test_a_kuasa_no_longer_in_force_gives_no_access(registry, warga, state):
    consent(warga)
    today = datetime.date.today()
    if state == "revoked":
        give_kuasa(warga, SITI_NIK, revoked_at=timezone.now())
    else:
        give_kuasa(
            warga,
            SITI_NIK,
            valid_from=today - datetime.timedelta(days=30),
            valid_until=today - datetime.timedelta(days=1),
        )
    with pytest.raises(NikNotPermitted):
        services.registry_lookup(actor=warga, nik=SITI_NIK, purpose=PROFILE)
    assert registry.hits == 0


def test_an_officer_serving_citizens_may_look_anybody_up_without_consent(
    registry, verifier_a, agency_a
):
    record = services.registry_lookup(
        actor=verifier_a, nik=SITI_NIK, purpose=RegistryPurpose.SERVICE
    )
    assert record.full_name == "Siti Aminah (demo)"
    log = RegistryLookup.objects.get()
    assert (log.agency_id, log.purpose) == (agency_a.pk, RegistryPurpose.SERVICE)


@pytest.mark.parametrize("who", ["admin_a", "auditor", "manager", "warga"])
def test_others_may_not_use_the_officers_purpose(registry, request, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(NikNotPermitted):
        services.registry_lookup(actor=actor, nik=SITI_NIK, purpose=RegistryPurpose.SERVICE)
    assert registry.hits == 0


def test_an_officer_is_not_exempt_for_citizen_purposes(registry, verifier_a):
    # An officer's own account has no NIK here: a citizen purpose follows the citizen rules.
    with pytest.raises(NikNotPermitted):
        services.registry_lookup(actor=verifier_a, nik=SITI_NIK, purpose=PROFILE)


def test_anonymous_and_unknown_purposes_are_refused(registry, warga):
    from django.contrib.auth.models import AnonymousUser

    from mpp.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.registry_lookup(actor=AnonymousUser(), nik=DEMO_NIK, purpose=PROFILE)
    with pytest.raises(ValidationFailed):
        services.registry_lookup(actor=warga, nik=DEMO_NIK, purpose="marketing")
    with pytest.raises(ValidationFailed):
        services.registry_consent_give(actor=warga, purpose=RegistryPurpose.SERVICE)
    assert registry.hits == 0


def test_consent_is_recorded_once_and_can_be_withdrawn(registry, warga):
    first = consent(warga)
    assert consent(warga) == first  # a double submit keeps one record
    services.registry_lookup(actor=warga, nik=DEMO_NIK, purpose=PROFILE)
    withdrawn = services.registry_consent_withdraw(actor=warga, purpose=PROFILE)
    assert withdrawn.withdrawn_at is not None
    assert services.registry_consent_withdraw(actor=warga, purpose=PROFILE) is None
    with pytest.raises(ConsentRequired):
        services.registry_lookup(actor=warga, nik=DEMO_NIK, purpose=PROFILE)
    # Consent again: the withdrawn cache entry is not reused.
    second = consent(warga)
    assert second != first
    services.registry_lookup(actor=warga, nik=DEMO_NIK, purpose=PROFILE)
    assert registry.hits == 2
    assert RegistryConsent.objects.filter(user=warga).count() == 2
    from mpp.core.models import AuditRecord, DomainEvent

    actions = list(AuditRecord.objects.values_list("action", flat=True))
    assert actions == [
        "registry.consent_given",
        "registry.consent_withdrawn",
        "registry.consent_given",
    ]
    assert DomainEvent.objects.filter(type__startswith="registry.consent").count() == 3
