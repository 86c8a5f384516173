"""The public catalog pages: content, search, filters, versions, bad input, query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mpp.agencies.models import Agency
from mpp.catalog.models import LifeEvent, Maklumat, Service, ServiceStandard, StandardStatus
from mpp.catalog.services import refresh_search_text
from mpp.catalog.testing import make_agency, make_category, make_service, valid_components

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def add_version(service: Service, version: int, status: str, **components) -> ServiceStandard:
    """Another version of a service's standard (written directly, as the fixtures do)."""
    data = valid_components(**components)
    return ServiceStandard.objects.create(
        service=service,
        agency=service.agency,
        version=version,
        status=status,
        effective_date="2026-03-02" if status != StandardStatus.DRAFT else None,
        decree_number=f"188.45/{version}/35.73.112/2026" if status != "draft" else "",
        **data,
    )


@pytest.fixture
def ktp(agency_a: Agency) -> Service:
    return make_service(
        agency=agency_a,
        slug="penerbitan-ktp-el",
        name="Penerbitan KTP-el",
        synonyms="e-KTP, kartu tanda penduduk",
        short_description="Kartu tanda penduduk elektronik untuk warga berusia 17 tahun.",
    )


@pytest.fixture
def birth(agency_a: Agency) -> Service:
    service = make_service(
        agency=agency_a,
        slug="akta-kelahiran",
        name="Akta Kelahiran",
        short_description="Pencatatan kelahiran dan penerbitan akta.",
    )
    event = LifeEvent.objects.create(slug="kelahiran", name="Kelahiran anak", order=1)
    service.life_events.add(event)
    refresh_search_text(service)
    return service


@pytest.fixture
def skck(agency_b: Agency) -> Service:
    return make_service(
        agency=agency_b,
        slug="skck",
        name="Surat Keterangan Catatan Kepolisian",
        synonyms="SKCK",
        channel="counter",
        components=valid_components(
            fee=[{"name": "PNBP SKCK", "amount": 30000, "legal_basis": "PP 76/2020"}],
            completion_time={"value": 15, "unit": "minutes"},
        ),
    )


# --- Home ------------------------------------------------------------------------------------


def test_home_has_search_box_and_browse_sections(client, birth, skck):
    body = html(client.get("/"))
    assert 'action="/layanan/"' in body and 'name="q"' in body
    assert "Kelahiran anak" in body and "?life_event=kelahiran" in body
    assert "?category=umum" in body
    assert reverse("catalog:agency_detail", args=["polresta"]) in body
    assert body.count("<h1") == 1


# --- Service list and search -----------------------------------------------------------------


def test_list_shows_fee_time_channel_and_count(client, ktp, skck):
    body = html(client.get("/layanan/"))
    assert "2 layanan ditemukan" in body
    assert "Gratis" in body and "3 hari kerja" in body
    assert "Rp 30.000" in body and "15 menit" in body
    assert "Di loket" in body
    assert "Polresta Malang Kota" in body


@pytest.mark.parametrize("query", ["ktp", "e-ktp", "KTP-el", "E-KTP", "kartu tanda penduduk"])
def test_search_finds_ktp_by_its_variants(client, ktp, birth, skck, query):
    body = html(client.get("/layanan/", {"q": query}))
    assert "Penerbitan KTP-el" in body
    assert "Akta Kelahiran" not in body
    assert "1 layanan ditemukan" in body


def test_search_akta_lahir_finds_akta_kelahiran(client, ktp, birth):
    body = html(client.get("/layanan/", {"q": "akta lahir"}))
    assert "Akta Kelahiran" in body and "Penerbitan KTP-el" not in body


def test_search_by_agency_name(client, ktp, skck):
    body = html(client.get("/layanan/", {"q": "polresta"}))
    assert "Surat Keterangan Catatan Kepolisian" in body and "Penerbitan KTP-el" not in body


def test_search_by_life_event_words_and_filter(client, ktp, birth):
    by_words = html(client.get("/layanan/", {"q": "kelahiran anak"}))
    assert "Akta Kelahiran" in by_words and "Penerbitan KTP-el" not in by_words
    by_filter = html(client.get("/layanan/", {"life_event": "kelahiran"}))
    assert "Akta Kelahiran" in by_filter and "Penerbitan KTP-el" not in by_filter
    assert "Peristiwa hidup: Kelahiran anak" in by_filter


def test_filters_by_agency_category_and_channel(client, ktp, skck):
    other = make_category(slug="kepolisian", name="Kepolisian")
    Service.objects.filter(pk=skck.pk).update(category=other)
    assert "Penerbitan KTP-el" not in html(client.get("/layanan/", {"agency": "polresta"}))
    assert "Penerbitan KTP-el" not in html(client.get("/layanan/", {"category": "kepolisian"}))
    online = html(client.get("/layanan/", {"channel": "online"}))
    assert "Penerbitan KTP-el" in online and "Catatan Kepolisian" not in online


def test_search_without_match_says_so(client, ktp):
    response = client.get("/layanan/", {"q": "zzzqqq"})
    assert response.status_code == 200
    assert "0 layanan ditemukan" in html(response)
    assert "Tidak ada layanan yang cocok" in html(response)


@pytest.mark.parametrize(
    "params",
    [
        {"agency": "tidak-ada"},
        {"category": "<script>"},
        {"life_event": "x"},
        {"channel": "fax"},
        {"page": "abc"},
        {"page": "1.5"},
    ],
)
def test_bad_filters_get_a_clear_400(client, ktp, params):
    response = client.get("/layanan/", params)
    assert response.status_code == 400
    assert 'role="alert"' in html(response)
    assert "Penerbitan KTP-el" not in html(response)
    assert "<script>" not in html(response)


@pytest.mark.parametrize("page", ["0", "-1", "99", "99999999999999999999999"])
def test_page_out_of_range_is_not_found_not_500(client, ktp, page):
    response = client.get("/layanan/", {"page": page})
    assert response.status_code == 404
    assert "Halaman itu tidak ada" in html(response)


def test_list_paginates_twenty_a_page(client, agency_a):
    for n in range(25):
        make_service(agency=agency_a, name=f"Layanan Uji {n:02d}", slug=f"uji-{n:02d}")
    first = html(client.get("/layanan/"))
    assert "25 layanan ditemukan" in first
    assert first.count('class="card"') == 20
    assert "Halaman 1 dari 2" in first and "?page=2" in first
    second = html(client.get("/layanan/", {"page": "2"}))
    assert second.count('class="card"') == 5


def test_page_link_keeps_the_search(client, agency_a):
    for n in range(21):
        make_service(agency=agency_a, name=f"Izin Uji {n:02d}", slug=f"izin-{n:02d}")
    body = html(client.get("/layanan/", {"q": "izin"}))
    assert "?q=izin&amp;page=2" in body


# --- Service page ----------------------------------------------------------------------------

DELIVERY_HEADINGS = [
    "1. Persyaratan",
    "2. Sistem, mekanisme, dan prosedur",
    "3. Jangka waktu penyelesaian",
    "4. Biaya/tarif",
    "5. Produk pelayanan",
    "6. Penanganan pengaduan, saran, dan masukan",
]
MANAGEMENT_HEADINGS = [
    "7. Dasar hukum",
    "8. Sarana, prasarana, dan/atau fasilitas",
    "9. Kompetensi pelaksana",
    "10. Pengawasan internal",
    "11. Jumlah pelaksana",
    "12. Jaminan pelayanan",
    "13. Jaminan keamanan dan keselamatan pelayanan",
    "14. Evaluasi kinerja pelaksana",
]


def test_service_page_shows_delivery_components_before_management(client, birth):
    body = html(client.get(reverse("catalog:service_detail", args=[birth.slug])))
    positions = [body.index(h) for h in DELIVERY_HEADINGS + MANAGEMENT_HEADINGS]
    assert positions == sorted(positions)
    assert body.index("Penyampaian pelayanan") < body.index("Pengelolaan pelayanan")
    assert body.count("<h1") == 1


def test_service_page_shows_requirements_procedure_fee_and_complaints(client, birth):
    body = html(client.get(reverse("catalog:service_detail", args=[birth.slug])))
    assert "KTP-el pemohon" in body and "Dokumen" in body and "Berkas: PDF, JPG, PNG" in body
    assert "Data isian" in body and "Ketentuan" in body and "Wajib" in body
    assert re.search(r'<ol class="steps">.*Pengajuan berkas.*Verifikasi', body, re.S)
    assert "Pelaksana: Verifikator" in body and "1 hari kerja" in body
    assert "Gratis" in body
    assert "SP4N-LAPOR!" in body and "Ditanggapi paling lambat 5 hari kerja" in body
    assert (
        "Dinas Kependudukan" in body
        and reverse("catalog:agency_detail", args=["dispendukcapil"]) in body
    )


def test_paid_service_shows_fee_items_with_legal_basis(client, skck):
    body = html(client.get(reverse("catalog:service_detail", args=[skck.slug])))
    assert "Rp 30.000" in body and "PP 76/2020" in body
    assert ">Gratis<" not in body


def test_service_page_shows_version_effective_date_and_history_link(client, birth):
    ServiceStandard.objects.filter(pk=birth.current_standard_id).update(
        decree_number="188.45/12/35.73.112/2026"
    )
    body = html(client.get(reverse("catalog:service_detail", args=[birth.slug])))
    assert "Standar pelayanan versi 1" in body
    assert "berlaku sejak 2 Januari 2026" in body
    assert "188.45/12/35.73.112/2026" in body
    assert reverse("catalog:standard_list", args=[birth.slug]) in body


def test_service_without_adopted_standard_says_so(client, agency_a):
    service = make_service(agency=agency_a, adopted=False, name="Layanan Baru")
    add_version(service, 1, StandardStatus.DRAFT)
    body = html(client.get(reverse("catalog:service_detail", args=[service.slug])))
    assert "Standar pelayanan belum ditetapkan" in body
    assert "1. Persyaratan" not in body


def test_unknown_or_inactive_service_is_404(client, birth):
    assert client.get("/layanan/tidak-ada/").status_code == 404
    Service.objects.filter(pk=birth.pk).update(is_active=False)
    assert client.get(reverse("catalog:service_detail", args=[birth.slug])).status_code == 404


def test_legal_basis_links_only_to_web_addresses(client, agency_a):
    service = make_service(
        agency=agency_a,
        components=valid_components(
            legal_basis=[
                {"title": "UU 25/2009", "url": "https://peraturan.go.id/uu-25-2009"},
                {"title": "Tautan jahat", "url": "javascript:alert(1)"},
            ]
        ),
    )
    body = html(client.get(reverse("catalog:service_detail", args=[service.slug])))
    assert 'href="https://peraturan.go.id/uu-25-2009"' in body
    assert "javascript:" not in body


# --- Versions --------------------------------------------------------------------------------


@pytest.fixture
def versioned(agency_a: Agency) -> Service:
    """A service with v1 superseded, v2 adopted (in force) and v3 a draft."""
    service = make_service(agency=agency_a, slug="pindah-datang", name="Surat Pindah Datang")
    ServiceStandard.objects.filter(service=service).update(status=StandardStatus.SUPERSEDED)
    v2 = add_version(
        service,
        2,
        StandardStatus.ADOPTED,
        fee=[{"name": "Blangko", "amount": 10000, "legal_basis": "Perda 1/2026"}],
        facilities=["Ruang tunggu", "Ruang laktasi"],
    )
    add_version(service, 3, StandardStatus.DRAFT, products=[{"name": "Rahasia draf"}])
    service.current_standard = v2
    service.save()
    return service


def test_versions_page_lists_published_versions_never_drafts(client, versioned):
    body = html(client.get(reverse("catalog:standard_list", args=[versioned.slug])))
    assert "Versi 2" in body and "Versi 1" in body and "Versi 3" not in body
    assert "Ditetapkan" in body and "Digantikan" in body and "Draf" not in body
    assert "?dari=1&amp;ke=2" in body


def test_service_page_shows_the_version_in_force(client, versioned):
    body = html(client.get(reverse("catalog:service_detail", args=[versioned.slug])))
    assert "Standar pelayanan versi 2" in body and "Rp 10.000" in body
    assert "Rahasia draf" not in body


def test_earlier_version_has_a_banner_and_its_own_content(client, versioned):
    body = html(client.get(reverse("catalog:standard_detail", args=[versioned.slug, 1])))
    assert "Versi ini sudah digantikan" in body
    assert "Lihat standar yang berlaku (versi 2)" in body
    assert "Gratis" in body and "Rp 10.000" not in body


def test_version_in_force_has_no_banner(client, versioned):
    body = html(client.get(reverse("catalog:standard_detail", args=[versioned.slug, 2])))
    assert "sudah digantikan" not in body


@pytest.mark.parametrize("path", ["3", "4", "0", "xyz", "99999999999999999999999"])
def test_draft_unknown_or_bad_version_is_404(client, versioned, path):
    response = client.get(f"/layanan/{versioned.slug}/standar/{path}/")
    assert response.status_code == 404
    assert "Rahasia draf" not in html(response)


def test_comparison_shows_changes_per_component(client, versioned):
    response = client.get(
        reverse("catalog:standard_compare", args=[versioned.slug]), {"dari": "1", "ke": "2"}
    )
    body = html(response)
    assert response.status_code == 200
    assert "Perubahan dari versi 1 ke versi 2" in body
    assert "Ditambahkan" in body and "Blangko: Rp 10.000 (Perda 1/2026)" in body
    assert "Ruang laktasi" in body and "Kursi roda" in body
    assert "Tidak berubah" in body


@pytest.mark.parametrize(
    "params,status",
    [
        ({}, 400),
        ({"dari": "1"}, 400),
        ({"dari": "xyz", "ke": "2"}, 400),
        ({"dari": "-1", "ke": "2"}, 400),
        ({"dari": "1", "ke": "99999999999999999999"}, 400),
        ({"dari": "1", "ke": "3"}, 404),  # a draft is not public
        ({"dari": "1", "ke": "9"}, 404),
    ],
)
def test_comparison_with_bad_versions_is_a_clear_error(client, versioned, params, status):
    response = client.get(reverse("catalog:standard_compare", args=[versioned.slug]), params)
    assert response.status_code == status
    assert 'role="alert"' in html(response)
    assert "Rahasia draf" not in html(response)


# --- Agencies --------------------------------------------------------------------------------


def test_agency_list_shows_agencies_with_counts(client, ktp, birth, skck):
    body = html(client.get(reverse("catalog:agency_list")))
    assert "Dinas Kependudukan" in body and "Polresta Malang Kota" in body
    assert "Instansi vertikal" in body


def test_agency_page_shows_contact_hours_maklumat_and_services(client, agency_a, ktp, birth):
    Agency.objects.filter(pk=agency_a.pk).update(
        address="Jl. Mayjen Sungkono, Malang",
        phone="0341 751 540",
        email="dispendukcapil@malangkota.go.id",
        website="https://dispendukcapil.malangkota.go.id",
        counter_location="Lantai 1, loket 1–6",
        opening_hours=[{"days": "Senin–Jumat", "hours": "08.00–16.00"}],
    )
    Maklumat.objects.create(
        agency=agency_a,
        text="Lama",
        signer_name="Lama",
        signer_title="Kepala",
        signed_on="2024-01-02",
    )
    Maklumat.objects.create(
        agency=agency_a,
        text="Kami sanggup menyelenggarakan pelayanan sesuai standar.",
        signer_name="Dra. Eny Hari Sutiarny",
        signer_title="Kepala Dinas",
        signed_on="2026-01-05",
    )
    body = html(client.get(reverse("catalog:agency_detail", args=[agency_a.slug])))
    assert "Perangkat daerah" in body
    assert "Jl. Mayjen Sungkono" in body and "0341 751 540" in body
    assert "mailto:dispendukcapil@malangkota.go.id" in body
    assert 'href="https://dispendukcapil.malangkota.go.id"' in body
    assert "Lantai 1, loket 1–6" in body
    assert "Senin–Jumat" in body and "08.00–16.00" in body
    assert "Kami sanggup menyelenggarakan" in body and "Dra. Eny Hari Sutiarny" in body
    assert "5 Januari 2026" in body
    assert "Penerbitan KTP-el" in body and "Akta Kelahiran" in body
    assert body.index("Maklumat Pelayanan") < body.index("Penerbitan KTP-el")


def test_unknown_agency_is_404(client, agency_a):
    assert client.get("/instansi/tidak-ada/").status_code == 404


# --- Language --------------------------------------------------------------------------------


def test_pages_are_indonesian_by_default(client, ktp):
    assert '<html lang="id">' in html(client.get("/"))


def test_language_switch_to_english(client, ktp, agency_a):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/layanan/"})
    assert response.status_code == 302 and response["Location"] == "/layanan/"
    for path in ["/", "/layanan/", f"/layanan/{ktp.slug}/", f"/instansi/{agency_a.slug}/"]:
        assert '<html lang="en">' in html(client.get(path)), path


def test_every_page_has_language_switch_and_skip_link(client, ktp, agency_a):
    for path in ["/", "/layanan/", f"/layanan/{ktp.slug}/", "/instansi/", "/tidak-ada/"]:
        body = html(client.get(path))
        assert 'action="/i18n/setlang/"' in body, path
        assert 'href="#main"' in body, path


# --- Strict CSP ------------------------------------------------------------------------------


def test_pages_have_no_inline_styles_or_scripts(client, birth, agency_a):
    for path in ["/", "/layanan/", f"/layanan/{birth.slug}/", f"/instansi/{agency_a.slug}/"]:
        body = html(client.get(path))
        assert "style=" not in body, path
        assert "<style" not in body, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), path


# --- Error pages -----------------------------------------------------------------------------


def test_500_page_renders_without_database(rf, settings):
    from django.template.loader import render_to_string

    request = rf.get("/")
    with CaptureQueriesContext(connection) as queries:
        body = render_to_string("errors/500.html", request=request)
    assert len(queries) == 0
    assert "Terjadi kesalahan pada sistem" in body and "<h1>" in body


# --- No N+1 ----------------------------------------------------------------------------------


def _catalog(n: int) -> tuple[Agency, Service]:
    agency = make_agency(slug="besar", name="Instansi Besar")
    other = make_agency(slug="lain", name="Instansi Lain")
    event = LifeEvent.objects.create(slug="menikah", name="Menikah")
    first = None
    for i in range(n):
        category = make_category(slug=f"kat-{i % 7}", name=f"Kategori {i % 7}")
        service = make_service(
            agency=agency if i % 2 else other,
            category=category,
            name=f"Izin Usaha {i:03d}",
            slug=f"izin-usaha-{i:03d}",
        )
        service.life_events.add(event)
        first = first or service
    Maklumat.objects.create(
        agency=agency, text="Janji", signer_name="A", signer_title="K", signed_on="2026-01-02"
    )
    return agency, first


def _query_counts(client, n: int) -> list[int]:
    agency, service = _catalog(n)
    paths = [
        "/",
        "/layanan/",
        "/layanan/?q=izin+usaha",
        "/layanan/?life_event=menikah&category=kat-1&channel=online",
        f"/layanan/{service.slug}/",
        f"/layanan/{service.slug}/standar/",
        "/instansi/",
        f"/instansi/{agency.slug}/",
    ]
    counts = []
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        counts.append(len(queries))
    return counts


def test_pages_run_the_same_number_of_queries_with_10_and_200_services(client):
    small = _query_counts(client, 10)
    Service.objects.all().delete()
    ServiceStandard.objects.all().delete()
    Agency.objects.all().delete()
    LifeEvent.objects.all().delete()
    large = _query_counts(client, 200)
    assert small == large
