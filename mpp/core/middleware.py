"""Site-wide request handling: the interface language, and domain errors on HTML pages."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from mpp.core.errors import MppError

ERROR_TEMPLATES = {400: "errors/400.html", 403: "errors/403.html", 404: "errors/404.html"}


class InterfaceLanguageMiddleware(LocaleMiddleware):
    """Indonesian pages unless the visitor chose English with the switch (the cookie).

    Browsers' Accept-Language is ignored for pages: many Indonesian citizens run English
    browsers and expect the government's pages in Indonesian. Machines calling the API may
    still ask for English with Accept-Language.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            super().process_request(request)
            return
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path.startswith("/api/"):
            return super().process_response(request, response)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class DomainErrorPageMiddleware:
    """A domain error raised by a page's service or selector becomes its error page, not a 500."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, MppError) or request.path.startswith("/api/"):
            return None
        status = exception.status if exception.status in ERROR_TEMPLATES else 400
        return render(
            request,
            ERROR_TEMPLATES[status],
            {"error_title": exception.title, "error_detail": exception.detail},
            status=exception.status,
        )
