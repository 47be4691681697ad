"""The PDF certificate, read back by independent libraries.

pypdf extracts its text and link annotations, pdfium renders the page to an
image and zxing-cpp decodes the QR code from those pixels.
"""

from __future__ import annotations

import io
from datetime import date

import pypdf
import pypdfium2
import pytest
import zxingcpp

from pathwise.core.credentials.certificate import certificate_pdf, written_date
from pathwise.core.program import Program

VERIFY_URL = "https://pathwise.example.org/credentials/3f2a9c1e-7b7d-4a0e-9f51-2c8e1d9b0a77"
CREDENTIAL_ID = "urn:uuid:3f2a9c1e-7b7d-4a0e-9f51-2c8e1d9b0a77"


def make(program: Program, *, holder_name: str = "Zoë Łukasiewicz-Ñúñez",
         certified_on: date = date(2025, 3, 5), verify_url: str = VERIFY_URL) -> bytes:
    return certificate_pdf(title=program.final_badge.certificate_title,
                           holder_name=holder_name, certified_on=certified_on,
                           issuer_name=program.issuer, verify_url=verify_url,
                           credential_id=CREDENTIAL_ID)


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def qr_codes(pdf: bytes) -> list[str]:
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=2).to_pil()
    return [found.text for found in zxingcpp.read_barcodes(image)
            if found.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.fixture(scope="module")
def pdf(program: Program) -> bytes:
    return make(program)


def test_the_certificate_names_the_holder_the_title_from_the_program_and_the_date(
        pdf: bytes, program: Program) -> None:
    text = text_of(pdf)
    assert program.final_badge.certificate_title == (
        "CSCCE-certified scientific community manager")
    assert "Zoë Łukasiewicz-Ñúñez" in text
    assert "CSCCE-certified scientific community manager" in text
    assert "5 March 2025" in text
    assert program.issuer in text


def test_the_certificate_prints_the_verification_url_and_credential_id(pdf: bytes) -> None:
    text = text_of(pdf)
    assert VERIFY_URL in text
    assert CREDENTIAL_ID in text


def test_the_qr_code_decodes_to_the_verification_url(pdf: bytes) -> None:
    assert qr_codes(pdf) == [VERIFY_URL]


def test_the_qr_code_follows_the_url_it_is_given(program: Program) -> None:
    other = "https://badges.example.edu/verify/0001?lang=fr&from=certificate"
    assert qr_codes(make(program, verify_url=other)) == [other]


def test_the_qr_code_and_the_printed_url_are_links_to_the_verification_page(
        pdf: bytes) -> None:
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    uris = [annot.get_object()["/A"]["/URI"] for annot in page.get("/Annots", [])]
    assert uris == [VERIFY_URL, VERIFY_URL]


def test_the_page_is_a4_landscape(pdf: bytes) -> None:
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_the_document_title_names_the_certificate_and_holder(pdf: bytes) -> None:
    metadata = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None
    assert metadata.title == "CSCCE-certified scientific community manager — Zoë Łukasiewicz-Ñúñez"


def test_a_december_date_is_written_out(program: Program) -> None:
    assert "31 December 2024" in text_of(make(program, certified_on=date(2024, 12, 31)))


@pytest.mark.parametrize(("day", "written"), [
    (date(2025, 1, 1), "1 January 2025"),
    (date(2024, 2, 29), "29 February 2024"),
    (date(2025, 12, 9), "9 December 2025"),
])
def test_dates_are_written_out_in_english(day: date, written: str) -> None:
    assert written_date(day) == written


def test_a_long_name_is_shrunk_to_fit_inside_the_frame(program: Program) -> None:
    name = "Maria-Fernanda de los Ángeles Hernández-Villavicencio y Ruiz-Sánchez"
    text_page = pypdfium2.PdfDocument(make(program, holder_name=name))[0].get_textpage()
    text = text_page.get_text_range()
    start = text.index(name)
    left = text_page.get_charbox(start)[0]
    right = text_page.get_charbox(start + len(name) - 1)[2]
    frame_mm = 16 * 72 / 25.4
    assert frame_mm < left < right < 842 - frame_mm
