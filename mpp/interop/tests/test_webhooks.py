"""Outbound webhooks against a real HTTP receiver on loopback: signatures checked with the
official `standardwebhooks` library, bodies parsed with the official `cloudevents` SDK.

Retries are driven by a frozen clock and by running the worker (or its task function)
directly: no sleeps.
"""

import datetime as dt
import json
from collections import defaultdict

import pytest
from cloudevents.core.bindings.http import HTTPMessage, from_http_event
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from standardwebhooks.webhooks import Webhook

from mpp.core.audit import record_event
from mpp.core.errors import NotFound
from mpp.interop import outbox, services
from mpp.interop.models import DeliveryStatus, WebhookAttempt, WebhookDelivery

pytestmark = pytest.mark.django_db


def subscribe(admin, agency, url, types=("*",)):
    return services.subscription_create(actor=admin, agency=agency, url=url, event_types=types)


def emit(agency, subject, n, type_="application.status_changed"):
    with transaction.atomic():
        return record_event(type=type_, subject=subject, agency_id=agency.pk, data={"n": n})


def fan_out_all():
    from mpp.core.models import DomainEvent

    for event in DomainEvent.objects.filter(published_at__isnull=True):
        outbox.fan_out(event)


def drain():
    return outbox.run_due(schedule=False)


def verified(secret, request):
    """The request as standardwebhooks verifies it and the cloudevents SDK parses it."""
    payload = Webhook(secret).verify(request["body"], request["headers"])
    event = from_http_event(HTTPMessage(headers=request["headers"], body=request["body"]))
    return payload, event


# --- fan-out -------------------------------------------------------------------------------


def test_fan_out_matches_agency_type_and_active_subscriptions(admin_a, admin_b, agency_a, agency_b):
    everything = subscribe(admin_a, agency_a, "http://127.0.0.1:1/a").subscription
    only_submitted = subscribe(
        admin_a, agency_a, "http://127.0.0.1:1/b", ["application.submitted"]
    ).subscription
    off = subscribe(admin_a, agency_a, "http://127.0.0.1:1/c").subscription
    services.subscription_set_active(actor=admin_a, subscription=off, active=False)
    other_agency = subscribe(admin_b, agency_b, "http://127.0.0.1:1/d").subscription

    changed = emit(agency_a, "applications/X", 1)
    submitted = emit(agency_a, "applications/X", 2, "id.mpp.application.submitted")
    city_wide = record_event(type="application.submitted", subject="s", agency_id=None, data={})
    for event in (changed, submitted, city_wide, submitted):  # a retried publish: no twins
        outbox.fan_out(event)

    pairs = set(WebhookDelivery.objects.values_list("subscription_id", "event_id"))
    assert pairs == {
        (everything.pk, changed.pk),
        (everything.pk, submitted.pk),
        (only_submitted.pk, submitted.pk),
    }
    assert other_agency.deliveries.count() == 0


def test_publish_event_fans_out_through_the_configured_subscriber(
    admin_a, agency_a, django_capture_on_commit_callbacks
):
    from mpp.core.tasks import publish_event

    subscribe(admin_a, agency_a, "http://127.0.0.1:1/a")
    with django_capture_on_commit_callbacks(execute=True):
        event = emit(agency_a, "applications/X", 1)
    publish_event.call(event.pk)
    event.refresh_from_db()
    assert event.published_at is not None
    assert WebhookDelivery.objects.filter(event=event).count() == 1


# --- the message ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_posts_a_signed_cloudevent(admin_a, agency_a, receiver, clock, settings):
    settings.MPP_EVENT_SOURCE = "https://mpp.malangkota.go.id/"
    issued = subscribe(admin_a, agency_a, receiver.url)
    with transaction.atomic():
        event = record_event(
            type="application.submitted",
            subject="applications/PMH-1",
            agency_id=agency_a.pk,
            data={"code": "PMH-1", "service": "akta-kelahiran"},
        )
    call_command("db_worker", batch=True, interval=0, verbosity=0)

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request["headers"]["content-type"] == "application/cloudevents+json"
    delivery = WebhookDelivery.objects.get()
    assert request["headers"]["webhook-id"] == delivery.message_id
    payload, parsed = verified(issued.secret, request)
    assert parsed.get_type() == "id.mpp.application.submitted"
    assert parsed.get_id() == event.event_id
    assert parsed.get_source() == "https://mpp.malangkota.go.id/"
    assert parsed.get_subject() == "applications/PMH-1"
    assert parsed.get_specversion() == "1.0"
    assert parsed.get_data() == {"code": "PMH-1", "service": "akta-kelahiran"}
    assert payload["time"] == "2026-03-10T02:00:00Z"
    assert payload["datacontenttype"] == "application/json"
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1


def test_a_tampered_body_or_another_secret_fails_verification(admin_a, agency_a, receiver, clock):
    from standardwebhooks.webhooks import WebhookVerificationError

    issued = subscribe(admin_a, agency_a, receiver.url)
    emit(agency_a, "applications/X", 1)
    fan_out_all()
    drain()
    request = receiver.requests[0]
    with pytest.raises(WebhookVerificationError):
        Webhook(issued.secret).verify(
            request["body"].replace(b'"n": 1', b'"n": 2'), request["headers"]
        )
    other = services.subscription_create(
        actor=admin_a, agency=agency_a, url=receiver.url, event_types=["*"]
    )
    with pytest.raises(WebhookVerificationError):
        Webhook(other.secret).verify(request["body"], request["headers"])


# --- retries, order, failure -----------------------------------------------------------------


def test_retries_keep_the_webhook_id_and_back_off(admin_a, agency_a, receiver, clock, settings):
    settings.MPP_WEBHOOK_RETRY_BASE_SECONDS = 30
    issued = subscribe(admin_a, agency_a, receiver.url)
    receiver.answer = lambda n: 500 if n < 2 else 200
    emit(agency_a, "applications/X", 1)
    fan_out_all()

    assert drain() == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_status_code == 500
    first_wait = (delivery.next_attempt_at - outbox.timezone.now()).total_seconds()
    assert 15 <= first_wait <= 30
    assert drain() == 0  # not due yet
    clock.shift(first_wait)
    assert drain() == 1
    delivery.refresh_from_db()
    second_wait = (delivery.next_attempt_at - outbox.timezone.now()).total_seconds()
    assert 30 <= second_wait <= 60
    clock.shift(second_wait)
    drain()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 3
    ids = {r["headers"]["webhook-id"] for r in receiver.requests}
    assert ids == {delivery.message_id}
    assert len({r["headers"]["webhook-timestamp"] for r in receiver.requests}) == 3
    for request in receiver.requests:
        verified(issued.secret, request)
    assert list(WebhookAttempt.objects.values_list("status_code", flat=True)) == [500, 500, 200]


def test_backoff_is_exponential_capped_and_jittered(settings):
    settings.MPP_WEBHOOK_RETRY_BASE_SECONDS = 10
    settings.MPP_WEBHOOK_RETRY_MAX_SECONDS = 100
    outbox._rng.seed(7)
    for attempt, full in [(1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (9, 100)]:
        waits = {outbox.backoff(attempt).total_seconds() for _ in range(20)}
        assert all(full / 2 <= w <= full for w in waits)
        assert len(waits) > 1


def test_after_the_last_attempt_a_delivery_fails_and_the_next_goes(
    admin_a, agency_a, receiver, clock, settings
):
    settings.MPP_WEBHOOK_MAX_ATTEMPTS = 2
    subscribe(admin_a, agency_a, receiver.url)
    first = emit(agency_a, "applications/X", 1)
    second = emit(agency_a, "applications/X", 2)
    receiver.answer = lambda n: (
        200 if json.loads(receiver.requests[n]["body"])["data"]["n"] == 2 else 503
    )
    fan_out_all()
    drain()
    clock.shift(3600)
    drain()
    drain()
    statuses = dict(WebhookDelivery.objects.values_list("event_id", "status"))
    assert statuses == {first.pk: DeliveryStatus.FAILED, second.pk: DeliveryStatus.DELIVERED}
    sent = [json.loads(r["body"])["data"]["n"] for r in receiver.requests]
    assert sent == [1, 1, 2]


def test_an_endpoint_answering_410_is_disabled(admin_a, agency_a, receiver, clock):
    issued = subscribe(admin_a, agency_a, receiver.url)
    receiver.answer = lambda n: 410
    emit(agency_a, "applications/X", 1)
    emit(agency_a, "applications/Y", 2)
    fan_out_all()
    drain()
    subscription = issued.subscription
    subscription.refresh_from_db()
    assert not subscription.is_active and "410" in subscription.disabled_reason
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.FAILED).count() == 1
    clock.shift(86400)
    assert drain() == 0
    emit(agency_a, "applications/Z", 3)
    fan_out_all()
    assert WebhookDelivery.objects.count() == 2  # nothing new for a disabled endpoint


@pytest.mark.django_db(transaction=True)
def test_a_receiver_down_for_a_while_gets_every_event_in_order(
    admin_a, agency_a, receiver, clock, settings
):
    settings.MPP_WEBHOOK_MAX_ATTEMPTS = 50
    settings.MPP_WEBHOOK_RETRY_BASE_SECONDS = 10
    settings.MPP_WEBHOOK_RETRY_MAX_SECONDS = 120
    issued = subscribe(admin_a, agency_a, receiver.url)
    receiver.stop()  # down: connection refused

    subjects = [f"applications/A{i}" for i in range(4)]
    expected = defaultdict(list)
    for n in range(24):
        subject = subjects[n % 4]
        emit(agency_a, subject, n)
        expected[subject].append(n)
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    for _ in range(5):  # still down for ten minutes
        clock.shift(120)
        call_command("db_worker", batch=True, interval=0, verbosity=0)
    assert receiver.requests == []
    # Only the head of each subject was tried while down.
    tried = WebhookDelivery.objects.filter(attempts__gt=0).values_list("subject", flat=True)
    assert sorted(tried) == sorted(subjects)

    receiver.start()  # back on the same port
    rounds = 0
    while WebhookDelivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists():
        rounds += 1
        assert rounds < 20, "deliveries did not drain"
        clock.shift(120)
        call_command("db_worker", batch=True, interval=0, verbosity=0)

    received = defaultdict(list)
    ids = set()
    for request in receiver.requests:
        payload, parsed = verified(issued.secret, request)
        received[parsed.get_subject()].append(payload["data"]["n"])
        ids.add(request["headers"]["webhook-id"])
    assert dict(received) == dict(expected)  # every event, once, in order per subject
    assert len(ids) == 24
    assert DBTaskResult.objects.exclude(status="SUCCESSFUL").filter(status="FAILED").count() == 0


def test_events_of_one_subject_wait_for_the_earlier_one(admin_a, agency_a, receiver, clock):
    subscribe(admin_a, agency_a, receiver.url)
    receiver.answer = lambda n: 500 if n == 0 else 200
    for n in range(3):
        emit(agency_a, "applications/X", n)
    emit(agency_a, "applications/Y", 9)
    fan_out_all()
    drain()
    sent = [json.loads(r["body"])["data"]["n"] for r in receiver.requests]
    assert sent == [0, 9]  # X's later events wait; Y goes on
    clock.shift(3600)
    drain()
    sent = [json.loads(r["body"])["data"]["n"] for r in receiver.requests]
    assert sent == [0, 9, 0, 1, 2]


# --- a worker killed mid-delivery ---------------------------------------------------------


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after the request runs, not even `except Exception`."""


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_leads_to_a_redelivery_with_the_same_id(
    admin_a, agency_a, receiver, clock, settings, monkeypatch
):
    settings.MPP_WEBHOOK_LEASE_SECONDS = 60
    issued = subscribe(admin_a, agency_a, receiver.url)
    emit(agency_a, "applications/X", 1)
    fan_out_all()
    real_post = outbox.post

    def post_then_die(url, body, headers):
        real_post(url, body, headers)  # the receiver got it ...
        raise WorkerKilled  # ... but the worker died before recording the outcome

    monkeypatch.setattr(outbox, "post", post_then_die)
    with pytest.raises(WorkerKilled):
        outbox.run_due()
    monkeypatch.setattr(outbox, "post", real_post)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SENDING and len(receiver.requests) == 1
    # The run queued a watchdog at the end of its lease.
    assert DBTaskResult.objects.filter(
        task_path="mpp.interop.tasks.deliver_due",
        status="READY",
        run_after=delivery.lease_until + dt.timedelta(seconds=1),
    ).exists()

    call_command("db_worker", batch=True, interval=0, verbosity=0)  # lease still live
    assert len(receiver.requests) == 1
    clock.shift(61)
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert len(receiver.requests) == 2
    first, second = receiver.requests
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"] == delivery.message_id
    assert first["body"] == second["body"]
    verified(issued.secret, second)


def test_two_workers_never_claim_the_same_delivery(admin_a, agency_a, clock):
    subscribe(admin_a, agency_a, "http://127.0.0.1:1/")
    emit(agency_a, "applications/X", 1)
    emit(agency_a, "applications/X", 2)
    fan_out_all()
    claimed = outbox.claim_next()
    assert claimed is not None
    assert outbox.claim_next() is None  # the other one waits behind it (same subject)


# --- redelivery by the agency admin --------------------------------------------------------


def test_redeliver_sends_again_with_the_same_id(admin_a, admin_b, agency_a, receiver, clock):
    issued = subscribe(admin_a, agency_a, receiver.url)
    emit(agency_a, "applications/X", 1)
    fan_out_all()
    drain()
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(NotFound):
        services.delivery_redeliver(actor=admin_b, delivery=delivery)
    services.delivery_redeliver(actor=admin_a, delivery=delivery)
    drain()
    assert [r["headers"]["webhook-id"] for r in receiver.requests] == [delivery.message_id] * 2
    verified(issued.secret, receiver.requests[1])


def test_a_batch_claims_one_head_per_chain_and_a_second_claim_gets_none(admin_a, agency_a, clock):
    subscribe(admin_a, agency_a, "http://127.0.0.1:1/")
    for n in range(6):
        emit(agency_a, f"applications/{n % 3}", n)
    fan_out_all()
    first = outbox.claim_batch(10)
    assert sorted(d.subject for d in first) == [
        "applications/0",
        "applications/1",
        "applications/2",
    ]
    assert [d.event.data["n"] for d in first] == [0, 1, 2]
    assert outbox.claim_batch(10) == []  # a concurrent worker finds nothing to take
    assert all(d.attempts == 1 for d in first)


def test_a_claimed_delivery_without_enough_lease_left_is_given_back(
    admin_a, agency_a, receiver, clock, settings, monkeypatch
):
    settings.MPP_WEBHOOK_LEASE_SECONDS = 60
    settings.MPP_WEBHOOK_TIMEOUT_SECONDS = 5
    subscribe(admin_a, agency_a, receiver.url)
    emit(agency_a, "applications/A", 1)
    emit(agency_a, "applications/B", 2)
    fan_out_all()
    real_send = outbox.send

    def slow_send(delivery):
        result = real_send(delivery)
        clock.shift(55)  # the first request took most of the batch's lease
        return result

    monkeypatch.setattr(outbox, "send", slow_send)
    released = []
    real_release = outbox.release
    monkeypatch.setattr(outbox, "release", lambda d: (released.append(d.subject), real_release(d)))
    # B was claimed with A, given back unsent, then claimed again with a fresh lease.
    assert outbox.run_due(schedule=False) == 2
    assert released == ["applications/B"]
    given_back = WebhookDelivery.objects.get(subject="applications/B")
    assert given_back.status == DeliveryStatus.DELIVERED and given_back.attempts == 1
    assert len(receiver.requests) == 2


def test_the_sweep_republishes_stuck_events_and_sends_them(admin_a, agency_a, receiver, clock):
    from io import StringIO

    subscribe(admin_a, agency_a, receiver.url)
    event = emit(agency_a, "applications/X", 1)  # its publish_event never ran
    out = StringIO()
    call_command("webhooks_sweep", stdout=out)
    assert receiver.requests == [] and "republished 0" in out.getvalue()
    clock.shift(11 * 60)
    call_command("webhooks_sweep", stdout=out)
    event.refresh_from_db()
    assert event.published_at is not None
    assert len(receiver.requests) == 1
    call_command("webhooks_sweep", stdout=out)
    assert len(receiver.requests) == 1  # nothing twice


def test_during_a_secret_rotation_both_secrets_verify(admin_a, agency_a, receiver, clock):
    from standardwebhooks.webhooks import WebhookVerificationError

    issued = subscribe(admin_a, agency_a, receiver.url)
    new = services.subscription_rotate_secret(
        actor=admin_a, subscription=issued.subscription, overlap_hours=1
    )
    emit(agency_a, "applications/X", 1)
    fan_out_all()
    drain()
    during = receiver.requests[-1]
    assert len(during["headers"]["webhook-signature"].split()) == 2
    verified(issued.secret, during)
    verified(new.secret, during)
    clock.shift(3601)
    emit(agency_a, "applications/X", 2)
    fan_out_all()
    drain()
    after = receiver.requests[-1]
    verified(new.secret, after)
    with pytest.raises(WebhookVerificationError):
        Webhook(issued.secret).verify(after["body"], after["headers"])
