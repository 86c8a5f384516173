"""Demo applications: five online services of five agencies, and a few cases in progress.

DEMO DATA ONLY. The cases are made through the same services as real ones (start, save,
submit, officer steps), so the work lists of the demo officers are not empty on first run.
"""

import struct
import zlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from mpp.accounts.models import User
from mpp.applications import services
from mpp.applications.form_schema import requirements_of
from mpp.applications.models import Application
from mpp.catalog.models import Service
from mpp.catalog.standard_schema import DataType, Requirement, RequirementKind

# (service slug, agency slug): applied for online end to end in tests and in the demo.
DEMO_ONLINE_SERVICES = (
    ("akta-kelahiran", "dispendukcapil"),
    ("skck", "polresta-malang-kota"),
    ("kartu-pencari-kerja", "disnaker-pmptsp"),
    ("mutasi-pbb-p2", "bapenda"),
    ("pendaftaran-jkn-mandiri", "bpjs-kesehatan"),
)
DEMO_NIK = "3573010101900001"

# (citizen e-mail, service slug, officer steps to take after submission)
DEMO_CASES = (
    ("warga.siti@contoh.id", "akta-kelahiran", ()),
    ("warga.budi@contoh.id", "skck", (("verifikator.polresta", "start_verification", ""),)),
    (
        "warga.rina@contoh.id",
        "kartu-pencari-kerja",
        (
            ("verifikator.disnaker", "start_verification", ""),
            (
                "verifikator.disnaker",
                "request_revision",
                "Pas foto kurang jelas; unggah ulang dengan latar belakang polos.",
            ),
        ),
    ),
    (
        "warga.demo@contoh.id",
        "mutasi-pbb-p2",
        (
            ("verifikator.bapenda", "start_verification", ""),
            ("verifikator.bapenda", "verify", ""),
        ),
    ),
)


def sample_png() -> bytes:
    """A real (tiny) PNG image to stand for a scanned document."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def sample_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def sample_answer(req: Requirement) -> Any:
    """A plausible answer for a data or condition requirement."""
    if req.kind == RequirementKind.CONDITION:
        return True
    return {
        DataType.NUMBER: "1",
        DataType.DATE: "2026-11-20",
        DataType.EMAIL: "contoh@contoh.id",
        DataType.PHONE: "+6281234500009",
        DataType.NIK: DEMO_NIK,
        DataType.CHOICE: (req.choices or [""])[0],
    }.get(req.data_type or DataType.TEXT, "Contoh isian")


def sample_upload(req: Requirement) -> SimpleUploadedFile:
    if "png" in req.file_types:
        return SimpleUploadedFile(f"{req.code}.png", sample_png(), content_type="image/png")
    if "jpg" in req.file_types and "pdf" not in req.file_types:
        raise ValueError(f"{req.code}: the demo has no JPEG sample")
    return SimpleUploadedFile(f"{req.code}.pdf", sample_pdf(), content_type="application/pdf")


def sample_form(service: Service) -> tuple[dict[str, Any], dict[str, SimpleUploadedFile]]:
    """Answers and uploads that complete the service's current application form."""
    answers, uploads = {}, {}
    for req in requirements_of(service.current_standard):
        if req.kind == RequirementKind.DOCUMENT:
            uploads[req.code] = sample_upload(req)
        else:
            answers[req.code] = sample_answer(req)
    return answers, uploads


def apply_with_samples(*, actor, service: Service) -> Application:
    """Start, fill in and submit an application with sample answers (demo and benchmarks)."""
    application = services.application_start(actor=actor, service_slug=service.slug)
    answers, uploads = sample_form(service)
    services.application_save(
        actor=actor, application=application, answers=answers, uploads=uploads
    )
    return services.application_submit(actor=actor, application=application)


def load_demo_applications() -> int:
    """Make the demo cases once (nothing when any demo citizen already has an application)."""
    emails = [email for email, _slug, _steps in DEMO_CASES]
    citizens = {u.email: u for u in User.objects.filter(email__in=emails)}
    if len(citizens) < len(emails) or Application.objects.filter(applicant__in=citizens.values()):
        return 0
    officers = {u.username: u for u in User.objects.filter(username__contains=".")}
    made = 0
    for email, slug, steps in DEMO_CASES:
        service = Service.objects.select_related("current_standard").filter(slug=slug).first()
        if service is None or service.current_standard is None:
            continue
        application = apply_with_samples(actor=citizens[email], service=service)
        for username, action, note in steps:
            application = services.application_transition(
                actor=officers[username], application=application, action=action, note=note
            )
        made += 1
    return made
