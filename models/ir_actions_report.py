import functools
import io
import logging
import subprocess

from reportlab.pdfgen import canvas

from odoo import models
from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin
from odoo.tools.pdf import PdfFileReader, PdfFileWriter, merge_pdf

_logger = logging.getLogger(__name__)

REVIEW_REPORTS = {
    "sale_regional_target.report_sale_target_review",
    "sale_regional_target.report_sale_target_sections",
}


@functools.cache
def wkhtmltopdf_has_footers():
    """Whether this wkhtmltopdf draws the layout's footer: only builds with
    patched Qt do ("wkhtmltopdf 0.12.6 (with patched qt)"); Debian's does not."""
    try:
        out = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"],
            capture_output=True,
            check=False,
            timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return b"patched qt" in out


def number_pages(pdf):
    """``pdf`` (bytes) with "n / N" at the foot of each page."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False, overwriteWarnings=False)
    total = reader.getNumPages()
    packet = io.BytesIO()
    stamp = canvas.Canvas(packet)
    for index in range(total):
        box = reader.getPage(index).mediaBox
        width, height = float(abs(box.getWidth())), float(abs(box.getHeight()))
        stamp.setPageSize((width, height))
        stamp.setFont("Helvetica", 8)
        stamp.setFillGray(0.35)
        stamp.drawCentredString(width / 2, 22, f"{index + 1} / {total}")
        stamp.showPage()
    stamp.save()
    numbers = PdfFileReader(packet, overwriteWarnings=False)
    writer = PdfFileWriter()
    for index in range(total):
        page = reader.getPage(index)
        page.mergePage(numbers.getPage(index))
        writer.addPage(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _check_review_access(self, report, ids):
        """A review's report is refused in words before anything is drawn, not
        half-way through the template (a QWebException wrapping the refusal)."""
        if report.report_name in REVIEW_REPORTS and ids:
            self.env[report.model].browse(ids).check_access("read")

    def _render_qweb_html(self, report_ref, docids, data=None):
        # what /report/html/<report>/<ids> renders
        ids = [docids] if isinstance(docids, int) else list(docids or [])
        self._check_review_access(self._get_report(report_ref), ids)
        return super()._render_qweb_html(report_ref, docids, data=data)

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        report = self._get_report(report_ref)
        ids = [res_ids] if isinstance(res_ids, int) else list(res_ids or [])
        self._check_review_access(report, ids)
        if (
            report.report_name in REVIEW_REPORTS
            and len(ids) > 1
            and not wkhtmltopdf_has_footers()
        ):
            # a wkhtmltopdf without patched Qt fails on several documents at
            # once ("Exit with code 1, due to unknown error"): one at a time
            parts = []
            for record_id in ids:
                part, kind = super()._render_qweb_pdf(
                    report_ref, res_ids=[record_id], data=dict(data or {})
                )
                if kind != "pdf":
                    return part, kind
                parts.append(part)
            return number_pages(merge_pdf(parts)), "pdf"
        content, kind = super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        if (
            kind == "pdf"
            and report.report_name in REVIEW_REPORTS
            and content.startswith(b"%PDF")
            and not wkhtmltopdf_has_footers()
        ):
            # the layout's footer, with its page numbers, is left out by a
            # wkhtmltopdf without patched Qt: number the pages here instead
            content = number_pages(content)
        return content, kind
