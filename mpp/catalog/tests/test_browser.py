"""The public catalog in headless Chromium: accessibility (axe-core), 360 px phones, keyboard.

Set MPP_SHOTS=/tmp/mpp-shots to save phone and desktop screenshots into that directory.
"""

import pytest

from mpp.catalog.models import LifeEvent, Maklumat, ServiceStandard, StandardStatus
from mpp.catalog.services import refresh_search_text
from mpp.catalog.testing import make_agency, make_category, make_service, valid_components
from mpp.core.browser_testing import (
    BROWSER_MARKS,
    DESKTOP,
    PHONE,
    new_page,
    serious_violations,
    shot,
    unlabelled_inputs,
)

pytestmark = BROWSER_MARKS


@pytest.fixture
def catalog(transactional_db) -> dict[str, str]:
    """A small, realistic catalog with long words that must wrap on a phone."""
    dukcapil = make_agency(
        slug="dispendukcapil",
        name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Dispendukcapil",
        address="Perkantoran Terpadu Gedung A Lt. 2, Jl. Mayjen Sungkono, Kota Malang",
        phone="(0341) 751540",
        email="dispendukcapil@malangkota.go.id",
        website="https://dispendukcapil.malangkota.go.id/layanan-administrasi-kependudukan",
        counter_location="Mal Pelayanan Publik, lantai 1, loket 1–6",
        opening_hours=[
            {"days": "Senin–Kamis", "hours": "08.00–15.00"},
            {"days": "Jumat", "hours": "08.00–14.00"},
        ],
    )
    polres = make_agency(
        slug="polresta", name="Polresta Malang Kota", short_name="Polresta", kind="vertical"
    )
    Maklumat.objects.create(
        agency=dukcapil,
        text="Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar "
        "pelayanan yang telah ditetapkan dan apabila tidak menepati janji ini, kami siap "
        "menerima sanksi sesuai peraturan perundang-undangan yang berlaku.",
        signer_name="Dra. Eny Hari Sutiarny, MM",
        signer_title="Kepala Dinas Kependudukan dan Pencatatan Sipil",
        signed_on="2026-01-05",
    )
    adminduk = make_category(slug="adminduk", name="Administrasi kependudukan")
    birth_event = LifeEvent.objects.create(
        slug="kelahiran", name="Kelahiran", description="Akta, KIA, dan KK untuk bayi", order=1
    )
    LifeEvent.objects.create(slug="pindah", name="Pindah rumah", order=2)
    birth = make_service(
        agency=dukcapil,
        category=adminduk,
        slug="akta-kelahiran",
        name="Akta Kelahiran",
        short_description="Pencatatan kelahiran dan penerbitan kutipan akta kelahiran.",
        components=valid_components(
            legal_basis=[
                {
                    "title": "Peraturan Presiden Nomor 96 Tahun 2018 tentang Persyaratan dan "
                    "Tata Cara Pendaftaran Penduduk dan Pencatatan Sipil",
                    "url": "https://peraturan.bpk.go.id/Details/Perpres-96-2018-persyaratan",
                }
            ]
        ),
    )
    birth.life_events.add(birth_event)
    refresh_search_text(birth)
    ServiceStandard.objects.filter(service=birth).update(
        status=StandardStatus.SUPERSEDED, decree_number="188.45/0012/35.73.112/2025"
    )
    v2 = ServiceStandard.objects.create(
        service=birth,
        agency=dukcapil,
        version=2,
        status=StandardStatus.ADOPTED,
        effective_date="2026-03-02",
        decree_number="188.45/0034/35.73.112/2026",
        change_note="Waktu penyelesaian dipersingkat; ditambah ruang laktasi.",
        **valid_components(
            completion_time={"value": 1, "unit": "working_days"},
            facilities=["Ruang tunggu", "Kursi roda", "Ruang laktasi"],
        ),
    )
    birth.current_standard = v2
    birth.save()
    make_service(
        agency=dukcapil,
        category=adminduk,
        slug="ktp-el",
        name="Penerbitan KTP-el",
        synonyms="e-KTP",
    )
    make_service(
        agency=polres,
        slug="skck",
        name="Surat Keterangan Catatan Kepolisian (SKCK)",
        channel="counter",
        components=valid_components(
            fee=[{"name": "PNBP SKCK", "amount": 30000, "legal_basis": "PP 76/2020"}],
            completion_time={"value": 15, "unit": "minutes"},
        ),
    )
    return {
        "home": "/",
        "search": "/layanan/?q=akta+lahir",
        "list": "/layanan/",
        "service": "/layanan/akta-kelahiran/",
        "version": "/layanan/akta-kelahiran/standar/1/",
        "versions": "/layanan/akta-kelahiran/standar/",
        "compare": "/layanan/akta-kelahiran/standar/bandingkan/?dari=1&ke=2",
        "agency": "/instansi/dispendukcapil/",
        "agencies": "/instansi/",
        "not_found": "/tidak-ada/",
    }


PAGES = [
    "home",
    "search",
    "list",
    "service",
    "version",
    "versions",
    "compare",
    "agency",
    "agencies",
    "not_found",
]


@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible_and_fits_a_360px_phone(live_server, page, catalog, name):
    response = page.goto(live_server.url + catalog[name])
    assert response is not None and response.status in (200, 404)
    shot(page, f"{name}-phone")
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("h1").count() == 1
    assert unlabelled_inputs(page) == []
    assert page.locator("html").get_attribute("lang") == "id"


@pytest.mark.parametrize("name", ["home", "search", "service", "compare", "agency"])
def test_page_is_accessible_on_desktop(live_server, browser, catalog, name):
    page = new_page(browser, DESKTOP)
    context = page.context
    try:
        page.goto(live_server.url + catalog[name])
        shot(page, f"{name}-desktop")
        assert serious_violations(page) == []
    finally:
        context.close()


def test_keyboard_reaches_skip_link_first_then_the_search_box(live_server, page, catalog):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "home-q"
    page.keyboard.type("akta lahir")
    page.keyboard.press("Enter")
    page.wait_for_url("**/layanan/?q=akta+lahir")
    assert page.locator(".card-title").all_inner_texts() == ["Akta Kelahiran"]


def test_language_switch_to_english_by_clicking(live_server, page, catalog):
    page.goto(live_server.url + catalog["service"])
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + catalog["service"]
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Bahasa Indonesia").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "id"


def test_filters_work_without_javascript(live_server, browser, catalog):
    context = browser.new_context(viewport=PHONE, locale="id-ID", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/layanan/")
        page.locator("summary").click()
        page.get_by_label("Instansi").select_option("polresta")
        page.get_by_role("button", name="Terapkan").click()
        page.wait_for_load_state()
        assert "agency=polresta" in page.url
        assert page.locator(".card-title").all_inner_texts() == [
            "Surat Keterangan Catatan Kepolisian (SKCK)"
        ]
        assert "1 layanan ditemukan" in page.locator(".result-count").inner_text()
    finally:
        context.close()


def test_printed_service_page_keeps_the_standard_and_hides_navigation(live_server, page, catalog):
    page.goto(live_server.url + catalog["service"])
    assert page.locator(".print-button").is_visible()  # shown by print.js
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert page.locator("#c-requirements").is_visible()
    assert page.locator("#c-evaluation").is_visible()
