"""Inbound signed events: verification, replay and tamper refusal, dispatch to handlers."""

import datetime as dt
import json

import pytest

from mpp.core.errors import ValidationFailed
from mpp.interop import services
from mpp.interop.auth import client_object
from mpp.interop.inbound import register_inbound_handler, unregister_inbound_handler
from mpp.interop.models import InboundMessage, WebhookSubscription
from mpp.interop.testing import signed_inbound_headers

pytestmark = pytest.mark.django_db

TYPE = "application.status_change"


@pytest.fixture(autouse=True)
def dummy_handler():
    calls = []

    def handle(*, client, event):
        target = client_object(
            client, WebhookSubscription.objects.all(), public_id=event.get("subject")
        )
        if "description" not in (event.get("data") or {}):
            raise ValidationFailed("data.description wajib", errors={"data": ["wajib"]})
        target.description = event["data"]["description"]
        target.save()
        calls.append(event["id"])
        return {"description": target.description}

    register_inbound_handler(TYPE, handle, scope="applications:transition")
    yield calls
    unregister_inbound_handler(TYPE)


@pytest.fixture
def target(admin_a, agency_a):
    return services.subscription_create(
        actor=admin_a, agency=agency_a, url="https://siak.contoh.id/hook", event_types=["*"]
    ).subscription


def event_body(subject, type_=TYPE, **data):
    return json.dumps(
        {
            "specversion": "1.0",
            "id": "evt-1",
            "source": "https://siak.contoh.id/",
            "type": type_,
            "subject": subject,
            "data": data or {"description": "Diverifikasi di SIAK"},
        }
    ).encode()


def push(client, issued, body, *, msg_id="msg_1", secret=None, timestamp=None, public_id=None):
    headers = signed_inbound_headers(
        secret or issued.signing_secret, body, msg_id=msg_id, timestamp=timestamp
    )
    extra = {
        f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "content-type"
    }
    return client.post(
        f"/api/v1/inbound/{public_id or issued.client.public_id}/events",
        body,
        content_type="application/cloudevents+json",
        **extra,
    )


def test_a_signed_event_reaches_its_handler(client, issued_a, target, dummy_handler, clock):
    response = push(client, issued_a, event_body(target.public_id))
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "accepted",
        "id": "msg_1",
        "type": TYPE,
        "result": {"description": "Diverifikasi di SIAK"},
    }
    target.refresh_from_db()
    assert target.description == "Diverifikasi di SIAK"
    assert InboundMessage.objects.get().client == issued_a.client
    # The long form of the type is the same type.
    again = push(
        client, issued_a, event_body(target.public_id, type_="id.mpp." + TYPE), msg_id="msg_2"
    )
    assert again.status_code == 200
    assert dummy_handler == ["evt-1", "evt-1"]


def test_the_same_webhook_id_is_refused_the_second_time(client, issued_a, target, clock):
    body = event_body(target.public_id)
    assert push(client, issued_a, body).status_code == 200
    replay = push(client, issued_a, body)
    assert replay.status_code == 409
    assert replay["Content-Type"] == "application/problem+json"
    assert replay.json()["type"].endswith("/replayed-message")
    assert InboundMessage.objects.count() == 1


@pytest.mark.parametrize("offset", [-301, 301, -3600])
def test_a_timestamp_outside_the_tolerance_is_refused(client, issued_a, target, clock, offset):
    now = int(dt.datetime.now(dt.UTC).timestamp())
    response = push(client, issued_a, event_body(target.public_id), timestamp=now + offset)
    assert response.status_code == 401
    assert response.json()["type"].endswith("/timestamp-out-of-tolerance")
    assert InboundMessage.objects.count() == 0


def test_a_tampered_body_or_foreign_secret_is_refused(client, issued_a, issued_b, target, clock):
    body = event_body(target.public_id)
    headers = signed_inbound_headers(issued_a.signing_secret, body, msg_id="m")
    tampered = body.replace(b"Diverifikasi", b"Ditolak")
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    response = client.post(
        f"/api/v1/inbound/{issued_a.client.public_id}/events",
        tampered,
        content_type="application/cloudevents+json",
        **extra,
    )
    assert response.status_code == 401
    assert response.json()["type"].endswith("/invalid-signature")
    # Agency B's secret does not sign for agency A's client.
    assert push(client, issued_a, body, secret=issued_b.signing_secret).status_code == 401
    target.refresh_from_db()
    assert target.description == ""


@pytest.mark.parametrize("drop", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_signature_headers_are_refused(client, issued_a, target, clock, drop):
    body = event_body(target.public_id)
    headers = signed_inbound_headers(issued_a.signing_secret, body, msg_id="m")
    headers.pop(drop)
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    response = client.post(
        f"/api/v1/inbound/{issued_a.client.public_id}/events",
        body,
        content_type="application/json",
        **extra,
    )
    assert response.status_code == 401


def test_unknown_client_and_revoked_client_are_refused(client, issued_a, admin_a, target, clock):
    body = event_body(target.public_id)
    assert push(client, issued_a, body, public_id="no-such-client").status_code == 401
    services.api_client_revoke(actor=admin_a, client=issued_a.client)
    assert push(client, issued_a, body).status_code == 401


def test_a_rotated_secret_works_during_the_overlap_only(client, issued_a, admin_a, target, clock):
    new = services.api_client_rotate(actor=admin_a, client=issued_a.client, overlap_hours=1)
    body = event_body(target.public_id)
    assert push(client, issued_a, body, msg_id="old-1").status_code == 200
    assert (
        push(client, issued_a, body, msg_id="new-1", secret=new.signing_secret).status_code == 200
    )
    clock.shift(3601)
    assert push(client, issued_a, body, msg_id="old-2").status_code == 401
    assert (
        push(client, issued_a, body, msg_id="new-2", secret=new.signing_secret).status_code == 200
    )


def test_scopes_are_required(client, admin_a, agency_a, target, clock):
    no_push = services.api_client_create(
        actor=admin_a, agency=agency_a, name="a", scopes=["applications:transition"]
    )
    response = push(client, no_push, event_body(target.public_id))
    assert response.status_code == 403
    assert response.json()["required_scope"] == "events:push"
    no_transition = services.api_client_create(
        actor=admin_a, agency=agency_a, name="b", scopes=["events:push"]
    )
    response = push(client, no_transition, event_body(target.public_id))
    assert response.status_code == 403
    assert response.json()["required_scope"] == "applications:transition"
    assert InboundMessage.objects.count() == 0


def test_another_agencys_object_reads_as_not_found(client, issued_a, admin_b, agency_b, clock):
    theirs = services.subscription_create(
        actor=admin_b, agency=agency_b, url="https://polresta.contoh.id/h", event_types=["*"]
    ).subscription
    response = push(client, issued_a, event_body(theirs.public_id))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.description == ""
    assert InboundMessage.objects.count() == 0  # the id stays usable


def test_a_refused_event_leaves_its_id_usable(client, issued_a, target, clock):
    bad = json.dumps(
        {
            "specversion": "1.0",
            "id": "e",
            "source": "s",
            "type": TYPE,
            "subject": target.public_id,
            "data": {},
        }
    ).encode()
    assert push(client, issued_a, bad).status_code == 400
    assert push(client, issued_a, event_body(target.public_id)).status_code == 200


@pytest.mark.parametrize(
    "body, status, kind",
    [
        (b"not json", 400, "invalid-cloudevent"),
        (b"[1, 2]", 400, "invalid-cloudevent"),
        (
            json.dumps({"specversion": "0.3", "id": "x", "source": "s", "type": TYPE}).encode(),
            400,
            "invalid-cloudevent",
        ),
        (
            json.dumps({"specversion": "1.0", "source": "s", "type": TYPE}).encode(),
            400,
            "invalid-cloudevent",
        ),
        (
            json.dumps(
                {"specversion": "1.0", "id": "x", "source": "s", "type": "x.unknown"}
            ).encode(),
            422,
            "unknown-event-type",
        ),
    ],
)
def test_bodies_that_are_no_known_cloudevent_are_refused(
    client, issued_a, target, clock, body, status, kind
):
    response = push(client, issued_a, body)
    assert response.status_code == status
    assert response.json()["type"].endswith("/" + kind)


def test_the_openapi_document_lists_the_inbound_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/inbound/{client_id}/events"]["post"]
    assert "application/cloudevents+json" in operation["requestBody"]["content"]
    assert operation["responses"]["401"]["content"]["application/problem+json"]
