import hashlib
import io
import re

import pytest
import time_machine
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from mpp.core.errors import InvalidParameter
from mpp.core.models import AuditRecord
from mpp.documents import pdf, signing
from mpp.documents.models import IssuedDocument
from mpp.documents.services import document_issue

pytestmark = pytest.mark.django_db


def minimal_pdf() -> bytes:
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(text="uji")
    return bytes(doc.output())


def _stored_bytes(document: IssuedDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_issued_pdf_is_pades_signed_and_validates_against_the_local_root(issued, signing_dir):
    data = _stored_bytes(issued)
    reader = PdfFileReader(io.BytesIO(data))

    [embedded] = reader.embedded_signatures
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    root = load_cert_from_pemder(str(signing_dir / signing.ROOT_CERT))
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[root]))
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert "Dinas Kependudukan" in status.signing_cert.subject.human_friendly


def test_record_keeps_the_hash_of_the_stored_file_and_an_unguessable_code(issued, agency_a):
    assert issued.sha256 == hashlib.sha256(_stored_bytes(issued)).hexdigest()
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", issued.code)
    assert issued.agency == agency_a
    assert issued.revoked_at is None
    assert issued.code not in issued.file.name  # the storage name is not derivable
    assert AuditRecord.objects.filter(action="document.issue", target_id=str(issued.pk)).exists()


def test_public_summary_masks_the_nik(issued):
    assert issued.statements["NIK"] == "3573••••••••0001"
    assert issued.statements["Nama"] == "Siti Rahmawati"


def test_pdf_links_the_qr_code_to_the_verification_url(issued, monkeypatch, agency_a):
    url = f"https://mpp.example.test/verifikasi/{issued.code}/"
    assert url.encode() in _stored_bytes(issued)  # link annotation on the QR image and text

    payloads = []
    real = pdf.qr_png
    monkeypatch.setattr(pdf, "qr_png", lambda payload: payloads.append(payload) or real(payload))
    again = document_issue(agency=agency_a, title="Surat", statements={"A": "B"})
    assert payloads == [f"https://mpp.example.test/verifikasi/{again.code}/"]


def test_issue_date_is_written_in_indonesian():
    import datetime

    moment = datetime.datetime(2025, 3, 11, 20, 0, tzinfo=datetime.UTC)  # 12 March in Jakarta
    assert pdf.date_id(moment) == "12 Maret 2025"


def test_pdf_is_one_page_a4(issued):
    reader = PdfFileReader(io.BytesIO(_stored_bytes(issued)))
    pages = reader.root["/Pages"]
    assert pages["/Count"] == 1
    page = pages["/Kids"][0]
    box = [float(v) for v in (page.get("/MediaBox") or pages["/MediaBox"])]
    assert round(box[2]) == 595 and round(box[3]) == 842


def test_unknown_template_is_refused(agency_a):
    with pytest.raises(InvalidParameter):
        document_issue(agency=agency_a, title="X", statements={}, template="tidak-ada")


@time_machine.travel("2025-08-17 09:00 +0700", tick=False)
def test_issued_at_is_now(agency_a):
    document = document_issue(agency=agency_a, title="Surat", statements={"Hal": "Uji"})
    assert document.issued_at.isoformat().startswith("2025-08-17T02:00")
