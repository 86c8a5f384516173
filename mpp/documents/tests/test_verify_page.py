import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mpp.documents.services import check_signature, document_revoke

pytestmark = pytest.mark.django_db


def _pdf_bytes(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _url(document) -> str:
    return f"/verifikasi/{document.code}/"


def _upload(client, document, data: bytes, name="dokumen.pdf"):
    return client.post(
        _url(document), {"berkas": SimpleUploadedFile(name, data, "application/pdf")}
    )


def _tampered(data: bytes) -> bytes:
    # Change one character of the statement text inside the file (as a forger would).
    index = data.index(b"/Title")
    return data[:index] + data[index:].replace(b"Surat", b"Surar", 1)


def test_known_code_shows_what_the_document_states_without_sign_in(client, issued):
    response = client.get(_url(issued))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Surat Keterangan Domisili" in page
    assert "Siti Rahmawati" in page
    assert "Dinas Kependudukan" in page
    assert "3573••••••••0001" in page and "3573014101900001" not in page
    assert "Berlaku" in page


def test_uploading_the_issued_file_says_authentic_and_signature_valid(client, issued):
    response = _upload(client, issued, _pdf_bytes(issued))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Berkas asli" in page
    assert "sah dan terpercaya" in page


def test_a_modified_copy_is_not_authentic(client, issued):
    data = _pdf_bytes(issued)
    forged = _tampered(data)
    assert forged != data and len(forged) == len(data)

    response = _upload(client, issued, forged)

    page = response.content.decode()
    assert "Berkas tidak asli" in page
    assert "Berkas asli" not in page.replace("Berkas tidak asli", "")
    assert not check_signature(forged).valid


def test_an_unmodified_document_of_another_code_is_not_authentic(client, issued, agency_a):
    from mpp.documents.services import document_issue

    other = document_issue(agency=agency_a, title="Surat Lain", statements={"Hal": "Lain"})

    response = _upload(client, issued, _pdf_bytes(other))

    assert "Berkas tidak asli" in response.content.decode()


def test_unknown_code_is_a_404_page(client, issued):
    response = client.get("/verifikasi/kode-yang-tidak-ada/")

    assert response.status_code == 404
    assert "Siti" not in response.content.decode()


def test_non_pdf_upload_gets_a_clear_message(client, issued):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

    response = _upload(client, issued, png, name="palsu.pdf")

    assert response.status_code == 400
    assert "Jenis berkas tidak diterima" in response.content.decode()


def test_empty_and_oversize_uploads_get_a_clear_message(client, issued, settings):
    assert "Berkas kosong" in client.post(_url(issued), {}).content.decode()

    settings.MPP_UPLOAD_MAX_BYTES = 100
    response = _upload(client, issued, _pdf_bytes(issued))
    assert response.status_code == 400
    assert "Berkas terlalu besar" in response.content.decode()


def test_a_pdf_that_is_not_parseable_is_reported_not_authentic(client, issued):
    response = _upload(client, issued, b"%PDF-1.7\n" + b"rusak" * 50)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Berkas tidak asli" in page
    assert "tidak ditemukan" in page


def test_revoked_document_is_shown_as_revoked(client, issued):
    document_revoke(document=issued, actor=None, reason="Data berubah")

    page = client.get(_url(issued)).content.decode()

    assert "Dokumen ini telah dicabut" in page
    assert "Data berubah" in page


def test_upload_requires_csrf_token(issued):
    client = Client(enforce_csrf_checks=True)

    response = _upload(client, issued, _pdf_bytes(issued))

    assert response.status_code == 403


def test_page_has_no_inline_script_or_style(client, issued):
    page = client.get(_url(issued)).content.decode()

    assert "<script>" not in page and "style=" not in page and "<style" not in page
