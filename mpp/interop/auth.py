"""Authentication of agency systems on the API: bearer tokens of API clients (ADR 0030).

Use on a ninja router or operation:

    from mpp.interop.auth import api_client_auth, require_scope, client_queryset

    router = Router(auth=api_client_auth)

    @router.get("/agency/applications")
    def list_applications(request):
        require_scope(request, "applications:read")
        qs = client_queryset(request, Application.objects.all())  # own agency only
        ...

`request.auth` is the ApiClient (with `.agency`, `.agency_id`, `.scopes`).
"""

import datetime as dt

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from mpp.core.errors import NotFound
from mpp.interop import crypto
from mpp.interop.errors import ScopeMissing, Unauthenticated
from mpp.interop.models import ApiClient, ApiCredential

LAST_USED_RESOLUTION = dt.timedelta(seconds=60)
_CACHE_ATTR = "_mpp_api_client"


def client_for_token(token: str) -> ApiClient | None:
    """The active client whose valid credential this token is; marks both as used."""
    if not token or not token.startswith(crypto.TOKEN_PREFIX) or len(token) > 200:
        return None
    credential = (
        ApiCredential.objects.select_related("client__agency")
        .filter(token_hash=crypto.token_hash(token))
        .first()
    )
    now = timezone.now()
    if credential is None or not credential.is_valid_at(now):
        return None
    client = credential.client
    if not client.is_active or not client.agency.is_active:
        return None
    # Last-used times at a minute's resolution: no write on every request.
    stale = now - LAST_USED_RESOLUTION
    if credential.last_used_at is None or credential.last_used_at < stale:
        ApiCredential.objects.filter(pk=credential.pk).update(last_used_at=now)
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
    return client


def bearer_token(request: HttpRequest) -> str:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def client_from_request(request: HttpRequest) -> ApiClient | None:
    """The authenticated client of a request (looked up once per request)."""
    if not hasattr(request, _CACHE_ATTR):
        setattr(request, _CACHE_ATTR, client_for_token(bearer_token(request)))
    return getattr(request, _CACHE_ATTR)


class ApiClientAuth(HttpBearer):
    """django-ninja auth: `Authorization: Bearer mppk_...` of an active API client."""

    def __call__(self, request: HttpRequest) -> ApiClient:
        client = client_from_request(request)
        if client is None:
            if not bearer_token(request):
                raise Unauthenticated(_("Sertakan token klien API: Authorization: Bearer …"))
            raise Unauthenticated(_("Token klien API tidak valid, kedaluwarsa atau dicabut."))
        return client

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        return client_for_token(token)


api_client_auth = ApiClientAuth()


def require_scope(request: HttpRequest, scope: str) -> ApiClient:
    """The request's client when it holds `scope`; 403 problem `insufficient-scope` if not."""
    client = getattr(request, "auth", None)
    if not isinstance(client, ApiClient):
        raise Unauthenticated(_("Sertakan token klien API: Authorization: Bearer …"))
    if not client.has_scope(scope):
        raise ScopeMissing(
            _("Klien API ini tidak memiliki cakupan %(scope)s.") % {"scope": scope},
            required_scope=scope,
        )
    return client


def client_queryset(request_or_client, queryset: QuerySet, *, field: str = "agency") -> QuerySet:
    """The queryset limited to the client's own agency (`field` names the agency FK)."""
    client = getattr(request_or_client, "auth", request_or_client)
    return queryset.filter(**{f"{field}_id": client.agency_id})


def client_object(
    request_or_client, queryset: QuerySet, *, field: str = "agency", **lookup
) -> Model:
    """One object of the client's agency; another agency's (or no) object is NotFound."""
    found = client_queryset(request_or_client, queryset, field=field).filter(**lookup).first()
    if found is None:
        raise NotFound(_("Sumber daya tidak ditemukan."))
    return found
