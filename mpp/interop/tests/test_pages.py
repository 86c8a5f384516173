"""Pages of agency admins under /kelola/api/ and /kelola/webhook/: who sees what, secrets once."""

import re

import pytest
from django.urls import reverse

from mpp.accounts.testing import verified_login
from mpp.core.models import AuditRecord
from mpp.interop import crypto, services
from mpp.interop.models import ApiClient, ApiCredential, DeliveryStatus, WebhookSubscription
from mpp.interop.tests.test_webhooks import emit, fan_out_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def sub_a(admin_a, agency_a):
    return services.subscription_create(
        actor=admin_a, agency=agency_a, url="https://siak.contoh.id/hook", event_types=["*"]
    ).subscription


def as_user(client, user):
    if user is None:
        return client
    if user.username == "warga":
        client.force_login(user)
        return client
    return verified_login(client, user)


def pages(agency, issued, sub):
    slug, cid, sid = agency.slug, issued.client.public_id, sub.public_id
    return [
        ("get", reverse("interop:api_clients", args=[slug])),
        ("get", reverse("interop:api_client_create", args=[slug])),
        ("get", reverse("interop:api_client", args=[slug, cid])),
        ("get", reverse("interop:api_client_revoke", args=[slug, cid])),
        ("post", reverse("interop:api_client_scopes", args=[slug, cid])),
        ("post", reverse("interop:api_client_rotate", args=[slug, cid])),
        ("get", reverse("interop:subscriptions", args=[slug])),
        ("get", reverse("interop:subscription_create", args=[slug])),
        ("get", reverse("interop:subscription", args=[slug, sid])),
        ("post", reverse("interop:subscription_toggle", args=[slug, sid])),
        ("get", reverse("interop:subscription_edit", args=[slug, sid])),
        ("post", reverse("interop:subscription_edit", args=[slug, sid])),
        ("post", reverse("interop:subscription_rotate", args=[slug, sid])),
        ("post", reverse("interop:redeliver", args=[slug, sid, "msg_x"])),
    ]


@pytest.mark.parametrize(
    "persona, expected",
    [
        (None, 302),
        ("citizen", 403),
        ("verifier_a", 403),
        ("auditor", 403),
        ("admin_b", 404),
    ],
)
def test_permission_matrix_of_every_page(
    client, request, issued_a, sub_a, agency_a, persona, expected
):
    user = request.getfixturevalue(persona) if persona else None
    client = as_user(client, user)
    before = AuditRecord.objects.count()
    for method, url in pages(agency_a, issued_a, sub_a):
        response = getattr(client, method)(url, {"scopes": ["bookings:read"], "overlap_hours": 1})
        assert response.status_code == expected, (method, url, response.status_code)
        if expected == 302:
            assert "/akun/masuk/" in response["Location"]
    assert AuditRecord.objects.count() == before  # nothing changed
    assert ApiCredential.objects.count() == 1


@pytest.mark.parametrize("persona", ["admin_a", "manager"])
def test_the_agency_admin_and_the_manager_see_every_page(
    client, request, issued_a, sub_a, agency_a, persona
):
    client = as_user(client, request.getfixturevalue(persona))
    for method, url in pages(agency_a, issued_a, sub_a):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_forged_ids_of_another_agency_read_as_not_found(
    client, admin_a, agency_a, issued_b, admin_b, agency_b
):
    theirs = services.subscription_create(
        actor=admin_b, agency=agency_b, url="https://p.contoh.id/h", event_types=["*"]
    ).subscription
    client = as_user(client, admin_a)
    slug = agency_a.slug
    for url in (
        reverse("interop:api_client", args=[slug, issued_b.client.public_id]),
        reverse("interop:subscription", args=[slug, theirs.public_id]),
        reverse("interop:api_clients", args=["no-such-agency"]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("interop:api_client_revoke", args=[slug, issued_b.client.public_id])
    )
    assert response.status_code == 404
    issued_b.client.refresh_from_db()
    assert issued_b.client.is_active


def test_creating_a_client_shows_its_secrets_once(client, admin_a, agency_a):
    client = as_user(client, admin_a)
    url = reverse("interop:api_client_create", args=[agency_a.slug])
    response = client.post(url, {"name": "SIAK", "scopes": ["applications:read", "bookings:read"]})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    token = re.search(r'id="token">(mppk_[^<]+)<', html).group(1)
    secret = re.search(r'id="signing-secret">(whsec_[^<]+)<', html).group(1)
    created = ApiClient.objects.get()
    assert created.scopes == ["applications:read", "bookings:read"]
    assert ApiCredential.objects.get().token_hash == crypto.token_hash(token)
    detail = client.get(reverse("interop:api_client", args=[agency_a.slug, created.public_id]))
    page = detail.content.decode()
    assert token not in page and secret not in page
    assert token[:12] in page  # the prefix identifies it
    listing = client.get(reverse("interop:api_clients", args=[agency_a.slug])).content.decode()
    assert "SIAK" in listing and token not in listing


def test_bad_input_on_create_shows_errors_and_changes_nothing(client, admin_a, agency_a):
    client = as_user(client, admin_a)
    url = reverse("interop:api_client_create", args=[agency_a.slug])
    response = client.post(url, {"name": "", "scopes": ["root"]})
    assert response.status_code == 400
    assert 'class="field-errors"' in response.content.decode()
    assert ApiClient.objects.count() == 0


def test_rotate_and_revoke_from_the_pages(client, admin_a, agency_a, issued_a):
    client = as_user(client, admin_a)
    slug, cid = agency_a.slug, issued_a.client.public_id
    response = client.post(
        reverse("interop:api_client_rotate", args=[slug, cid]), {"overlap_hours": 2}
    )
    assert response.status_code == 200 and "mppk_" in response.content.decode()
    assert ApiCredential.objects.filter(client=issued_a.client).count() == 2
    too_long = client.post(
        reverse("interop:api_client_rotate", args=[slug, cid]), {"overlap_hours": 9999}
    )
    assert too_long.status_code == 400
    assert ApiCredential.objects.filter(client=issued_a.client).count() == 2
    scopes = client.post(
        reverse("interop:api_client_scopes", args=[slug, cid]), {"scopes": ["bookings:read"]}
    )
    assert scopes.status_code == 302
    client.post(reverse("interop:api_client_revoke", args=[slug, cid]))
    issued_a.client.refresh_from_db()
    assert not issued_a.client.is_active and issued_a.client.scopes == ["bookings:read"]
    actions = list(AuditRecord.objects.values_list("action", flat=True))
    assert actions[-3:] == ["api_client.rotated", "api_client.scopes_changed", "api_client.revoked"]


def test_creating_a_subscription_shows_its_secret_once(client, admin_a, agency_a, settings):
    client = as_user(client, admin_a)
    url = reverse("interop:subscription_create", args=[agency_a.slug])
    response = client.post(
        url, {"url": "https://siak.contoh.id/hook", "event_types": ["application.submitted"]}
    )
    assert response.status_code == 200
    secret = re.search(r'id="signing-secret">(whsec_[^<]+)<', response.content.decode()).group(1)
    subscription = WebhookSubscription.objects.get()
    assert crypto.unseal(subscription.secret) == secret and secret not in subscription.secret
    page = client.get(reverse("interop:subscription", args=[agency_a.slug, subscription.public_id]))
    assert secret not in page.content.decode()


@pytest.mark.parametrize(
    "url",
    ["http://siak.contoh.id/hook", "https://127.0.0.1/h", "https://10.0.0.5/h", "ftp://x/", "nope"],
)
def test_insecure_or_internal_endpoints_are_refused(client, admin_a, agency_a, settings, url):
    settings.MPP_WEBHOOK_ALLOW_INSECURE = False
    client = as_user(client, admin_a)
    response = client.post(
        reverse("interop:subscription_create", args=[agency_a.slug]),
        {"url": url, "event_types": ["*"]},
    )
    assert response.status_code == 400
    assert WebhookSubscription.objects.count() == 0


def test_the_delivery_log_and_redeliver_button(client, admin_a, agency_a, receiver, clock):
    subscription = services.subscription_create(
        actor=admin_a, agency=agency_a, url=receiver.url, event_types=["*"]
    ).subscription
    receiver.answer = lambda n: 500
    emit(agency_a, "applications/PMH-7", 1)
    fan_out_all()
    from mpp.interop import outbox

    outbox.run_due(schedule=False)
    client = as_user(client, admin_a)
    page = client.get(reverse("interop:subscription", args=[agency_a.slug, subscription.public_id]))
    html = page.content.decode()
    delivery = subscription.deliveries.get()
    assert delivery.message_id in html and "HTTP 500" in html and "applications/PMH-7" in html
    receiver.answer = lambda n: 200
    response = client.post(
        reverse(
            "interop:redeliver", args=[agency_a.slug, subscription.public_id, delivery.message_id]
        )
    )
    assert response.status_code == 302
    outbox.run_due(schedule=False)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert [r["headers"]["webhook-id"] for r in receiver.requests] == [delivery.message_id] * 2


def test_the_list_pages_make_a_fixed_number_of_queries(
    client, admin_a, agency_a, django_assert_max_num_queries
):
    def fill(n):
        for i in range(n):
            services.api_client_create(
                actor=admin_a, agency=agency_a, name=f"c{i}", scopes=["bookings:read"]
            )
            services.subscription_create(
                actor=admin_a, agency=agency_a, url=f"https://a.id/{i}", event_types=["*"]
            )

    client = as_user(client, admin_a)
    counts = []
    for n in (3, 30):
        fill(n)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("interop:api_clients", args=[agency_a.slug]))
            client.get(reverse("interop:subscriptions", args=[agency_a.slug]))
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_a_single_agency_admin_goes_straight_to_their_agency(client, admin_a, agency_a, manager):
    admin = as_user(client, admin_a)
    response = admin.get(reverse("interop:api_agencies"))
    assert response.status_code == 302 and agency_a.slug in response["Location"]
    response = admin.get(reverse("interop:webhook_agencies"))
    assert response.status_code == 302


def test_the_pages_speak_english_through_the_switch(client, admin_a, agency_a, issued_a):
    client = as_user(client, admin_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(reverse("interop:api_clients", args=[agency_a.slug])).content.decode()
    assert "API clients of" in html and "Create API client" in html
    html = client.get(reverse("interop:subscriptions", args=[agency_a.slug])).content.decode()
    assert "No webhook subscriptions yet." in html


def test_editing_and_rotating_a_subscription(client, admin_a, agency_a, sub_a):
    client = as_user(client, admin_a)
    slug, sid = agency_a.slug, sub_a.public_id
    bad = client.post(
        reverse("interop:subscription_edit", args=[slug, sid]), {"url": "", "event_types": []}
    )
    assert bad.status_code == 400
    saved = client.post(
        reverse("interop:subscription_edit", args=[slug, sid]),
        {"url": "https://baru.contoh.id/h", "event_types": ["standard.adopted"]},
    )
    assert saved.status_code == 302
    sub_a.refresh_from_db()
    assert sub_a.url == "https://baru.contoh.id/h" and sub_a.event_types == ["standard.adopted"]
    old = crypto.unseal(sub_a.secret)
    rotated = client.post(
        reverse("interop:subscription_rotate", args=[slug, sid]), {"overlap_hours": 3}
    )
    assert rotated.status_code == 200 and "no-store" in rotated["Cache-Control"]
    new = re.search(r'id="signing-secret">(whsec_[^<]+)<', rotated.content.decode()).group(1)
    sub_a.refresh_from_db()
    assert crypto.unseal(sub_a.secret) == new and crypto.unseal(sub_a.previous_secret) == old
    assert (
        client.post(
            reverse("interop:subscription_rotate", args=[slug, sid]), {"overlap_hours": -1}
        ).status_code
        == 400
    )
    actions = list(AuditRecord.objects.values_list("action", flat=True))
    assert actions[-2:] == ["webhook.changed", "webhook.secret_rotated"]
