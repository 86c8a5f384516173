"""The server-side application form: valid answers pass, each bad one is refused on its field."""

import datetime
from decimal import Decimal

import pytest

from mpp.applications.forms import build_application_form
from mpp.applications.tests.conftest import VALID_NIK, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

VALID_DATA = {
    "nama": "Siti Aminah",
    "jumlah": "2",
    "tanggal_lahir": "1990-01-01",
    "email": "siti@contoh.id",
    "ponsel": "0812-3456-7890",
    "nik": "3573 0101 0190 0001",
    "keperluan": "Baru",
    "domisili": "on",
}


@pytest.fixture
def files(upload):
    def _make(**overrides):
        base = {
            "ktp": upload("ktp.pdf", pdf_bytes(), "application/pdf"),
            "pas_foto": upload("foto.png", png_bytes(), "image/png"),
        }
        base.update(overrides)
        return {k: v for k, v in base.items() if v is not None}

    return _make


def _errors(standard, data=None, files=None) -> dict[str, list[str]]:
    form = build_application_form(standard, data=data, files=files or {})
    assert not form.is_valid()
    return form.errors


def test_valid_answers_and_real_files_are_accepted_and_normalised(rich_service, files):
    form = build_application_form(rich_service.current_standard, data=VALID_DATA, files=files())

    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert data["ponsel"] == "+6281234567890"
    assert data["nik"] == VALID_NIK
    assert data["jumlah"] == Decimal("2")
    assert data["tanggal_lahir"] == datetime.date(1990, 1, 1)
    assert data["domisili"] is True and data["bersedia"] is False
    assert data["ktp"].checked.content_type == "application/pdf"
    assert data["pas_foto"].checked.content_type == "image/png"
    assert form.answers()["tanggal_lahir"] == "1990-01-01"
    assert form.answers()["jumlah"] == "2"


def test_fields_follow_the_standard_order_with_its_labels(rich_service):
    form = build_application_form(rich_service.current_standard)

    assert list(form.fields) == [r["code"] for r in rich_service.current_standard.requirements]
    assert form.fields["pas_foto"].label == "Pas foto"
    assert form.fields["pas_foto"].help_text == "Latar belakang merah"
    assert form.fields["pas_foto"].widget.attrs["accept"] == ".png,image/png"
    assert not form.is_bound


def test_the_demo_form_accepts_its_three_requirements(demo_service, upload):
    form = build_application_form(
        demo_service.current_standard,
        data={"nama_anak": "Budi", "domisili": "on"},
        files={"ktp": upload("ktp.png", png_bytes(), "image/png")},
    )

    assert form.is_valid(), form.errors


def test_missing_mandatory_answers_are_refused_on_each_field(rich_service):
    errors = _errors(rich_service.current_standard, data={})

    assert errors["nama"] == ["Isian ini wajib diisi."]
    assert errors["ktp"] == ["Dokumen ini wajib diunggah."]
    assert errors["domisili"] == ["Centang pernyataan ini untuk melanjutkan permohonan."]
    assert set(errors) == {
        "ktp", "nama", "jumlah", "tanggal_lahir", "email", "ponsel", "nik", "keperluan",
        "domisili",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("field", "value", "message_part"),
    [
        ("jumlah", "dua", "Isi dengan angka"),
        ("tanggal_lahir", "31/13/1990", "Tanggal tidak valid"),
        ("email", "bukan-email", "Alamat e-mail tidak valid"),
        ("ponsel", "0341 123456", "bukan nomor ponsel"),
        ("ponsel", "12", "Nomor ponsel tidak valid"),
        ("nik", "12345", "tepat 16 angka"),
        ("nik", "9999010101900001", "kode provinsi"),
        ("nik", "3573013201900001", "bukan tanggal yang benar"),
        ("keperluan", "Hilang", "Pilih salah satu"),
        ("nama", "x" * 501, "Paling banyak 500 karakter"),
    ],
)
def test_a_bad_answer_is_refused_with_a_message_on_its_field(
    rich_service, files, field, value, message_part
):
    errors = _errors(rich_service.current_standard, {**VALID_DATA, field: value}, files())

    assert list(errors) == [field]
    assert message_part in " ".join(errors[field])


def test_an_unchecked_mandatory_condition_is_refused(rich_service, files):
    data = {k: v for k, v in VALID_DATA.items() if k != "domisili"}

    errors = _errors(rich_service.current_standard, data, files())

    assert list(errors) == ["domisili"]


def test_a_file_whose_content_is_not_a_document_is_refused_despite_its_name(
    rich_service, files, upload
):
    fake = upload("ktp.pdf", b"GIF89a" + b"\x00" * 64, "application/pdf")

    errors = _errors(rich_service.current_standard, VALID_DATA, files(ktp=fake))

    assert list(errors) == ["ktp"]
    assert "Jenis berkas tidak diterima" in errors["ktp"][0]


def test_a_document_type_the_requirement_does_not_allow_is_refused(rich_service, files, upload):
    # A real PNG named .pdf: the KTP requirement allows PDF and JPEG only.
    png = upload("ktp.pdf", png_bytes(), "application/pdf")

    errors = _errors(rich_service.current_standard, VALID_DATA, files(ktp=png))

    assert list(errors) == ["ktp"]
    assert "PDF atau JPEG" in errors["ktp"][0]


def test_an_oversize_file_is_refused(rich_service, files, upload, settings):
    settings.MPP_UPLOAD_MAX_BYTES = 100
    big = upload("ktp.pdf", pdf_bytes() + b"%" * 200, "application/pdf")

    errors = _errors(rich_service.current_standard, VALID_DATA, files(ktp=big))

    assert list(errors) == ["ktp"]
    assert "terlalu besar" in errors["ktp"][0]


def test_an_empty_file_is_refused(rich_service, files, upload):
    errors = _errors(rich_service.current_standard, VALID_DATA, files(ktp=upload("k.pdf", b"")))

    assert list(errors) == ["ktp"]
