"""The account pages in headless Chromium: sign-up, verification, profile, kuasa, my data and
the deletion request for citizens; the officer pages (list, invite, role, deactivation,
history), the MPP manager's personal-data requests and the invitation link. Every page, also
with its errors shown, passes axe-core, fits a 360 px phone, has one h1, labels every input,
says lang="id" and carries no inline style.

Set MPP_SHOTS=/tmp/acct-shots to save screenshots while developing.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from mpp.accounts.models import (
    CitizenProfile,
    DeletionRequest,
    OfficerInvitation,
    Relationship,
    Representation,
)
from mpp.accounts.services.officers import membership_set_role, token_hash
from mpp.accounts.testing import pass_two_factor_in_browser
from mpp.agencies.models import AgencyRole, CityRole, CityRoleKind, Membership
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
# Demo citizen (mpp/catalog/demo/data/accounts.yaml): Kedungkandang, man born 17 Aug 1990.
NIK = "3573051708900001"
# Valid Kota Malang NIKs of people the citizen acts for (district, birth date, serial).
REPRESENTED = [
    "3573014506650002",
    "3573025203850002",
    "3573010511010003",
    "3573047001980004",
    "3573011202800003",
]
SIXTH = "3573031503700005"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
TOKEN = "undangan-uji-coba-token-yang-cukup-panjang-123"


def assert_well_formed(page, name: str) -> None:
    """The checks every account page passes at the page's current viewport."""
    width = page.viewport_size["width"]
    assert page.locator("html").get_attribute("lang") == "id"
    # Strict CSP: no inline styles (Playwright itself leaves empty style="" on some inputs).
    assert page.locator("[style]:not([style=''])").count() == 0
    shot(page, f"{name}-{'phone' if width == PHONE['width'] else 'desktop'}")
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("h1").count() == 1
    assert unlabelled_inputs(page) == []


def assert_errors_linked(page) -> None:
    """After a bad submit: an error summary, and each invalid input points at its message."""
    assert page.locator(".error-summary, [role=alert]").count() >= 1
    assert page.locator("[aria-invalid=true]").count() >= 1
    # A radio button is described through its group (the fieldset that holds the message).
    unlinked = page.evaluate(
        """() => [...document.querySelectorAll('[aria-invalid=true]')].filter(el => {
              const holder = ['radio', 'checkbox'].includes(el.type)
                  && el.closest('fieldset[aria-describedby]') || el;
              const ids = (holder.getAttribute('aria-describedby') || '').split(' ');
              return !ids.some(id => id && document.getElementById(id)
                  && document.getElementById(id).textContent.trim());
          }).map(el => el.name || el.id)"""
    )
    assert unlinked == []


def sign_in(page, live_server, identifier: str, next_path: str) -> None:
    page.goto(f"{live_server.url}/akun/masuk/?next={next_path}")
    page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill(identifier)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def sign_in_officer(page, live_server, username: str, next_path: str) -> None:
    sign_in(page, live_server, username, next_path)
    pass_two_factor_in_browser(page, username)
    page.wait_for_url(f"**{next_path}")


def make_citizen(django_user_model, username: str, nik: str, *, verified: bool = True):
    user = django_user_model.objects.create_user(
        username=username,
        full_name="Warga Demo",
        email=f"{username}@contoh.id",
        password=PASSWORD,
        email_verified_at=timezone.now() if verified else None,
    )
    CitizenProfile.objects.create(
        user=user, nik=nik, birth_date=dt.date(1990, 8, 17), sex="M", created_by=user
    )
    return user


@pytest.fixture
def warga(transactional_db, django_user_model):
    return make_citizen(django_user_model, "warga.demo", NIK)


@pytest.fixture
def officers(transactional_db, django_user_model) -> dict:
    """An agency admin, a verifier whose role was changed once (history), and the manager."""
    agency = make_agency(
        slug="dispendukcapil",
        name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Dispendukcapil",
    )
    admin = django_user_model.objects.create_user(
        username="admin_dukcapil",
        full_name="Admin Dukcapil",
        email="admin@dukcapil.example",
        password=PASSWORD,
    )
    Membership.objects.create(user=admin, agency=agency, role=AgencyRole.AGENCY_ADMIN)
    officer = django_user_model.objects.create_user(
        username="petugas_dukcapil",
        full_name="Sari Wulandari Kusumaningtyas Purwaningsih",
        email="sari.wulandari.kusumaningtyas@dukcapil.example",
    )
    membership = Membership.objects.create(user=officer, agency=agency, role=AgencyRole.FRONT_DESK)
    membership_set_role(actor=admin, membership=membership, role=AgencyRole.VERIFIER)
    OfficerInvitation.objects.create(
        email="calon.petugas@dukcapil.example",
        agency=agency,
        role=AgencyRole.VERIFIER,
        token_hash=token_hash(TOKEN),
        expires_at=timezone.now() + dt.timedelta(days=7),
        created_by=admin,
    )
    manager = django_user_model.objects.create_user(
        username="pengelola", email="pengelola@mpp.example", password=PASSWORD
    )
    CityRole.objects.create(user=manager, role=CityRoleKind.MPP_MANAGER)
    return {"agency": agency, "admin": admin, "membership": membership, "manager": manager}


# Citizens


def test_the_sign_up_page_and_its_errors(live_server, page, transactional_db):
    page.goto(f"{live_server.url}/akun/daftar/")
    assert_well_formed(page, "signup")

    page.get_by_label(re.compile(r"^NIK")).fill("3573051708900001")
    page.get_by_label(re.compile(r"^Tanggal lahir")).fill("1990-08-18")
    page.get_by_label(re.compile(r"^E-mail")).fill("bukan-email")
    page.get_by_label(re.compile(r"^Kata sandi")).fill("123")
    page.get_by_role("button", name="Daftar").click()
    page.locator(".error-summary").wait_for()
    assert_errors_linked(page)
    assert_well_formed(page, "signup-errors")


def test_the_verification_page(live_server, page, transactional_db, django_user_model):
    make_citizen(django_user_model, "warga.baru", NIK, verified=False)
    sign_in(page, live_server, "warga.baru@contoh.id", "/akun/verifikasi/")
    page.goto(f"{live_server.url}/akun/verifikasi/")
    assert_well_formed(page, "verify")

    page.get_by_label(re.compile(r"^Kode verifikasi")).fill("12")
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    page.wait_for_load_state()
    assert_errors_linked(page)
    assert_well_formed(page, "verify-errors")


def test_profile_my_data_and_the_deletion_request(live_server, page, warga):
    Representation.objects.create(
        representative=warga,
        represented_nik=REPRESENTED[0],
        represented_name="Siti Aminah binti Abdul Rahman Hakim",
        relationship=Relationship.PARENT,
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + dt.timedelta(days=90),
        created_by=warga,
    )
    sign_in(page, live_server, "warga.demo@contoh.id", "/akun/profil/")
    page.goto(f"{live_server.url}/akun/profil/")
    assert_well_formed(page, "profile")

    page.goto(f"{live_server.url}/akun/data-saya/")
    assert NIK in page.locator("main").inner_text()
    assert_well_formed(page, "mydata")

    page.goto(f"{live_server.url}/akun/data-saya/hapus/")
    assert_well_formed(page, "deletion-request")
    # The browser stops at maxlength; a request from elsewhere need not.
    page.get_by_label(re.compile(r"^Alasan")).evaluate("el => el.removeAttribute('maxlength')")
    page.get_by_label(re.compile(r"^Alasan")).fill("x" * 3000)
    page.locator("main form").get_by_role("button").last.click()
    page.wait_for_load_state()
    assert_errors_linked(page)
    assert_well_formed(page, "deletion-request-errors")

    page.get_by_label(re.compile(r"^Alasan")).fill("Saya pindah ke luar kota.")
    page.locator("main form").get_by_role("button").last.click()
    page.wait_for_url("**/akun/data-saya/")
    assert DeletionRequest.objects.filter(user=warga, status="open").count() == 1
    assert_well_formed(page, "mydata-request-open")
    page.goto(f"{live_server.url}/akun/data-saya/hapus/")
    assert page.locator("main form").count() == 0
    assert_well_formed(page, "deletion-request-open")


def test_kuasa_list_form_errors_and_the_refusal_at_the_limit(live_server, page, warga):
    today = timezone.localdate()
    for n, nik in enumerate(REPRESENTED):
        Representation.objects.create(
            representative=warga,
            represented_nik=nik,
            represented_name=f"Orang Yang Diwakili Nomor {n + 1} dengan Nama Panjang",
            relationship=Relationship.FAMILY,
            valid_from=today,
            valid_until=today + dt.timedelta(days=90),
            created_by=warga,
        )
    sign_in(page, live_server, "warga.demo", "/akun/kuasa/")
    page.goto(f"{live_server.url}/akun/kuasa/")
    assert page.locator("main table tbody tr").count() == 5
    assert_well_formed(page, "kuasa")

    page.get_by_role("button", name="Daftarkan kuasa").click()
    page.locator(".error-summary").wait_for()
    assert_errors_linked(page)
    assert_well_formed(page, "kuasa-errors")

    page.get_by_label("NIK orang yang diwakili").fill(SIXTH)
    page.get_by_label("Nama orang yang diwakili").fill("Orang Keenam")
    page.get_by_label("Hubungan Anda dengan orang tersebut").select_option(Relationship.FAMILY)
    page.get_by_label("Surat kuasa").set_input_files(
        {"name": "surat-kuasa.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("Berlaku mulai").fill(today.isoformat())
    page.get_by_label("Berlaku sampai").fill((today + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Daftarkan kuasa").click()
    page.wait_for_load_state()
    assert "paling banyak 5 orang" in page.locator("main").inner_text()
    assert Representation.objects.filter(represented_nik=SIXTH).count() == 0
    assert_well_formed(page, "kuasa-limit")


# Officers


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_officer_list(live_server, browser, officers, viewport):
    page = new_page(browser, viewport)
    try:
        sign_in_officer(page, live_server, "admin_dukcapil", "/kelola/petugas/dispendukcapil/")
        main = page.locator("main").inner_text()
        assert "Sari Wulandari" in main
        assert "calon.petugas@dukcapil.example" not in main  # masked
        assert_well_formed(page, "officers")
    finally:
        page.context.close()


def test_the_officer_forms_and_history(live_server, page, officers):
    base = f"{live_server.url}/kelola/petugas/dispendukcapil"
    sign_in_officer(page, live_server, "admin_dukcapil", "/kelola/petugas/dispendukcapil/")

    page.goto(f"{base}/undang/")
    assert_well_formed(page, "officer-invite")
    page.get_by_label("Alamat e-mail").fill("bukan alamat")
    page.locator("main form").get_by_role("button").last.click()
    page.wait_for_load_state()
    assert_errors_linked(page)
    assert_well_formed(page, "officer-invite-errors")

    pk = officers["membership"].pk
    page.goto(f"{base}/{pk}/peran/")
    assert_well_formed(page, "officer-role")
    page.locator("main form").get_by_role("button").last.click()
    page.wait_for_load_state()
    assert_errors_linked(page)
    assert_well_formed(page, "officer-role-errors")

    page.goto(f"{base}/{pk}/nonaktifkan/")
    assert_well_formed(page, "officer-deactivate")

    page.goto(f"{base}/riwayat/")
    assert "Peran diubah" in page.locator("main").inner_text()
    assert_well_formed(page, "officer-history")


def test_the_managers_personal_data_requests(live_server, page, officers, warga):
    request = DeletionRequest.objects.create(
        user=warga, reason="Saya pindah ke luar kota.", created_by=warga
    )
    sign_in_officer(page, live_server, "pengelola", "/kelola/permintaan-data/")
    assert page.locator("main table tbody tr").count() >= 1
    assert NIK not in page.locator("main").inner_text()  # masked
    assert_well_formed(page, "deletion-manage-list")

    page.goto(f"{live_server.url}/kelola/permintaan-data/{request.public_id}/")
    assert_well_formed(page, "deletion-manage-detail")
    page.get_by_label("Tolak").check()
    page.locator("main form").get_by_role("button").last.click()
    page.wait_for_load_state()
    assert_errors_linked(page)
    assert_well_formed(page, "deletion-manage-detail-errors")


def test_the_invitation_page_and_its_errors(live_server, page, officers):
    page.goto(f"{live_server.url}/akun/undangan/{TOKEN}/")
    assert_well_formed(page, "invitation")
    page.get_by_label(re.compile(r"^Kata sandi")).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill("lain-sekali-123")
    page.locator("main form").get_by_role("button").last.click()
    page.wait_for_load_state()
    assert_errors_linked(page)
    assert_well_formed(page, "invitation-errors")
