"""The application pages in headless Chromium, on a phone and a desktop: a citizen applies
(with a refused first try), checks, submits and tracks; an officer works the case. Every page
passes axe-core, fits 360 px, has one h1, labels every input and carries no inline style.

Set MPP_SHOTS=/tmp/app-shots to save screenshots while developing.
"""

import pytest

from mpp.accounts.testing import pass_two_factor_in_browser
from mpp.accounts.tests.test_account_pages_browser import (
    PASSWORD,
    assert_errors_linked,
    assert_well_formed,
    sign_in,
)
from mpp.applications.demo import sample_png
from mpp.applications.models import Application, Status
from mpp.core.browser_testing import BROWSER_MARKS, DESKTOP, PHONE, new_page

pytestmark = [*BROWSER_MARKS, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def png_file(tmp_path):
    path = tmp_path / "ktp.png"
    path.write_bytes(sample_png())
    return path


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_citizen_applies_in_the_browser(
    browser, live_server, applicant, service_a, png_file, viewport
):
    page = new_page(browser, viewport)
    sign_in(page, live_server, applicant.email, f"/permohonan/ajukan/{service_a.slug}/")
    assert_well_formed(page, "apply-start")
    page.get_by_role("button", name="Mulai isi formulir").click()
    page.wait_for_load_state()
    assert_well_formed(page, "apply-form")

    page.get_by_label("KTP-el pemohon").set_input_files(str(png_file))
    page.get_by_role("button", name="Simpan dan periksa").click()
    page.wait_for_load_state()
    assert_well_formed(page, "apply-form-errors")
    assert_errors_linked(page)

    page.get_by_label("Nama anak").fill("Rara Ayu")
    page.get_by_label("Tanggal lahir anak").fill("2026-11-20")
    page.get_by_label("Berdomisili di Kota Malang").check()
    page.get_by_role("button", name="Simpan dan periksa").click()
    page.wait_for_load_state()
    assert_well_formed(page, "apply-review")
    assert "Rara Ayu" in page.content()
    page.get_by_role("button", name="Ajukan permohonan").click()
    page.wait_for_load_state()
    assert_well_formed(page, "apply-submitted")
    application = Application.objects.get(applicant=applicant)
    assert application.status == Status.SUBMITTED
    assert application.number in page.content()

    for path in (
        f"/permohonan/{application.public_id}/",
        "/permohonan/",
        "/akun/dokumen/",
        f"/lacak/{application.tracking_code}/",
        "/lacak/?kode=SALAH",
    ):
        page.goto(live_server.url + path)
        assert_well_formed(page, "apply-" + path.strip("/").split("/")[0])
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_officer_works_a_case_in_the_browser(
    browser, live_server, submitted, verifier_a, viewport
):
    verifier_a.set_password(PASSWORD)
    verifier_a.save()
    page = new_page(browser, viewport)
    sign_in(page, live_server, verifier_a.username, "/kelola/permohonan/")
    pass_two_factor_in_browser(page)
    page.wait_for_url("**/kelola/permohonan/")
    assert_well_formed(page, "officer-list")
    page.get_by_role("link", name=submitted.number).click()
    page.wait_for_load_state()
    assert_well_formed(page, "officer-case")
    page.get_by_role("button", name="Mulai verifikasi berkas").click()
    page.wait_for_load_state()
    page.get_by_label("Apa yang perlu diperbaiki").fill("Foto KTP buram.")
    page.get_by_role("button", name="Minta perbaikan kepada pemohon").click()
    page.wait_for_load_state()
    assert_well_formed(page, "officer-case-revision")
    submitted.refresh_from_db()
    assert submitted.status == Status.REVISION_REQUESTED
    page.context.close()
