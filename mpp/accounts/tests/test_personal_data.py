"""My data (UU 27/2022): the citizen sees and downloads everything held about them and asks
for erasure; the MPP manager approves (erase, keep what the law requires) or rejects."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mpp.accounts.models import (
    CitizenProfile,
    CodeChannel,
    DeletionRequest,
    OneTimeCode,
    Relationship,
    Representation,
)
from mpp.accounts.services.personal_data import deletion_request_create
from mpp.accounts.services.representation import representation_register
from mpp.accounts.testing import make_citizen, verified_login
from mpp.core.audit import audit_chain_is_intact
from mpp.core.models import AuditRecord

NIK = "3573010101900001"
MOTHER_NIK = "3573014506650002"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
MYDATA, DOWNLOAD, DELETE = "/akun/data-saya/", "/akun/data-saya/unduh/", "/akun/data-saya/hapus/"
MANAGE = "/kelola/permintaan-data/"


@pytest.fixture
def budi(make_user):
    return make_citizen(make_user, "budi", NIK, full_name="Budi Santoso", phone="+6281234567890")


@pytest.fixture
def kuasa(budi) -> Representation:
    return representation_register(
        actor=budi,
        represented_nik=MOTHER_NIK,
        represented_name="Siti Aminah",
        relationship=Relationship.PARENT,
        document=SimpleUploadedFile("kuasa.pdf", PDF),
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + datetime.timedelta(days=30),
    )


@pytest.fixture
def manager_with_email(manager):
    manager.email = "pengelola@mpp.example.id"
    manager.save()
    return manager


@pytest.mark.django_db
@pytest.mark.parametrize("url", [MYDATA, DOWNLOAD, DELETE, MANAGE])
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_my_data_shows_everything_held_about_the_citizen(client, budi, kuasa):
    client.force_login(budi)
    response = client.get(MYDATA)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    for expected in (
        "Budi Santoso",
        "budi@example.id",
        "+6281234567890",
        NIK,  # the owner sees their own NIK in full
        "1990-01-01",
        "Siti Aminah",
        "representation.registered",
        "disimpan karena kewajiban hukum",
        "Unduh semua data (JSON)",
        "Minta penghapusan data",
    ):
        assert expected in html, expected


def test_the_download_is_a_json_attachment_with_every_section(client, budi, kuasa, make_user):
    make_user("lain", email="lain@example.id")
    client.force_login(budi)
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="data-saya-mpp-')
    data = json.loads(response.content)
    assert set(data) >= {
        "account",
        "citizen_profile",
        "representations",
        "deletion_requests",
        "audit_records",
    }
    assert data["account"]["email"] == "budi@example.id"
    assert data["account"]["email_verified_at"]
    assert data["citizen_profile"] == {
        "nik": NIK,
        "birth_date": "1990-01-01",
        "sex": "M",
        "created_at": data["citizen_profile"]["created_at"],
    }
    [representation] = data["representations"]
    assert representation["id"] == kuasa.public_id
    assert representation["represented_nik"] == MOTHER_NIK
    assert representation["relationship"] == "parent"
    assert [a["action"] for a in data["audit_records"]] == ["representation.registered"]
    assert data["audit_records"][0]["by_you"] is True
    assert "lain@example.id" not in response.content.decode()


def test_the_deletion_page_says_what_is_erased_and_what_is_kept(client, budi):
    client.force_login(budi)
    html = client.get(DELETE).content.decode()
    assert "Yang dihapus" in html and "Yang tetap disimpan" in html
    assert "Jejak audit" in html
    assert html.count("disimpan karena kewajiban hukum") >= 4


def test_a_deletion_request_reaches_the_manager_by_email(
    client, budi, manager_with_email, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(budi)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE, {"reason": "Saya pindah ke luar negeri."})
    assert response.status_code == 302
    request = DeletionRequest.objects.get(user=budi)
    assert (request.status, request.reason) == ("open", "Saya pindah ke luar negeri.")
    [mail] = smtp_server.bodies_to("pengelola@mpp.example.id")
    assert f"/kelola/permintaan-data/{request.public_id}/" in mail
    assert NIK not in mail and "Budi" not in mail and "budi@example.id" not in mail
    record = AuditRecord.objects.get(action="personal_data.deletion_requested")
    assert record.data == {"public_id": request.public_id, "user_id": budi.pk}
    page = client.get(MYDATA).content.decode()
    assert "Permintaan penghapusan sedang diproses" in page


def test_only_one_open_request_at_a_time(client, budi):
    deletion_request_create(actor=budi, reason="")
    client.force_login(budi)
    response = client.post(DELETE, {"reason": "lagi"})
    assert response.status_code == 409
    assert "sudah mengajukan" in response.content.decode()
    assert DeletionRequest.objects.filter(user=budi).count() == 1


def test_a_too_long_reason_is_refused(client, budi):
    client.force_login(budi)
    response = client.post(DELETE, {"reason": "x" * 2001})
    assert response.status_code == 400
    assert not DeletionRequest.objects.exists()


def test_only_the_mpp_manager_handles_requests(client, budi, citizen, verifier_a, auditor):
    request = deletion_request_create(actor=budi, reason="")
    detail = f"{MANAGE}{request.public_id}/"
    for user in (budi, citizen, verifier_a, auditor):
        verified_login(client, user)
        assert client.get(MANAGE).status_code == 403
        assert client.get(detail).status_code == 403
        assert client.post(detail, {"decision": "approve"}).status_code == 403
    request.refresh_from_db()
    assert request.status == "open"


def test_the_manager_lists_open_requests_with_the_nik_masked(client, budi, manager):
    request = deletion_request_create(actor=budi, reason="Tolong hapus")
    verified_login(client, manager)
    html = client.get(MANAGE).content.decode()
    assert "3573••••••••0001" in html and NIK not in html
    assert f"{MANAGE}{request.public_id}/" in html
    detail = client.get(f"{MANAGE}{request.public_id}/").content.decode()
    assert "Tolong hapus" in detail and NIK not in detail
    assert client.get(f"{MANAGE}tidak-ada/").status_code == 404


def test_approval_erases_the_person_and_keeps_the_legal_records(
    client, budi, kuasa, manager, smtp_server, django_capture_on_commit_callbacks
):
    OneTimeCode.objects.create(
        user=budi,
        channel=CodeChannel.EMAIL,
        destination="budi@example.id",
        code_hash="x" * 64,
        expires_at=timezone.now(),
    )
    document = Path(kuasa.power_of_attorney.path)
    request = deletion_request_create(actor=budi, reason="")
    audit_before = AuditRecord.objects.count()
    verified_login(client, manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{MANAGE}{request.public_id}/", {"decision": "approve", "answer": "Sudah dihapus."}
        )
    assert response.status_code == 302
    budi.refresh_from_db()
    assert not budi.is_active and not budi.has_usable_password()
    assert (budi.full_name, budi.email, budi.phone) == ("", "", "")
    assert budi.email_verified_at is None
    assert budi.citizen.nik != NIK and not budi.citizen.nik.isdigit()
    assert not OneTimeCode.objects.filter(user=budi).exists()
    kuasa.refresh_from_db()
    assert not document.exists() and not kuasa.power_of_attorney
    assert kuasa.represented_nik == "3573••••••••0002" and kuasa.represented_name == ""
    assert kuasa.revoked_at is not None
    request.refresh_from_db()
    assert (request.status, request.handled_by, request.answer) == (
        "done",
        manager,
        "Sudah dihapus.",
    )
    # The audit trail is kept, and one more record says who erased what.
    assert AuditRecord.objects.count() == audit_before + 1
    assert AuditRecord.objects.filter(action="personal_data.erased", actor=manager).exists()
    assert audit_chain_is_intact()
    [mail] = smtp_server.bodies_to("budi@example.id")
    assert "disetujui" in mail and "disimpan karena kewajiban hukum" in mail
    assert "Sudah dihapus." in mail
    # The NIK is free again, and the old account cannot sign in.
    assert not CitizenProfile.objects.filter(nik=NIK).exists()
    assert not client.login(username="budi@example.id", password="rahasia-Panjang-123")


def test_a_handled_request_cannot_be_handled_again(client, budi, manager):
    request = deletion_request_create(actor=budi, reason="")
    verified_login(client, manager)
    url = f"{MANAGE}{request.public_id}/"
    client.post(url, {"decision": "reject", "answer": "Masih ada permohonan berjalan."})
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 400
    assert "sudah ditangani" in response.content.decode()
    budi.refresh_from_db()
    assert budi.is_active


def test_a_rejection_needs_an_answer_and_tells_the_citizen(
    client, budi, manager, smtp_server, django_capture_on_commit_callbacks
):
    request = deletion_request_create(actor=budi, reason="")
    verified_login(client, manager)
    url = f"{MANAGE}{request.public_id}/"
    response = client.post(url, {"decision": "reject", "answer": " "})
    assert response.status_code == 400
    assert "alasan penolakan" in response.content.decode()
    assert client.post(url, {"decision": "maybe"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"decision": "reject", "answer": "Masih ada permohonan yang berjalan."}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "rejected"
    budi.refresh_from_db()
    assert budi.is_active and budi.citizen.nik == NIK
    [mail] = smtp_server.bodies_to("budi@example.id")
    assert "ditolak" in mail and "Masih ada permohonan yang berjalan." in mail
    assert AuditRecord.objects.filter(action="personal_data.deletion_rejected").exists()
    client.force_login(budi)
    assert "ditolak" in client.get(MYDATA).content.decode()
