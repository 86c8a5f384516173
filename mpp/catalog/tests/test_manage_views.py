"""Officer pages under /kelola/: who may enter, then the draft → adopt → withdraw flow."""

import datetime as dt
import io as stdio

import pytest
import time_machine
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from mpp.accounts.testing import verified_login
from mpp.catalog import io
from mpp.catalog.models import ServiceStandard, StandardStatus
from mpp.catalog.testing import make_service, valid_components

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def service_a(agency_a):
    return make_service(agency=agency_a, slug="akta-kelahiran", name="Akta Kelahiran")


@pytest.fixture
def service_b(agency_b):
    return make_service(agency=agency_b, slug="skck", name="SKCK")


def signed_in(client: Client, user) -> Client:
    verified_login(client, user)
    return client


def url(name: str, slug: str = "akta-kelahiran", **kwargs) -> str:
    return reverse(f"manage:{name}", kwargs={"slug": slug, **kwargs})


def drafts(service) -> list[ServiceStandard]:
    return list(service.standards.filter(status=StandardStatus.DRAFT))


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


# ------------------------------------------------------------------ who may enter


def test_anonymous_is_sent_to_login(client, service_a):
    for address in (reverse("manage:dashboard"), url("service"), reverse("manage:import")):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(url("draft_create"))
    assert response.status_code == 302
    assert drafts(service_a) == []


def test_citizen_is_forbidden(client, citizen, service_a):
    signed_in(client, citizen)
    assert client.get(reverse("manage:dashboard")).status_code == 403
    assert client.get(url("service")).status_code == 403
    assert client.post(url("draft_create")).status_code == 403
    assert drafts(service_a) == []


def test_other_agency_admin_gets_not_found_on_every_page_and_action(client, admin_b, service_a):
    signed_in(client, admin_b)
    pages = [
        ("get", url("service"), {}),
        ("get", url("service_export") + "?format=xlsx", {}),
        ("get", url("withdraw", version=1), {}),
        ("post", url("withdraw", version=1), {"reason": "x"}),
        ("post", url("draft_create"), {}),
        ("post", url("draft_edit", version=1), {"components_yaml": "a: 1"}),
        ("post", url("adopt", version=1), {"effective_date": "2026-01-02"}),
        (
            "post",
            url("draft_upload"),
            {"file": upload("s.yaml", io.export_bytes([service_a.current_standard], "yaml"))},
        ),
    ]
    for method, address, data in pages:
        response = getattr(client, method)(address, data)
        assert response.status_code == 404, address
    service_a.refresh_from_db()
    assert drafts(service_a) == []
    assert service_a.current_standard.status == StandardStatus.ADOPTED


def test_other_agency_service_is_refused_by_bulk_import_too(client, admin_b, service_a):
    data = io.export_bytes([service_a.current_standard], "csv")
    response = signed_in(client, admin_b).post(
        reverse("manage:import"), {"file": upload("s.csv", data)}
    )
    assert response.status_code == 400
    assert "layanan &#x27;akta-kelahiran&#x27; tidak ditemukan" in response.text
    assert drafts(service_a) == []


def test_verifier_of_the_agency_is_forbidden_not_shown_a_missing_page(
    client, verifier_a, service_a
):
    signed_in(client, verifier_a)
    assert client.get(url("service")).status_code == 403
    assert client.post(url("draft_create")).status_code == 403
    assert drafts(service_a) == []


def test_posts_need_the_csrf_token(admin_a, service_a):
    client = signed_in(Client(enforce_csrf_checks=True), admin_a)
    assert client.post(url("draft_create")).status_code == 403
    assert drafts(service_a) == []


# ------------------------------------------------------------------ dashboard


def test_dashboard_lists_only_the_admins_services(client, admin_a, service_a, service_b):
    response = signed_in(client, admin_a).get(reverse("manage:dashboard"))
    assert response.status_code == 200
    assert "Akta Kelahiran" in response.text
    assert "SKCK" not in response.text


def test_dashboard_shows_all_services_and_drafts_to_the_manager(
    client, manager, admin_a, service_a, service_b
):
    signed_in(Client(), admin_a).post(url("draft_create"))
    response = signed_in(client, manager).get(reverse("manage:dashboard"))
    services = {s.slug: s for s in response.context["services"]}
    assert set(services) == {"akta-kelahiran", "skck"}
    assert services["akta-kelahiran"].draft_version == 2
    assert services["skck"].draft_version is None


def test_dashboard_runs_a_constant_number_of_queries(
    client, manager, agency_a, django_assert_max_num_queries
):
    signed_in(client, manager)
    for _ in range(2):
        make_service(agency=agency_a)
    with django_assert_max_num_queries(50) as few:
        client.get(reverse("manage:dashboard"))
    for _ in range(20):
        make_service(agency=agency_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("manage:dashboard"))
    assert len(response.context["services"]) == 22


# ------------------------------------------------------------------ officer flow


@time_machine.travel(TODAY, tick=False)
def test_admin_creates_edits_adopts_and_withdraws_a_standard(client, admin_a, service_a):
    signed_in(client, admin_a)
    first = service_a.current_standard

    response = client.post(url("draft_create"), follow=True)
    [draft] = drafts(service_a)
    assert draft.version == 2
    assert "Draf versi 2 dibuat." in response.text

    page = client.get(url("service"))
    components = yaml.safe_load(page.context["edit_form"].initial["components_yaml"])
    components["completion_time"] = {"value": 2, "unit": "working_days", "note": ""}
    response = client.post(
        url("draft_edit", version=2),
        {"components_yaml": yaml.safe_dump(components), "change_note": "Lebih cepat"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.completion_time["value"] == 2
    assert draft.change_note == "Lebih cepat"

    response = client.post(
        url("adopt", version=2), {"effective_date": "2026-03-10", "decree_number": "188/12/2026"}
    )
    assert response.status_code == 302
    service_a.refresh_from_db()
    first.refresh_from_db()
    assert service_a.current_standard.version == 2
    assert service_a.current_standard.decree_number == "188/12/2026"
    assert service_a.current_standard.effective_date == dt.date(2026, 3, 10)
    assert first.status == StandardStatus.SUPERSEDED

    confirm = client.get(url("withdraw", version=2))
    assert confirm.status_code == 200
    assert "Cabut standar versi 2" in confirm.text
    response = client.post(url("withdraw", version=2), {"reason": "Peraturan dicabut"})
    assert response.status_code == 302
    service_a.refresh_from_db()
    assert service_a.current_standard is None
    withdrawn = service_a.standards.get(version=2)
    assert (withdrawn.status, withdrawn.change_note) == ("withdrawn", "Peraturan dicabut")


def test_double_submit_of_create_draft_makes_one_draft(client, admin_a, service_a):
    signed_in(client, admin_a)
    client.post(url("draft_create"))
    response = client.post(url("draft_create"), follow=True)
    assert len(drafts(service_a)) == 1
    assert "sudah memiliki draf" in response.text


def test_adopting_an_adopted_version_says_why_it_cannot(client, admin_a, service_a):
    response = signed_in(client, admin_a).post(
        url("adopt", version=1), {"effective_date": "2026-01-02"}, follow=True
    )
    assert "Standar yang sudah ditetapkan tidak dapat diubah" in response.text
    assert service_a.standards.get(version=1).status == StandardStatus.ADOPTED


@time_machine.travel(TODAY, tick=False)
def test_adopt_form_shows_a_future_date_error_beside_the_field(client, admin_a, service_a):
    signed_in(client, admin_a).post(url("draft_create"))
    response = client.post(url("adopt", version=2), {"effective_date": "2026-12-31"})
    assert response.status_code == 400
    assert 'id="id_effective_date_error"' in response.text
    assert 'aria-describedby="id_effective_date_error"' in response.text
    assert drafts(service_a)[0].version == 2


def test_bad_draft_yaml_shows_line_and_path_next_to_the_textarea(client, admin_a, service_a):
    signed_in(client, admin_a).post(url("draft_create"))
    components = valid_components()
    components["procedure"][1]["duration"]["unit"] = "days"
    text = yaml.safe_dump(components, sort_keys=False)
    line = 1 + next(n for n, t in enumerate(text.splitlines()) if "unit: days" in t)

    response = client.post(url("draft_edit", version=2), {"components_yaml": text})

    assert response.status_code == 400
    assert f"baris {line}: procedure.1.duration.unit" in response.text
    assert 'id="id_components_yaml_error"' in response.text
    assert "id_components_yaml_helptext id_components_yaml_error" in response.text
    assert drafts(service_a)[0].procedure[1]["duration"]["unit"] == "working_days"


def test_unparseable_draft_yaml_names_the_line(client, admin_a, service_a):
    signed_in(client, admin_a).post(url("draft_create"))
    response = client.post(url("draft_edit", version=2), {"components_yaml": "a: [1\nb: 2\n"})
    assert response.status_code == 400
    assert "baris 2: YAML tidak sah" in response.text


def test_uploading_an_xlsx_updates_the_draft(client, admin_a, service_a):
    components = valid_components(fee=[{"name": "Blangko", "amount": 5000}])
    other = make_service(agency=service_a.agency, slug="contoh", components=components)
    workbook = load_workbook(stdio.BytesIO(io.export_bytes([other.current_standard], "xlsx")))
    for sheet in workbook:
        for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
            cell.value = "akta-kelahiran"
    data = stdio.BytesIO()
    workbook.save(data)

    response = signed_in(client, admin_a).post(
        url("draft_upload"), {"file": upload("standar.xlsx", data.getvalue())}
    )

    assert response.status_code == 302
    [draft] = drafts(service_a)
    assert draft.fee == [{"name": "Blangko", "amount": 5000, "legal_basis": ""}]


def test_uploading_a_file_for_another_service_is_refused(client, admin_a, service_a):
    other = make_service(agency=service_a.agency, slug="contoh")
    data = io.export_bytes([other.current_standard], "xlsx")
    response = signed_in(client, admin_a).post(
        url("draft_upload"), {"file": upload("standar.xlsx", data)}
    )
    assert response.status_code == 400
    assert "hanya boleh berisi layanan" in response.text
    assert drafts(service_a) == [] and drafts(other) == []


def test_service_export_downloads_each_format(client, admin_a, service_a):
    signed_in(client, admin_a)
    for fmt in io.FORMATS:
        response = client.get(url("service_export") + f"?format={fmt}&version=1")
        assert response.status_code == 200
        assert response["Content-Type"] == io.CONTENT_TYPES[fmt]
        assert f'filename="akta-kelahiran-v1.{fmt}"' in response["Content-Disposition"]
        entries, problems = io.parse_file(response.content, filename=f"x.{fmt}")
        assert problems == [] and entries[0].service == "akta-kelahiran"


def test_export_with_a_bad_format_or_version_is_a_bad_request(client, admin_a, service_a):
    signed_in(client, admin_a)
    assert client.get(url("service_export") + "?format=pdf").status_code == 400
    assert client.get(url("service_export") + "?version=abc").status_code == 400
    assert client.get(url("service_export") + "?version=9").status_code == 404


# ------------------------------------------------------------------ bulk import page


def test_bulk_import_shows_the_summary(client, manager, service_a, service_b):
    data = io.export_bytes([service_a.current_standard, service_b.current_standard], "csv")
    response = signed_in(client, manager).post(
        reverse("manage:import"), {"file": upload("semua.csv", data)}
    )
    assert response.status_code == 200
    assert response.context["result"].created == ["akta-kelahiran", "skck"]
    assert "2 draf dibuat." in response.text
    assert len(drafts(service_a)) == len(drafts(service_b)) == 1


def test_bulk_import_shows_numbered_errors_and_imports_nothing(client, manager, service_a):
    data = io.export_bytes([service_a.current_standard], "yaml").replace(
        b"kind: data", b"kind: formulir"
    )
    response = signed_in(client, manager).post(
        reverse("manage:import"), {"file": upload("semua.yaml", data)}
    )
    assert response.status_code == 400
    assert "dokumen 1, baris" in response.text
    assert "requirements.1.kind" in response.text
    assert ServiceStandard.objects.filter(status=StandardStatus.DRAFT).count() == 0


def test_bulk_import_refuses_an_empty_upload(client, manager):
    response = signed_in(client, manager).post(
        reverse("manage:import"), {"file": upload("x.csv", b"")}
    )
    assert response.status_code == 400
    assert ServiceStandard.objects.filter(status=StandardStatus.DRAFT).count() == 0
