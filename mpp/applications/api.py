"""Public API of online applications: the application form of a service as JSON Schema."""

import json

from django.http import HttpRequest, HttpResponse
from ninja import Router

from mpp.applications.form_schema import form_schema, online_service_standard
from mpp.core.api import PROBLEM_RESPONSES, public_cache
from mpp.core.cache import cached_get_response

SCHEMA_CONTENT_TYPE = "application/schema+json"

router = Router(tags=["formulir permohonan"])
router.add_decorator(public_cache, mode="view")
# The form follows the adopted standard: cached until the catalog changes.
router.add_decorator(cached_get_response("catalog"), mode="view")


@router.get(
    "/services/{slug}/form-schema",
    response=PROBLEM_RESPONSES,
    url_name="get_service_form_schema",
    summary="Formulir permohonan daring sebagai JSON Schema",
    openapi_extra={
        "responses": {
            200: {
                "description": "JSON Schema (draft 2020-12) formulir permohonan",
                "content": {SCHEMA_CONTENT_TYPE: {"schema": {"type": "object"}}},
            }
        }
    },
)
def get_service_form_schema(request: HttpRequest, slug: str) -> HttpResponse:
    """The application form of an online service, from its current adopted standard.

    One property per requirement, in the standard's order (`x-mpp-order`): data as typed
    fields, documents as file fields (`x-mpp-kind: document`, allowed media types and
    `x-mpp-max-bytes`), conditions as booleans that must be true. 404 when the service is
    unknown; 404 of type `form-not-available` when it is offered at the counter only or has
    no adopted standard.
    """
    service, standard = online_service_standard(slug)
    schema = form_schema(standard, service=service, url=request.build_absolute_uri(request.path))
    return HttpResponse(json.dumps(schema, ensure_ascii=False), content_type=SCHEMA_CONTENT_TYPE)
