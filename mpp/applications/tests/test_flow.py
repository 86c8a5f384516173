"""Whole flows over HTTP: apply with uploads, revision, resubmission, approval, issuance,
download and verification of the signed document."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mpp.applications.models import Application, ApplicationEvent, Status
from mpp.applications.tests.conftest import pdf_bytes, png_bytes
from mpp.documents.models import LockerDocument
from mpp.documents.services import check_signature

# Monday 2 November 2026, 09.00 WIB: an ordinary working week.
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _start(client: Client, slug: str) -> Application:
    response = client.post(reverse("applications:start", args=[slug]), {"untuk": ""})
    assert response.status_code == 302
    return Application.objects.get(public_id=response.url.split("/")[2])


def _fill(client: Client, application: Application, **extra):
    data = {
        "nama_anak": "Rara Ayu",
        "tanggal_lahir_anak": "2026-10-20",
        "domisili": "on",
        "lanjut": "1",
        **extra,
    }
    return client.post(reverse("applications:edit", args=[application.public_id]), data)


def _step(client: Client, application: Application, action: str, note: str = ""):
    return client.post(
        reverse("applications_manage:step", args=[application.public_id]),
        {"langkah": action, "catatan": note},
    )


@pytest.fixture
def clock(settings):
    """A frozen clock on Monday 2 November 2026; sessions outlive the jumps between days."""
    settings.SESSION_COOKIE_AGE = 60 * 86400
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.mark.django_db
def test_a_citizen_applies_and_receives_a_signed_document(
    clock, applicant, service_a, verifier_a, approver_a, front_desk_a, officer_client, upload
):
    citizen = _client(applicant)
    application = _start(citizen, service_a.slug)
    assert application.status == Status.DRAFT

    # Save a draft with a document but no answers yet: kept, resumable.
    response = citizen.post(
        reverse("applications:edit", args=[application.public_id]),
        {"ktp": upload("ktp-saya.png", png_bytes(), "image/png"), "simpan": "1"},
    )
    assert response.status_code == 302
    assert application.attachments.count() == 1
    page = citizen.get(reverse("applications:edit", args=[application.public_id]))
    assert "Sudah dilampirkan" in page.content.decode()

    # The check page lists what is still missing and refuses to submit.
    review_url = reverse("applications:review", args=[application.public_id])
    refused = citizen.post(review_url)
    assert refused.status_code == 400
    assert "Nama anak" in refused.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DRAFT

    assert _fill(citizen, application).url == review_url
    review = citizen.get(review_url)
    assert "Rara Ayu" in review.content.decode()
    submitted = citizen.post(review_url)
    assert submitted.status_code == 302
    application.refresh_from_db()

    assert application.status == Status.SUBMITTED
    assert application.number == "MPP-2026-000001"
    assert application.standard_id == service_a.current_standard_id
    # 3 working days after Monday 2 November: Thursday 5 November.
    assert application.due_date == dt.date(2026, 11, 5)
    confirmation_page = citizen.get(submitted.url)
    assert confirmation_page.status_code == 200, confirmation_page
    confirmation = confirmation_page.content.decode()
    assert application.number in confirmation and application.tracking_code in confirmation

    receipt = citizen.get(reverse("applications:receipt", args=[application.public_id]))
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")

    # The verifier asks for a revision: the clock stops.
    verifier = officer_client(verifier_a)
    work = verifier.get(reverse("applications_manage:list")).content.decode()
    assert application.number in work
    clock.move_to(MONDAY + dt.timedelta(days=1))
    assert _step(verifier, application, "start_verification").status_code == 302
    _step(verifier, application, "request_revision", "Foto KTP tidak terbaca, unggah ulang.")
    application.refresh_from_db()
    assert application.status == Status.REVISION_REQUESTED
    assert application.remaining_working_days == 2

    # The citizen resubmits a week later; the two remaining days count from then.
    clock.move_to(MONDAY + dt.timedelta(days=7))
    detail = citizen.get(reverse("applications:detail", args=[application.public_id]))
    assert "Foto KTP tidak terbaca" in detail.content.decode()
    _fill(citizen, application, ktp=upload("ktp.pdf", pdf_bytes(), "application/pdf"))
    response = citizen.post(review_url, {"catatan": "Sudah saya ganti."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.RESUBMITTED
    assert application.due_date == dt.date(2026, 11, 11)  # Monday 9 Nov + 2 working days

    clock.move_to(MONDAY + dt.timedelta(days=8))
    for action in ("start_verification", "verify"):
        assert _step(verifier, application, action).status_code == 302
    approver = officer_client(approver_a)
    _step(approver, application, "approve")
    _step(approver, application, "issue")
    application.refresh_from_db()
    assert application.status == Status.ISSUED
    document = application.issued_document
    assert document is not None

    pdf = citizen.get(reverse("applications:issued_document", args=[application.public_id]))
    data = b"".join(pdf.streaming_content)
    assert hashlib.sha256(data).hexdigest() == document.sha256
    report = check_signature(data)
    assert report.valid and report.pades
    middle = 200  # inside the signed byte range (the signature itself sits near the end)
    tampered = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]
    assert not check_signature(tampered).valid
    forged = Client().post(
        reverse("documents:verify", args=[document.code]),
        {"berkas": upload("salinan.pdf", tampered, "application/pdf")},
    )
    assert "Berkas tidak asli" in forged.content.decode()
    verification = Client().get(reverse("documents:verify", args=[document.code]))
    assert "Rara Ayu" in verification.content.decode()

    _step(officer_client(front_desk_a), application, "complete")
    application.refresh_from_db()
    assert application.status == Status.COMPLETED
    steps = list(
        ApplicationEvent.objects.filter(application=application).values_list("to_status", flat=True)
    )
    assert steps == [
        "submitted",
        "verification",
        "revision_requested",
        "resubmitted",
        "verification",
        "processing",
        "approved",
        "issued",
        "completed",
    ]


@pytest.mark.django_db
def test_submitting_twice_yields_one_application(applicant, service_a, upload):
    citizen = _client(applicant)
    application = _start(citizen, service_a.slug)
    _fill(citizen, application, ktp=upload("ktp.png", png_bytes(), "image/png"))
    review_url = reverse("applications:review", args=[application.public_id])
    first = citizen.post(review_url)
    second = citizen.post(review_url)  # double click / retry after a timeout
    assert first.status_code == 302
    assert second.status_code == 302 and second.url.endswith(f"{application.public_id}/")
    assert Application.objects.exclude(status=Status.DRAFT).count() == 1
    assert ApplicationEvent.objects.filter(to_status="submitted").count() == 1


@pytest.mark.django_db
def test_a_document_given_once_is_offered_again(applicant, service_a, upload):
    citizen = _client(applicant)
    first = _start(citizen, service_a.slug)
    _fill(citizen, first, ktp=upload("ktp.png", png_bytes(), "image/png"))
    citizen.post(reverse("applications:review", args=[first.public_id]))

    second = _start(citizen, service_a.slug)
    assert second.pk != first.pk
    form = citizen.get(reverse("applications:edit", args=[second.public_id])).content.decode()
    assert "Pakai dokumen yang sudah tersimpan" in form
    stored = LockerDocument.objects.get(owner=applicant)
    _fill(citizen, second, ktp__reuse=stored.public_id)
    assert second.attachments.get().document == stored
    assert LockerDocument.objects.filter(owner=applicant).count() == 1


@pytest.mark.django_db
def test_a_draft_is_resumed_not_duplicated(applicant, service_a):
    citizen = _client(applicant)
    first = _start(citizen, service_a.slug)
    again = _start(citizen, service_a.slug)
    assert again.pk == first.pk
    assert Application.objects.count() == 1
