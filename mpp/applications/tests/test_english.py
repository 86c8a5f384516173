"""The application pages and the public tracking page in English, through the switch."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _english(user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def test_the_citizens_pages_speak_english(submitted):
    client = _english(submitted.applicant)
    mine = client.get(reverse("applications:mine")).content.decode()
    assert "My applications" in mine and "Next step:" in mine
    detail = client.get(reverse("applications:detail", args=[submitted.public_id])).content.decode()
    assert "Answers and documents" in detail and "History" in detail
    assert "Jawaban dan dokumen" not in detail


def test_the_tracking_page_speaks_english(submitted):
    page = _english().get(reverse("applications:track", args=[submitted.tracking_code]))
    text = page.content.decode()
    assert f"Status of application {submitted.tracking_code}" in text
    assert ">Submitted<" in text and "Diajukan" not in text


def test_the_officers_work_list_speaks_english(submitted, verifier_a):
    from mpp.accounts.testing import verified_login

    client = verified_login(_english(), verifier_a)
    page = client.get(reverse("applications_manage:list")).content.decode()
    assert "Application work list" in page and "nearest deadline first" in page
