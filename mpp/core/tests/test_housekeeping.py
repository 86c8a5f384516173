"""`manage.py housekeeping` runs the periodic jobs: due retries, webhook sweep, queues."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from mpp.core.models import Notification, NotificationStatus

pytestmark = pytest.mark.django_db


def test_it_sends_due_notifications_and_runs_every_job(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    due = Notification.objects.create(
        channel="email",
        to="warga@example.id",
        subject="Uji",
        body="Isi",
        topic="test",
        attempts=1,
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1),
    )
    later = Notification.objects.create(
        channel="email",
        to="warga@example.id",
        subject="Uji",
        body="Isi",
        topic="test",
        attempts=1,
        next_attempt_at=timezone.now() + dt.timedelta(hours=1),
    )
    out = StringIO()
    call_command("housekeeping", stdout=out)
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == NotificationStatus.SENT
    assert later.status == NotificationStatus.PENDING
    text = out.getvalue()
    assert "notifications retried: 1" in text
    assert "republished" in text and "no-shows" in text


def test_a_failing_job_does_not_stop_the_others(settings):
    settings.MPP_HOUSEKEEPING_JOBS = ["no_such_command", "queue_housekeeping"]
    out, err = StringIO(), StringIO()
    call_command("housekeeping", stdout=out, stderr=err)
    assert "no_such_command failed" in err.getvalue()
    assert "no-shows" in out.getvalue()
