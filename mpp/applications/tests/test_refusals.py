"""Refusals: wrong role, another agency, another citizen, bad uploads, bad input."""

import pytest
from django.test import Client
from django.urls import reverse

from mpp.applications import services
from mpp.applications.models import Application, ApplicationEvent, Status
from mpp.applications.tests.conftest import pdf_bytes, png_bytes
from mpp.core.errors import NotFound, PermissionDenied, ValidationFailed
from mpp.documents.models import LockerDocument

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _step(client, application, action, note=""):
    return client.post(
        reverse("applications_manage:step", args=[application.public_id]),
        {"langkah": action, "catatan": note},
    )


def test_anonymous_visitors_are_sent_to_sign_in(submitted):
    for name in ("detail", "edit", "review", "receipt"):
        response = Client().get(reverse(f"applications:{name}", args=[submitted.public_id]))
        assert response.status_code == 302 and "/akun/masuk/" in response.url
    response = Client().get(reverse("applications_manage:case", args=[submitted.public_id]))
    assert response.status_code == 302


def test_another_citizen_cannot_open_the_case_or_its_documents(submitted, other_citizen):
    client = _client(other_citizen)
    attachment = submitted.attachments.get()
    for url in (
        reverse("applications:detail", args=[submitted.public_id]),
        reverse("applications:receipt", args=[submitted.public_id]),
        reverse("applications:attachment", args=[submitted.public_id, attachment.pk]),
        reverse("documents_locker:download", args=[attachment.document.public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Rara" not in response.content.decode()
    refused = client.post(reverse("applications:review", args=[submitted.public_id]))
    assert refused.status_code == 404


def test_an_attachment_id_of_another_case_reads_as_not_found(
    submitted, other_citizen, service_a, upload
):
    theirs = services.application_start(actor=other_citizen, service_slug=service_a.slug)
    services.application_save(
        actor=other_citizen,
        application=theirs,
        answers={},
        uploads={"ktp": upload("ktp.pdf", pdf_bytes(), "application/pdf")},
    )
    foreign = theirs.attachments.get()
    response = _client(submitted.applicant).get(
        reverse("applications:attachment", args=[submitted.public_id, foreign.pk])
    )
    assert response.status_code == 404


def test_an_officer_of_another_agency_sees_nothing_and_changes_nothing(submitted, verifier_b):
    client = Client()
    from mpp.accounts.testing import verified_login

    verified_login(client, verifier_b)
    assert submitted.number not in client.get(reverse("applications_manage:list")).content.decode()
    assert (
        client.get(reverse("applications_manage:case", args=[submitted.public_id])).status_code
        == 404
    )
    assert _step(client, submitted, "start_verification").status_code == 404
    attachment = submitted.attachments.get()
    url = reverse("applications_manage:attachment", args=[submitted.public_id, attachment.pk])
    assert client.get(url).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    with pytest.raises(NotFound):
        services.application_transition(
            actor=verifier_b, application=submitted, action="start_verification"
        )


@pytest.mark.parametrize(
    ("persona", "action"),
    [
        ("front_desk_a", "start_verification"),
        ("approver_a", "start_verification"),
        ("admin_a", "start_verification"),
        ("verifier_a", "approve"),
        ("verifier_a", "issue"),
    ],
)
def test_a_step_by_the_wrong_role_is_forbidden(request, submitted, persona, action):
    officer = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.application_transition(actor=officer, application=submitted, action=action)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert ApplicationEvent.objects.filter(application=submitted).count() == 1


def test_a_step_out_of_order_is_refused_with_a_message(submitted, verifier_a, officer_client):
    client = officer_client(verifier_a)
    response = _step(client, submitted, "verify")  # not yet in verification
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "tidak dapat dilakukan" in page
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_a_rejection_needs_its_reason_and_tells_how_to_complain(
    submitted, verifier_a, officer_client
):
    services.application_transition(
        actor=verifier_a, application=submitted, action="start_verification"
    )
    with pytest.raises(ValidationFailed):
        services.application_transition(actor=verifier_a, application=submitted, action="reject")
    _step(officer_client(verifier_a), submitted, "reject", "Bukan warga Kota Malang.")
    submitted.refresh_from_db()
    assert submitted.status == Status.REJECTED and submitted.decision_reason
    page = _client(submitted.applicant).get(
        reverse("applications:detail", args=[submitted.public_id])
    )
    text = page.content.decode()
    assert "Bukan warga Kota Malang." in text and "SP4N-LAPOR!" in text


def test_an_unknown_step_is_refused(submitted, verifier_a, officer_client):
    response = _step(officer_client(verifier_a), submitted, "teleport")
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ktp.png", b"MZ\x90\x00" + b"\x00" * 200, "Jenis berkas tidak diterima"),
        ("ktp.pdf", b"<html><script>alert(1)</script></html>", "Jenis berkas tidak diterima"),
        ("ktp.pdf", b"", "kosong"),
    ],
)
def test_a_bad_upload_is_refused_next_to_its_field(
    applicant, service_a, upload, name, content, message
):
    client = _client(applicant)
    application = services.application_start(actor=applicant, service_slug=service_a.slug)
    response = client.post(
        reverse("applications:edit", args=[application.public_id]),
        {"ktp": upload(name, content, "application/pdf"), "nama_anak": "Rara", "simpan": "1"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert LockerDocument.objects.count() == 0
    application.refresh_from_db()
    assert application.answers["nama_anak"] == "Rara"  # the valid answer is kept
    assert not application.attachments.exists()


def test_an_oversize_upload_is_refused(applicant, service_a, upload, settings):
    settings.MPP_UPLOAD_MAX_BYTES = 1024
    client = _client(applicant)
    application = services.application_start(actor=applicant, service_slug=service_a.slug)
    big = pdf_bytes() + b"%" * 2048
    response = client.post(
        reverse("applications:edit", args=[application.public_id]),
        {"ktp": upload("ktp.pdf", big, "application/pdf"), "simpan": "1"},
    )
    assert response.status_code == 400
    assert "terlalu besar" in response.content.decode()
    assert LockerDocument.objects.count() == 0


def test_path_tricks_in_a_file_name_are_harmless(applicant, service_a, upload):
    client = _client(applicant)
    application = services.application_start(actor=applicant, service_slug=service_a.slug)
    client.post(
        reverse("applications:edit", args=[application.public_id]),
        {"ktp": upload("../../../etc/passwd.png", png_bytes(), "image/png"), "simpan": "1"},
    )
    document = LockerDocument.objects.get()
    assert ".." not in document.file.name and "passwd" not in document.file.name
    assert document.file.name.startswith(f"locker/{applicant.pk}/")
    assert document.original_name == "passwd.png"


def test_wrong_answers_get_a_message_and_change_nothing(applicant, service_a):
    client = _client(applicant)
    application = services.application_start(actor=applicant, service_slug=service_a.slug)
    response = client.post(
        reverse("applications:edit", args=[application.public_id]),
        {"nama_anak": "x" * 501, "tanggal_lahir_anak": "31-02-2026", "lanjut": "1"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Paling banyak 500 karakter" in text and "Tanggal tidak valid" in text
    application.refresh_from_db()
    assert application.answers.get("nama_anak") is None


def test_a_reused_document_must_belong_to_the_applicant(
    applicant, other_citizen, service_a, upload
):
    theirs = services.application_start(actor=other_citizen, service_slug=service_a.slug)
    services.application_save(
        actor=other_citizen,
        application=theirs,
        answers={},
        uploads={"ktp": upload("ktp.png", png_bytes(), "image/png")},
    )
    stolen = LockerDocument.objects.get(owner=other_citizen)
    mine = services.application_start(actor=applicant, service_slug=service_a.slug)
    with pytest.raises(NotFound):
        services.application_save(
            actor=applicant, application=mine, answers={}, reuse={"ktp": stolen.public_id}
        )
    assert not mine.attachments.exists()


def test_a_submitted_case_cannot_be_edited(submitted):
    with pytest.raises(Exception) as error:
        services.application_save(
            actor=submitted.applicant, application=submitted, answers={"nama_anak": "Lain"}
        )
    assert "tidak dapat diubah" in str(error.value)
    submitted.refresh_from_db()
    assert submitted.answers["nama_anak"] == "Rara"


def test_an_unverified_citizen_cannot_apply(make_user, service_a):
    from mpp.accounts.testing import make_citizen

    unverified = make_citizen(make_user, "baru", "3573010101900002", verified=False)
    with pytest.raises(PermissionDenied):
        services.application_start(actor=unverified, service_slug=service_a.slug)
    assert Application.objects.count() == 0


def test_a_counter_only_service_has_no_online_application(applicant, agency_a):
    from mpp.catalog.testing import make_service

    make_service(agency=agency_a, slug="ktp-el", channel="counter")
    response = _client(applicant).get(reverse("applications:start", args=["ktp-el"]))
    assert response.status_code == 404
    assert "hanya dilayani di loket" in response.content.decode()
