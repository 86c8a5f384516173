"""The receipt (tanda terima) of a submitted application: one A4 page with a tracking QR code."""

import io

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.nik import mask_nik
from mpp.applications.models import Application
from mpp.documents.pdf import date_id, new_pdf, qr_png


def tracking_url(application: Application) -> str:
    path = reverse("applications:track", args=[application.tracking_code])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def receipt_pdf(application: Application) -> bytes:
    """The receipt: number, tracking code and link, service, person, date and deadline."""
    pdf = new_pdf()
    t, family = pdf.text_, pdf.doc_family
    pdf.set_title(t(_("Tanda terima permohonan %(number)s") % {"number": application.number}))
    pdf.set_creator("MPP")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(family, "B", 14)
    pdf.multi_cell(
        width,
        7,
        t(f"Mal Pelayanan Publik {settings.MPP_CITY_NAME}"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(family, "", 11)
    pdf.multi_cell(width, 6, t(application.agency.name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(8)
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(
        width, 8, t(_("Tanda Terima Permohonan")), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(6)
    submitted = timezone.localtime(application.submitted_at)
    rows = [
        (_("Nomor permohonan"), application.number or ""),
        (_("Kode lacak"), application.tracking_code),
        (_("Layanan"), application.service.name),
        (_("Pemohon"), f"{application.subject_name} ({mask_nik(application.subject_nik)})"),
        (_("Diajukan"), f"{date_id(submitted)} {submitted:%H.%M} WIB"),
        (
            _("Batas waktu penyelesaian"),
            _("%(date)s (%(days)s hari kerja, standar pelayanan versi %(version)s)")
            % {
                "date": date_id(application.due_date),
                "days": application.sla_working_days,
                "version": application.standard.version,
            },
        ),
    ]
    if application.representation_id:
        rows.append((_("Diajukan oleh kuasa"), application.applicant.display_name()))
    for label, value in rows:
        y = pdf.get_y()
        pdf.set_font(family, "B", 11)
        pdf.multi_cell(60, 6, t(str(label)), new_x="RIGHT", new_y="TOP")
        bottom = pdf.get_y()
        pdf.set_xy(pdf.l_margin + 60, y)
        pdf.set_font(family, "", 11)
        pdf.multi_cell(width - 60, 6, t(str(value)), new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), bottom) + 2)
    pdf.ln(4)
    pdf.set_font(family, "", 10)
    advice = _(
        "Simpan tanda terima ini. Ikuti perkembangan permohonan dengan memindai kode QR atau "
        "membuka alamat di bawahnya; tidak perlu masuk akun. Layanan tidak dipungut biaya "
        "di luar yang tercantum dalam standar pelayanan."
    )
    pdf.multi_cell(width, 5, t(advice), new_x="LMARGIN", new_y="NEXT")
    url = tracking_url(application)
    size = 40
    top = pdf.get_y() + 6
    pdf.image(io.BytesIO(qr_png(url)), x=pdf.l_margin, y=top, w=size, h=size, link=url)
    pdf.set_xy(pdf.l_margin + size + 5, top + 10)
    pdf.set_font(family, "B", 10)
    pdf.cell(0, 5, t(_("Lacak permohonan:")), new_x="LEFT", new_y="NEXT")
    pdf.set_font(family, "", 9)
    pdf.cell(0, 5, url, link=url, new_x="LEFT", new_y="NEXT")
    return bytes(pdf.output())
