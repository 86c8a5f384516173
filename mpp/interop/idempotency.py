"""`Idempotency-Key` on POST (and PATCH) of the agency API (ADR 0031).

    from ninja.decorators import decorate_view
    from mpp.interop.idempotency import idempotent

    @router.post("/agency/applications/{code}/transitions")
    @decorate_view(idempotent)
    def transition(request, code: str, payload: TransitionIn): ...

or for a whole router: `router.add_decorator(idempotent, mode="view")`.

The first response to a key (per API client) is stored with a hash of the request (method,
path, body). The same key with the same request replays that response (header
`Idempotent-Replayed: true`) without running the operation again; the same key with another
request is refused (422 `idempotency-key-reused`). The record is written in the same
transaction as the operation's own changes, so a key is either fully used or not at all;
a concurrent twin waits for the first and then replays it. Server errors (5xx) are not
stored: the client may retry with the same key. Records expire after
MPP_IDEMPOTENCY_TTL_HOURS (24 h).
"""

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.core.api import problem_response
from mpp.interop.auth import client_from_request
from mpp.interop.errors import IdempotencyKeyInvalid, IdempotencyKeyReused
from mpp.interop.models import IdempotencyRecord

HEADER = "Idempotency-Key"
METHODS = ("POST", "PATCH")
REPLAYED_HEADERS = ("Location", "ETag", "Content-Language")
KEY_MAX = 255


def ttl() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "MPP_IDEMPOTENCY_TTL_HOURS", 24)))


def request_hash(request: HttpRequest) -> str:
    """SHA-256 of method, path and body; multipart bodies by their fields and file contents
    (uploads may exceed DATA_UPLOAD_MAX_MEMORY_SIZE, so `request.body` is not read)."""
    digest = hashlib.sha256()
    digest.update(request.method.encode() + b"\n" + request.path.encode() + b"\n")
    if request.content_type == "multipart/form-data":
        for name in sorted(request.POST):
            for value in request.POST.getlist(name):
                digest.update(f"{name}={value}\n".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(f"{name}:{upload.name}:{upload.size}\n".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status_code, content_type=record.content_type
    )
    for name, value in record.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


class _ServerError(Exception):
    def __init__(self, response: HttpResponseBase) -> None:
        self.response = response


def _existing(request: HttpRequest, client, key: str) -> HttpResponseBase | None:
    record = IdempotencyRecord.objects.filter(
        client=client, key=key, created_at__gt=timezone.now() - ttl()
    ).first()
    if record is None:
        return None
    if record.request_hash != request_hash(request):
        return problem_response(
            request,
            IdempotencyKeyReused(
                _("Idempotency-Key ini sudah dipakai untuk permintaan dengan isi lain.")
            ),
        )
    return _replay(record)


def idempotent(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """View decorator (ninja `decorate_view` / `mode="view"`): honour Idempotency-Key."""

    @wraps(run)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if request.method not in METHODS or key is None:
            return run(request, *args, **kwargs)
        client = client_from_request(request)
        if client is None:  # the operation's own auth answers 401
            return run(request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > KEY_MAX or not key.isprintable():
            message = _("Idempotency-Key harus 1–%(n)s karakter yang dapat dicetak.") % {
                "n": KEY_MAX
            }
            return problem_response(
                request, IdempotencyKeyInvalid(message, errors={HEADER: [message]})
            )
        replay = _existing(request, client, key)
        if replay is not None:
            return replay
        try:
            with transaction.atomic():
                # An expired record of the same key makes way for the new request.
                IdempotencyRecord.objects.filter(
                    client=client, key=key, created_at__lte=timezone.now() - ttl()
                ).delete()
                response = run(request, *args, **kwargs)
                if response.status_code >= 500:
                    raise _ServerError(response)
                headers = {h: response[h] for h in REPLAYED_HEADERS if response.has_header(h)}
                with transaction.atomic():
                    IdempotencyRecord.objects.create(
                        client=client,
                        key=key,
                        method=request.method,
                        path=request.path[:500],
                        request_hash=request_hash(request),
                        status_code=response.status_code,
                        content_type=response.get("Content-Type", "application/json"),
                        body=response.content,
                        headers=headers,
                    )
        except _ServerError as failed:
            return failed.response
        except IntegrityError:
            # A concurrent request with the same key committed first: answer as it did.
            replay = _existing(request, client, key)
            if replay is not None:
                return replay
            raise
        return response

    return wrapped
