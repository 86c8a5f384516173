"""Officer pages in headless Chromium: /kelola/ (catalog editing and the working-day calendar)
and the sign-in page. Accessibility (axe-core), 360 px phones, labels, error linking, keyboard
focus, and one end-to-end edit → adopt flow seen on the public page.

Set MPP_SHOTS=/tmp/mpp-manage-shots to save phone and desktop screenshots into that directory.
"""

import datetime as dt

import pytest
import yaml

from mpp.accounts.testing import pass_two_factor_in_browser
from mpp.agencies.models import AgencyRole, CityRole, CityRoleKind, Membership
from mpp.catalog.models import StandardStatus
from mpp.catalog.testing import make_agency, make_service, valid_components
from mpp.core.browser_testing import (
    BROWSER_MARKS,
    DESKTOP,
    PHONE,
    new_page,
    serious_violations,
    shot,
    unlabelled_inputs,
)
from mpp.core.models import CalendarOverride

PASSWORD = "rahasia-Panjang-123"
DANGER = "rgb(164, 22, 26)"  # --error in mpp.css

pytestmark = BROWSER_MARKS


@pytest.fixture
def officers(transactional_db, django_user_model) -> dict:
    """An agency admin with two services (one with a draft), and the MPP manager."""
    agency = make_agency(
        slug="dispendukcapil",
        name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Dispendukcapil",
    )
    admin = django_user_model.objects.create_user(username="admin_dukcapil", password=PASSWORD)
    Membership.objects.create(user=admin, agency=agency, role=AgencyRole.AGENCY_ADMIN)
    manager = django_user_model.objects.create_user(username="pengelola", password=PASSWORD)
    CityRole.objects.create(user=manager, role=CityRoleKind.MPP_MANAGER)
    birth = make_service(
        agency=agency,
        slug="akta-kelahiran",
        name="Akta Kelahiran",
        components=valid_components(),
    )
    make_service(agency=agency, slug="penerbitan-kartu-identitas-anak", name="Kartu Identitas Anak")
    draft = birth.current_standard
    draft.pk = None
    draft.version, draft.status, draft.effective_date = 2, StandardStatus.DRAFT, None
    draft.change_note = "Waktu penyelesaian dipersingkat"
    draft.save()
    CalendarOverride.objects.create(
        date=dt.date(2026, 4, 1), is_working_day=False, reason="Hari jadi Kota Malang"
    )
    return {"admin": admin, "manager": manager, "service": birth}


def sign_in(page, live_server, username: str, next_path: str = "/kelola/") -> None:
    page.goto(f"{live_server.url}/akun/masuk/?next={next_path}")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Masuk").click()
    pass_two_factor_in_browser(page, username)
    page.wait_for_url(f"**{next_path}")


def assert_well_formed(page, name: str) -> None:
    """The checks every officer page passes, at the page's current viewport."""
    width = page.viewport_size["width"]
    # Strict CSP: no inline styles (Playwright itself leaves empty style="" on some inputs).
    assert page.locator("[style]:not([style=''])").count() == 0
    shot(page, f"{name}-{'phone' if width == PHONE['width'] else 'desktop'}")
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("h1").count() == 1
    assert unlabelled_inputs(page) == []
    assert page.locator("html").get_attribute("lang") == "id"


def described_by(page, selector: str) -> str:
    """The text of the elements that the field's aria-describedby points at."""
    ids = page.locator(selector).get_attribute("aria-describedby") or ""
    return " ".join(page.locator(f"[id='{i}']").inner_text() for i in ids.split())


# ------------------------------------------------------------------ every page, phone and desktop

ADMIN_PAGES = {
    "dashboard": "/kelola/",
    "service": "/kelola/layanan/akta-kelahiran/",
    "service-without-draft": "/kelola/layanan/penerbitan-kartu-identitas-anak/",
    "import": "/kelola/impor/",
    "withdraw": "/kelola/layanan/akta-kelahiran/versi/1/cabut/",
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_agency_admin_page_is_accessible(live_server, browser, officers, name, viewport):
    page = new_page(browser, viewport)
    try:
        sign_in(page, live_server, "admin_dukcapil")
        response = page.goto(live_server.url + ADMIN_PAGES[name])
        assert response is not None and response.status == 200
        assert_well_formed(page, name)
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_manager_dashboard_and_calendar_are_accessible(live_server, browser, officers, viewport):
    page = new_page(browser, viewport)
    try:
        sign_in(page, live_server, "pengelola")
        assert_well_formed(page, "dashboard-manager")
        page.get_by_role("link", name="Kalender hari kerja").click()
        page.wait_for_url("**/kelola/kalender/")
        page.goto(live_server.url + "/kelola/kalender/?tahun=2026")
        assert "Hari jadi Kota Malang" in page.locator("main").inner_text()
        assert_well_formed(page, "calendar")
    finally:
        page.context.close()


def test_wrong_password_is_announced_and_marks_both_inputs(live_server, page, officers):
    page.goto(live_server.url + "/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("admin_dukcapil")
    page.get_by_label("Kata sandi").fill("salah")
    page.locator("main form").get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "kata sandi" in alert.inner_text().lower()
    for field in ("#id_identifier", "#id_password"):
        assert page.locator(field).get_attribute("aria-invalid") == "true"
        assert "kata sandi" in described_by(page, field).lower()
    assert page.get_by_label("Nama pengguna").input_value() == "admin_dukcapil"
    assert_well_formed(page, "login-wrong-password")


# ------------------------------------------------------------------ errors beside their fields


def test_bad_yaml_is_listed_at_the_top_and_beside_the_textarea(live_server, page, officers):
    sign_in(page, live_server, "admin_dukcapil", "/kelola/layanan/akta-kelahiran/")
    components = valid_components()
    components["procedure"][1]["duration"]["unit"] = "days"
    page.get_by_label("Komponen standar (YAML)").fill(yaml.safe_dump(components, sort_keys=False))
    page.get_by_role("button", name="Simpan draf").click()
    page.wait_for_load_state()

    summary = page.get_by_role("alert")
    assert summary.count() == 1
    assert "procedure.1.duration.unit" in summary.inner_text()
    textarea = "#id_components_yaml"
    assert page.locator(textarea).get_attribute("aria-invalid") == "true"
    assert "procedure.1.duration.unit" in described_by(page, textarea)
    summary.get_by_role("link").first.click()
    assert page.evaluate("location.hash") == "#id_components_yaml"
    assert_well_formed(page, "service-bad-yaml")
    page.set_viewport_size(DESKTOP)
    assert_well_formed(page, "service-bad-yaml")


def test_future_effective_date_is_linked_to_the_date_input(live_server, page, officers):
    sign_in(page, live_server, "admin_dukcapil", "/kelola/layanan/akta-kelahiran/")
    page.get_by_label("Tanggal berlaku").fill("2099-12-31")
    page.get_by_role("button", name="Tetapkan").click()
    page.wait_for_load_state()
    assert page.locator("#id_effective_date").get_attribute("aria-invalid") == "true"
    assert "masa depan" in described_by(page, "#id_effective_date")
    assert "masa depan" in page.get_by_role("alert").inner_text()
    assert_well_formed(page, "service-bad-date")


def test_import_problems_are_numbered_and_nothing_is_imported(live_server, page, officers):
    sign_in(page, live_server, "admin_dukcapil", "/kelola/impor/")
    bad = yaml.safe_dump(
        {"service": "akta-kelahiran", **valid_components(completion_time={"value": -1})}
    )
    page.get_by_label("Berkas standar").set_input_files(
        {"name": "standar.yaml", "mimeType": "application/yaml", "buffer": bad.encode()}
    )
    page.get_by_role("button", name="Periksa dan impor").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert page.locator("#id_file").get_attribute("aria-invalid") == "true"
    assert page.locator(".problems li").count() >= 1
    assert officers["service"].standards.count() == 2
    assert_well_formed(page, "import-problems")


def test_calendar_errors_are_linked_to_their_inputs(live_server, page, officers):
    sign_in(page, live_server, "pengelola", "/kelola/kalender/?tahun=2026")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    for field in ("#id_day", "#id_reason"):
        assert page.locator(field).get_attribute("aria-invalid") == "true"
        assert described_by(page, field).strip() != ""
    assert described_by(page, "fieldset.field").strip() != ""
    assert page.locator("fieldset.field").get_attribute("aria-invalid") is None
    assert_well_formed(page, "calendar-errors")


# ------------------------------------------------------------------ look and keyboard


def test_destructive_actions_look_different_from_the_others(live_server, page, officers):
    sign_in(page, live_server, "admin_dukcapil", "/kelola/layanan/akta-kelahiran/")
    colour = "el => getComputedStyle(el).color"
    background = "el => getComputedStyle(el).backgroundColor"
    withdraw = page.get_by_role("link", name="Cabut versi 1")
    assert withdraw.evaluate(colour) == DANGER
    assert page.get_by_role("button", name="Simpan draf").evaluate(background) != DANGER
    withdraw.click()
    assert page.get_by_role("button", name="Cabut").evaluate(background) == DANGER

    page.context.clear_cookies()
    sign_in(page, live_server, "pengelola", "/kelola/kalender/?tahun=2026")
    remove = page.get_by_role("button", name="Hapus penyesuaian 1 April 2026")
    assert remove.evaluate(colour) == DANGER


def test_keyboard_focus_is_visible_on_links_inputs_and_buttons(live_server, page, officers):
    sign_in(page, live_server, "admin_dukcapil", "/kelola/layanan/akta-kelahiran/")
    outline = "el => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth]"
    seen = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        tag = page.evaluate("document.activeElement.tagName")
        if tag == "BODY":  # past the last control: focus left the page
            break
        style = page.evaluate_handle("document.activeElement").evaluate(outline)
        assert style[0] != "none" and style[1] != "0px", page.evaluate(
            "document.activeElement.outerHTML"
        )
        seen.add(tag)
    assert {"A", "TEXTAREA", "INPUT", "BUTTON"} <= seen


def test_table_scrolls_inside_its_region_on_a_phone(live_server, page, officers):
    sign_in(page, live_server, "admin_dukcapil", "/kelola/layanan/akta-kelahiran/")
    region = page.get_by_role("region", name="Semua versi standar Akta Kelahiran")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    assert region.get_attribute("tabindex") == "0"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


# ------------------------------------------------------------------ end to end


def test_admin_edits_and_adopts_a_draft_and_the_public_page_shows_it(live_server, page, officers):
    service = officers["service"]
    service.standards.filter(status=StandardStatus.DRAFT).delete()
    sign_in(page, live_server, "admin_dukcapil")
    page.get_by_role("link", name="Akta Kelahiran").click()
    page.get_by_role("button", name="Buat draf").click()
    page.wait_for_load_state()
    assert "Draf versi 2 dibuat." in page.get_by_role("status").inner_text()

    textarea = page.get_by_label("Komponen standar (YAML)")
    components = yaml.safe_load(textarea.input_value())
    components["completion_time"] = {"value": 1, "unit": "working_days", "note": ""}
    textarea.fill(yaml.safe_dump(components, sort_keys=False, allow_unicode=True))
    page.get_by_label("Catatan perubahan").fill("Selesai dalam satu hari kerja")
    page.get_by_role("button", name="Simpan draf").click()
    page.wait_for_load_state()
    assert "Draf versi 2 disimpan." in page.get_by_role("status").inner_text()

    page.get_by_label("Nomor keputusan penetapan").fill("188.45/0034/35.73.112/2026")
    page.get_by_role("button", name="Tetapkan").click()
    page.wait_for_load_state()
    assert "Standar versi 2 ditetapkan." in page.get_by_role("status").inner_text()
    shot(page, "flow-adopted-phone")

    page.goto(f"{live_server.url}/layanan/{service.slug}/")
    assert "Standar pelayanan versi 2" in page.locator("main").inner_text()
    assert "1 hari kerja" in page.locator("main").inner_text()
    service.refresh_from_db()
    assert service.current_standard.version == 2
    assert service.current_standard.decree_number == "188.45/0034/35.73.112/2026"
