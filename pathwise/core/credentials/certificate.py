"""The PDF certificate: one A4 landscape page with a QR code that opens the verification page.

Drawn with reportlab; the QR code comes from segno and is drawn as vector
squares, so it stays sharp at any print size. Text is set in an embedded
TrueType font (DejaVu Sans where the system has it, otherwise the Bitstream Vera
that reportlab ships), so names outside ASCII print and can be searched.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import reportlab
import segno
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

INK = HexColor("#1f2933")
ACCENT = HexColor("#1d5c63")
MUTED = HexColor("#52606d")

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_VERA = Path(str(reportlab.__file__)).parent / "fonts"


def written_date(day: date) -> str:
    """A date written out in English, the same in every locale: "5 March 2025"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def certificate_pdf(*, title: str, holder_name: str, certified_on: date, issuer_name: str,
                    verify_url: str, credential_id: str) -> bytes:
    """The certificate as PDF bytes: title, holder, date, issuer, QR code and URL."""
    regular, bold = _fonts()
    width, height = landscape(A4)
    out = io.BytesIO()
    pdf = Canvas(out, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(f"{title} — {holder_name}")
    pdf.setAuthor(issuer_name)
    pdf.setSubject(f"Certificate {credential_id}; verify at {verify_url}")
    pdf.setCreator("Pathwise")

    # Frame.
    pdf.setStrokeColor(ACCENT)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(0.8)
    pdf.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    text_width = width - 60 * mm
    lines = [  # text, baseline from the top, font, size, colour
        (issuer_name, 40, regular, 14, MUTED),
        ("Certificate", 62, bold, 34, ACCENT),
        ("This certifies that", 80, regular, 14, MUTED),
        (holder_name, 97, bold, 30, INK),
        ("is a", 110, regular, 14, MUTED),
        (title, 124, bold, 22, ACCENT),
        (f"Certified on {written_date(certified_on)}", 140, regular, 14, INK),
    ]
    for text, from_top, font, size, colour in lines:
        pdf.setFillColor(colour)
        pdf.setFont(font, _fitting_size(text, font, size, text_width))
        pdf.drawCentredString(width / 2, height - from_top * mm, text)

    # QR code and how to verify, bottom left.
    side = 38 * mm
    left, bottom = 26 * mm, 24 * mm
    _qr(pdf, verify_url, left, bottom, side)
    pdf.linkURL(verify_url, (left, bottom, left + side, bottom + side), relative=0)
    text_left = left + side + 6 * mm
    room = width - text_left - 26 * mm
    pdf.setFillColor(MUTED)
    pdf.setFont(regular, 10)
    pdf.drawString(text_left, bottom + 26 * mm,
                   "Scan the code or open this address to check the certificate:")
    url_size = _fitting_size(verify_url, regular, 11, room, smallest=6)
    pdf.setFillColor(ACCENT)
    pdf.setFont(regular, url_size)
    pdf.drawString(text_left, bottom + 19 * mm, verify_url)
    pdf.linkURL(verify_url, (text_left, bottom + 18 * mm, text_left + room, bottom + 24 * mm),
                relative=0)
    pdf.setFillColor(MUTED)
    id_size = _fitting_size(f"Credential ID: {credential_id}", regular, 9, room, smallest=5)
    pdf.setFont(regular, id_size)
    pdf.drawString(text_left, bottom + 12 * mm, f"Credential ID: {credential_id}")
    issued = f"Issued by {issuer_name} as a signed Open Badges 3.0 credential."
    pdf.setFont(regular, _fitting_size(issued, regular, 9, room, smallest=5))
    pdf.drawString(text_left, bottom + 6 * mm, issued)

    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _fonts() -> tuple[str, str]:
    """Register the embedded fonts once; their names for regular and bold text."""
    if "Pathwise" not in pdfmetrics.getRegisteredFontNames():
        if (_DEJAVU / "DejaVuSans.ttf").is_file() and (_DEJAVU / "DejaVuSans-Bold.ttf").is_file():
            regular, bold = _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"
        else:
            regular, bold = _VERA / "Vera.ttf", _VERA / "VeraBd.ttf"
        pdfmetrics.registerFont(TTFont("Pathwise", str(regular)))
        pdfmetrics.registerFont(TTFont("Pathwise-Bold", str(bold)))
    return "Pathwise", "Pathwise-Bold"


def _fitting_size(text: str, font: str, largest: float, width: float, *,
                  smallest: float = 8) -> float:
    """The largest size up to `largest` at which `text` fits `width`, but not below `smallest`."""
    size = largest
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _qr(pdf: Canvas, data: str, x: float, y: float, side: float) -> None:
    """Draw a QR code for `data` as black squares on white, quiet zone included."""
    code = segno.make_qr(data, error="m")
    rows = [list(row) for row in code.matrix_iter(scale=1, border=4)]
    module = side / len(rows)
    pdf.setFillColor(HexColor("#ffffff"))
    pdf.rect(x, y, side, side, stroke=0, fill=1)
    pdf.setFillColor(HexColor("#000000"))
    path = pdf.beginPath()
    for r, row in enumerate(rows):
        # One rectangle per run of dark modules: no hairline seams between them.
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            run = c
            while run < len(row) and row[run]:
                run += 1
            path.rect(x + c * module, y + side - (r + 1) * module, (run - c) * module, module)
            c = run
    pdf.drawPath(path, stroke=0, fill=1)
