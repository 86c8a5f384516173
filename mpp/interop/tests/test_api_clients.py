"""API clients: hashed secrets shown once, bearer auth, scopes, tenancy, rotation, revocation."""

import datetime as dt
import json

import pytest

from mpp.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from mpp.core.models import AuditRecord
from mpp.interop import crypto, services
from mpp.interop.models import ApiClient, ApiCredential, IdempotencyRecord, WebhookSubscription

pytestmark = [pytest.mark.django_db, pytest.mark.urls("mpp.interop.tests.testapi")]


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def note_for(agency, url="https://contoh.id/a"):
    return WebhookSubscription.objects.create(agency=agency, url=url, secret="-")


# --- secrets at rest ---------------------------------------------------------------------


def test_the_token_is_stored_only_as_its_hash_and_the_signing_secret_sealed(issued_a):
    credential = ApiCredential.objects.get(client=issued_a.client)
    assert issued_a.token.startswith("mppk_") and len(issued_a.token) > 40
    assert credential.token_hash == crypto.token_hash(issued_a.token)
    assert issued_a.token not in credential.signing_secret
    assert issued_a.signing_secret.startswith("whsec_")
    assert issued_a.signing_secret not in credential.signing_secret
    assert crypto.unseal(credential.signing_secret) == issued_a.signing_secret
    record = AuditRecord.objects.get(action="api_client.created")
    assert issued_a.token not in json.dumps(record.data)
    assert record.data == {"name": "SIAK Dukcapil", "scopes": issued_a.client.scopes}


def test_bad_scopes_and_names_are_refused(admin_a, agency_a):
    with pytest.raises(ValidationFailed) as info:
        services.api_client_create(actor=admin_a, agency=agency_a, name="x", scopes=["root"])
    assert "scopes" in info.value.errors
    with pytest.raises(ValidationFailed):
        services.api_client_create(actor=admin_a, agency=agency_a, name="x", scopes=[])
    with pytest.raises(ValidationFailed) as info:
        services.api_client_create(
            actor=admin_a, agency=agency_a, name=" ", scopes=["bookings:read"]
        )
    assert "name" in info.value.errors
    assert ApiClient.objects.count() == 0


def test_who_manages_api_clients(admin_a, admin_b, verifier_a, manager, auditor, citizen, agency_a):
    for actor in (admin_a, manager):
        services.api_client_create(
            actor=actor, agency=agency_a, name="ok", scopes=["bookings:read"]
        )
    with pytest.raises(NotFound):
        services.api_client_create(
            actor=admin_b, agency=agency_a, name="x", scopes=["bookings:read"]
        )
    for actor in (verifier_a, auditor, citizen):
        with pytest.raises(PermissionDenied):
            services.api_client_create(
                actor=actor, agency=agency_a, name="x", scopes=["bookings:read"]
            )
    assert ApiClient.objects.count() == 2


# --- bearer auth, scopes, tenancy --------------------------------------------------------


def test_a_client_reads_only_its_own_agency(client, issued_a, agency_a, agency_b):
    own, other = note_for(agency_a), note_for(agency_b, "https://contoh.id/b")
    response = client.get("/t/notes", **bearer(issued_a.token))
    assert response.status_code == 200
    assert [n["id"] for n in response.json()] == [own.public_id]
    assert client.get(f"/t/notes/{own.public_id}", **bearer(issued_a.token)).status_code == 200
    forged = client.get(f"/t/notes/{other.public_id}", **bearer(issued_a.token))
    assert forged.status_code == 404
    assert forged["Content-Type"] == "application/problem+json"
    assert forged.json()["type"].endswith("/not-found")


def test_the_last_used_time_is_recorded_at_a_minute_resolution(client, issued_a, clock):
    client.get("/t/notes", **bearer(issued_a.token))
    issued_a.client.refresh_from_db()
    first = issued_a.client.last_used_at
    assert first is not None
    clock.shift(30)
    client.get("/t/notes", **bearer(issued_a.token))
    issued_a.client.refresh_from_db()
    assert issued_a.client.last_used_at == first
    clock.shift(60)
    client.get("/t/notes", **bearer(issued_a.token))
    issued_a.client.refresh_from_db()
    assert issued_a.client.last_used_at > first


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer"},
        {"HTTP_AUTHORIZATION": "Bearer mppk_not-a-real-token"},
        {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
        {"HTTP_AUTHORIZATION": "Bearer " + "mppk_" + "x" * 300},
    ],
)
def test_no_or_unknown_token_is_401_problem(client, issued_a, headers):
    response = client.get("/t/notes", **headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/unauthorized")


def test_a_missing_scope_is_403_with_the_scope_named(client, issued_b):
    response = client.post(
        "/t/notes", {"url": "x"}, content_type="application/json", **bearer(issued_b.token)
    )
    assert response.status_code == 403
    body = response.json()
    assert body["type"].endswith("/insufficient-scope")
    assert body["required_scope"] == "applications:transition"
    assert WebhookSubscription.objects.count() == 0


def test_a_revoked_client_is_refused_at_once(client, issued_a, admin_a):
    assert client.get("/t/notes", **bearer(issued_a.token)).status_code == 200
    services.api_client_revoke(actor=admin_a, client=issued_a.client)
    assert client.get("/t/notes", **bearer(issued_a.token)).status_code == 401
    with pytest.raises(Conflict):
        services.api_client_rotate(actor=admin_a, client=issued_a.client, overlap_hours=1)
    assert AuditRecord.objects.filter(action="api_client.revoked").count() == 1


def test_an_inactive_agency_disables_its_clients(client, issued_a, agency_a):
    agency_a.is_active = False
    agency_a.save()
    assert client.get("/t/notes", **bearer(issued_a.token)).status_code == 401


def test_rotation_keeps_the_old_token_for_the_overlap_only(client, issued_a, admin_a, clock):
    new = services.api_client_rotate(actor=admin_a, client=issued_a.client, overlap_hours=2)
    assert new.token != issued_a.token and new.signing_secret != issued_a.signing_secret
    assert client.get("/t/notes", **bearer(issued_a.token)).status_code == 200
    assert client.get("/t/notes", **bearer(new.token)).status_code == 200
    clock.shift(dt.timedelta(hours=2, seconds=1))
    assert client.get("/t/notes", **bearer(issued_a.token)).status_code == 401
    assert client.get("/t/notes", **bearer(new.token)).status_code == 200
    # A second rotation never lengthens an old credential's life.
    third = services.api_client_rotate(actor=admin_a, client=issued_a.client, overlap_hours=0)
    assert client.get("/t/notes", **bearer(new.token)).status_code == 401
    assert client.get("/t/notes", **bearer(third.token)).status_code == 200


@pytest.mark.parametrize("hours", [-1, 10_000, "3"])
def test_rotation_overlap_must_be_in_range(issued_a, admin_a, hours):
    with pytest.raises(ValidationFailed):
        services.api_client_rotate(actor=admin_a, client=issued_a.client, overlap_hours=hours)
    assert ApiCredential.objects.count() == 1


def test_scopes_change_takes_effect_and_is_audited(client, issued_b, admin_b):
    services.api_client_set_scopes(
        actor=admin_b, client=issued_b.client, scopes=["applications:transition"]
    )
    assert client.get("/t/notes", **bearer(issued_b.token)).status_code == 403
    record = AuditRecord.objects.get(action="api_client.scopes_changed")
    assert record.data == {"before": ["applications:read"], "after": ["applications:transition"]}


# --- idempotency -------------------------------------------------------------------------


def post_note(client, token, url, key=None):
    headers = bearer(token)
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post("/t/notes", {"url": url}, content_type="application/json", **headers)


def test_the_same_key_and_body_replays_the_first_response(client, issued_a):
    first = post_note(client, issued_a.token, "https://a.id/1", key="k-1")
    again = post_note(client, issued_a.token, "https://a.id/1", key="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert WebhookSubscription.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(client, issued_a):
    post_note(client, issued_a.token, "https://a.id/1", key="k-1")
    other = post_note(client, issued_a.token, "https://a.id/2", key="k-1")
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert other.json()["type"].endswith("/idempotency-key-reused")
    assert WebhookSubscription.objects.count() == 1


def test_keys_are_per_client_and_absent_keys_do_not_deduplicate(client, issued_a, admin_a):
    second = services.api_client_create(
        actor=admin_a, agency=issued_a.client.agency, name="dua", scopes=["applications:transition"]
    )
    post_note(client, issued_a.token, "https://a.id/1", key="k-1")
    post_note(client, second.token, "https://a.id/1", key="k-1")
    post_note(client, issued_a.token, "https://a.id/1")
    post_note(client, issued_a.token, "https://a.id/1")
    assert WebhookSubscription.objects.count() == 4


def test_refusals_are_replayed_too_and_bad_keys_refused(client, issued_b):
    refused = post_note(client, issued_b.token, "https://a.id/1", key="k")
    assert refused.status_code == 403
    assert post_note(client, issued_b.token, "https://a.id/1", key="k").status_code == 403
    long_key = post_note(client, issued_b.token, "https://a.id/1", key="k" * 256)
    assert long_key.status_code == 400
    assert long_key.json()["type"].endswith("/idempotency-key-invalid")


def test_a_key_expires_after_its_ttl(client, issued_a, clock):
    post_note(client, issued_a.token, "https://a.id/1", key="k-1")
    clock.shift(dt.timedelta(hours=25))
    again = post_note(client, issued_a.token, "https://a.id/2", key="k-1")
    assert again.status_code == 201
    assert WebhookSubscription.objects.count() == 2


# --- ETag --------------------------------------------------------------------------------


def test_reads_carry_an_etag_and_answer_304_when_unchanged(client, issued_a, agency_a):
    note = note_for(agency_a)
    first = client.get(f"/t/notes/{note.public_id}", **bearer(issued_a.token))
    tag = first["ETag"]
    assert tag.startswith('"') and "private" in first["Cache-Control"]
    assert "Authorization" in first["Vary"]
    same = client.get(
        f"/t/notes/{note.public_id}", HTTP_IF_NONE_MATCH=tag, **bearer(issued_a.token)
    )
    assert same.status_code == 304 and same.content == b"" and same["ETag"] == tag
    weak = client.get(
        f"/t/notes/{note.public_id}", HTTP_IF_NONE_MATCH=f'"x", W/{tag}', **bearer(issued_a.token)
    )
    assert weak.status_code == 304
    note.url = "https://contoh.id/changed"
    note.save()
    changed = client.get(
        f"/t/notes/{note.public_id}", HTTP_IF_NONE_MATCH=tag, **bearer(issued_a.token)
    )
    assert changed.status_code == 200 and changed["ETag"] != tag


def test_errors_get_no_etag(client, issued_a):
    response = client.get("/t/notes/nope", HTTP_IF_NONE_MATCH="*", **bearer(issued_a.token))
    assert response.status_code == 404 and not response.has_header("ETag")


def test_idempotent_uploads_larger_than_the_memory_limit(client, issued_a, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    content = b"%PDF" + b"x" * 4096

    def upload(body=content):
        return client.post(
            "/t/files",
            {"upload": SimpleUploadedFile("a.pdf", body), "label": "akta"},
            HTTP_IDEMPOTENCY_KEY="up-1",
            **bearer(issued_a.token),
        )

    first = upload()
    assert first.status_code == 201, first.content
    assert first.json()["size"] == len(content) and first.json()["head"] == "%PDF"
    again = upload()
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    other = upload(b"%PDF" + b"y" * 4096)
    assert other.status_code == 422
    assert WebhookSubscription.objects.count() == 1
