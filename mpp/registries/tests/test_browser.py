"""/akun/data-kependudukan/ in headless Chromium: consent, the data, filling the profile;
axe-core clean, fits 360 px, one h1, every input labelled, no inline style."""

import pytest

from mpp.core.browser_testing import (
    BROWSER_MARKS,
    DESKTOP,
    PHONE,
    new_page,
    serious_violations,
    unlabelled_inputs,
)

pytestmark = BROWSER_MARKS


def assert_well_formed(page) -> None:
    width = page.viewport_size["width"]
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("[style]:not([style=''])").count() == 0
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("h1").count() == 1
    assert unlabelled_inputs(page) == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_consent_data_and_profile_fill(
    live_server, browser, transactional_db, registry, warga, viewport
):
    page = new_page(browser, viewport)
    try:
        page.goto(f"{live_server.url}/akun/masuk/?next=/akun/data-kependudukan/")
        page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill(warga.email)
        page.get_by_label("Kata sandi").fill("rahasia-Panjang-123")
        page.locator("main form").get_by_role("button", name="Masuk").click()
        page.wait_for_url("**/akun/data-kependudukan/")
        assert_well_formed(page)
        page.get_by_label("Melihat data kependudukan dan mengisi profil").check()
        page.get_by_role("button", name="Simpan persetujuan").click()
        page.wait_for_load_state()
        assert page.get_by_text("Jatimulyo").count() == 1
        assert_well_formed(page)
        page.get_by_role("button", name="Isi profil saya dari data ini").click()
        page.wait_for_load_state()
        assert page.get_by_text("Profil diperbarui").count() == 1
        assert_well_formed(page)
    finally:
        page.context.close()
    warga.refresh_from_db()
    assert warga.full_name == "Warga Demo"
