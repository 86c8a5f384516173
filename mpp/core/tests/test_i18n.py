"""The English interface: the switch in the header gives English pages, the API English problems.

Service data (names, standard texts) stays Indonesian; only the interface is translated, and
categories and life events show their English names.
"""

import ast
import datetime
import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from mpp.accounts.models import CitizenProfile
from mpp.catalog.models import LifeEvent, Maklumat, Service, ServiceStandard, StandardStatus
from mpp.catalog.testing import make_agency, make_category, make_service, valid_components

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


@pytest.fixture
def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.fixture
def birth(db):
    agency = make_agency(
        slug="dispendukcapil",
        name="Dinas Kependudukan dan Pencatatan Sipil",
        counter_location="Loket 5",
        opening_hours=[{"days": "Senin–Jumat", "hours": "08.00–15.00"}],
    )
    Maklumat.objects.create(
        agency=agency,
        text="Kami sanggup menyelenggarakan pelayanan sesuai standar.",
        signer_name="Nama Kepala",
        signer_title="Kepala Dinas",
        signed_on="2026-01-02",
    )
    category = make_category(slug="kependudukan", name="Kependudukan", name_en="Civil registry")
    service = make_service(
        agency=agency,
        category=category,
        slug="akta-kelahiran",
        name="Penerbitan Akta Kelahiran",
        components=valid_components(
            complaint_handling={"description": "", "channels": []},
        ),
    )
    event = LifeEvent.objects.create(slug="kelahiran", name="Kelahiran", name_en="Birth")
    service.life_events.add(event)
    return service


def text(response) -> str:
    return response.content.decode()


def test_home_in_english_after_the_switch(english, birth):
    page = text(english.get("/"))
    assert '<html lang="en">' in page
    for phrase in ("Search", "Browse by life event", "Browse by category", "Public Service Mall"):
        assert phrase in page
    assert "Civil registry" in page and "Birth" in page
    for indonesian in ("Beranda", "Cari menurut", "Langsung ke isi", "Kependudukan <"):
        assert indonesian not in page


def test_home_in_indonesian_by_default(client, birth):
    page = text(client.get("/"))
    assert '<html lang="id">' in page
    for phrase in ("Cari menurut peristiwa hidup", "Mal Pelayanan Publik", "Kelahiran"):
        assert phrase in page
    assert "Kependudukan" in page
    assert "Browse by" not in page and "Civil registry" not in page


def test_service_page_in_english(english, birth):
    page = text(english.get("/layanan/akta-kelahiran/"))
    assert '<html lang="en">' in page
    for phrase in (
        "1. Requirements",
        "3. Completion time",
        "3 working days",
        "Free",
        "Service delivery",
        "Service management",
        "Mandatory",
        "Agency",
        "Civil registry",
    ):
        assert phrase in page, phrase
    # The service's own data is content and stays as written.
    assert "Penerbitan Akta Kelahiran" in page and "KTP-el pemohon" in page
    for indonesian in ("Persyaratan", "Gratis", "hari kerja", "Penyampaian pelayanan"):
        assert indonesian not in page, indonesian


def test_service_page_in_indonesian(client, birth):
    page = text(client.get("/layanan/akta-kelahiran/"))
    for phrase in ("1. Persyaratan", "Gratis", "3 hari kerja", "Penyampaian pelayanan"):
        assert phrase in page
    assert "Requirements" not in page


def test_versions_and_comparison_in_english(english, birth):
    first = birth.current_standard
    ServiceStandard.objects.filter(pk=first.pk).update(status=StandardStatus.SUPERSEDED)
    data = first.components() | {"fee": [{"name": "Blangko", "amount": 10000}]}
    second = ServiceStandard.objects.create(
        service=birth,
        agency=birth.agency,
        version=2,
        status=StandardStatus.ADOPTED,
        effective_date="2026-03-02",
        fee_total=10000,
        completion_minutes=first.completion_minutes,
        **data,
    )
    Service.objects.filter(pk=birth.pk).update(current_standard=second)

    versions = text(english.get("/layanan/akta-kelahiran/standar/"))
    for phrase in ("Service standard history", "Version 1", "Superseded", "Compare two versions"):
        assert phrase in versions, phrase
    assert "In force since 2 March 2026" in versions
    compare = text(english.get("/layanan/akta-kelahiran/standar/bandingkan/?dari=1&ke=2"))
    for phrase in ("Changes from version 1 to version 2", "1 component changed:", "Added"):
        assert phrase in compare, phrase
    assert "Tidak berubah" not in compare and "Unchanged" in compare


def test_service_list_in_english(english, birth):
    page = text(english.get("/layanan/", {"q": "akta"}))
    for phrase in ("Search results for", "1 service found", "Filter results", "All categories"):
        assert phrase in page, phrase
    assert "Civil registry" in page  # the category filter's option
    assert "layanan ditemukan" not in page


def test_service_list_in_indonesian(client, birth):
    page = text(client.get("/layanan/", {"q": "akta"}))
    assert "1 layanan ditemukan" in page and "Semua kategori" in page


def test_agency_page_in_english(english, birth):
    page = text(english.get("/instansi/dispendukcapil/"))
    for phrase in ("Service pledge", "Location and contact", "Opening hours", "Services (1)"):
        assert phrase in page, phrase
    assert "City government agency" in page
    assert "Lokasi dan kontak" not in page


def test_agency_page_in_indonesian(client, birth):
    page = text(client.get("/instansi/dispendukcapil/"))
    assert "Maklumat Pelayanan" in page and "Lokasi dan kontak" in page


def test_not_found_page_in_english(english, db):
    response = english.get("/tidak-ada/")
    assert response.status_code == 404
    assert '<html lang="en">' in text(response)
    assert "Page not found" in text(response) and "Back to the home page" in text(response)


def test_not_found_page_in_indonesian(client, db):
    assert "Halaman tidak ditemukan" in text(client.get("/tidak-ada/"))


def test_english_names_cost_no_extra_queries(client, birth):
    def catalog_queries() -> list[str]:
        # The first render of each language; the page cache's own bookkeeping is left out.
        with CaptureQueriesContext(connection) as context:
            client.get("/")
        return [
            q["sql"] for q in context.captured_queries if "core_cachegeneration" not in q["sql"]
        ]

    indonesian = catalog_queries()
    client.cookies["django_language"] = "en"
    english = catalog_queries()
    assert indonesian and len(english) == len(indonesian)


def test_category_without_english_name_keeps_its_name(english, birth):
    make_service(agency=birth.agency, category=make_category(slug="pajak", name="Pajak Daerah"))
    assert "Pajak Daerah" in text(english.get("/"))


def test_api_problem_title_follows_accept_language(client, db):
    english = client.get("/api/v1/services/tidak-ada", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 404
    assert english.json()["title"] == "Not found"
    indonesian = client.get("/api/v1/services/tidak-ada")
    assert indonesian.json()["title"] == "Tidak ditemukan"


@pytest.fixture
def budi(make_user, client):
    """A signed-in citizen with a NIK and a verified e-mail address, reading in English."""
    user = make_user(
        "budi", full_name="Budi Santoso", email="budi@example.id", email_verified_at=timezone.now()
    )
    CitizenProfile.objects.create(
        user=user, nik="3573010101900001", birth_date=datetime.date(1990, 1, 1), sex="M"
    )
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_sign_up_page_in_english(english, db):
    page = text(english.get("/akun/daftar/"))
    assert '<html lang="en">' in page
    for phrase in (
        "Sign up for a citizen account",
        "Already have an account?",
        "Personal details as on your KTP",
        "Date of birth",
        "Mobile number",
        "Repeat the password",
        "Personal Data Protection (UU 27/2022)",
    ):
        assert phrase in page, phrase
    for indonesian in ("Daftar akun warga", "Tanggal lahir", "Nomor ponsel", "Kata sandi"):
        assert indonesian not in page, indonesian


def test_sign_up_errors_in_english(english, db):
    page = text(english.post("/akun/daftar/", {"nik": "123"}))
    for phrase in (
        "The NIK must have exactly 16 digits",
        "Enter your date of birth.",
        "Choose your sex.",
        "You need to agree to the processing of your personal data",
    ):
        assert phrase in page, phrase
    assert "wajib" not in page and "Isi tanggal lahir" not in page


def test_sign_in_page_in_english(english, db):
    page = text(english.get("/akun/masuk/"))
    for phrase in (
        "Sign in",
        "E-mail address, mobile number or username",
        "Forgot your password?",
        "Sign up as a citizen",
    ):
        assert phrase in page, phrase
    assert "Lupa kata sandi" not in page and "Masuk" not in page
    refused = text(english.post("/akun/masuk/", {"identifier": "nobody", "password": "x"}))
    assert "Could not sign in" in refused
    assert "Wrong e-mail address, mobile number, username or password." in refused


def test_sign_in_page_in_indonesian(client, db):
    page = text(client.get("/akun/masuk/"))
    assert "Lupa kata sandi?" in page and "Daftar sebagai warga" in page
    assert "Forgot your password?" not in page


def test_kuasa_page_in_english(budi):
    page = text(budi.get("/akun/kuasa/"))
    for phrase in (
        "Power of attorney (kuasa)",
        "You do not represent anyone yet.",
        "Register a new power of attorney",
        "NIK of the person you represent",
        "Husband/wife",
        "Valid until",
    ):
        assert phrase in page, phrase
    for indonesian in ("Kuasa Anda", "Daftarkan kuasa", "Suami/istri", "Berlaku sampai"):
        assert indonesian not in page, indonesian


def test_my_data_page_in_english(budi):
    page = text(budi.get("/akun/data-saya/"))
    for phrase in (
        "My data",
        "Personal Data Protection (UU 27/2022)",
        "Download all data (JSON)",
        "Date of birth",
        "Male",
        "kept because the law requires it",
    ):
        assert phrase in page, phrase
    for indonesian in ("Data saya", "Laki-laki", "kewajiban hukum", "Unduh semua data"):
        assert indonesian not in page, indonesian


def test_verification_e_mail_in_english():
    with translation.override("en"):
        subject = render_to_string("accounts/mail/code_subject.txt", {})
        body = render_to_string(
            "accounts/mail/code.txt", {"name": "Budi", "code": "123456", "minutes": 15}
        )
    assert subject.strip() == "Your MPP account verification code"
    assert "Hello Budi," in body and "123456" in body
    assert "The code is valid for 15 minutes" in body
    assert "Kode" not in body and "Jangan" not in body


def _po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: flags, msgid, msgstr values (a minimal parser)."""
    entries, current, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current is not None:
                entries.append(current)
            current = None
            continue
        current = current or {"flags": "", "msgid": "", "msgstr": {}}
        if line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field[0] == "msgstr":
                current["msgstr"][field[1]] += ast.literal_eval(line)
            elif field[0] == "msgid":
                current["msgid"] += ast.literal_eval(line)
        else:
            keyword, _, value = line.partition(" ")
            if keyword.startswith("msgstr"):
                field = ("msgstr", keyword)
                current["msgstr"][keyword] = ast.literal_eval(value)
            else:
                field = (keyword,)
                if keyword == "msgid":
                    current["msgid"] = ast.literal_eval(value)
    return entries


# The project catalogue plus one per app that keeps its own (mpp/<app>/locale/).
PO_FILES = sorted(Path(__file__).resolve().parents[2].glob("**/locale/en/LC_MESSAGES/django.po"))


def test_the_project_catalogue_is_large():
    entries = [e for e in _po_entries(LOCALE / "django.po") if e["msgid"]]
    assert len(entries) > 400


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: str(p.parents[3].name))
def test_every_interface_string_has_an_english_translation(po):
    entries = [e for e in _po_entries(po) if e["msgid"]]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    assert fuzzy == []
    assert untranslated == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed")
@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: str(p.parents[3].name))
def test_committed_mo_file_matches_the_po_file(po, tmp_path):
    fresh = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(fresh), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr
    with fresh.open("rb") as new, po.with_suffix(".mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(new)._catalog
