"""Concurrent submissions on PostgreSQL: numbers stay unique and a double submit stays one."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from mpp.accounts.testing import make_citizen
from mpp.applications import services
from mpp.applications.demo import sample_form
from mpp.applications.models import Application, ApplicationEvent, Status

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks under real concurrency need PostgreSQL (CI runs the suite on it)",
    ),
]


def _draft(actor, service):
    application = services.application_start(actor=actor, service_slug=service.slug)
    answers, uploads = sample_form(service)
    services.application_save(
        actor=actor, application=application, answers=answers, uploads=uploads
    )
    return application


def _in_threads(work, n):
    barrier, errors = threading.Barrier(n), []

    def run(i):
        try:
            barrier.wait()
            work(i)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_parallel_submissions_get_unique_consecutive_numbers(make_user, service_a):
    citizens = [
        make_citizen(make_user, f"warga{i}", f"35730101019000{i + 10:02d}") for i in range(8)
    ]
    drafts = [_draft(c, service_a) for c in citizens]
    errors = _in_threads(
        lambda i: services.application_submit(actor=citizens[i], application=drafts[i]), 8
    )
    assert errors == []
    numbers = sorted(Application.objects.values_list("number", flat=True))
    year = timezone.localdate().year
    assert numbers == [f"MPP-{year}-{n:06d}" for n in range(1, 9)]


def test_a_double_submit_in_parallel_is_one_application(applicant, service_a):
    draft = _draft(applicant, service_a)
    errors = _in_threads(
        lambda i: services.application_submit(actor=applicant, application=draft), 6
    )
    assert errors == []
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert ApplicationEvent.objects.filter(application=draft, to_status="submitted").count() == 1
