"""The citizen's list, the officer's work list (no N+1), public tracking, and kuasa."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mpp.accounts.models import Representation
from mpp.applications import services
from mpp.applications.demo import apply_with_samples, sample_form
from mpp.applications.models import Application, Status
from mpp.applications.selectors import initials

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), response.content.decode()


def _apply_many(applicant, service, n):
    for _ in range(n):
        apply_with_samples(actor=applicant, service=service)


def test_the_work_list_costs_the_same_queries_for_3_and_30_cases(
    applicant, service_a, verifier_a, officer_client
):
    client = officer_client(verifier_a)
    _apply_many(applicant, service_a, 3)
    few, _ = _queries(client, reverse("applications_manage:list"))
    _apply_many(applicant, service_a, 27)
    many, page = _queries(client, reverse("applications_manage:list"))
    assert few == many
    assert page.count(">MPP-") == 30


def test_the_citizens_list_costs_the_same_queries_for_3_and_30_cases(applicant, service_a):
    client = _client(applicant)
    _apply_many(applicant, service_a, 3)
    few, _ = _queries(client, reverse("applications:mine"))
    _apply_many(applicant, service_a, 27)
    many, page = _queries(client, reverse("applications:mine"))
    assert few == many
    assert "Langkah berikutnya" in page


def test_the_work_list_is_ordered_by_due_date_and_filters(
    applicant, service_a, verifier_a, officer_client
):
    first = apply_with_samples(actor=applicant, service=service_a)
    second = apply_with_samples(actor=applicant, service=service_a)
    Application.objects.filter(pk=second.pk).update(due_date=dt.date(2026, 1, 5))
    client = officer_client(verifier_a)
    page = client.get(reverse("applications_manage:list")).content.decode()
    assert page.index(second.number) < page.index(first.number)
    assert "terlambat" in page  # 5 January is long past
    services.application_transition(
        actor=verifier_a, application=first, action="start_verification"
    )
    filtered = client.get(reverse("applications_manage:list"), {"status": "verification"})
    assert first.number in filtered.content.decode()
    assert second.number not in filtered.content.decode()
    bad = client.get(reverse("applications_manage:list"), {"status": "<script>", "halaman": "x"})
    assert bad.status_code == 200


def test_the_officer_sees_the_full_nik_and_the_list_masks_it(submitted, verifier_a, officer_client):
    client = officer_client(verifier_a)
    listing = client.get(reverse("applications_manage:list")).content.decode()
    assert "3573014101900001" not in listing and "3573••••••••0001" in listing
    case = client.get(reverse("applications_manage:case", args=[submitted.public_id]))
    assert "3573014101900001" in case.content.decode()


def test_public_tracking_shows_status_timeline_and_deadline_with_initials_only(submitted):
    response = Client().get(reverse("applications:track", args=[submitted.tracking_code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Diajukan" in page and submitted.service.name in page
    assert "S. A." in page
    assert "Siti" not in page and "Aminah" not in page and "3573" not in page
    assert "Rara" not in page  # no answers on the public page
    assert response["Cache-Control"] == "private, no-store"


def test_tracking_accepts_a_typed_code_and_explains_an_unknown_one(submitted):
    typed = submitted.tracking_code.lower()[:6] + " " + submitted.tracking_code.lower()[6:]
    found = Client().get(reverse("applications:track_form"), {"kode": typed})
    assert found.status_code == 200 and submitted.service.name in found.content.decode()
    unknown = Client().get(reverse("applications:track_form"), {"kode": "ZZZZZZZZZZZZ"})
    assert unknown.status_code == 404
    assert "Kode lacak tidak dikenal" in unknown.content.decode()


def test_a_draft_cannot_be_tracked(applicant, service_a):
    draft = services.application_start(actor=applicant, service_slug=service_a.slug)
    response = Client().get(reverse("applications:track", args=[draft.tracking_code]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Siti Aminah", "S. A."), ("budi", "B."), ("", ""), ("Dr. Rina K. Kusuma", "D. R. K. K.")],
)
def test_initials(name, expected):
    assert initials(name) == expected


def test_a_representative_applies_for_the_person_they_represent(
    applicant, other_citizen, service_a, upload, verifier_a, officer_client
):
    Representation.objects.create(
        representative=applicant,
        represented_nik="3573010511010003",
        represented_name="Budi Hartono",
        relationship="sibling",
        power_of_attorney=upload("kuasa.pdf", b"%PDF-1.4\n%%EOF\n"),
        power_of_attorney_type="application/pdf",
        valid_from=timezone.localdate() - dt.timedelta(days=1),
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )
    client = _client(applicant)
    start = client.get(reverse("applications:start", args=[service_a.slug])).content.decode()
    assert "Budi Hartono" in start
    response = client.post(
        reverse("applications:start", args=[service_a.slug]), {"untuk": "3573010511010003"}
    )
    application = Application.objects.get(public_id=response.url.split("/")[2])
    assert application.subject_nik == "3573010511010003"
    assert application.representation is not None
    assert application.applicant == applicant
    answers, uploads = sample_form(service_a)
    services.application_save(
        actor=applicant, application=application, answers=answers, uploads=uploads
    )
    application = services.application_submit(actor=applicant, application=application)
    case = officer_client(verifier_a).get(
        reverse("applications_manage:case", args=[application.public_id])
    )
    text = case.content.decode()
    assert "Budi Hartono" in text and "Diajukan oleh kuasa" in text and applicant.full_name in text
    # The represented person sees the case in their own list too.
    mine = _client(other_citizen).get(reverse("applications:mine")).content.decode()
    assert application.number in mine


def test_without_a_valid_kuasa_nobody_applies_for_another_person(applicant, service_a):
    response = _client(applicant).post(
        reverse("applications:start", args=[service_a.slug]), {"untuk": "3573010511010003"}
    )
    assert response.status_code == 400
    assert "tidak memiliki surat kuasa" in response.content.decode()


def test_confirming_receipt_completes_the_case(submitted, verifier_a, approver_a):
    for actor, action in (
        (verifier_a, "start_verification"),
        (verifier_a, "verify"),
        (approver_a, "approve"),
        (approver_a, "issue"),
    ):
        services.application_transition(actor=actor, application=submitted, action=action)
    client = _client(submitted.applicant)
    client.post(reverse("applications:confirm_received", args=[submitted.public_id]))
    submitted.refresh_from_db()
    assert submitted.status == Status.COMPLETED and submitted.completed_at
