"""The JSON API under /api/v1/ (django-ninja): one OpenAPI document for every app's routers.

MppNinjaAPI (mpp.core.api) makes every error, unknown path and wrong method under /api/v1/
an RFC 9457 problem and serves the docs with local assets under the site's CSP.
"""

from mpp.catalog.api import router as catalog_router
from mpp.core.api import MppNinjaAPI

api = MppNinjaAPI(
    title="MPP API",
    version="1.0.0",
    description="API terbuka Mal Pelayanan Publik digital terkoneksi.",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", catalog_router)
api.add_router("", "mpp.applications.api.router")
api.add_router("", "mpp.interop.api.router")
api.add_router("", "mpp.interop.agency_applications.router")
api.add_router("", "mpp.interop.agency_bookings.router")
api.add_router("", "mpp.queueing.api.router")
