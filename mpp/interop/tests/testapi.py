"""A small agency API used only by the tests of auth, scopes, tenancy, idempotency, ETags."""

from django.urls import path
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.decorators import decorate_view

from mpp.core.api import MppNinjaAPI
from mpp.interop.auth import api_client_auth, client_object, client_queryset, require_scope
from mpp.interop.conditional import etag
from mpp.interop.idempotency import idempotent
from mpp.interop.models import WebhookSubscription

router = Router(auth=api_client_auth)


class NoteIn(Schema):
    url: str


class NoteOut(Schema):
    id: str
    url: str


@router.get("/notes", response=list[NoteOut])
@decorate_view(etag)
def notes(request):
    require_scope(request, "applications:read")
    qs = client_queryset(request, WebhookSubscription.objects.order_by("id"))
    return [{"id": s.public_id, "url": s.url} for s in qs]


@router.get("/notes/{public_id}", response=NoteOut)
@decorate_view(etag)
def note(request, public_id: str):
    require_scope(request, "applications:read")
    found = client_object(request, WebhookSubscription.objects.all(), public_id=public_id)
    return {"id": found.public_id, "url": found.url}


@router.post("/notes", response={201: NoteOut})
@decorate_view(idempotent)
def add_note(request, payload: NoteIn):
    require_scope(request, "applications:transition")
    created = WebhookSubscription.objects.create(
        agency_id=request.auth.agency_id, url=payload.url, secret="-", is_active=False
    )
    return Status(201, {"id": created.public_id, "url": created.url})


@router.post("/files", response={201: dict})
@decorate_view(idempotent)
def add_file(request, upload: File[UploadedFile], label: Form[str] = ""):
    require_scope(request, "applications:transition")
    created = WebhookSubscription.objects.create(
        agency_id=request.auth.agency_id, url=label, secret="-", is_active=False
    )
    return Status(
        201, {"id": created.public_id, "size": upload.size, "head": upload.read(4).decode()}
    )


api = MppNinjaAPI(title="test", version="0", urls_namespace="interop-test", docs_url=None)
api.add_router("", router)

urlpatterns = [path("t/", api.urls)]
