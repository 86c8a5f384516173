"""Sign-in, lockout and two-factor pages in headless Chromium: an officer enrols an
authenticator on first sign-in and reaches /kelola/; every page passes axe-core and fits a
360 px phone.

Set MPP_SHOTS=/tmp/mpp-signin-shots to save screenshots while developing.
"""

import datetime as dt

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mpp.accounts.testing import key_from_secret, totp_code
from mpp.agencies.models import AgencyRole, Membership
from mpp.catalog.testing import make_agency
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

PASSWORD = "rahasia-Panjang-123"


@pytest.fixture
def officer(transactional_db, django_user_model):
    agency = make_agency(slug="dispendukcapil", name="Dinas Kependudukan", short_name="Dukcapil")
    user = django_user_model.objects.create_user(
        username="admin_dukcapil", email="admin@dukcapil.example", password=PASSWORD
    )
    Membership.objects.create(user=user, agency=agency, role=AgencyRole.AGENCY_ADMIN)
    return user


def assert_well_formed(page, name: str) -> None:
    width = page.viewport_size["width"]
    assert page.locator("[style]:not([style=''])").count() == 0
    shot(page, f"{name}-{'phone' if width == PHONE['width'] else 'desktop'}")
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("h1").count() == 1
    assert unlabelled_inputs(page) == []


def submit_sign_in(page, live_server, identifier: str, password: str) -> None:
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill(identifier)
    page.get_by_label("Kata sandi").fill(password)
    page.locator("main form").get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_officer_enrols_an_authenticator_and_reaches_kelola(
    live_server, browser, officer, viewport
):
    page = new_page(browser, viewport)
    try:
        page.goto(f"{live_server.url}/akun/masuk/")
        assert_well_formed(page, "signin")
        submit_sign_in(page, live_server, "ADMIN@dukcapil.example", PASSWORD)
        page.wait_for_url("**/akun/2fa/daftar/**")
        assert page.locator("main svg[role=img]").count() == 1
        assert_well_formed(page, "twofactor-enrol")

        page.get_by_label("Kode 6 angka").fill("000000")
        page.get_by_role("button", name="Aktifkan").click()
        page.wait_for_load_state()
        assert "Kode salah" in page.get_by_role("alert").inner_text()
        assert page.locator("#id_token").get_attribute("aria-invalid") == "true"
        assert_well_formed(page, "twofactor-enrol-wrong")

        secret = page.locator("#totp-secret").get_attribute("data-secret")
        # The wrong code started django-otp's delay (1 s); rather than sleep, let it have
        # started a minute ago.
        TOTPDevice.objects.filter(user=officer).update(
            throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=1)
        )
        page.get_by_label("Kode 6 angka").fill(totp_code(key_from_secret(secret)))
        page.get_by_role("button", name="Aktifkan").click()
        page.wait_for_url("**/kelola/")
        assert page.locator("h1").count() == 1
        assert page.url.endswith("/kelola/")
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_enrolled_officer_is_asked_for_the_code(live_server, browser, officer, viewport):
    device = TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    page = new_page(browser, viewport)
    try:
        submit_sign_in(page, live_server, "admin_dukcapil", PASSWORD)
        page.wait_for_url("**/akun/2fa/?**")
        assert page.locator("#totp-secret").count() == 0
        assert_well_formed(page, "twofactor-verify")
        page.get_by_label("Kode 6 angka").fill(totp_code(device.bin_key))
        page.get_by_role("button", name="Verifikasi").click()
        page.wait_for_url("**/kelola/")
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_locked_page_explains_how_to_unlock(live_server, browser, officer, settings, viewport):
    settings.AXES_ENABLED = True
    page = new_page(browser, viewport)
    try:
        for _ in range(5):
            submit_sign_in(page, live_server, "admin@dukcapil.example", "salah-sekali")
        main = page.locator("main").inner_text()
        assert "Masuk dikunci sementara" in main
        assert "15 menit" in main
        assert_well_formed(page, "locked")
        page.get_by_role("link", name="Atur ulang kata sandi").click()
        page.wait_for_url("**/akun/lupa-sandi/")
        assert_well_formed(page, "password-reset")
    finally:
        page.context.close()


def test_a_wrong_password_is_announced(live_server, page, officer):
    submit_sign_in(page, live_server, "admin_dukcapil", "salah")
    assert "kata sandi salah" in page.get_by_role("alert").inner_text()
    assert page.locator("#id_identifier").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").input_value() == (
        "admin_dukcapil"
    )
    assert_well_formed(page, "signin-wrong")
