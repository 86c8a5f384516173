"""Data steps of the benchmark, run in a subprocess with the bench's environment.

python bench/bench_data.py generate N   # top the catalog up to N services
python bench/bench_data.py pick          # print JSON: the service slug to measure, counts
"""

import json
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from mpp.catalog.models import Service  # noqa: E402
from mpp.catalog.testing import make_agency, make_category, make_service  # noqa: E402

AGENCIES, CATEGORIES = 12, 8


def generate(wanted: int) -> None:
    """Add generated services (with adopted standards) until there are `wanted`."""
    if Service.objects.count() >= wanted:
        return
    agencies = [
        make_agency(slug=f"bench-instansi-{i}", name=f"Instansi Uji {i}") for i in range(AGENCIES)
    ]
    categories = [
        make_category(slug=f"bench-kategori-{i}", name=f"Kategori Uji {i}")
        for i in range(CATEGORIES)
    ]
    if not Service.objects.filter(slug__icontains="akta-kelahiran").exists():
        make_service(
            agency=agencies[0],
            category=categories[0],
            slug="akta-kelahiran",
            name="Akta Kelahiran",
            synonyms="akta lahir, akte kelahiran",
            keywords="bayi, lahir",
        )
    for i in range(Service.objects.count(), wanted):
        make_service(
            agency=agencies[i % AGENCIES],
            category=categories[i % CATEGORIES],
            slug=f"bench-layanan-{i}",
            name=f"Layanan Uji {i}",
            synonyms="izin, surat",
            keywords="uji beban",
        )


def pick() -> dict:
    """The service page to measure: Akta Kelahiran when present, else any adopted service."""
    adopted = Service.objects.filter(is_active=True, current_standard__isnull=False)
    service = (
        adopted.filter(slug__icontains="akta-kelahiran").order_by("slug").first()
        or adopted.order_by("slug").first()
    )
    return {
        "slug": service.slug if service else None,
        "services": Service.objects.count(),
        "adopted": adopted.count(),
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["generate"]:
        generate(int(sys.argv[2]))
    elif sys.argv[1:2] == ["pick"]:
        print(json.dumps(pick()))
    else:
        sys.exit(__doc__)
