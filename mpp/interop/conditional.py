"""ETag and If-None-Match for reads of the agency API (ADR 0031).

    from ninja.decorators import decorate_view
    from mpp.interop.conditional import etag

    @router.get("/agency/applications/{code}")
    @decorate_view(etag)
    def read(request, code: str): ...

A successful GET gets a strong ETag (hash of the body) and `Cache-Control: private,
no-cache` (clients revalidate, shared caches keep nothing, `Vary: Authorization`); a request
whose If-None-Match names it gets 304 Not Modified with no body. `etag_for(body)` and
`not_modified(request, tag)` serve views that compute a cheaper tag (e.g. from updated_at).
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers


def etag_for(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _tags(header: str) -> list[str]:
    return [part.strip().removeprefix("W/") for part in header.split(",") if part.strip()]


def not_modified(request: HttpRequest, tag: str) -> bool:
    """True when the request's If-None-Match matches `tag` (weak comparison, or `*`)."""
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    tags = _tags(header)
    return "*" in tags or tag.removeprefix("W/") in tags


def etag(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """View decorator: ETag on successful GETs, 304 when If-None-Match matches."""

    @wraps(run)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = run(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if getattr(response, "streaming", False):
            return response
        tag = response.get("ETag") or etag_for(response.content)
        patch_vary_headers(response, ("Authorization",))
        patch_cache_control(response, private=True, no_cache=True)
        if not_modified(request, tag):
            unchanged = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary"):
                if header != "ETag" and response.has_header(header):
                    unchanged[header] = response[header]
            unchanged["ETag"] = tag
            return unchanged
        response["ETag"] = tag
        return response

    return wrapped
