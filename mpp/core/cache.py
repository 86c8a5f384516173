"""Caching of public pages and API reads, invalidated by a generation counter in the database.

The catalog is read thousands of times for each change. Rendered parts are cached under a
key that includes the area's generation; a change bumps the generation inside the writing
transaction (the new number becomes visible to other processes when it commits) and every
process re-reads it at most MPP_CACHE_GENERATION_TTL seconds later. Works with the per-process
local-memory cache of the embedded mode and with a shared Redis cache alike.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from mpp.core.models import CacheGeneration

T = TypeVar("T")


def _generation_key(name: str) -> str:
    return f"mpp:gen:{name}"


def generation(name: str) -> int:
    """The current generation of a cached area (one tiny query every few seconds at most)."""
    key = _generation_key(name)
    value = cache.get(key)
    if value is None:
        value = (
            CacheGeneration.objects.filter(name=name).values_list("value", flat=True).first() or 0
        )
        cache.set(key, value, settings.MPP_CACHE_GENERATION_TTL)
    return value


def bump(name: str) -> None:
    """Invalidate every cached part of an area; call inside the writing transaction."""
    if not CacheGeneration.objects.filter(name=name).update(value=F("value") + 1):
        CacheGeneration.objects.get_or_create(name=name, defaults={"value": 1})
    cache.delete(_generation_key(name))


def _key(area: str, parts: tuple[Any, ...]) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"mpp:{area}:{generation(area)}:{translation.get_language()}:{digest}"


def get_or_build(area: str, parts: tuple[Any, ...], build: Callable[[], T]) -> T:
    """The cached value for these key parts in the current language, built on a miss."""
    key = _key(area, parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.MPP_PAGE_CACHE_SECONDS)
    return value


def _is_anonymous_and_plain(request: HttpRequest) -> bool:
    # No session and no pending messages: the page is the same for every such visitor.
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def cached_get_response(area: str) -> Callable:
    """View decorator: a public GET response is cached per absolute URL and language.

    Only for visitors without a session (signed-in users always get a fresh page) and only
    when the response is the same for everyone: status 200, no cookie set, no CSRF token
    rendered into it. Security headers are added by middleware on every response.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "GET" or not _is_anonymous_and_plain(request):
                return view(request, *args, **kwargs)
            key = _key(area, ("response", request.build_absolute_uri()))
            stored = cache.get(key)
            if stored is not None:
                content, headers = stored
                response = HttpResponse(content)
                for header, value in headers:
                    response[header] = value
                return response
            response = view(request, *args, **kwargs)
            if _cacheable(request, response):
                headers = list(response.items())
                cache.set(key, (response.content, headers), settings.MPP_PAGE_CACHE_SECONDS)
            return response

        return wrapped

    return decorate


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "CSRF_COOKIE" not in request.META
        and not getattr(response, "_mpp_no_cache", False)
    )
