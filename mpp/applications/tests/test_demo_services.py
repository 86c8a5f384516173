"""Five demo services of five agencies are applied for online, end to end, over HTTP."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from mpp.accounts.models import User
from mpp.accounts.testing import verified_login
from mpp.applications.demo import DEMO_CASES, DEMO_ONLINE_SERVICES, sample_form
from mpp.applications.models import Application, Status
from mpp.catalog.models import Service
from mpp.documents.services import check_signature

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _officer(username: str) -> Client:
    return verified_login(Client(), User.objects.get(username=username))


def _agency_officers(agency_slug: str) -> tuple[str, str]:
    verifier = User.objects.get(memberships__agency__slug=agency_slug, memberships__role="verifier")
    approver = User.objects.get(memberships__agency__slug=agency_slug, memberships__role="approver")
    return verifier.username, approver.username


@pytest.mark.parametrize(("slug", "agency"), DEMO_ONLINE_SERVICES)
def test_a_demo_service_is_applied_for_and_issued_end_to_end(demo, slug, agency):
    service = Service.objects.select_related("current_standard", "agency").get(slug=slug)
    assert service.agency.slug == agency and service.is_online
    citizen = Client()
    citizen.force_login(User.objects.get(email="warga.rina@contoh.id"))
    start = citizen.post(reverse("applications:start", args=[slug]), {"untuk": ""})
    application = Application.objects.get(public_id=start.url.split("/")[2])
    answers, uploads = sample_form(service)
    form = {code: ("on" if value is True else value) for code, value in answers.items()}
    response = citizen.post(
        reverse("applications:edit", args=[application.public_id]),
        {**form, **uploads, "lanjut": "1"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert citizen.post(response.url).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.number

    verifier, approver = (_officer(name) for name in _agency_officers(agency))
    step = reverse("applications_manage:step", args=[application.public_id])
    for client, action in (
        (verifier, "start_verification"),
        (verifier, "verify"),
        (approver, "approve"),
        (approver, "issue"),
    ):
        assert client.post(step, {"langkah": action}).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.ISSUED
    pdf = citizen.get(reverse("applications:issued_document", args=[application.public_id]))
    report = check_signature(b"".join(pdf.streaming_content))
    assert report.valid and report.signer.find(service.agency.name[:10]) >= 0


def test_the_demo_has_cases_in_progress_for_the_officers(demo):
    numbers = Application.objects.exclude(status=Status.DRAFT)
    assert numbers.count() >= len(DEMO_CASES)
    statuses = set(numbers.values_list("status", flat=True))
    assert {"submitted", "verification", "revision_requested", "processing"} <= statuses
    page = _officer("verifikator.disnaker").get(reverse("applications_manage:list"))
    assert "Kartu" in page.content.decode() or "kuning" in page.content.decode().lower()


def test_seeding_again_makes_no_new_cases(demo):
    before = Application.objects.count()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("seed_demo", stdout=StringIO())
    assert Application.objects.count() == before
