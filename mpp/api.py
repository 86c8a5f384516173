"""The JSON API under /api/v1/ (django-ninja): one OpenAPI document for every app's routers."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="MPP API",
    version="1.0.0",
    description="API terbuka Mal Pelayanan Publik digital terkoneksi.",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
