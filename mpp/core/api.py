"""Shared pieces of every app's JSON API: RFC 9457 problems, pagination and query parameters.

Each app's `api.py` builds its router from these so that all of /api/v1/ answers in one shape:
successful reads as JSON with the same pagination envelope, every error (domain errors, bad
parameters, unknown paths, wrong methods, crashes) as `application/problem+json`.
"""

import json
import logging
import math
import re
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.urls import re_path, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BaseModel, BeforeValidator
from pydantic_core import PydanticCustomError

from mpp.core.errors import (
    InvalidParameter,
    MppError,
    NotFound,
    ValidationFailed,
    problem_body,
    validation_reason,
)

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
DEFAULT_PAGE_SIZE = 20
PUBLIC_MAX_AGE = 60

# The docs page (ninja's swagger.html) needs no CSP exception: its settings sit in a JSON
# <script type="application/json">, its init code in static ninja/swagger-ui-init.js, and
# swagger-ui styles elements through the CSSOM, which style-src does not govern. Checked in
# headless Chromium under the site policy: operations render, "Try it out" works, no
# violation is reported. So the docs keep `script-src 'self'; style-src 'self'`.


# Problems ------------------------------------------------------------------------------------


class InvalidParam(Schema):
    name: str
    reason: str


class ProblemDetails(Schema):
    """An error as RFC 9457 problem details; `errors` and `invalid_params` name bad fields."""

    type: str = Field(..., examples=["https://mpp.example.id/problems/invalid-parameter"])
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: dict[str, list[str]] | None = None
    invalid_params: list[InvalidParam] | None = None


PROBLEM_RESPONSES: dict[int, type[Schema]] = {400: ProblemDetails, 404: ProblemDetails}


class MethodNotAllowed(MppError):
    status = 405
    type = "method-not-allowed"

    @property
    def title(self) -> str:  # type: ignore[override]
        return _("Metode HTTP tidak diizinkan")


class InternalError(MppError):
    status = 500
    type = "internal-error"

    @property
    def title(self) -> str:  # type: ignore[override]
        return _("Terjadi kesalahan pada server")


def problem_response(
    request: HttpRequest, error: MppError, *, headers: dict[str, str] | None = None
) -> HttpResponse:
    """The problem+json response for a domain error, with `invalid_params` when fields failed."""
    body = problem_body(error, instance=request.path)
    if error.errors and "invalid_params" not in body:
        body["invalid_params"] = [
            {"name": name, "reason": str(reason)}
            for name, reasons in error.errors.items()
            for reason in reasons
        ]
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=error.status,
        content_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )
    response["Cache-Control"] = "no-store"
    return response


def _http_error(status: int, message: str) -> MppError:
    titles = {
        401: _("Autentikasi diperlukan"),
        403: _("Anda tidak berwenang melakukan tindakan ini"),
        404: _("Tidak ditemukan"),
        405: _("Metode HTTP tidak diizinkan"),
        429: _("Terlalu banyak permintaan"),
    }
    known = {"Cannot parse request body": _("Isi permintaan tidak dapat dibaca.")}
    error = MppError(known.get(message, message))
    error.status = status
    error.type = {
        400: "bad-request",
        401: "unauthorized",
        403: "forbidden",
        404: "not-found",
        429: "throttled",
    }.get(status, "http-error")
    error.title = titles.get(status, _("Permintaan tidak dapat diproses"))
    return error


# Pydantic reports failures in English; these are the ones a query or path parameter can hit.
def _field_name(loc: tuple | list) -> str:
    # ninja locations are ("query", "page") or ("body", "<param>", "field", 0, ...).
    parts = list(loc[2:] if loc and loc[0] == "body" and len(loc) > 2 else loc[1:])
    return ".".join(str(p) for p in parts) or str(loc[0] if loc else "")


def validation_error(exc: NinjaValidationError) -> MppError:
    """A ninja ValidationError as an InvalidParameter (query/path) or ValidationFailed (body)."""
    errors: dict[str, list[str]] = {}
    in_params = True
    for item in exc.errors:
        loc = item.get("loc") or ()
        if loc and loc[0] not in ("query", "path", "header", "cookie"):
            in_params = False
        errors.setdefault(_field_name(loc), []).append(validation_reason(item))
    names = ", ".join(errors)
    if in_params:
        return InvalidParameter(
            _("Parameter tidak valid: %(names)s.") % {"names": names}, errors=errors
        )
    return ValidationFailed(_("Data tidak valid: %(names)s.") % {"names": names}, errors=errors)


def install_problem_handlers(api: NinjaAPI) -> None:
    """Make every error an API can raise an RFC 9457 problem."""

    @api.exception_handler(MppError)
    def _domain(request: HttpRequest, exc: MppError) -> HttpResponse:
        return problem_response(request, exc)

    @api.exception_handler(NinjaValidationError)
    def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return problem_response(request, validation_error(exc))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(request, NotFound(_("Sumber daya tidak ditemukan.")))

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem_response(request, _http_error(exc.status_code, str(exc)))

    # A body Django cannot parse (multipart without a boundary, too many fields, too big) is
    # the client's fault, as Django's own handler says outside ninja: 400, not a crash.
    @api.exception_handler(MultiPartParserError)
    @api.exception_handler(BadRequest)
    @api.exception_handler(SuspiciousOperation)
    def _unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.warning(
            "Unreadable request body in API %s %s: %s", request.method, request.path, exc
        )
        return problem_response(request, _http_error(400, "Cannot parse request body"))

    @api.exception_handler(Exception)
    def _crash(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled error in API %s %s", request.method, request.path)
        return problem_response(
            request, InternalError(_("Kesalahan tak terduga; silakan coba lagi nanti."))
        )


# The API object ---------------------------------------------------------------------------


def _method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    detail = _("Metode %(method)s tidak diizinkan di sini; gunakan %(allowed)s.") % {
        "method": request.method,
        "allowed": allowed,
    }
    return problem_response(request, MethodNotAllowed(detail), headers={"Allow": allowed})


def _problem_safe(
    view: Callable[..., HttpResponseBase], *, read_only: bool = False
) -> Callable[..., HttpResponseBase]:
    """Turn what Django or ninja answer outside an operation (404, 405) into problems.

    `read_only` views (the OpenAPI document and the docs page) refuse other methods than GET.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if read_only and request.method not in ("GET", "HEAD"):
            return _method_not_allowed(request, "GET")
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return unknown_path(request)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            PROBLEM_CONTENT_TYPE
        ):
            return _method_not_allowed(request, response.get("Allow", ""))
        return response

    # Nothing here changes state: let a stray POST reach the problem, not the CSRF page.
    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped


@csrf_exempt
def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return problem_response(
        request, NotFound(_("Alamat API %(path)s tidak ada.") % {"path": request.path})
    )


class MppNinjaAPI(NinjaAPI):
    """NinjaAPI that answers problem+json for everything under its prefix, even unknown paths."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        install_problem_handlers(self)

    def _get_urls(self) -> list:
        patterns = super()._get_urls()
        for pattern in patterns:
            read_only = pattern.name in ("openapi-json", "openapi-view")
            pattern.callback = _problem_safe(pattern.callback, read_only=read_only)
        patterns.append(re_path(r"^.*$", unknown_path, name="unknown-path"))
        return patterns

    def get_openapi_schema(self, **kwargs: Any) -> dict:
        schema = super().get_openapi_schema(**kwargs)
        problem_ref = "#/components/schemas/ProblemDetails"
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    json_body = content.get("application/json")
                    if (
                        int(code) >= 400
                        and json_body
                        and json_body["schema"].get("$ref") == problem_ref
                    ):
                        response["content"] = {PROBLEM_CONTENT_TYPE: json_body}
        return schema


# Reads: caching, pagination, parameters --------------------------------------------------


def public_cache(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Router decorator (mode="view"): successful reads of public data may be cached 60 s."""

    @wraps(run)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = run(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return response

    return wrapped


def api_url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    """Absolute URL of another operation of the same API, by its url name."""
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    path = reverse(f"{namespace}:{name}" if namespace else name, kwargs=kwargs)
    return request.build_absolute_uri(path)


def max_page_size() -> int:
    return int(getattr(settings, "MPP_API_MAX_PAGE_SIZE", 100))


def _whole_number(value: Any) -> Any:
    # pydantic's lax mode reads "1.0" as 1; a parameter in a URL must be written as digits.
    if isinstance(value, str) and not re.fullmatch(r"-?[0-9]{1,12}", value.strip()):
        raise PydanticCustomError("int_parsing", "Input should be a valid integer")
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]


class PageQuery(Schema):
    """The `page` and `page_size` query parameters every list endpoint takes."""

    page: WholeNumber = Field(1, ge=1, description="Nomor halaman, mulai dari 1.")
    page_size: WholeNumber = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=max_page_size(),
        description=f"Jumlah hasil per halaman (1–{max_page_size()}).",
    )


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """The envelope of every paginated list."""

    count: int
    page: int
    page_size: int
    pages: int
    next: str | None
    previous: str | None
    results: list[T]


def _page_link(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(request: HttpRequest, queryset: QuerySet, params: PageQuery) -> tuple[list, dict]:
    """One page of a queryset (two queries) and its envelope; NotFound past the last page."""
    size = min(params.page_size, max_page_size())
    count = queryset.count()
    pages = max(1, math.ceil(count / size))
    if params.page > pages:
        reason = _("Halaman %(page)s tidak ada; hanya ada %(pages)s halaman.") % {
            "page": params.page,
            "pages": pages,
        }
        raise NotFound(reason, errors={"page": [reason]})
    start = (params.page - 1) * size
    items = list(queryset[start : start + size])
    envelope = {
        "count": count,
        "page": params.page,
        "page_size": size,
        "pages": pages,
        "next": _page_link(request, params.page + 1) if params.page < pages else None,
        "previous": _page_link(request, params.page - 1) if params.page > 1 else None,
    }
    return items, envelope


def by_slug(queryset: QuerySet, slug: str | None, *, param: str) -> Model | None:
    """The object a slug filter names; None when absent, InvalidParameter when unknown."""
    if not slug:
        return None
    found = queryset.filter(slug=slug).first()
    if found is None:
        reason = _("Nilai '%(value)s' tidak dikenal.") % {"value": slug}
        raise InvalidParameter(
            _("Parameter %(name)s tidak valid.") % {"name": param}, errors={param: [reason]}
        )
    return found


def split_list(text: str) -> list[str]:
    """A comma-separated text field as a clean list."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]
