"""One-page A4 PDFs for issued documents (fpdf2), with a QR code to the verification page.

Layouts are registered by name in TEMPLATES so each service can pick its own later; "default"
is a plain letter: agency, title, the statements as a table, issue date, QR code and code.
The built-in Helvetica covers Latin-1; characters beyond it are replaced by close ASCII
equivalents unless settings.MPP_DOCUMENT_FONT names a Unicode TTF font to embed.
"""

import datetime
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import segno
from django.conf import settings
from django.utils import timezone
from fpdf import FPDF

MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
_REPLACEMENTS = {
    "•": "*",
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
}


def date_id(moment: datetime.datetime | datetime.date) -> str:
    """12 Maret 2025 (local time of the mall for a datetime)."""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    return f"{moment.day} {MONTHS_ID[moment.month - 1]} {moment.year}"


def verification_url(code: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/verifikasi/{code}/"


def qr_png(payload: str) -> bytes:
    out = io.BytesIO()
    segno.make(payload, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


@dataclass(frozen=True)
class DocumentContent:
    agency_name: str
    city_name: str
    title: str
    statements: dict[str, str]
    issued_at: datetime.datetime
    code: str


class _Pdf(FPDF):
    unicode_font = False
    doc_family = "helvetica"

    def text_(self, value: str) -> str:
        value = str(value)
        if self.unicode_font:
            return value
        value = "".join(_REPLACEMENTS.get(ch, ch) for ch in value)
        try:
            value.encode("latin-1")
            return value
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFKD", value)
            return "".join(
                ch if ord(ch) < 256 else "?" for ch in decomposed if not unicodedata.combining(ch)
            )


def new_pdf() -> _Pdf:
    pdf = _Pdf(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(20, 20, 20)
    font = getattr(settings, "MPP_DOCUMENT_FONT", "")
    if font:
        pdf.add_font("doc", "", font)
        pdf.add_font("doc", "B", getattr(settings, "MPP_DOCUMENT_FONT_BOLD", "") or font)
        pdf.unicode_font = True
        pdf.doc_family = "doc"
    else:
        pdf.doc_family = "helvetica"
    return pdf


def _verification_block(pdf: _Pdf, doc: DocumentContent) -> None:
    """The QR code, the link and the code at the foot of the page."""
    family, t = pdf.doc_family, pdf.text_
    url = verification_url(doc.code)
    size = 35
    top = pdf.h - pdf.b_margin - size - 5
    pdf.image(io.BytesIO(qr_png(url)), x=pdf.l_margin, y=top, w=size, h=size, link=url)
    text_x = pdf.l_margin + size + 5
    pdf.set_xy(text_x, top + 4)
    pdf.set_font(family, "B", 10)
    pdf.cell(0, 5, t("Periksa keaslian dokumen ini:"), new_x="LEFT", new_y="NEXT")
    pdf.set_font(family, "", 9)
    pdf.cell(0, 5, url, link=url, new_x="LEFT", new_y="NEXT")
    pdf.set_font(family, "B", 10)
    pdf.cell(0, 6, t(f"Kode verifikasi: {doc.code}"), new_x="LEFT", new_y="NEXT")
    pdf.set_font(family, "", 8)
    pdf.multi_cell(
        pdf.w - pdf.r_margin - text_x,
        4,
        t(
            "Dokumen ini ditandatangani secara elektronik. Salinan yang diubah tidak akan "
            "dinyatakan asli pada halaman verifikasi."
        ),
    )


def _default_layout(pdf: _Pdf, doc: DocumentContent) -> None:
    family, t = pdf.doc_family, pdf.text_
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(family, "B", 14)
    pdf.multi_cell(width, 7, t(doc.agency_name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(
        width,
        5,
        t(f"Mal Pelayanan Publik {doc.city_name}"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(10)
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(width, 8, t(doc.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    _statement_table(pdf, doc, width)
    pdf.ln(6)
    pdf.set_font(family, "", 11)
    pdf.cell(
        width,
        6,
        t(f"Diterbitkan di {doc.city_name}, {date_id(doc.issued_at)}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.cell(
        width,
        6,
        t("Ditandatangani secara elektronik oleh ") + t(doc.agency_name),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _verification_block(pdf, doc)


def _certificate_layout(pdf: _Pdf, doc: DocumentContent) -> None:
    """A certificate (surat keterangan): a framed page, the statement as a sentence, a table."""
    family, t = pdf.doc_family, pdf.text_
    pdf.set_line_width(0.8)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.2)
    pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_y(24)
    pdf.set_font(family, "B", 13)
    pdf.multi_cell(width, 7, t(doc.agency_name.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(
        width,
        5,
        t(f"Mal Pelayanan Publik {doc.city_name}"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(12)
    pdf.set_font(family, "B", 20)
    pdf.multi_cell(width, 10, t(doc.title.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font(family, "", 11)
    pdf.multi_cell(
        width,
        6,
        t(f"{doc.agency_name} menerangkan bahwa permohonan berikut telah diperiksa dan disetujui:"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    _statement_table(pdf, doc, width)
    pdf.ln(8)
    pdf.set_x(pdf.w / 2)
    pdf.multi_cell(
        width / 2,
        6,
        t(f"{doc.city_name}, {date_id(doc.issued_at)}\n{doc.agency_name}")
        + "\n"
        + t("(ditandatangani secara elektronik)"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _verification_block(pdf, doc)


def _statement_table(pdf: _Pdf, doc: DocumentContent, width: float) -> None:
    family, t = pdf.doc_family, pdf.text_
    label_width = 60
    for label, value in doc.statements.items():
        pdf.set_font(family, "B", 11)
        y = pdf.get_y()
        pdf.multi_cell(label_width, 6, t(label), new_x="RIGHT", new_y="TOP")
        label_bottom = pdf.get_y()
        pdf.set_xy(pdf.l_margin + label_width, y)
        pdf.set_font(family, "", 11)
        pdf.multi_cell(width - label_width, 6, t(value), new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), label_bottom) + 2)


TEMPLATES: dict[str, Callable[[_Pdf, DocumentContent], None]] = {
    "default": _default_layout,
    "certificate": _certificate_layout,
}


def render_pdf(doc: DocumentContent, *, template: str = "default") -> bytes:
    """The unsigned PDF bytes; raises KeyError for an unknown template."""
    layout = TEMPLATES[template]
    pdf = new_pdf()
    pdf.set_title(pdf.text_(doc.title))
    pdf.set_author(pdf.text_(doc.agency_name))
    pdf.set_subject(verification_url(doc.code))
    pdf.set_creator("MPP")
    pdf.set_creation_date(doc.issued_at)
    pdf.add_page()
    layout(pdf, doc)
    return bytes(pdf.output())
