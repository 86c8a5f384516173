"""Citizens are told of submission, revision requests, decisions and issuance: by e-mail over a
real SMTP conversation, after commit, in their language, retried when the server fails."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from mpp.accounts.sms import LoggingSmsBackend
from mpp.applications import services
from mpp.applications.tests.conftest import png_bytes
from mpp.core import notify
from mpp.core.models import Notification, NotificationStatus

pytestmark = pytest.mark.django_db


def _submit(applicant, service, upload):
    application = services.application_start(actor=applicant, service_slug=service.slug)
    services.application_save(
        actor=applicant,
        application=application,
        answers={"nama_anak": "Rara", "tanggal_lahir_anak": "2026-01-02", "domisili": True},
        uploads={"ktp": upload("ktp.png", png_bytes(), "image/png")},
    )
    return services.application_submit(actor=applicant, application=application)


def test_each_milestone_reaches_the_citizen_by_e_mail(
    smtp_server,
    django_capture_on_commit_callbacks,
    applicant,
    service_a,
    upload,
    verifier_a,
    approver_a,
):
    with django_capture_on_commit_callbacks(execute=True):
        application = _submit(applicant, service_a, upload)
    assert len(smtp_server.bodies_to(applicant.email)) == 1
    body = smtp_server.bodies_to(applicant.email)[0]
    assert application.number in body and application.tracking_code in body
    assert "/lacak/" in body

    steps = [
        ("start_verification", ""),
        ("request_revision", "Scan KTP buram."),
    ]
    for action, note in steps:
        with django_capture_on_commit_callbacks(execute=True):
            application = services.application_transition(
                actor=verifier_a, application=application, action=action, note=note
            )
    assert "Scan KTP buram." in smtp_server.bodies_to(applicant.email)[-1]
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_resubmit(actor=applicant, application=application)
        for actor, action in (
            (verifier_a, "start_verification"),
            (verifier_a, "verify"),
            (approver_a, "approve"),
            (approver_a, "issue"),
        ):
            application = services.application_transition(
                actor=actor, application=application, action=action
            )
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert len(subjects) == 4
    assert "disetujui" in subjects[2] and "sudah terbit" in subjects[3]
    assert application.issued_document.code in smtp_server.bodies_to(applicant.email)[-1]
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 4


def test_nothing_is_sent_inside_the_request_before_commit(
    smtp_server, django_capture_on_commit_callbacks, applicant, service_a, upload
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _submit(applicant, service_a, upload)
    assert smtp_server.messages == []
    assert Notification.objects.get().status == NotificationStatus.PENDING
    for callback in callbacks:
        callback()
    assert len(smtp_server.messages) == 1


def test_the_mail_is_in_the_citizens_language(
    smtp_server, django_capture_on_commit_callbacks, applicant, service_a, upload
):
    applicant.preferred_language = "en"
    applicant.save()
    with django_capture_on_commit_callbacks(execute=True):
        application = _submit(applicant, service_a, upload)
    assert smtp_server.messages[0]["Subject"] == f"Application {application.number} received"


def test_a_verified_phone_also_gets_an_sms(
    smtp_server, django_capture_on_commit_callbacks, applicant, service_a, upload
):
    applicant.phone, applicant.phone_verified_at = "+6281234500011", timezone.now()
    applicant.save()
    LoggingSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application = _submit(applicant, service_a, upload)
    texts = LoggingSmsBackend.messages_to("+6281234500011")
    assert len(texts) == 1 and application.tracking_code in texts[0] and len(texts[0]) <= 160


def test_a_failing_mail_server_is_retried_with_backoff_until_it_answers(
    settings, applicant, service_a, upload
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: refused
    settings.EMAIL_TIMEOUT = 2
    settings.MPP_NOTIFY_RETRY_SECONDS = 60
    start = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        _submit(applicant, service_a, upload)
        notification = Notification.objects.get()
        assert notify.deliver(notification.pk) == NotificationStatus.PENDING
        notification.refresh_from_db()
        assert notification.attempts == 1 and "Error" in notification.last_error
        assert notification.next_attempt_at == start + dt.timedelta(seconds=60)
        assert notify.retry_due() == 0  # not due yet
        notify.deliver(notification.pk)
        notification.refresh_from_db()
        assert notification.next_attempt_at == start + dt.timedelta(seconds=120)

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        clock.move_to(start + dt.timedelta(seconds=121))
        assert notify.retry_due() == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT and notification.attempts == 3


def test_after_the_last_attempt_the_notification_is_marked_failed(settings, submitted):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    settings.MPP_NOTIFY_MAX_ATTEMPTS = 2
    notification = Notification.objects.get()
    notify.deliver(notification.pk)
    assert notify.deliver(notification.pk) == NotificationStatus.FAILED
    assert notify.deliver(notification.pk) == "gone"  # never sent twice, never lost silently
