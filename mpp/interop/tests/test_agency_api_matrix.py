"""Permission matrix of every agency API operation: no client, wrong scope, another agency,
revoked client, rotated-out token — and the right client, which is let through."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mpp.applications.demo import apply_with_samples
from mpp.catalog.testing import make_service, valid_components
from mpp.interop import services as interop

pytestmark = pytest.mark.django_db

# (name, method, path template, scope, body kind)
OPERATIONS = [
    ("list applications", "get", "/agency/applications", "applications:read", None),
    ("read application", "get", "/agency/applications/{id}", "applications:read", None),
    (
        "transition",
        "post",
        "/agency/applications/{id}/transitions",
        "applications:transition",
        "transition",
    ),
    ("attach document", "post", "/agency/applications/{id}/documents", "documents:attach", "file"),
    ("message", "post", "/agency/applications/{id}/messages", "messages:send", "message"),
    ("list bookings", "get", "/agency/bookings", "bookings:read", None),
    ("list tickets", "get", "/agency/tickets", "bookings:read", None),
]
SCOPED = {op[0]: op for op in OPERATIONS}
PER_CASE = {"read application", "transition", "attach document", "message"}


@pytest.fixture
def case(make_user, agency_a):
    from mpp.accounts.testing import make_citizen

    service = make_service(
        agency=agency_a,
        slug="akta",
        components=valid_components(
            requirements=[{"code": "nama_anak", "kind": "data", "name": "Nama anak"}]
        ),
    )
    citizen = make_citizen(make_user, "siti", "3573014101900001")
    return apply_with_samples(actor=citizen, service=service)


def _client(issued=None) -> Client:
    if issued is None:
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.token}")


def _call(client: Client, op, case):
    _name, method, path, _scope, body = op
    url = "/api/v1" + path.format(id=case.public_id)
    if method == "get":
        return client.get(url)
    if body == "file":
        return client.post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")})
    payload = {"action": "start_verification"} if body == "transition" else {"text": "Halo"}
    return client.post(url, json.dumps(payload), content_type="application/json")


def _issue(actor, agency, scopes):
    return interop.api_client_create(actor=actor, agency=agency, name="X", scopes=scopes)


@pytest.mark.parametrize("name", list(SCOPED))
def test_without_a_client_it_is_unauthorised(case, name):
    response = _call(_client(), SCOPED[name], case)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("name", list(SCOPED))
def test_without_the_scope_it_is_forbidden(case, admin_a, agency_a, name):
    others = [s for s in interop_scopes() if s != SCOPED[name][3]]
    response = _call(_client(_issue(admin_a, agency_a, others)), SCOPED[name], case)
    assert response.status_code == 403
    assert response.json()["required_scope"] == SCOPED[name][3]


@pytest.mark.parametrize("name", sorted(PER_CASE))
def test_another_agencys_case_is_not_found(case, admin_b, agency_b, name):
    response = _call(_client(_issue(admin_b, agency_b, interop_scopes())), SCOPED[name], case)
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["list applications", "list bookings", "list tickets"])
def test_another_agencys_lists_are_empty(case, admin_b, agency_b, name):
    response = _call(_client(_issue(admin_b, agency_b, interop_scopes())), SCOPED[name], case)
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.parametrize("name", list(SCOPED))
def test_a_revoked_client_is_unauthorised(case, admin_a, agency_a, name):
    issued = _issue(admin_a, agency_a, interop_scopes())
    interop.api_client_revoke(actor=admin_a, client=issued.client)
    assert _call(_client(issued), SCOPED[name], case).status_code == 401


@pytest.mark.parametrize("name", list(SCOPED))
def test_a_rotated_out_token_is_unauthorised_and_the_new_one_works(case, admin_a, agency_a, name):
    old = _issue(admin_a, agency_a, interop_scopes())
    new = interop.api_client_rotate(actor=admin_a, client=old.client, overlap_hours=0)
    assert _call(_client(old), SCOPED[name], case).status_code == 401
    assert _call(_client(new), SCOPED[name], case).status_code not in (401, 403, 404)


def interop_scopes() -> list[str]:
    from mpp.interop.catalogue import SCOPES

    return list(SCOPES)
