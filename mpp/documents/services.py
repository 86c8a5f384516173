"""Issue signed documents and check copies of them."""

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

from mpp.core.audit import audit
from mpp.core.errors import InvalidParameter, NotFound
from mpp.core.logging import mask_sixteen_digits
from mpp.documents import pdf as pdf_render
from mpp.documents.models import IssuedDocument, new_verification_code
from mpp.documents.signing import signer_for, trust_roots

SIGNATURE_FIELD = "TandaTanganInstansi"


def sign_pdf(data: bytes, *, agency, reason: str) -> bytes:
    """Sign the PDF as PAdES (ETSI.CAdES.detached) with the agency's key and chain."""
    meta = PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=getattr(settings, "MPP_CITY_NAME", ""),
        name=agency.name,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    out = PdfSigner(meta, signer=signer_for(agency)).sign_pdf(writer)
    return out.getvalue()


def _public_statements(statements: dict) -> dict[str, str]:
    """What the verification page may show: strings, 16-digit numbers (NIK) masked."""
    return {str(k): mask_sixteen_digits(str(v)) for k, v in statements.items()}


def document_issue(
    *,
    agency,
    title: str,
    statements: dict,
    template: str = "default",
    issued_by=None,
    source_type: str = "",
    source_id: str = "",
) -> IssuedDocument:
    """Render, sign and store a one-page PDF; the returned record holds its hash and code.

    The PDF shows the statements as given; the record (and so the public verification page)
    keeps them with any NIK masked. Callers pass only what the document needs to state.
    """
    if template not in pdf_render.TEMPLATES:
        raise InvalidParameter(_("Templat dokumen tidak dikenal: %(name)s") % {"name": template})
    if not title.strip():
        raise InvalidParameter(_("Judul dokumen wajib diisi."))
    code = new_verification_code()
    issued_at = timezone.now()
    content = pdf_render.DocumentContent(
        agency_name=agency.name,
        city_name=getattr(settings, "MPP_CITY_NAME", ""),
        title=title,
        statements={str(k): str(v) for k, v in statements.items()},
        issued_at=issued_at,
        code=code,
    )
    signed = sign_pdf(
        pdf_render.render_pdf(content, template=template), agency=agency, reason=title
    )
    return _store(
        code=code,
        agency=agency,
        title=title,
        template=template,
        statements=statements,
        signed=signed,
        issued_at=issued_at,
        issued_by=issued_by,
        source_type=source_type,
        source_id=source_id,
    )


def document_attach(
    *,
    agency,
    data: bytes,
    title: str,
    statements: dict,
    issued_by=None,
    source_type: str = "",
    source_id: str = "",
) -> IssuedDocument:
    """Take a PDF an agency's own system produced: countersign it (PAdES, incremental, so
    earlier signatures stay valid) with the agency's certificate and store it like an
    issued one; its verification code is shown on MPP's pages, not inside the file."""
    if not title.strip():
        raise InvalidParameter(_("Judul dokumen wajib diisi."))
    if not data.startswith(b"%PDF-"):
        raise InvalidParameter(_("Dokumen harus berupa berkas PDF."))
    try:
        signed = sign_pdf(data, agency=agency, reason=title)
    except Exception as exc:  # a damaged or encrypted PDF cannot be signed
        raise InvalidParameter(
            _("Berkas PDF tidak dapat dibaca atau ditandatangani. Kirim PDF yang utuh.")
        ) from exc
    return _store(
        code=new_verification_code(),
        agency=agency,
        title=title,
        template="attached",
        statements=statements,
        signed=signed,
        issued_at=timezone.now(),
        issued_by=issued_by,
        source_type=source_type,
        source_id=source_id,
    )


def _store(
    *,
    code,
    agency,
    title,
    template,
    statements,
    signed,
    issued_at,
    issued_by,
    source_type,
    source_id,
) -> IssuedDocument:
    by = issued_by if getattr(issued_by, "pk", None) else None
    document = IssuedDocument(
        code=code,
        agency=agency,
        title=title,
        template=template,
        statements=_public_statements(statements),
        sha256=hashlib.sha256(signed).hexdigest(),
        issued_at=issued_at,
        issued_by=by,
        created_by=by,
        source_type=source_type,
        source_id=str(source_id),
    )
    with transaction.atomic():
        document.file.save(f"{code}.pdf", ContentFile(signed), save=False)
        document.save()
        audit(
            actor=issued_by,
            action="document.issue",
            target=document,
            agency_id=agency.pk,
            data={"title": title, "sha256": document.sha256, "template": template},
        )
    return document


def document_revoke(*, document: IssuedDocument, actor, reason: str = "") -> IssuedDocument:
    """Mark the document revoked; its verification page says so from then on."""
    if document.revoked_at is None:
        with transaction.atomic():
            document.revoked_at = timezone.now()
            document.revocation_reason = reason[:300]
            document.modified_by = actor if getattr(actor, "pk", None) else None
            document.save(update_fields=["revoked_at", "revocation_reason", "modified_by"])
            audit(
                actor=actor,
                action="document.revoke",
                target=document,
                agency_id=document.agency_id,
                data={"reason": reason[:300]},
            )
    return document


def document_by_code(code: str) -> IssuedDocument:
    document = (
        IssuedDocument.objects.select_related("agency").filter(code=code[:40]).first()
        if code
        else None
    )
    if document is None:
        raise NotFound(_("Kode verifikasi tidak dikenal."))
    return document


@dataclass(frozen=True)
class SignatureReport:
    """What the embedded signature says, independent of the hash comparison."""

    present: bool
    intact: bool = False
    trusted: bool = False
    pades: bool = False
    signer: str = ""
    covers_whole_file: bool = False

    @property
    def valid(self) -> bool:
        return self.present and self.intact and self.trusted


@dataclass(frozen=True)
class CopyCheck:
    authentic: bool  # the bytes are exactly the issued file
    sha256: str
    signature: SignatureReport


def check_signature(data: bytes) -> SignatureReport:
    """Validate the first embedded signature against the trusted roots (local CA + trust/)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # unreadable or damaged PDF: no signature to speak of
        return SignatureReport(present=False)
    if not signatures:
        return SignatureReport(present=False)
    embedded = signatures[0]
    subfilter = str(embedded.sig_object.get("/SubFilter", ""))
    try:
        context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
        status = validate_pdf_signature(embedded, signer_validation_context=context)
    except Exception:
        return SignatureReport(present=True, pades=subfilter == "/ETSI.CAdES.detached")
    return SignatureReport(
        present=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        pades=subfilter == "/ETSI.CAdES.detached",
        signer=status.signing_cert.subject.human_friendly if status.signing_cert else "",
        covers_whole_file=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
    )


def document_check_copy(*, document: IssuedDocument, data: bytes) -> CopyCheck:
    """Authentic only when the copy is byte-for-byte the issued file (same SHA-256)."""
    digest = hashlib.sha256(data).hexdigest()
    return CopyCheck(
        authentic=digest == document.sha256,
        sha256=digest,
        signature=check_signature(data),
    )
