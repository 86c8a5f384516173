"""Builders for tests and benchmarks: complete, valid standards and services."""

import copy
import itertools

from mpp.agencies.models import Agency
from mpp.catalog.models import Category, Service, ServiceStandard, StandardStatus
from mpp.catalog.search import index_text
from mpp.catalog.standard_schema import completion_minutes, fee_total

_counter = itertools.count(1)

VALID_COMPONENTS = {
    "requirements": [
        {
            "code": "ktp",
            "kind": "document",
            "name": "KTP-el pemohon",
            "mandatory": True,
            "file_types": ["pdf", "jpg", "png"],
        },
        {"code": "nama_anak", "kind": "data", "name": "Nama anak", "data_type": "text"},
        {"code": "domisili", "kind": "condition", "name": "Berdomisili di Kota Malang"},
    ],
    "procedure": [
        {
            "title": "Pengajuan berkas",
            "responsible": "Pemohon",
            "duration": {"value": 10, "unit": "minutes"},
        },
        {
            "title": "Verifikasi",
            "responsible": "Verifikator",
            "duration": {"value": 1, "unit": "working_days"},
        },
    ],
    "completion_time": {"value": 3, "unit": "working_days"},
    "fee": [],
    "products": [{"name": "Akta Kelahiran"}],
    "complaint_handling": {
        "description": "Pengaduan ditanggapi paling lambat 5 hari kerja.",
        "channels": [
            {
                "name": "SP4N-LAPOR!",
                "contact": "lapor.go.id",
                "response_time": {"value": 5, "unit": "working_days"},
            }
        ],
    },
    "legal_basis": [{"title": "UU 25/2009 tentang Pelayanan Publik"}],
    "facilities": ["Ruang tunggu", "Kursi roda"],
    "officer_competence": ["Memahami administrasi kependudukan"],
    "internal_supervision": "Atasan langsung melakukan pengawasan harian.",
    "officer_count": {"count": 4, "description": "4 petugas loket"},
    "service_guarantee": "Layanan diberikan sesuai standar.",
    "security_guarantee": "Data pemohon dijaga kerahasiaannya.",
    "performance_evaluation": "Evaluasi kinerja setiap triwulan.",
}


def valid_components(**overrides) -> dict:
    """A complete, valid set of the 14 components; keyword arguments replace components."""
    data = copy.deepcopy(VALID_COMPONENTS)
    data.update(overrides)
    return data


def make_agency(**fields) -> Agency:
    n = next(_counter)
    defaults = {
        "slug": f"instansi-{n}",
        "name": f"Instansi {n}",
        "short_name": f"I{n}",
        "kind": "city_office",
    }
    defaults.update(fields)
    return Agency.objects.create(**defaults)


def make_category(**fields) -> Category:
    n = next(_counter)
    defaults = {"slug": f"kategori-{n}", "name": f"Kategori {n}"}
    defaults.update(fields)
    return Category.objects.get_or_create(slug=defaults["slug"], defaults=defaults)[0]


def make_service(
    *,
    agency: Agency,
    adopted: bool = True,
    category: Category | None = None,
    components: dict | None = None,
    **fields,
) -> Service:
    """A service with (by default) one adopted standard, written directly for speed."""
    n = next(_counter)
    category = category or make_category(slug="umum", name="Umum")
    defaults = {
        "slug": f"layanan-{n}",
        "name": f"Layanan {n}",
        "short_description": f"Deskripsi layanan {n}",
        "channel": "both",
    }
    defaults.update(fields)
    service = Service.objects.create(agency=agency, category=category, **defaults)
    service.title_text = index_text(service.name, service.synonyms)
    service.search_text = index_text(
        service.name,
        service.synonyms,
        service.keywords,
        agency.name,
        agency.short_name,
        category.name,
    )
    if adopted:
        data = components or valid_components()
        standard = ServiceStandard.objects.create(
            service=service,
            agency=agency,
            version=1,
            status=StandardStatus.ADOPTED,
            effective_date="2026-01-02",
            fee_total=fee_total(data["fee"]),
            completion_minutes=completion_minutes(data["completion_time"]),
            **data,
        )
        service.current_standard = standard
    service.save()
    return service
