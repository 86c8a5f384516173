"""The Django admin cannot change adopted standards and keeps the audit trail for drafts."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mpp.accounts.testing import verified_login
from mpp.agencies.models import CityRole, CityRoleKind
from mpp.catalog.models import Category, LifeEvent, Maklumat, Service, ServiceStandard
from mpp.catalog.testing import make_service, valid_components
from mpp.core.models import AuditRecord


@pytest.fixture
def superuser(make_user):
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def manager_client(client, superuser):
    """A superuser who is also the MPP manager, so the services let them edit drafts."""
    CityRole.objects.create(user=superuser, role=CityRoleKind.MPP_MANAGER)
    verified_login(client, superuser)
    return client


@pytest.fixture
def service(agency_a):
    return make_service(agency=agency_a, slug="akta-kelahiran", name="Akta Kelahiran")


@pytest.fixture
def draft(service):
    return ServiceStandard.objects.create(
        service=service, agency=service.agency, version=2, status="draft", **valid_components()
    )


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def standard_post_data(components: dict, change_note: str = "") -> dict:
    data = {"change_note": change_note}
    for key, value in components.items():
        data[key] = value if isinstance(value, str) else json.dumps(value)
    return data


def rows(model) -> list[dict]:
    return list(model.objects.order_by("pk").values())


@pytest.mark.parametrize(
    "model", [Category, LifeEvent, Service, ServiceStandard, Maklumat], ids=lambda m: m.__name__
)
def test_every_catalog_changelist_opens(manager_client, service, model):
    url = reverse(f"admin:catalog_{model._meta.model_name}_changelist")
    assert manager_client.get(url).status_code == 200


@pytest.mark.parametrize("model", [Service, ServiceStandard], ids=lambda m: m.__name__)
def test_changelists_run_the_same_queries_for_few_and_many_rows(manager_client, agency_a, model):
    url = reverse(f"admin:catalog_{model._meta.model_name}_changelist")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(url).status_code == 200
        return len(queries)

    for _ in range(2):
        make_service(agency=agency_a)
    few = count()
    for _ in range(20):
        make_service(agency=agency_a)
    assert count() == few


def test_an_adopted_standard_is_shown_read_only(manager_client, service):
    response = manager_client.get(change_url(service.current_standard))
    assert response.status_code == 200
    assert b'name="requirements"' not in response.content
    assert b'name="_save"' not in response.content


def test_posting_to_an_adopted_standard_changes_nothing(manager_client, service):
    before = rows(ServiceStandard)
    response = manager_client.post(
        change_url(service.current_standard),
        standard_post_data(valid_components(fee=[{"name": "Pungli", "amount": 1}])),
    )
    assert response.status_code == 403
    assert rows(ServiceStandard) == before


def test_standards_cannot_be_added_or_deleted_in_the_admin(manager_client, service, draft):
    assert manager_client.get(reverse("admin:catalog_servicestandard_add")).status_code == 403
    for standard in (service.current_standard, draft):
        url = reverse("admin:catalog_servicestandard_delete", args=[standard.pk])
        assert manager_client.post(url, {"post": "yes"}).status_code == 403
    assert ServiceStandard.objects.count() == 2


def test_a_draft_is_edited_through_the_service_and_audited(manager_client, draft):
    components = valid_components(fee=[{"name": "Retribusi", "amount": 25_000}])
    response = manager_client.post(change_url(draft), standard_post_data(components, "Tarif"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.fee_total == 25_000
    assert draft.change_note == "Tarif"
    assert AuditRecord.objects.filter(action="standard.draft_updated").count() == 1


def test_a_draft_with_no_fee_items_is_free(manager_client, draft):
    components = valid_components(fee=[])
    response = manager_client.post(change_url(draft), standard_post_data(components))
    assert response.status_code == 302


def test_an_invalid_draft_is_refused_with_the_path_and_changes_nothing(manager_client, draft):
    components = valid_components()
    components["requirements"][0]["code"] = "Bukan Kode"
    before = rows(ServiceStandard)
    response = manager_client.post(change_url(draft), standard_post_data(components))
    assert response.status_code == 200
    assert b"requirements.0.code" in response.content
    assert rows(ServiceStandard) == before


def test_malformed_json_is_a_form_error_not_a_crash(manager_client, draft):
    data = standard_post_data(valid_components())
    data["procedure"] = "{not json"
    before = rows(ServiceStandard)
    response = manager_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert rows(ServiceStandard) == before


def test_a_superuser_without_a_catalog_role_sees_drafts_read_only(client, superuser, draft):
    verified_login(client, superuser)
    before = rows(ServiceStandard)
    response = client.post(change_url(draft), standard_post_data(valid_components(fee=[])))
    assert response.status_code == 403
    assert rows(ServiceStandard) == before


def test_editing_a_service_refreshes_its_search_words_and_audits(manager_client, service):
    life_event = LifeEvent.objects.create(slug="lahir", name="Kelahiran anak")
    data = {
        "slug": service.slug,
        "name": "Pencatatan Kelahiran",
        "short_description": service.short_description,
        "agency": service.agency_id,
        "category": service.category_id,
        "life_events": [life_event.pk],
        "channel": "online",
        "keywords": "",
        "synonyms": "akta lahir",
        "is_active": "on",
        "standards-TOTAL_FORMS": "1",
        "standards-INITIAL_FORMS": "1",
        "standards-MIN_NUM_FORMS": "0",
        "standards-MAX_NUM_FORMS": "1000",
        "standards-0-id": service.current_standard_id,
        "standards-0-service": service.pk,
    }
    response = manager_client.post(change_url(service), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    service.refresh_from_db()
    assert service.name == "Pencatatan Kelahiran"
    assert " catat " in service.search_text
    assert " anak " in service.search_text
    record = AuditRecord.objects.get(action="service.updated_in_admin")
    assert "name" in record.data["fields"]


def test_services_cannot_be_deleted_in_the_admin(manager_client, service):
    url = reverse("admin:catalog_service_delete", args=[service.pk])
    assert manager_client.post(url, {"post": "yes"}).status_code == 403
    assert Service.objects.filter(pk=service.pk).exists()


def test_renaming_a_category_refreshes_the_search_words_of_its_services(manager_client, service):
    category = service.category
    data = {"slug": category.slug, "name": "Kependudukan", "name_en": "Civil registry"}
    assert manager_client.post(change_url(category), data).status_code == 302
    service.refresh_from_db()
    assert " duduk " in service.search_text
