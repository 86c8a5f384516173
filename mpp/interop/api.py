"""The interop part of /api/v1/: inbound signed events from agency systems."""

from django.http import HttpRequest
from ninja import Router, Schema

from mpp.core.api import PROBLEM_RESPONSES, ProblemDetails
from mpp.interop.inbound import receive

router = Router(tags=["webhook masuk"])


class InboundAccepted(Schema):
    status: str
    id: str
    type: str
    result: dict


@router.post(
    "/inbound/{client_id}/events",
    response={
        200: InboundAccepted,
        401: ProblemDetails,
        403: ProblemDetails,
        409: ProblemDetails,
        422: ProblemDetails,
        **PROBLEM_RESPONSES,
    },
    url_name="inbound_events",
    summary="Peristiwa bertanda tangan dari sistem instansi (webhook masuk)",
    openapi_extra={
        "parameters": [
            {"name": h, "in": "header", "required": True, "schema": {"type": "string"}}
            for h in ("webhook-id", "webhook-timestamp", "webhook-signature")
        ],
        "requestBody": {
            "required": True,
            "content": {
                "application/cloudevents+json": {"schema": {"type": "object"}},
                "application/json": {"schema": {"type": "object"}},
            },
        },
    },
)
def inbound_events(request: HttpRequest, client_id: str):
    """A CloudEvents 1.0 event (structured JSON) signed per Standard Webhooks with the API
    client's signing secret. Replays (same `webhook-id`, or a timestamp more than 5 minutes
    off) and tampered bodies are refused; the event goes to the handler of its `type`."""
    return receive(public_id=client_id, headers=request.headers, body=request.body)
