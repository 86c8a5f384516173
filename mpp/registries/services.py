"""Registry look-ups (data given once): consent, the look-up itself, and what it is for —
prefilling application forms, checking identity, filling the citizen's profile.

Rules of `registry_lookup`, checked in this order (each refusal is logged too):
1. the actor is signed in; the NIK has 16 digits;
2. an officer serving citizens (front desk, verifier, approver of an active agency) may look
   anybody up, for the purpose "service", on the agency's legal basis;
3. anybody else only their own NIK or that of a person they represent under a kuasa in
   force (accounts.Representation), and only with their consent for the purpose;
4. a record fetched less than MPP_REGISTRY_CACHE_SECONDS ago is served from the cache;
5. network failures and refused credentials become RegistryUnavailable /
   RegistryCredentialsRejected; an unknown NIK returns None.
"""

import datetime
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import CitizenProfile
from mpp.accounts.nik import mask_nik
from mpp.accounts.selectors import active_representation_for, citizen_profile_for
from mpp.core.audit import audit, record_event
from mpp.core.errors import MppError, PermissionDenied, ValidationFailed
from mpp.registries import client, selectors
from mpp.registries.errors import (
    ConsentRequired,
    NikNotPermitted,
    RegistryCredentialsRejected,
    RegistryUnavailable,
)
from mpp.registries.models import (
    CITIZEN_PURPOSES,
    LookupOutcome,
    RegistryConsent,
    RegistryLookup,
    RegistryPurpose,
)
from mpp.registries.records import RegistryRecord

logger = logging.getLogger(__name__)


def _signed_in(actor) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Masuk terlebih dahulu untuk melanjutkan."))


def _citizen_purpose(purpose: str) -> str:
    if purpose not in CITIZEN_PURPOSES:
        raise ValidationFailed(
            _("Tujuan tidak dikenal."), errors={"purpose": [_("Tujuan tidak dikenal.")]}
        )
    return purpose


# Consent ------------------------------------------------------------------------------------


def registry_consent_give(*, actor, purpose: str) -> RegistryConsent:
    """Record the actor's consent for one purpose; giving it again keeps the first record."""
    _signed_in(actor)
    _citizen_purpose(purpose)
    with transaction.atomic():
        existing = (
            RegistryConsent.objects.select_for_update()
            .filter(user=actor, purpose=purpose, withdrawn_at__isnull=True)
            .first()
        )
        if existing is not None:
            return existing
        consent = RegistryConsent.objects.create(
            user=actor, purpose=purpose, given_at=timezone.now(), created_by=actor
        )
        audit(
            actor=actor, action="registry.consent_given", target=consent, data={"purpose": purpose}
        )
        record_event(
            type="registry.consent_given",
            subject=consent.public_id,
            agency_id=None,
            data={"purpose": purpose},
        )
    return consent


def registry_consent_withdraw(*, actor, purpose: str) -> RegistryConsent | None:
    """Withdraw the actor's consent for one purpose (None when there was none)."""
    _signed_in(actor)
    _citizen_purpose(purpose)
    with transaction.atomic():
        consent = (
            RegistryConsent.objects.select_for_update()
            .filter(user=actor, purpose=purpose, withdrawn_at__isnull=True)
            .first()
        )
        if consent is None:
            return None
        consent.withdrawn_at = timezone.now()
        consent.modified_by = actor
        consent.save(update_fields=["withdrawn_at", "modified_by", "modified_at"])
        audit(
            actor=actor,
            action="registry.consent_withdrawn",
            target=consent,
            data={"purpose": purpose},
        )
        record_event(
            type="registry.consent_withdrawn",
            subject=consent.public_id,
            agency_id=None,
            data={"purpose": purpose},
        )
    # Nothing fetched under the consent stays usable.
    profile = citizen_profile_for(actor)
    if profile is not None:
        cache.delete(_cache_key(profile.nik))
    return consent


# The look-up --------------------------------------------------------------------------------


def _cache_key(nik: str) -> str:
    return f"mpp:registry:{selectors.nik_hash(nik)}"


def _cached(nik: str) -> RegistryRecord | None:
    stored = cache.get(_cache_key(nik))
    if not stored:
        return None
    age = timezone.now() - datetime.datetime.fromisoformat(stored["at"])
    if age.total_seconds() >= settings.MPP_REGISTRY_CACHE_SECONDS or age.total_seconds() < 0:
        return None
    return RegistryRecord.from_cache(stored["record"])


def _remember(record: RegistryRecord) -> None:
    seconds = settings.MPP_REGISTRY_CACHE_SECONDS
    if seconds > 0:
        value = {"at": timezone.now().isoformat(), "record": record.to_cache()}
        cache.set(_cache_key(record.nik), value, seconds)


def _log(*, actor, nik: str, purpose: str, outcome: str, agency_id=None, on_behalf=False) -> None:
    RegistryLookup.objects.create(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "username", "") or "",
        agency_id=agency_id,
        nik_hash=selectors.nik_hash(nik),
        nik_masked=mask_nik(nik),
        purpose=purpose,
        outcome=outcome,
        on_behalf=on_behalf,
    )
    logger.info("Registry look-up of %s for %s: %s", mask_nik(nik), purpose, outcome)


def _normal_nik(nik: Any) -> str:
    value = re.sub(r"[\s.-]", "", str(nik or ""))
    if not re.fullmatch(r"[0-9]{16}", value):
        message = _("NIK harus terdiri dari tepat 16 angka.")
        raise ValidationFailed(message, errors={"nik": [message]})
    return value


def registry_lookup(*, actor, nik: str, purpose: str) -> RegistryRecord | None:
    """The registry record of `nik` for `purpose`, or None when the registry has no such
    person. Raises ConsentRequired, NikNotPermitted, RegistryUnavailable,
    RegistryCredentialsRejected (all MppError: the API renders them as problems)."""
    _signed_in(actor)
    nik = _normal_nik(nik)
    if purpose not in RegistryPurpose.values:
        raise ValidationFailed(
            _("Tujuan tidak dikenal."), errors={"purpose": [_("Tujuan tidak dikenal.")]}
        )
    context: dict[str, Any] = {"actor": actor, "nik": nik, "purpose": purpose}
    officer_agencies = selectors.registry_officer_agency_ids(actor)
    if purpose == RegistryPurpose.SERVICE:
        if not officer_agencies:
            _log(**context, outcome=LookupOutcome.NOT_PERMITTED)
            raise NikNotPermitted(
                _("Hanya petugas layanan yang dapat mencari data kependudukan untuk pelayanan.")
            )
        context["agency_id"] = min(officer_agencies)
    else:
        profile = citizen_profile_for(actor)
        own = profile is not None and profile.nik == nik
        if not own:
            if active_representation_for(representative=actor, represented_nik=nik) is None:
                _log(**context, outcome=LookupOutcome.NOT_PERMITTED)
                raise NikNotPermitted(
                    _(
                        "Anda hanya dapat mengambil data kependudukan NIK Anda sendiri atau "
                        "orang yang Anda wakili dengan surat kuasa yang berlaku."
                    )
                )
            context["on_behalf"] = True
        if not selectors.has_consent(actor, purpose):
            _log(**context, outcome=LookupOutcome.NO_CONSENT)
            raise ConsentRequired(
                _(
                    "Berikan persetujuan terlebih dahulu di halaman Data kependudukan agar MPP "
                    "boleh mengambil data Anda dari Dukcapil untuk tujuan ini."
                )
            )
    record = _cached(nik)
    if record is not None:
        _log(**context, outcome=LookupOutcome.FOUND_CACHED)
        return record
    try:
        record = client.fetch_person(nik)
    except RegistryCredentialsRejected:
        _log(**context, outcome=LookupOutcome.CREDENTIALS)
        raise
    except RegistryUnavailable:
        _log(**context, outcome=LookupOutcome.UNAVAILABLE)
        raise
    if record is None or record.nik != nik:
        _log(**context, outcome=LookupOutcome.NOT_FOUND)
        return None
    _remember(record)
    _log(**context, outcome=LookupOutcome.FOUND)
    return record


# Prefill ------------------------------------------------------------------------------------

# Requirement codes (kind "data") a registry field answers; other codes are left empty.
PREFILL_FIELDS: dict[str, str] = {
    "nik": "nik",
    "nik_pemohon": "nik",
    "nama": "full_name",
    "nama_lengkap": "full_name",
    "nama_pemohon": "full_name",
    "tempat_lahir": "birth_place",
    "tanggal_lahir": "birth_date",
    "jenis_kelamin": "sex",
    "alamat": "full_address",
    "alamat_pemohon": "full_address",
    "alamat_domisili": "full_address",
    "rt": "rt",
    "rw": "rw",
    "kelurahan": "kelurahan",
    "desa_kelurahan": "kelurahan",
    "kecamatan": "kecamatan",
    "kota": "city",
    "kabupaten_kota": "city",
    "provinsi": "province",
    "nomor_kk": "family_card_number",
    "no_kk": "family_card_number",
    "agama": "religion",
    "status_perkawinan": "marital_status",
    "status_kawin": "marital_status",
    "pekerjaan": "occupation",
}


def _requirement_fields(item: Any) -> tuple[str, str, str | None, list[str]]:
    if isinstance(item, dict):
        return (
            item.get("code", ""),
            item.get("kind", ""),
            item.get("data_type"),
            item.get("choices") or [],
        )
    data_type = getattr(item, "data_type", None)
    return (
        item.code,
        str(item.kind),
        str(data_type) if data_type is not None else None,
        list(item.choices or []),
    )


def _value(record: RegistryRecord, field: str, data_type: str | None, choices: list[str]) -> Any:
    if field == "birth_date":
        return record.birth_date.isoformat()
    value = record.sex_label if field == "sex" else getattr(record, field)
    if choices:
        # A choice field takes the matching choice, spelled as the standard spells it.
        folded = {_fold(choice): choice for choice in choices}
        return folded.get(_fold(str(value)))
    return value or None


def prefill_values(record: RegistryRecord, requirements: Iterable[Any]) -> dict[str, Any]:
    """The answers a record gives to data requirements, by requirement code (pure)."""
    values: dict[str, Any] = {}
    for item in requirements:
        code, kind, data_type, choices = _requirement_fields(item)
        field = PREFILL_FIELDS.get(code)
        if kind != "data" or field is None:
            continue
        if data_type in ("nik",) and field != "nik":
            continue
        value = _value(record, field, data_type, choices)
        if value:
            values[code] = value
    return values


def prefill_for(
    *, actor, requirements: Iterable[Any], nik: str | None = None, strict: bool = False
) -> dict[str, Any]:
    """Initial values of an application form from the registry, by requirement code.

    `requirements`: the standard's requirements (catalog.standard_schema.Requirement models
    or their dicts); only `kind == "data"` requirements with a known code are filled (see
    PREFILL_FIELDS): dates as "YYYY-MM-DD", choices as the matching choice. `nik`: a person
    the actor represents (default: the actor's own NIK), or, for an officer serving a
    citizen at the counter, that citizen's NIK (purpose "service", no consent needed).
    Without consent for "prefill" the registry is not asked and {} is returned; registry
    errors give {} too (logged), unless `strict`, which raises them.
    """
    requirements = list(requirements)
    if not getattr(actor, "is_authenticated", False):
        return {}
    purpose = RegistryPurpose.PREFILL
    if nik is None:
        profile = citizen_profile_for(actor)
        if profile is None:
            return {}
        nik = profile.nik
    elif selectors.registry_officer_agency_ids(actor):
        purpose = RegistryPurpose.SERVICE
    if (
        purpose == RegistryPurpose.PREFILL
        and not strict
        and not selectors.has_consent(actor, purpose)
    ):
        return {}
    try:
        record = registry_lookup(actor=actor, nik=nik, purpose=purpose)
    except MppError:
        if strict:
            raise
        return {}
    return prefill_values(record, requirements) if record else {}


# Identity -----------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """A name for comparison: no accents, case, punctuation, titles in brackets or spacing."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^0-9a-zA-Z]+", " ", text.lower())
    return " ".join(text.split())


@dataclass(frozen=True)
class IdentityCheck:
    """How what a person wrote compares with the registry."""

    found: bool
    name_matches: bool
    birth_date_matches: bool
    sex_matches: bool | None = None

    @property
    def matches(self) -> bool:
        return (
            self.found
            and self.name_matches
            and self.birth_date_matches
            and (self.sex_matches is not False)
        )


def identity_check(
    *,
    record: RegistryRecord | None,
    full_name: str,
    birth_date: datetime.date,
    sex: str | None = None,
) -> IdentityCheck:
    """Compare sign-up data with a registry record (pure: no look-up, nothing logged)."""
    if record is None:
        return IdentityCheck(found=False, name_matches=False, birth_date_matches=False)
    return IdentityCheck(
        found=True,
        name_matches=_fold(full_name) == _fold(record.full_name),
        birth_date_matches=birth_date == record.birth_date,
        sex_matches=None if sex is None else sex == record.sex,
    )


def registry_verify_identity(*, actor) -> IdentityCheck:
    """Check the actor's account (name, birth date, sex of their NIK profile) against the
    registry, with their consent for "identity" (e.g. right after sign-up)."""
    profile = citizen_profile_for(actor)
    if profile is None:
        raise ValidationFailed(_("Akun ini belum terhubung dengan NIK."))
    record = registry_lookup(actor=actor, nik=profile.nik, purpose=RegistryPurpose.IDENTITY)
    return identity_check(
        record=record,
        full_name=actor.full_name or actor.get_full_name(),
        birth_date=profile.birth_date,
        sex=profile.sex,
    )


# Profile ------------------------------------------------------------------------------------


def registry_profile_fill(*, actor) -> list[str]:
    """Copy name, birth date and sex from the registry into the actor's account; returns the
    names of the fields that changed (audited)."""
    profile = citizen_profile_for(actor)
    if profile is None:
        raise ValidationFailed(_("Akun ini belum terhubung dengan NIK."))
    record = registry_lookup(actor=actor, nik=profile.nik, purpose=RegistryPurpose.PROFILE)
    if record is None:
        raise ValidationFailed(
            _("NIK Anda tidak ditemukan di data kependudukan; profil tidak diubah.")
        )
    changed: list[str] = []
    with transaction.atomic():
        profile = CitizenProfile.objects.select_for_update().get(pk=profile.pk)
        if actor.full_name != record.full_name:
            actor.full_name = record.full_name
            actor.save(update_fields=["full_name"])
            changed.append("full_name")
        for field, value in (("birth_date", record.birth_date), ("sex", record.sex)):
            if getattr(profile, field) != value:
                setattr(profile, field, value)
                changed.append(field)
        if {"birth_date", "sex"} & set(changed):
            profile.modified_by = actor
            profile.save()
        if changed:
            audit(
                actor=actor,
                action="registry.profile_filled",
                target=profile,
                data={"fields": changed},
            )
    return changed
