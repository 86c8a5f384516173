"""The API-client and webhook pages in headless Chromium: axe-core, 360 px, one h1, labels,
lang="id", no inline style, for the lists, the forms with their errors and the secret page."""

import pytest

from mpp.accounts.testing import pass_two_factor_in_browser
from mpp.core.browser_testing import (
    BROWSER_MARKS,
    PHONE,
    serious_violations,
    shot,
    unlabelled_inputs,
)
from mpp.interop import outbox, services
from mpp.interop.tests.test_webhooks import emit, fan_out_all

pytestmark = BROWSER_MARKS


def assert_well_formed(page, name: str) -> None:
    width = page.viewport_size["width"]
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("[style]:not([style=''])").count() == 0
    shot(page, f"interop-{name}-{'phone' if width == PHONE['width'] else 'desktop'}")
    assert serious_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    assert page.locator("h1").count() == 1
    assert unlabelled_inputs(page) == []


@pytest.mark.django_db(transaction=True)
def test_agency_admin_pages_in_a_browser(live_server, page, admin_a, agency_a, receiver):
    subscription = services.subscription_create(
        actor=admin_a, agency=agency_a, url=receiver.url, event_types=["*"]
    ).subscription
    receiver.answer = lambda n: 500
    emit(agency_a, "applications/PMH-1", 1)
    fan_out_all()
    outbox.run_due(schedule=False)

    base = f"{live_server.url}/kelola/api/{agency_a.slug}/"
    page.goto(f"{live_server.url}/akun/masuk/?next=/kelola/api/{agency_a.slug}/")
    page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill("admin_a")
    page.get_by_label("Kata sandi").fill("rahasia-Panjang-123")
    page.locator("main form").get_by_role("button", name="Masuk").click()
    pass_two_factor_in_browser(page)
    page.wait_for_url(f"**/kelola/api/{agency_a.slug}/")
    assert_well_formed(page, "api-empty")

    page.goto(base + "baru/")
    assert_well_formed(page, "api-create")
    page.get_by_role("button", name="Buat klien API").click()
    assert page.locator(".field-errors").count() >= 1
    assert_well_formed(page, "api-create-errors")
    page.get_by_label("Nama klien").fill("SIAK Dukcapil")
    page.get_by_label("Membaca permohonan instansi").check()
    page.get_by_role("button", name="Buat klien API").click()
    assert page.locator("#token").inner_text().startswith("mppk_")
    assert_well_formed(page, "api-secret")
    page.get_by_role("link", name="Selesai").click()
    assert_well_formed(page, "api-detail")
    page.goto(base)
    assert_well_formed(page, "api-list")

    hooks = f"{live_server.url}/kelola/webhook/{agency_a.slug}/"
    page.goto(hooks)
    assert_well_formed(page, "webhook-list")
    page.goto(hooks + "baru/")
    assert_well_formed(page, "webhook-create")
    page.goto(hooks + subscription.public_id + "/")
    assert page.get_by_text("HTTP 500").count() == 1
    assert_well_formed(page, "webhook-detail")
