"""End to end in headless Chromium: a new citizen signs up, reads the code from the e-mail
(a real SMTP conversation), verifies, signs out and signs in again with e-mail + password.

Set MPP_SHOTS=/tmp/mpp-signup-shots to save screenshots.
"""

import re

import pytest

from mpp.accounts.models import User
from mpp.core.browser_testing import BROWSER_MARKS, serious_violations, shot, unlabelled_inputs

pytestmark = [*BROWSER_MARKS, pytest.mark.django_db(transaction=True)]

EMAIL = "sri.wahyuni@example.id"
PASSWORD = "Merdeka-Malang-2025"
# Lowokwaru, Kota Malang; woman born 5 March 2001 (day 05 + 40 = 45).
NIK = "3573054503010002"


def test_a_citizen_signs_up_verifies_signs_out_and_signs_in(page, live_server, smtp_server):
    page.goto(f"{live_server.url}/akun/daftar/")
    assert unlabelled_inputs(page) == []
    assert serious_violations(page) == []

    # A first try with the day of birth that the NIK contradicts: a clear message.
    page.get_by_label(re.compile(r"^NIK")).fill(NIK)
    page.get_by_label(re.compile(r"^Nama lengkap")).fill("Sri Wahyuni")
    page.get_by_label(re.compile(r"^Tanggal lahir")).fill("2001-03-06")
    page.get_by_label("Perempuan").check()
    page.get_by_label(re.compile(r"^E-mail")).fill(EMAIL)
    page.get_by_label(re.compile(r"^Kata sandi")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Ulangi kata sandi")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Saya menyetujui pemrosesan data pribadi")).check()
    page.get_by_role("button", name="Daftar").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "tidak sama dengan tanggal lahir" in summary.inner_text()
    assert NIK not in page.url
    assert serious_violations(page) == []
    shot(page, "signup-error")

    # Passwords are not sent back; the rest of the form is kept.
    page.get_by_label(re.compile(r"^Tanggal lahir")).fill("2001-03-05")
    page.get_by_label(re.compile(r"^Kata sandi")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Ulangi kata sandi")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Saya menyetujui pemrosesan data pribadi")).check()
    page.get_by_role("button", name="Daftar").click()
    page.get_by_role("heading", name="Verifikasi kontak").wait_for()
    assert page.url.endswith("/akun/verifikasi/")
    assert serious_violations(page) == []
    shot(page, "verify")

    [body] = smtp_server.bodies_to(EMAIL)
    code = re.search(r"^\s+(\d{6})\s*$", body, re.M).group(1)
    page.get_by_label(re.compile(r"^Kode verifikasi")).fill(code)
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    page.get_by_text("e-mail Anda sudah terverifikasi").wait_for()
    assert User.objects.get(email=EMAIL).has_verified_contact

    page.get_by_role("button", name="Keluar").click()
    page.get_by_role("link", name="Masuk").first.wait_for()

    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill(EMAIL)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("button", name="Keluar").wait_for()
    assert "/akun/masuk/" not in page.url
