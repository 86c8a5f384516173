"""The standard's lifecycle: draft → adopted (immutable, supersedes) → withdrawn."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mpp.catalog import selectors, services
from mpp.catalog.models import Service, ServiceStandard, StandardStatus
from mpp.catalog.testing import make_category, make_service, valid_components
from mpp.core.audit import audit_chain_is_intact
from mpp.core.errors import Conflict, NotFound, ValidationFailed
from mpp.core.models import AuditRecord, DomainEvent

JAKARTA = ZoneInfo("Asia/Jakarta")
# 00:30 in Jakarta is still the previous day in UTC: "today" must be Jakarta's.
TODAY = dt.date(2026, 3, 10)
NOW = dt.datetime(2026, 3, 10, 0, 30, tzinfo=JAKARTA)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def service(agency_a):
    """A service of agency A whose version 1 (effective 2026-01-02) is in force."""
    return make_service(agency=agency_a, slug="akta-kelahiran", name="Akta Kelahiran")


@pytest.fixture
def new_service(agency_a):
    """A service of agency A without any standard yet."""
    return make_service(agency=agency_a, adopted=False, slug="ktp-el", name="KTP-el")


def paid(amount: int = 50_000) -> dict:
    return valid_components(fee=[{"name": "Retribusi", "amount": amount, "legal_basis": "Perda"}])


def snapshot() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Service, ServiceStandard, AuditRecord, DomainEvent)
    }


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


class TestAdopt:
    def test_adopting_supersedes_the_previous_version_and_points_the_service_at_it(
        self, service, admin_a
    ):
        v1 = service.current_standard
        draft = services.standard_create_draft(actor=admin_a, service=service, components=paid())

        adopted = services.standard_adopt(
            actor=admin_a,
            standard=draft,
            effective_date=dt.date(2026, 3, 1),
            decree_number="188.45/12/35.73.112/2026",
        )

        assert adopted.version == 2
        assert adopted.status == StandardStatus.ADOPTED
        assert adopted.effective_date == dt.date(2026, 3, 1)
        assert adopted.decree_number == "188.45/12/35.73.112/2026"
        assert adopted.adopted_at == NOW
        assert reload(v1).status == StandardStatus.SUPERSEDED
        assert reload(service).current_standard_id == adopted.pk
        assert reload(adopted).fee_total == 50_000

    def test_adoption_writes_an_audit_record_and_a_domain_event(self, service, admin_a):
        draft = services.standard_create_draft(actor=admin_a, service=service, components=paid())
        services.standard_adopt(actor=admin_a, standard=draft)

        record = AuditRecord.objects.get(action="standard.adopted")
        assert record.actor == admin_a
        assert record.target_id == str(draft.pk)
        assert record.agency_id == service.agency_id
        assert record.data == {"version": 2, "effective_date": "2026-03-10"}
        event = DomainEvent.objects.get(type="id.mpp.standard.adopted")
        assert event.subject == "services/akta-kelahiran"
        assert event.agency_id == service.agency_id
        assert event.data == {
            "service": "akta-kelahiran",
            "version": 2,
            "effective_date": "2026-03-10",
        }
        assert audit_chain_is_intact()

    def test_adoption_is_one_transaction_with_its_event(self, service, admin_a, monkeypatch):
        draft = services.standard_create_draft(actor=admin_a, service=service, components=paid())
        before = snapshot()

        def broken_outbox(**kwargs):
            raise RuntimeError("outbox down")

        monkeypatch.setattr(services, "record_event", broken_outbox)
        with pytest.raises(RuntimeError):
            services.standard_adopt(actor=admin_a, standard=draft)

        assert snapshot() == before  # no half adoption, no orphan audit record

    def test_the_effective_date_defaults_to_today_in_jakarta(self, new_service, admin_a):
        draft = services.standard_create_draft(
            actor=admin_a, service=new_service, components=valid_components()
        )
        adopted = services.standard_adopt(actor=admin_a, standard=draft)
        assert adopted.version == 1
        assert adopted.effective_date == TODAY
        assert reload(new_service).current_standard_id == adopted.pk

    def test_an_effective_date_in_the_future_is_refused(self, service, admin_a):
        draft = services.standard_create_draft(actor=admin_a, service=service, components=paid())
        before = snapshot()
        with pytest.raises(ValidationFailed) as info:
            services.standard_adopt(
                actor=admin_a, standard=draft, effective_date=TODAY + dt.timedelta(days=1)
            )
        assert "effective_date" in info.value.errors
        assert snapshot() == before

    def test_an_effective_date_before_the_previous_versions_is_refused(self, service, admin_a):
        draft = services.standard_create_draft(actor=admin_a, service=service, components=paid())
        before = snapshot()
        with pytest.raises(ValidationFailed) as info:
            services.standard_adopt(
                actor=admin_a, standard=draft, effective_date=dt.date(2026, 1, 1)
            )
        assert "effective_date" in info.value.errors
        assert snapshot() == before

    def test_the_same_effective_date_as_the_previous_version_is_accepted(self, service, admin_a):
        draft = services.standard_create_draft(actor=admin_a, service=service, components=paid())
        adopted = services.standard_adopt(
            actor=admin_a, standard=draft, effective_date=dt.date(2026, 1, 2)
        )
        assert adopted.status == StandardStatus.ADOPTED

    def test_an_adopted_version_cannot_be_adopted_again(self, service, admin_a):
        with pytest.raises(Conflict):
            services.standard_adopt(actor=admin_a, standard=service.current_standard)


class TestImmutability:
    def test_an_adopted_version_cannot_be_edited(self, service, admin_a):
        before = snapshot()
        with pytest.raises(Conflict):
            services.standard_update_draft(
                actor=admin_a, standard=service.current_standard, components=paid()
            )
        assert snapshot() == before

    def test_a_superseded_version_cannot_be_edited(self, service, admin_a):
        v1 = service.current_standard
        draft = services.standard_create_draft(actor=admin_a, service=service, components=paid())
        services.standard_adopt(actor=admin_a, standard=draft)
        before = snapshot()
        with pytest.raises(Conflict):
            services.standard_update_draft(
                actor=admin_a, standard=reload(v1), components=paid(1_000)
            )
        assert snapshot() == before

    def test_a_stale_copy_of_an_adopted_draft_cannot_be_edited(self, service, admin_a):
        # The caller still holds the object it loaded while it was a draft.
        draft = services.standard_create_draft(actor=admin_a, service=service, components=paid())
        services.standard_adopt(actor=admin_a, standard=ServiceStandard.objects.get(pk=draft.pk))
        before = snapshot()
        with pytest.raises(Conflict):
            services.standard_update_draft(actor=admin_a, standard=draft, components=paid(1))
        assert snapshot() == before

    def test_a_draft_can_be_edited_until_it_is_adopted(self, service, admin_a):
        draft = services.standard_create_draft(actor=admin_a, service=service, components=paid())
        updated = services.standard_update_draft(
            actor=admin_a, standard=draft, components=paid(75_000), change_note="Tarif baru"
        )
        assert reload(updated).fee_total == 75_000
        assert reload(updated).change_note == "Tarif baru"
        assert AuditRecord.objects.filter(action="standard.draft_updated").count() == 1

    def test_a_second_draft_while_one_exists_is_refused(self, service, admin_a):
        services.standard_create_draft(actor=admin_a, service=service, components=paid())
        before = snapshot()
        with pytest.raises(Conflict):
            services.standard_create_draft(actor=admin_a, service=service, components=paid(1))
        assert snapshot() == before

    def test_a_new_draft_copies_the_version_in_force(self, service, admin_a):
        draft = services.standard_create_draft(actor=admin_a, service=service)
        assert draft.version == 2
        in_force = services.validate_components(service.current_standard.components())
        assert draft.components() == in_force

    def test_a_draft_cannot_copy_when_nothing_is_in_force(self, new_service, admin_a):
        with pytest.raises(ValidationFailed):
            services.standard_create_draft(actor=admin_a, service=new_service)
        assert not ServiceStandard.objects.exists()


class TestWithdraw:
    def test_withdrawing_the_version_in_force_clears_the_services_standard(self, service, admin_a):
        v1 = service.current_standard
        withdrawn = services.standard_withdraw(
            actor=admin_a, standard=v1, reason="Layanan dialihkan ke instansi lain"
        )
        assert withdrawn.status == StandardStatus.WITHDRAWN
        assert withdrawn.change_note == "Layanan dialihkan ke instansi lain"
        assert reload(service).current_standard is None
        record = AuditRecord.objects.get(action="standard.withdrawn")
        assert record.data["reason"] == "Layanan dialihkan ke instansi lain"

    def test_withdrawing_a_draft_leaves_the_version_in_force(self, service, admin_a):
        draft = services.standard_create_draft(actor=admin_a, service=service, components=paid())
        services.standard_withdraw(actor=admin_a, standard=draft, reason="Batal")
        assert reload(draft).status == StandardStatus.WITHDRAWN
        assert reload(service).current_standard_id == service.current_standard_id

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_withdrawing_without_a_reason_is_refused(self, service, admin_a, reason):
        before = snapshot()
        with pytest.raises(ValidationFailed) as info:
            services.standard_withdraw(
                actor=admin_a, standard=service.current_standard, reason=reason
            )
        assert "reason" in info.value.errors
        assert snapshot() == before

    def test_a_superseded_version_cannot_be_withdrawn(self, service, admin_a):
        v1 = service.current_standard
        draft = services.standard_create_draft(actor=admin_a, service=service, components=paid())
        services.standard_adopt(actor=admin_a, standard=draft)
        with pytest.raises(Conflict):
            services.standard_withdraw(actor=admin_a, standard=reload(v1), reason="x")

    def test_a_withdrawn_version_cannot_be_edited_or_adopted(self, service, admin_a):
        draft = services.standard_create_draft(actor=admin_a, service=service, components=paid())
        services.standard_withdraw(actor=admin_a, standard=draft, reason="Batal")
        with pytest.raises(Conflict):
            services.standard_update_draft(actor=admin_a, standard=draft, components=paid())
        with pytest.raises(Conflict):
            services.standard_adopt(actor=admin_a, standard=draft)


class TestVersions:
    def test_versions_count_up_and_all_published_ones_stay_readable(self, new_service, admin_a):
        for amount, day in ((0, 1), (10_000, 5), (20_000, 9)):
            draft = services.standard_create_draft(
                actor=admin_a, service=new_service, components=paid(amount)
            )
            services.standard_adopt(
                actor=admin_a, standard=draft, effective_date=dt.date(2026, 3, day)
            )
        services.standard_create_draft(actor=admin_a, service=new_service)

        versions = list(selectors.standard_versions(service=new_service))
        assert [(v.version, v.status) for v in versions] == [
            (3, StandardStatus.ADOPTED),
            (2, StandardStatus.SUPERSEDED),
            (1, StandardStatus.SUPERSEDED),
        ]
        old = selectors.standard_version(service=new_service, version=2)
        assert old.fee_total == 10_000
        assert old.effective_date == dt.date(2026, 3, 5)
        with pytest.raises(NotFound):
            selectors.standard_version(service=new_service, version=4)  # the draft
        with pytest.raises(NotFound):
            selectors.standard_version(service=new_service, version=99)

    def test_a_withdrawn_version_stays_readable(self, service, admin_a):
        services.standard_withdraw(actor=admin_a, standard=service.current_standard, reason="x")
        versions = list(selectors.standard_versions(service=service))
        assert [(v.version, v.status) for v in versions] == [(1, StandardStatus.WITHDRAWN)]

    def test_a_version_number_is_never_reused_after_a_withdrawn_draft(self, service, admin_a):
        draft = services.standard_create_draft(actor=admin_a, service=service, components=paid())
        services.standard_withdraw(actor=admin_a, standard=draft, reason="Batal")
        again = services.standard_create_draft(actor=admin_a, service=service)
        assert again.version == 3


class TestInvalidComponents:
    def test_invalid_components_are_refused_by_path_and_nothing_is_written(
        self, new_service, admin_a
    ):
        data = valid_components(fee=[{"name": "Retribusi", "amount": -1}])
        data["requirements"][0]["code"] = "Bukan Kode"
        before = snapshot()
        with pytest.raises(ValidationFailed) as info:
            services.standard_create_draft(actor=admin_a, service=new_service, components=data)
        assert "requirements.0.code" in info.value.errors
        assert "fee.0.amount" in info.value.errors
        assert snapshot() == before

    def test_a_missing_component_is_named(self, new_service, admin_a):
        data = valid_components()
        del data["procedure"]
        with pytest.raises(ValidationFailed) as info:
            services.standard_create_draft(actor=admin_a, service=new_service, components=data)
        assert "procedure" in info.value.errors

    def test_an_invalid_update_leaves_the_draft_unchanged(self, service, admin_a):
        draft = services.standard_create_draft(actor=admin_a, service=service, components=paid())
        before = snapshot()
        with pytest.raises(ValidationFailed) as info:
            services.standard_update_draft(
                actor=admin_a,
                standard=draft,
                components=valid_components(completion_time={"value": 2, "unit": "weeks"}),
            )
        assert "completion_time.unit" in info.value.errors
        assert snapshot() == before

    def test_components_are_stored_normalised(self, new_service, admin_a):
        data = valid_components()
        data["requirements"][0]["name"] = "  KTP-el pemohon  "
        draft = services.standard_create_draft(actor=admin_a, service=new_service, components=data)
        assert reload(draft).requirements[0]["name"] == "KTP-el pemohon"
        assert reload(draft).completion_minutes == 3 * 8 * 60


class TestServiceWrites:
    def test_the_manager_creates_a_service_with_an_audit_record(self, manager, agency_a):
        created = services.service_create(
            actor=manager,
            agency=agency_a,
            slug="kia",
            name="Kartu Identitas Anak",
            short_description="KIA untuk anak di bawah 17 tahun",
            category=make_category(slug="kependudukan", name="Kependudukan"),
            channel="both",
        )
        assert created.created_by == manager
        assert " kartu " in created.search_text
        assert AuditRecord.objects.filter(action="service.created", agency_id=agency_a.pk).exists()

    def test_a_taken_slug_is_a_conflict(self, manager, service):
        with pytest.raises(Conflict):
            services.service_create(
                actor=manager,
                agency=service.agency,
                slug=service.slug,
                name="Lain",
                short_description="x",
                category=service.category,
                channel="online",
            )

    def test_an_unknown_field_is_refused_on_update(self, admin_a, service):
        before = snapshot()
        with pytest.raises(ValidationFailed):
            services.service_update(actor=admin_a, service=service, agency_id=999)
        assert snapshot() == before

    def test_get_standard_for_editing_finds_the_agencys_own_draft(self, admin_a, service):
        draft = services.standard_create_draft(actor=admin_a, service=service)
        found = services.get_standard_for_editing(
            actor=admin_a, service_slug=service.slug, version=2
        )
        assert found.pk == draft.pk

    def test_get_standard_for_editing_of_an_unknown_version_is_not_found(self, manager, service):
        with pytest.raises(NotFound):
            services.get_standard_for_editing(actor=manager, service_slug=service.slug, version=9)
        with pytest.raises(NotFound):
            services.get_standard_for_editing(actor=manager, service_slug="tidak-ada", version=1)
