"""The Kota Malang demo: YAML files under data/ loaded idempotently through the services.

Agencies, categories, life events and maklumat are plain reference rows (upserted by slug);
services and their standards are written through catalog.services acting as the MPP
manager, so the demo carries the same audit trail and search index as real data. Running
the loader again changes nothing unless the YAML changed: every write is preceded by a
comparison.

Keys `verified`, `note` and `sources` in the YAML document what could not be checked; the
loader ignores them (docs/demo-data.md summarises them).
"""

import base64
import copy
import datetime as dt
import functools
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mpp.accounts.models import CitizenProfile
from mpp.accounts.services.officers import ensure_officer
from mpp.agencies.models import Agency
from mpp.catalog import services as catalog_services
from mpp.catalog.models import Category, LifeEvent, Maklumat, Service, StandardStatus
from mpp.catalog.standard_schema import COMPONENT_KEYS
from mpp.core.audit import audit
from mpp.core.errors import ValidationFailed

DATA_DIR = Path(__file__).parent / "data"
DOCUMENTATION_KEYS = frozenset({"verified", "note", "sources"})
SERVICE_FIELDS = (
    "name",
    "short_description",
    "channel",
    "keywords",
    "synonyms",
    "document_template",
)
SERVICE_FIELD_DEFAULTS = {"document_template": "default"}
AGENCY_FIELDS = (
    "name",
    "short_name",
    "kind",
    "description",
    "address",
    "phone",
    "email",
    "website",
    "counter_location",
    "opening_hours",
)

SERVICE_KEYS = {
    "slug",
    "category",
    "life_events",
    "standard",
    "history",
    "effective_date",
    "decree_number",
    "change_note",
    *SERVICE_FIELDS,
}
ROLE_KEYS = {"agency", "role", "city_role"}
CITIZEN_KEYS = {"phone", "nik", "birth_date", "sex"}
ACCOUNT_KEYS = {"username", "full_name", "label", "email", *ROLE_KEYS, *CITIZEN_KEYS}
DEMO_DEVICE_NAME = "demo"
MAKLUMAT_KEYS = {"text", "signer_name", "signer_title", "signed_on"}


class DemoDataError(Exception):
    """The YAML files are inconsistent (unknown slug, unknown key, invalid standard)."""


@dataclass
class DemoVersion:
    components: dict[str, Any]
    effective_date: dt.date
    decree_number: str
    change_note: str


@dataclass
class DemoAccount:
    username: str
    password: str
    full_name: str
    role_label: str
    agency: str = ""
    role: str = ""
    city_role: str = ""
    email: str = ""
    phone: str = ""
    nik: str = ""
    birth_date: dt.date | None = None
    sex: str = ""

    @property
    def is_officer(self) -> bool:
        return bool(self.role or self.city_role)

    @property
    def totp_secret(self) -> str:
        """The officer's fixed demo TOTP secret (base32), empty for a citizen."""
        return demo_totp_secret(self.username) if self.is_officer else ""


def demo_totp_key(username: str) -> bytes:
    """A fixed, public 20-byte TOTP key per demo officer: DEMO ONLY, printed by seed_demo."""
    return hashlib.sha256(f"mpp-demo-totp:{username}".encode()).digest()[:20]


def demo_totp_secret(username: str) -> str:
    """The key as authenticator apps take it when typed in (RFC 4648 base32)."""
    return base64.b32encode(demo_totp_key(username)).decode()


@dataclass
class SeedReport:
    counts: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=list)

    def note(self, kind: str, outcome: str) -> None:
        self.counts[f"{kind}.{outcome}"] += 1


def read_yaml(path: Path) -> Any:
    """One YAML data file (a fresh copy: callers may change it); a syntax error names the file."""
    return copy.deepcopy(_parsed(path, path.stat().st_mtime_ns))


@functools.lru_cache(maxsize=64)
def _parsed(path: Path, mtime_ns: int) -> Any:
    # The C parser when PyYAML has libyaml; parsing dominates the loader's run time otherwise.
    safe_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=safe_loader)  # noqa: S506
    except yaml.YAMLError as exc:
        raise DemoDataError(f"{path.name}: {exc}") from exc


def _check_keys(where: str, entry: dict, allowed: set[str]) -> None:
    unknown = set(entry) - allowed - DOCUMENTATION_KEYS
    if unknown:
        raise DemoDataError(f"{where}: kunci tidak dikenal {sorted(unknown)}")


def upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, str]:
    """Create or update one row, writing only when something differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    obj.save()
    return obj, "updated"


# --- reading ---------------------------------------------------------------------------


def demo_accounts() -> list[DemoAccount]:
    """The fixed demo accounts (demo data only: never use these passwords in production)."""
    data = read_yaml(DATA_DIR / "accounts.yaml")
    password = data["password"]
    accounts = []
    for entry in data["accounts"]:
        _check_keys(entry["username"], entry, ACCOUNT_KEYS)
        is_citizen = bool(CITIZEN_KEYS & set(entry))
        if is_citizen and (ROLE_KEYS & set(entry) or not set(entry) >= CITIZEN_KEYS):
            raise DemoDataError(f"{entry['username']}: warga perlu {sorted(CITIZEN_KEYS)}")
        accounts.append(
            DemoAccount(
                username=entry["username"],
                password=password,
                full_name=entry["full_name"],
                role_label=entry["label"],
                agency=entry.get("agency", ""),
                role=entry.get("role", ""),
                city_role=entry.get("city_role", ""),
                email=entry.get("email", ""),
                phone=str(entry.get("phone", "")),
                nik=str(entry.get("nik", "")),
                birth_date=entry.get("birth_date"),
                sex=entry.get("sex", ""),
            )
        )
    return accounts


def service_files() -> list[dict]:
    """Each agency's service file: {agency, defaults, services}."""
    return [read_yaml(path) for path in sorted((DATA_DIR / "services").glob("*.yaml"))]


def standard_versions(entry: dict, defaults: dict, common: dict) -> list[DemoVersion]:
    """The versions of one service's standard, oldest first, each with all 14 components."""
    standard = entry["standard"]
    unknown = set(standard) - set(COMPONENT_KEYS)
    if unknown:
        raise DemoDataError(f"{entry['slug']}: komponen tidak dikenal {sorted(unknown)}")
    current = {key: _component(key, standard, defaults, common) for key in COMPONENT_KEYS}
    versions = []
    for old in entry.get("history", []):
        _check_keys(
            entry["slug"],
            old,
            {"effective_date", "decree_number", "change_note", "changes", "extra_requirements"},
        )
        components = {**current, **old.get("changes", {})}
        components["requirements"] = components["requirements"] + old.get("extra_requirements", [])
        versions.append(
            DemoVersion(
                components=_validated(entry["slug"], components),
                effective_date=old["effective_date"],
                decree_number=old.get("decree_number", ""),
                change_note=old.get("change_note", ""),
            )
        )
    versions.append(
        DemoVersion(
            components=_validated(entry["slug"], current),
            effective_date=entry["effective_date"],
            decree_number=entry.get("decree_number", ""),
            change_note=entry.get("change_note", ""),
        )
    )
    return versions


def _validated(slug: str, components: dict) -> dict:
    try:
        return catalog_services.validate_components(components)
    except ValidationFailed as exc:
        raise DemoDataError(f"{slug}: {exc.detail} {exc.errors}") from exc


def _component(key: str, standard: dict, defaults: dict, common: dict) -> Any:
    for source in (standard, defaults, common):
        if key in source:
            return source[key]
    raise DemoDataError(f"komponen '{key}' tidak ada di layanan, default instansi, maupun umum")


# --- loading ---------------------------------------------------------------------------


@transaction.atomic
def load_demo(*, with_accounts: bool = True) -> SeedReport:
    """Load or refresh the whole demo; returns what was created, updated or left alone."""
    report = SeedReport()
    taxonomy = read_yaml(DATA_DIR / "taxonomy.yaml")
    categories = {
        item["slug"]: _upsert_named(Category, item, report, "category")
        for item in taxonomy["categories"]
    }
    events = {
        item["slug"]: _upsert_named(LifeEvent, item, report, "life_event")
        for item in taxonomy["life_events"]
    }
    agencies = _load_agencies(report)
    accounts = demo_accounts()
    manager = _load_accounts(accounts if with_accounts else accounts[:1], agencies, report)
    common = read_yaml(DATA_DIR / "common.yaml")["standard_defaults"]
    for data in service_files():
        agency = agencies.get(data["agency"])
        if agency is None:
            raise DemoDataError(f"instansi '{data['agency']}' tidak ada di agencies.yaml")
        for entry in data["services"]:
            context = (agency, data.get("defaults", {}), common, categories, events, manager)
            _load_service(entry, *context, report)
    return report


def _upsert_named(model, item: dict, report: SeedReport, kind: str):
    _check_keys(item["slug"], item, {"slug", "name", "name_en", "description", "order"})
    values = {k: v for k, v in item.items() if k not in DOCUMENTATION_KEYS and k != "slug"}
    obj, outcome = upsert(model, {"slug": item["slug"]}, values)
    report.note(kind, outcome)
    return obj


def _load_agencies(report: SeedReport) -> dict[str, Agency]:
    agencies = {}
    for item in read_yaml(DATA_DIR / "agencies.yaml")["agencies"]:
        _check_keys(item["slug"], item, {"slug", "maklumat", *AGENCY_FIELDS})
        values = {name: item.get(name, "") for name in AGENCY_FIELDS}
        values["opening_hours"] = item.get("opening_hours", [])
        agency, outcome = upsert(Agency, {"slug": item["slug"]}, values)
        report.note("agency", outcome)
        pledge = item["maklumat"]
        _check_keys(f"{item['slug']}.maklumat", pledge, MAKLUMAT_KEYS)
        _, outcome = upsert(
            Maklumat,
            {"agency": agency, "signed_on": pledge["signed_on"]},
            {k: pledge[k].strip() for k in ("text", "signer_name", "signer_title")},
        )
        report.note("maklumat", outcome)
        agencies[agency.slug] = agency
    return agencies


def _load_accounts(accounts: list[DemoAccount], agencies: dict[str, Agency], report: SeedReport):
    """Create the demo accounts; the first one must be the MPP manager (the loader's actor).

    Officers get their roles and a confirmed TOTP device with the fixed demo secret; citizens
    a profile with their NIK and verified contacts. Existing accounts keep their password.
    """
    manager = None
    for account in accounts:
        if account.nik:
            user, outcome = _ensure_citizen(account)
        else:
            user, outcome = _ensure_demo_officer(account, agencies, report)
        report.note("account", outcome)
        report.accounts.append(account)
        manager = manager or user
    return manager


def _ensure_demo_officer(account: DemoAccount, agencies: dict[str, Agency], report: SeedReport):
    if account.agency and account.agency not in agencies:
        raise DemoDataError(f"{account.username}: instansi '{account.agency}' tidak dikenal")
    result = ensure_officer(
        account.username,
        password=account.password,
        full_name=account.full_name,
        email=account.email,
        agency=agencies[account.agency] if account.agency else None,
        role=account.role or None,
        city_role=account.city_role or None,
        reset_password=False,
    )
    report.note("totp", _ensure_demo_device(result.user))
    return result.user, "created" if result.created else "unchanged"


def _ensure_demo_device(user) -> str:
    """A confirmed authenticator with the demo key, so that the officer can sign in at once."""
    key = demo_totp_key(user.username).hex()
    device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME).first()
    if device is None:
        TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=key, confirmed=True)
        return "created"
    if device.key == key and device.confirmed:
        return "unchanged"
    device.key, device.confirmed = key, True
    device.save(update_fields=["key", "confirmed"])
    return "updated"


def _ensure_citizen(account: DemoAccount):
    """A citizen with a NIK, verified e-mail and phone (signs in with either + password)."""
    user = get_user_model().objects.filter(username=account.username).first()
    if user is None:
        now = timezone.now()
        user = get_user_model().objects.create_user(
            username=account.username,
            password=account.password,
            email=account.email,
            phone=account.phone,
            full_name=account.full_name,
            email_verified_at=now,
            phone_verified_at=now,
        )
        outcome = "created"
    else:
        values = {"email": account.email, "phone": account.phone, "full_name": account.full_name}
        changed = [name for name, value in values.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, values[name])
        for name in ("email_verified_at", "phone_verified_at"):
            if getattr(user, name) is None:
                setattr(user, name, timezone.now())
                changed.append(name)
        if changed:
            user.save(update_fields=changed)
        outcome = "updated" if changed else "unchanged"
    _, profile_outcome = upsert(
        CitizenProfile,
        {"user": user},
        {"nik": account.nik, "birth_date": account.birth_date, "sex": account.sex},
    )
    if profile_outcome == "created":
        audit(actor=None, action="citizen.created", target=user, data={"user": user.pk})
    elif profile_outcome == "updated" and outcome == "unchanged":
        outcome = "updated"
    return user, outcome


def _load_service(entry, agency, defaults, common, categories, events, manager, report) -> None:
    _check_keys(entry["slug"], entry, SERVICE_KEYS)
    fields = {
        name: entry.get(name, SERVICE_FIELD_DEFAULTS.get(name, "")) for name in SERVICE_FIELDS
    }
    fields["category"] = _lookup(categories, entry["category"], entry["slug"])
    life_events = [_lookup(events, slug, entry["slug"]) for slug in entry.get("life_events", [])]
    versions = standard_versions(entry, defaults, common)
    service = Service.objects.filter(slug=entry["slug"]).first()
    if service is None:
        service = catalog_services.service_create(
            actor=manager, agency=agency, slug=entry["slug"], life_events=life_events, **fields
        )
        report.note("service", "created")
    elif service.agency_id != agency.pk:
        report.warnings.append(f"{service.slug}: milik instansi lain di basis data; dilewati")
        return
    else:
        _update_service(service, fields, life_events, manager, report)
    _sync_standards(service, versions, manager, report)


def _lookup(table: dict, slug: str, where: str):
    if slug not in table:
        raise DemoDataError(f"{where}: '{slug}' tidak dikenal")
    return table[slug]


def _update_service(service: Service, fields: dict, life_events: list, manager, report) -> None:
    changed = {name: value for name, value in fields.items() if getattr(service, name) != value}
    wanted = {event.pk for event in life_events}
    events_changed = set(service.life_events.values_list("pk", flat=True)) != wanted
    if changed or events_changed:
        catalog_services.service_update(
            actor=manager,
            service=service,
            life_events=life_events if events_changed else None,
            **changed,
        )
        report.note("service", "updated")
        return
    # The index is derived data: rebuild it quietly in case the normalisation changed.
    catalog_services.refresh_search_text(service)
    report.note("service", "unchanged")


def _sync_standards(service: Service, versions: list[DemoVersion], manager, report) -> None:
    """Adopt the demo versions on a new service; on an existing one, adopt only what changed."""
    if service.standards.filter(status=StandardStatus.DRAFT).exists():
        report.warnings.append(f"{service.slug}: ada draf standar; standar demo tidak diubah")
        return
    current = service.current_standard
    if not service.standards.exists():
        for version in versions:
            _adopt(service, version, version.effective_date, manager)
        report.note("standard", "created")
        return
    latest = versions[-1]
    if current is not None and current.components() == latest.components:
        report.note("standard", "unchanged")
        return
    effective = latest.effective_date
    if current is not None:
        effective = max(effective, current.effective_date)
    _adopt(service, latest, effective, manager)
    report.note("standard", "updated")


def _adopt(service: Service, version: DemoVersion, effective: dt.date, manager) -> None:
    draft = catalog_services.standard_create_draft(
        actor=manager,
        service=service,
        components=version.components,
        change_note=version.change_note,
    )
    catalog_services.standard_adopt(
        actor=manager,
        standard=draft,
        effective_date=effective,
        decree_number=version.decree_number,
    )
    service.refresh_from_db(fields=["current_standard"])
