"""One invoice as a PDF (fpdf2): what the web page downloads and the kiosk's e-mail attaches."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.domain.catalogue import text
from kiosk.services.billing_results import InvoiceDocument

_ENCODING = "windows-1252"
"""The core fonts' encoding that has ``€``: no font file to ship for French text."""


def _printable(value: str) -> str:
    """``value`` with what the core fonts cannot draw (a name in another script) as ``?``."""
    return value.encode(_ENCODING, "replace").decode(_ENCODING)


def invoice_pdf(document: InvoiceDocument) -> bytes:
    """The PDF of ``document``: heading, operator, then one line per field of
    :meth:`InvoiceDocument.lines` (holder, commune, contract, meter, period, m³, amounts
    excl. and incl. tax, status, due date), amounts in French form.

    fpdf2 is loaded on the first PDF, not with the services: it costs a quarter of a second
    and 43 MiB, which every kiosk paid at start-up though few customers ask for a PDF (the
    services call this in a worker thread, so the event loop does not wait for it either).
    """
    from fpdf import FPDF  # here, not at the top: see above

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = _ENCODING
    invoice = document.invoice
    pdf.set_title(_printable(text("invoice_number_title", number=invoice.number)))
    pdf.set_author(_printable(document.operator))
    # The issue date, not now: the same invoice gives the same file whenever it is asked for.
    issued = invoice.issued_on
    pdf.set_creation_date(datetime(issued.year, issued.month, issued.day, tzinfo=UTC))
    pdf.add_page()
    pdf.set_margins(20, 20, 20)
    pdf.set_font("helvetica", "B", 18)
    pdf.cell(0, 12, _printable(text("invoice_heading")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 12)
    pdf.cell(0, 8, _printable(document.operator), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    for label, value in document.lines():
        pdf.set_font("helvetica", "B", 11)
        pdf.cell(62, 8, _printable(label))
        pdf.set_font("helvetica", "", 11)
        pdf.cell(0, 8, _printable(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("helvetica", "I", 9)
    pdf.cell(0, 6, _printable(text("invoice_pdf_footer")), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
