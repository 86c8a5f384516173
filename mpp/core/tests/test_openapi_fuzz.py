"""Schemathesis against the live OpenAPI document: no server error, nothing it does not declare.

A real HTTP server (pytest-django's live_server) answers generated requests for every
operation of /api/v1/openapi.json, three times: anonymous, as a citizen with a bearer token and
as an agency system with an API client holding every scope. Each response must be no 5xx, have
a declared status code and content type, and a body valid against the declared schema.

Besides the generated requests, each operation gets explicit examples with the ids of the
seeded data (a service, an agency, the submitted application, the citizen's bookings), so that
the success paths are checked as well as the refusals. Schemathesis' coverage phase also sends
each path's undeclared methods (405 problems) and missing or malformed parameters and headers.
Generation is derandomized and small (15 examples per operation and mode).
"""

import datetime as dt

import pytest
import requests
import schemathesis
import time_machine
from django.core import signing
from django.test import RequestFactory
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mpp.accounts.testing import make_citizen
from mpp.agencies.models import AgencyRole, Membership
from mpp.api import api
from mpp.applications.demo import apply_with_samples
from mpp.catalog.models import Maklumat
from mpp.catalog.testing import make_agency, make_service
from mpp.core.calendar import JAKARTA
from mpp.interop import services as interop_services
from mpp.interop.agency_applications import LINK_SALT
from mpp.interop.catalogue import SCOPES
from mpp.queueing import capacity
from mpp.queueing.models import Slot
from mpp.queueing.services import tokens
from mpp.queueing.services.booking import booking_create
from mpp.queueing.testing import make_hours, make_queue_service

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Tuesday 1 December 2026, 10:00 in Malang (the clock ticks from there, for the server too):
# the booking window is open up to Tuesday 8 December.
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=JAKARTA)
MONDAY = dt.date(2026, 12, 7)
PASSWORD = "rahasia-Panjang-123"
MODES = ("anonymous", "citizen", "agency")


def _slot(queue_service, day: dt.date, time: str) -> Slot:
    capacity.ensure_slots(queue_service, day)
    return Slot.objects.get(service=queue_service, date=day, starts_at=dt.time.fromisoformat(time))


def _citizen_token(citizen) -> str:
    request = RequestFactory().post("/api/v1/auth/token")
    raw, _token = tokens.token_issue(request=request, identifier=citizen.email, password=PASSWORD)
    return raw


@pytest.fixture
def world(transactional_db, make_user):
    """Two agencies with services, a submitted application, a citizen's bookings, API keys."""
    with time_machine.travel(NOW, tick=True):
        make_hours()
        agency = make_agency(slug="dukcapil", name="Dinas Kependudukan", short_name="Dukcapil")
        other = make_agency(slug="polresta", name="Polresta Malang Kota", short_name="Polresta")
        Maklumat.objects.create(
            agency=agency,
            text="Kami sanggup menyelenggarakan pelayanan sesuai standar.",
            signer_name="Kepala Dinas",
            signer_title="Kepala",
            signed_on=dt.date(2026, 1, 2),
        )
        queued = make_queue_service(
            agency=agency, prefix="A", counters=2, slug="akta-kelahiran", name="Akta Kelahiran"
        )
        make_service(agency=agency, slug="kartu-keluarga", name="Kartu Keluarga")
        make_service(agency=other, slug="skck", name="SKCK", channel="counter")
        make_service(agency=other, slug="draf", name="Belum ditetapkan", adopted=False)

        admin = make_user("admin_dukcapil")
        Membership.objects.create(user=admin, agency=agency, role=AgencyRole.AGENCY_ADMIN)
        issued = interop_services.api_client_create(
            actor=admin, agency=agency, name="SIAK Dukcapil", scopes=list(SCOPES)
        )
        citizen = make_citizen(make_user, "budi", "3573010101900001")
        application = apply_with_samples(actor=citizen, service=queued.service)
        to_cancel = booking_create(actor=citizen, slot=_slot(queued, MONDAY, "08:00"))
        to_move = booking_create(
            actor=citizen, slot=_slot(queued, MONDAY + dt.timedelta(days=1), "09:00")
        )
        attachment = application.attachments.order_by("pk").first()
        link = {"a": attachment.pk, "c": issued.client.pk}
        yield {
            "citizen": citizen,
            "document_link": signing.dumps(link, salt=LINK_SALT, compress=True),
            "agency_token": issued.token,
            "application": application.public_id,
            "service": queued.service.slug,
            "agency": agency.slug,
            "bookings": {"cancel": to_cancel.code, "reschedule": to_move.code},
        }


@pytest.fixture(params=MODES)
def mode(request) -> str:
    return request.param


# Placeholders for the ids of the seeded data, which exist only once `world` has run.
APPLICATION, DOCUMENT_LINK = "@application", "@document-link"
BOOKING_TO_CANCEL, BOOKING_TO_MOVE = "@cancel", "@reschedule"


def _known_examples() -> dict[tuple[str, str], list[dict]]:
    """Requests that name the seeded data, so that success paths answer too.

    Two operations keep to their refusals: the PDF upload of issued documents (a multipart
    body with a real, countersignable PDF) and the inbound webhook (Standard Webhooks
    signatures over the exact body and a fresh timestamp). Generated requests still reach
    both, unauthenticated, unsigned and malformed; their success paths are covered by
    mpp/interop/tests (test_agency_applications, test_inbound).
    """
    service, application = "akta-kelahiran", APPLICATION
    bookings = {"cancel": BOOKING_TO_CANCEL, "reschedule": BOOKING_TO_MOVE}
    return {
        ("GET", "/api/v1/agencies/{slug}"): [{"path_parameters": {"slug": "dukcapil"}}],
        ("GET", "/api/v1/services"): [{"query": {"search": "akta", "agency": "dukcapil"}}],
        ("GET", "/api/v1/services/{slug}"): [{"path_parameters": {"slug": service}}],
        ("GET", "/api/v1/services/{slug}/standards"): [{"path_parameters": {"slug": service}}],
        ("GET", "/api/v1/services/{slug}/standards/{version}"): [
            {"path_parameters": {"slug": service, "version": 1}}
        ],
        ("GET", "/api/v1/services/{slug}/form-schema"): [
            {"path_parameters": {"slug": service}},
            {"path_parameters": {"slug": "skck"}},
        ],
        ("GET", "/api/v1/queue/services/{slug}/slots"): [
            {"path_parameters": {"slug": service}, "query": {"date": MONDAY.isoformat()}}
        ],
        ("GET", "/api/v1/agency/applications/{application_id}"): [
            {"path_parameters": {"application_id": application}}
        ],
        ("GET", "/api/v1/agency/documents/{token}"): [
            {"path_parameters": {"token": DOCUMENT_LINK}}
        ],
        ("POST", "/api/v1/agency/applications/{application_id}/transitions"): [
            {
                "path_parameters": {"application_id": application},
                "body": {"action": "start_verification"},
                "media_type": "application/json",
            }
        ],
        ("POST", "/api/v1/agency/applications/{application_id}/messages"): [
            {
                "path_parameters": {"application_id": application},
                "body": {"text": "Berkas Anda sedang diperiksa."},
                "media_type": "application/json",
            }
        ],
        ("POST", "/api/v1/auth/token"): [
            {
                "body": {"identifier": "budi@example.id", "password": PASSWORD},
                "media_type": "application/json",
            }
        ],
        ("POST", "/api/v1/queue/bookings"): [
            {
                "body": {
                    "service": service,
                    "date": (MONDAY - dt.timedelta(days=5)).isoformat(),
                    "time": "10:00",
                },
                "media_type": "application/json",
            }
        ],
        ("GET", "/api/v1/queue/bookings/{code}"): [
            {"path_parameters": {"code": bookings["cancel"]}}
        ],
        ("GET", "/api/v1/queue/bookings/{code}/ics"): [
            {"path_parameters": {"code": bookings["cancel"]}}
        ],
        ("POST", "/api/v1/queue/bookings/{code}/cancel"): [
            {"path_parameters": {"code": bookings["cancel"]}}
        ],
        ("POST", "/api/v1/queue/bookings/{code}/reschedule"): [
            {
                "path_parameters": {"code": bookings["reschedule"]},
                "body": {"date": (MONDAY - dt.timedelta(days=4)).isoformat(), "time": "11:00"},
                "media_type": "application/json",
            }
        ],
    }


@pytest.fixture
def auth_headers(world, mode) -> dict[str, str]:
    if mode == "citizen":
        return {"Authorization": f"Bearer {_citizen_token(world['citizen'])}"}
    if mode == "agency":
        return {"Authorization": f"Bearer {world['agency_token']}"}
    return {}


# One pytest test per (operation, mode) needs the operations at collection time, before any
# server runs: the schema is the document the API builds, and the first test checks that the
# live server serves exactly that one. (Schemathesis' lazy `from_fixture` would load it from
# the live server, but writes `Function._nodeid`, which pytest 9.2 no longer has.)
DOCUMENT = api.get_openapi_schema()
schema = schemathesis.openapi.from_dict(DOCUMENT)
EXAMPLES = _known_examples()


@schema.hook
def before_add_examples(context, examples):
    operation = context.operation
    for case in EXAMPLES.get((operation.method.upper(), operation.path), []):
        examples.append(operation.Case(**case))


def _with_seeded_ids(path_parameters: dict | None, world: dict) -> dict | None:
    known = {
        APPLICATION: world["application"],
        DOCUMENT_LINK: world["document_link"],
        BOOKING_TO_CANCEL: world["bookings"]["cancel"],
        BOOKING_TO_MOVE: world["bookings"]["reschedule"],
    }
    if not path_parameters:
        return path_parameters
    return {name: known.get(value, value) for name, value in path_parameters.items()}


def test_the_live_document_is_the_one_fuzzed(live_server):
    response = requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=30)
    assert response.status_code == 200
    assert response.json() == DOCUMENT


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_openapi_document_says(
    case, live_server, world, mode, auth_headers
):
    headers = dict(auth_headers)
    if mode == "citizen" and case.method == "DELETE" and case.path == "/api/v1/auth/token":
        # Revoking ends the token: each revocation gets its own, the other operations keep theirs.
        headers["Authorization"] = f"Bearer {_citizen_token(world['citizen'])}"
    # Explicit examples are shared by the three modes: fill in this run's ids, then restore.
    placeholders = case.path_parameters
    case.path_parameters = _with_seeded_ids(placeholders, world)
    try:
        case.call_and_validate(base_url=live_server.url, headers=headers or None, checks=CHECKS)
    finally:
        case.path_parameters = placeholders
