"""Agency API v1 on applications: list and sync, read with document links, steps, issued
documents, messages, inbound status changes; refusals for every operation."""

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from mpp.applications.demo import apply_with_samples
from mpp.applications.models import Application, ApplicationEvent, Status
from mpp.catalog.testing import make_service, valid_components
from mpp.documents.services import check_signature
from mpp.interop import services as interop
from mpp.interop.tests.test_inbound import push

pytestmark = pytest.mark.django_db

REQUIREMENTS = [
    {"code": "ktp", "kind": "document", "name": "KTP-el pemohon"},
    {"code": "nama_anak", "kind": "data", "name": "Nama anak"},
]
ALL_SCOPES = [
    "applications:read",
    "applications:transition",
    "documents:attach",
    "messages:send",
    "events:push",
]


@pytest.fixture
def citizen_a(make_user):
    from mpp.accounts.testing import make_citizen

    return make_citizen(make_user, "siti", "3573014101900001", full_name="Siti Aminah")


@pytest.fixture
def service_a(agency_a):
    return make_service(
        agency=agency_a, slug="akta", components=valid_components(requirements=REQUIREMENTS)
    )


@pytest.fixture
def case(citizen_a, service_a):
    return apply_with_samples(actor=citizen_a, service=service_a)


@pytest.fixture
def full_client(admin_a, agency_a):
    return interop.api_client_create(actor=admin_a, agency=agency_a, name="SIAK", scopes=ALL_SCOPES)


@pytest.fixture
def reader_b(admin_b, agency_b):
    return interop.api_client_create(
        actor=admin_b, agency=agency_b, name="Polresta", scopes=ALL_SCOPES
    )


def agency_pdf() -> bytes:
    """A PDF as an agency's own system would make it."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Kutipan Akta Kelahiran")
    return bytes(pdf.output())


def api(issued, method, path, **kwargs):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.token}")
    return getattr(client, method)(f"/api/v1{path}", **kwargs)


def post_json(issued, path, payload, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api(
        issued, "post", path, data=json.dumps(payload), content_type="application/json", **headers
    )


def test_the_list_is_the_agencys_own_cases_in_order_of_change(case, full_client, reader_b):
    response = api(full_client, "get", "/agency/applications")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["id"] for i in items] == [case.public_id]
    assert items[0]["subject"] == {"name": "Siti Aminah", "nik": "3573014101900001"}
    assert api(reader_b, "get", "/agency/applications").json()["items"] == []


def test_cursor_pagination_and_updated_since_give_an_incremental_sync(
    citizen_a, service_a, full_client
):
    start = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        cases = []
        for _ in range(5):
            cases.append(apply_with_samples(actor=citizen_a, service=service_a))
            clock.shift(60)
        seen, cursor = [], ""
        while True:
            page = api(full_client, "get", f"/agency/applications?limit=2&cursor={cursor}").json()
            seen += [i["id"] for i in page["items"]]
            if not page["next_cursor"]:
                break
            cursor = page["next_cursor"]
        assert seen == [c.public_id for c in cases]
        since = (start + dt.timedelta(seconds=150)).isoformat().replace("+00:00", "Z")
        recent = api(full_client, "get", "/agency/applications", data={"updated_since": since})
        assert [i["id"] for i in recent.json()["items"]] == [c.public_id for c in cases[3:]]
    bad = api(full_client, "get", "/agency/applications?cursor=%%%")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"


def test_a_read_carries_an_etag_and_answers_304_when_unchanged(case, full_client):
    first = api(full_client, "get", f"/agency/applications/{case.public_id}")
    assert first.status_code == 200 and first["ETag"]
    again = api(
        full_client,
        "get",
        f"/agency/applications/{case.public_id}",
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    assert again.status_code == 304


def test_document_links_are_time_limited(case, full_client, settings):
    detail = api(full_client, "get", f"/agency/applications/{case.public_id}").json()
    assert detail["answers"]["nama_anak"] == "Contoh isian"
    link = detail["documents"][0]["download_url"].replace("http://testserver", "")
    download = Client().get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=301)):
        expired = Client().get(link)
    assert expired.status_code == 404
    assert Client().get(link[:-4] + "abcd").status_code == 404


def test_another_agencys_case_reads_as_not_found_for_every_operation(case, reader_b):
    base = f"/agency/applications/{case.public_id}"
    assert api(reader_b, "get", base).status_code == 404
    assert (
        post_json(reader_b, f"{base}/transitions", {"action": "start_verification"}).status_code
        == 404
    )
    assert post_json(reader_b, f"{base}/messages", {"text": "Halo"}).status_code == 404
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("scopes", "method", "suffix", "payload"),
    [
        (["applications:transition"], "get", "", None),
        (["applications:read"], "post", "/transitions", {"action": "start_verification"}),
        (["applications:read"], "post", "/messages", {"text": "Halo"}),
    ],
)
def test_a_missing_scope_is_forbidden(case, admin_a, agency_a, scopes, method, suffix, payload):
    issued = interop.api_client_create(actor=admin_a, agency=agency_a, name="X", scopes=scopes)
    path = f"/agency/applications/{case.public_id}{suffix}"
    response = api(issued, "get", path) if method == "get" else post_json(issued, path, payload)
    assert response.status_code == 403
    assert response.json()["type"].endswith("insufficient-scope")


def test_no_token_or_a_revoked_client_is_refused(case, full_client, admin_a):
    assert Client().get("/api/v1/agency/applications").status_code == 401
    interop.api_client_revoke(actor=admin_a, client=full_client.client)
    assert api(full_client, "get", "/agency/applications").status_code == 401


def test_an_agency_system_works_the_case_through_the_same_rules(case, full_client):
    base = f"/agency/applications/{case.public_id}"
    first = post_json(
        full_client, f"{base}/transitions", {"action": "start_verification"}, key="k1"
    )
    assert first.status_code == 200 and first.json()["status"] == "verification"
    replay = post_json(
        full_client, f"{base}/transitions", {"action": "start_verification"}, key="k1"
    )
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    out_of_order = post_json(full_client, f"{base}/transitions", {"action": "issue"})
    assert out_of_order.status_code == 409
    no_reason = post_json(full_client, f"{base}/transitions", {"action": "reject"})
    assert no_reason.status_code == 400
    for action in ("verify", "approve"):
        assert post_json(full_client, f"{base}/transitions", {"action": action}).status_code == 200
    event = ApplicationEvent.objects.filter(application=case).last()
    assert event.actor.full_name == "SIAK (API)" and event.to_status == "approved"

    message = post_json(full_client, f"{base}/messages", {"text": "Dokumen siap besok."})
    assert message.status_code == 200
    assert ApplicationEvent.objects.filter(application=case, note="Dokumen siap besok.").exists()

    client = Client(HTTP_AUTHORIZATION=f"Bearer {full_client.token}")
    from django.core.files.uploadedfile import SimpleUploadedFile

    attached = client.post(
        f"/api/v1{base}/documents",
        {"file": SimpleUploadedFile("akta.pdf", agency_pdf(), "application/pdf"), "title": "Akta"},
    )
    assert attached.status_code == 200, attached.content
    body = attached.json()
    assert body["status"] == "issued" and body["issued_document"]["code"]
    case.refresh_from_db()
    signed = case.issued_document.file.read()
    assert check_signature(signed).valid


def test_an_attached_file_must_be_a_pdf(case, full_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mpp.applications.demo import sample_png

    client = Client(HTTP_AUTHORIZATION=f"Bearer {full_client.token}")
    response = client.post(
        f"/api/v1/agency/applications/{case.public_id}/documents",
        {"file": SimpleUploadedFile("akta.pdf", sample_png(), "application/pdf")},
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.issued_document is None


def test_a_multipart_body_without_boundary_is_a_400_problem(case, full_client):
    # Found by the Schemathesis run (mpp/core/tests/test_openapi_fuzz.py): it was a 500.
    response = api(
        full_client,
        "post",
        f"/agency/applications/{case.public_id}/documents",
        data=b"--x\r\n",
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/bad-request"), response.json()


def test_an_inbound_signed_status_change_moves_the_case(case, full_client):
    body = json.dumps(
        {
            "specversion": "1.0",
            "id": "evt-9",
            "source": "https://siak.contoh.id/",
            "type": "id.mpp.application.status_change",
            "subject": f"applications/{case.public_id}",
            "data": {"application": case.public_id, "action": "start_verification"},
        }
    ).encode()
    response = push(Client(), full_client, body, msg_id="msg_status_1")
    assert response.status_code == 200, response.content
    assert response.json()["result"]["status"] == "verification"
    case.refresh_from_db()
    assert case.status == Status.VERIFICATION


def test_an_inbound_change_of_another_agencys_case_is_not_found(case, reader_b):
    body = json.dumps(
        {
            "specversion": "1.0",
            "id": "evt-10",
            "source": "https://polresta.contoh.id/",
            "type": "application.status_change",
            "subject": "x",
            "data": {"application": case.public_id, "action": "start_verification"},
        }
    ).encode()
    response = push(Client(), reader_b, body, msg_id="msg_status_2")
    assert response.status_code == 404
    assert Application.objects.get(pk=case.pk).status == Status.SUBMITTED
