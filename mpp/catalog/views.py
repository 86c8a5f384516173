"""Public catalog pages (placeholder views; the full pages are built on these names)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mpp.catalog import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/home.html", {"services": selectors.service_list()[:12]})


def service_list(request: HttpRequest) -> HttpResponse:
    services = selectors.service_list(query=request.GET.get("q", ""))
    return render(request, "catalog/service_list.html", {"services": services})


def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(
        request, "catalog/service_detail.html", {"service": selectors.service_detail(slug=slug)}
    )


def agency_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/agency_list.html", {"agencies": selectors.agency_list()})


def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(
        request, "catalog/agency_detail.html", {"agency": selectors.agency_detail(slug=slug)}
    )
