"""The HTTP adapter to the population registry (MPP_REGISTRY_URL, bearer MPP_REGISTRY_TOKEN).

Only this module speaks the registry's protocol; every failure becomes a domain error with
a message a citizen or officer can act on (never a 500). The NIK travels in the path of an
HTTPS request in production and is never written to MPP's logs.
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.translation import gettext as _

from mpp.registries.errors import RegistryCredentialsRejected, RegistryUnavailable
from mpp.registries.records import RegistryRecord, record_from_registry

logger = logging.getLogger(__name__)


def _unavailable() -> RegistryUnavailable:
    return RegistryUnavailable(
        _(
            "Data kependudukan tidak dapat diambil saat ini karena layanan Dukcapil tidak "
            "menjawab. Silakan isi data secara manual atau coba lagi nanti."
        )
    )


def fetch_person(nik: str) -> RegistryRecord | None:
    """The registry's record of a NIK, None when the registry does not know it."""
    base = settings.MPP_REGISTRY_URL.rstrip("/")
    if not base.startswith(("http://", "https://")):
        logger.error("MPP_REGISTRY_URL is not an http(s) URL")
        raise _unavailable()
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        f"{base}/v1/penduduk/{nik}",
        headers={
            "Authorization": f"Bearer {settings.MPP_REGISTRY_TOKEN}",
            "Accept": "application/json",
            "User-Agent": "MPP-registry-adapter/1",
        },
    )
    try:
        with urllib.request.urlopen(  # noqa: S310 - scheme checked above
            request, timeout=settings.MPP_REGISTRY_TIMEOUT
        ) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        if exc.code in (401, 403):
            logger.error("Registry refused MPP's credentials (HTTP %s)", exc.code)
            raise RegistryCredentialsRejected(
                _(
                    "Layanan Dukcapil menolak kredensial MPP, jadi data kependudukan tidak "
                    "dapat diambil. Pengelola MPP sudah dapat melihatnya di log; silakan isi "
                    "data secara manual."
                )
            ) from None
        logger.warning("Registry answered HTTP %s", exc.code)
        raise _unavailable() from None
    except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as exc:
        logger.warning("Registry unreachable: %s", type(exc).__name__)
        raise _unavailable() from None
    try:
        return record_from_registry(json.loads(body)["data"])
    except (ValueError, KeyError, TypeError):
        logger.warning("Registry gave an unreadable answer")
        raise _unavailable() from None
