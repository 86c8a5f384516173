"""Claims and idempotency keys under real concurrency (PostgreSQL: several connections)."""

import threading

import pytest
from django.db import connection, connections

from mpp.interop import outbox, services
from mpp.interop.models import WebhookDelivery
from mpp.interop.tests.test_webhooks import emit, fan_out_all

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): concurrent connections")


def in_threads(n, work):
    barrier, results, errors = threading.Barrier(n), [], []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


def test_concurrent_workers_never_claim_the_same_delivery(admin_a, agency_a, clock):
    services.subscription_create(
        actor=admin_a, agency=agency_a, url="http://127.0.0.1:1/", event_types=["*"]
    )
    for n in range(40):
        emit(agency_a, f"applications/{n}", n)
    fan_out_all()
    claims = in_threads(4, lambda: [d.pk for d in outbox.claim_batch(15)])
    claimed = [pk for batch in claims for pk in batch]
    assert len(claimed) == len(set(claimed))  # nobody holds a row twice
    assert WebhookDelivery.objects.filter(status="sending").count() == len(claimed)
    rest = [d.pk for d in outbox.claim_batch(100)]
    assert sorted(claimed + rest) == sorted(WebhookDelivery.objects.values_list("pk", flat=True))
