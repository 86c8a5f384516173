"""Services whose standards cover every kind of requirement, and small real files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mpp.applications.demo import sample_pdf as pdf_bytes
from mpp.applications.demo import sample_png as png_bytes
from mpp.catalog.testing import make_service, valid_components

__all__ = ["pdf_bytes", "png_bytes"]

VALID_NIK = "3573010101900001"  # Blimbing, Kota Malang; born 1 January 1990

RICH_REQUIREMENTS = [
    {"code": "ktp", "kind": "document", "name": "KTP-el pemohon", "file_types": ["pdf", "jpg"]},
    {
        "code": "pas_foto",
        "kind": "document",
        "name": "Pas foto",
        "description": "Latar belakang merah",
        "file_types": ["png"],
        "mandatory": False,
    },
    {"code": "nama", "kind": "data", "name": "Nama lengkap", "data_type": "text"},
    {"code": "jumlah", "kind": "data", "name": "Jumlah salinan", "data_type": "number"},
    {"code": "tanggal_lahir", "kind": "data", "name": "Tanggal lahir", "data_type": "date"},
    {"code": "email", "kind": "data", "name": "E-mail", "data_type": "email"},
    {"code": "ponsel", "kind": "data", "name": "Nomor ponsel", "data_type": "phone"},
    {"code": "nik", "kind": "data", "name": "NIK pemohon", "data_type": "nik"},
    {
        "code": "keperluan",
        "kind": "data",
        "name": "Keperluan",
        "data_type": "choice",
        "choices": ["Baru", "Perpanjangan"],
    },
    {"code": "catatan", "kind": "data", "name": "Catatan", "mandatory": False},
    {"code": "domisili", "kind": "condition", "name": "Berdomisili di Kota Malang"},
    {"code": "bersedia", "kind": "condition", "name": "Bersedia disurvei", "mandatory": False},
]


@pytest.fixture
def upload():
    def _make(name: str, content: bytes, content_type: str = "application/octet-stream"):
        return SimpleUploadedFile(name, content, content_type=content_type)

    return _make


@pytest.fixture
def demo_service(agency_a):
    return make_service(agency=agency_a, slug="akta-kelahiran", name="Akta Kelahiran")


@pytest.fixture
def rich_service(agency_a):
    return make_service(
        agency=agency_a,
        slug="izin-lengkap",
        name="Izin Lengkap",
        short_description="Layanan dengan semua jenis persyaratan",
        components=valid_components(requirements=RICH_REQUIREMENTS),
    )


# ---------------------------------------------------------------- workflow personas and cases

APPLY_REQUIREMENTS = [
    {
        "code": "ktp",
        "kind": "document",
        "name": "KTP-el pemohon",
        "file_types": ["pdf", "jpg", "png"],
    },
    {"code": "nama_anak", "kind": "data", "name": "Nama anak", "data_type": "text"},
    {
        "code": "tanggal_lahir_anak",
        "kind": "data",
        "name": "Tanggal lahir anak",
        "data_type": "date",
    },
    {"code": "domisili", "kind": "condition", "name": "Berdomisili di Kota Malang"},
]


@pytest.fixture(autouse=True)
def _signing(settings, tmp_path_factory):
    # One development CA for the run: issuing signs with a certificate per agency.
    settings.MPP_SIGNING_DIR = tmp_path_factory.getbasetemp() / "signing"
    settings.MPP_SIGNING_LOCAL_CA = True
    settings.SITE_URL = "https://mpp.example.test"


@pytest.fixture
def service_a(agency_a):
    return make_service(
        agency=agency_a,
        slug="akta-kelahiran",
        name="Akta Kelahiran",
        components=valid_components(
            requirements=APPLY_REQUIREMENTS,
            completion_time={"value": 3, "unit": "working_days"},
        ),
    )


@pytest.fixture
def service_b(agency_b):
    return make_service(
        agency=agency_b,
        slug="skck",
        name="SKCK",
        components=valid_components(requirements=APPLY_REQUIREMENTS[:2]),
    )


@pytest.fixture
def applicant(make_user):
    from mpp.accounts.testing import make_citizen

    return make_citizen(make_user, "siti", "3573014101900001", full_name="Siti Aminah")


@pytest.fixture
def other_citizen(make_user):
    from mpp.accounts.testing import make_citizen

    return make_citizen(make_user, "budi", "3573010511010003", full_name="Budi Hartono")


def _member(user, agency, role):
    from mpp.agencies.models import Membership

    Membership.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def approver_a(make_user, agency_a):
    return _member(make_user("approver_a"), agency_a, "approver")


@pytest.fixture
def front_desk_a(make_user, agency_a):
    return _member(make_user("front_desk_a"), agency_a, "front_desk")


@pytest.fixture
def verifier_b(make_user, agency_b):
    return _member(make_user("verifier_b"), agency_b, "verifier")


@pytest.fixture
def officer_client():
    """A test client signed in as the officer, second factor passed."""
    from django.test import Client

    from mpp.accounts.testing import verified_login

    return lambda user: verified_login(Client(), user)


@pytest.fixture
def submitted(applicant, service_a, upload):
    """A complete application of `applicant`, submitted through the services."""
    from mpp.applications import services

    application = services.application_start(actor=applicant, service_slug=service_a.slug)
    services.application_save(
        actor=applicant,
        application=application,
        answers={"nama_anak": "Rara", "tanggal_lahir_anak": "2026-11-20", "domisili": True},
        uploads={"ktp": upload("ktp.png", png_bytes(), "image/png")},
    )
    return services.application_submit(actor=applicant, application=application)
