import pytest


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory):
    """One CA and one certificate per agency for the whole run (key generation is reused)."""
    return tmp_path_factory.mktemp("signing")


@pytest.fixture(autouse=True)
def _document_storage(settings, signing_dir, tmp_path):
    settings.MPP_SIGNING_DIR = signing_dir
    settings.MPP_SIGNING_LOCAL_CA = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://mpp.example.test"


@pytest.fixture
def statements():
    return {
        "Nama": "Siti Rahmawati",
        "NIK": "3573014101900001",
        "Keterangan": "Telah terdaftar sebagai penduduk Kota Malang – Kelurahan Oro-oro Dowo",
    }


@pytest.fixture
def issued(agency_a, statements):
    from mpp.documents.services import document_issue

    return document_issue(agency=agency_a, title="Surat Keterangan Domisili", statements=statements)
