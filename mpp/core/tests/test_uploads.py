"""The shared upload check: type by content (PDF, JPEG, PNG), size by setting."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mpp.core.errors import ValidationFailed
from mpp.core.uploads import check_upload, validate_document_upload

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def upload(content: bytes, name: str = "surat.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("content", "expected"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")],
)
def test_it_accepts_pdf_jpeg_and_png_by_content(content, expected):
    checked = check_upload(upload(content))
    assert checked.content_type == expected
    assert checked.size == len(content)


def test_it_trusts_the_content_not_the_name():
    checked = check_upload(upload(PNG, name="surat.pdf", content_type="application/pdf"))
    assert (checked.content_type, checked.extension) == ("image/png", "png")


@pytest.mark.parametrize(
    "content", [EXE, HTML, b"just some text, not a document", b"GIF89a\x01\x00\x01\x00"]
)
def test_it_refuses_other_content_even_named_pdf(content):
    with pytest.raises(ValidationFailed) as caught:
        check_upload(upload(content, name="surat.pdf"))
    assert "PDF, JPEG atau PNG" in caught.value.detail


def test_it_refuses_an_oversized_file_with_the_limit(settings):
    settings.MPP_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationFailed) as caught:
        check_upload(upload(PDF + b"0" * 2000))
    assert "terlalu besar" in caught.value.detail
    assert "paling besar 1,0\xa0KB" in caught.value.detail


def test_it_refuses_an_empty_or_missing_file():
    with pytest.raises(ValidationFailed, match="kosong"):
        check_upload(upload(b""))
    with pytest.raises(ValidationFailed, match="kosong"):
        check_upload(None)


def test_the_file_can_still_be_read_whole_after_the_check():
    file = upload(PDF)
    check_upload(file)
    assert file.read() == PDF


def test_forms_get_a_django_validation_error():
    with pytest.raises(DjangoValidationError) as caught:
        validate_document_upload(upload(EXE, name="kuasa.pdf"))
    assert caught.value.code == "invalid_upload"
