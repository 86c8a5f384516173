"""The background worker (django-tasks database backend) carries work queued after commit."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from mpp.core.audit import record_event
from mpp.core.models import DomainEvent


@pytest.mark.django_db(transaction=True)
def test_an_event_is_queued_after_commit_and_published_by_the_worker():
    from django.db import transaction

    with transaction.atomic():
        event = record_event(type="id.mpp.test", subject="x/1", agency_id=None, data={"a": 1})
        assert DBTaskResult.objects.count() == 0  # nothing leaves before commit

    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", batch=True, interval=0, verbosity=0)

    event.refresh_from_db()
    assert event.published_at is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_queues_nothing():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(type="id.mpp.test", subject="x/1", agency_id=None, data={})
        raise RuntimeError("the service failed after recording the event")

    assert DomainEvent.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
