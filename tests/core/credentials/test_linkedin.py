"""LinkedIn "add to profile" links, parsed back with urllib, and the CV instructions."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from pathwise.core.credentials.linkedin import add_to_profile_url, cv_instructions

CERT_URL = "https://pathwise.example.org/credentials/3f2a9c1e?view=public&lang=en"
CERT_ID = "urn:uuid:3f2a9c1e-7b7d-4a0e-9f51-2c8e1d9b0a77"


def params(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com",
                                                         "/profile/add")
    parsed = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert all(len(values) == 1 for values in parsed.values()), parsed
    return {key: values[0] for key, values in parsed.items()}


def test_the_link_prefills_a_certification_with_every_field() -> None:
    url = add_to_profile_url(name="CSCCE-certified scientific community manager",
                             organization_name="CSCCE", issued_on=date(2025, 3, 5),
                             cert_url=CERT_URL, cert_id=CERT_ID)
    assert params(url) == {
        "startTask": "CERTIFICATION_NAME",
        "name": "CSCCE-certified scientific community manager",
        "organizationName": "CSCCE",
        "issueYear": "2025",
        "issueMonth": "3",
        "certUrl": CERT_URL,
        "certId": CERT_ID,
    }


def test_ampersands_and_non_ascii_characters_survive_the_round_trip() -> None:
    name = "Communities of Practice & Playbooks: Zoë's «badge» #1 + more = 100%"
    organization = "Center for Scientific Collaboration & Community Engagement (CSCCE) — 東京"
    url = add_to_profile_url(name=name, organization_name=organization,
                             issued_on=date(2024, 6, 30), cert_url=CERT_URL, cert_id=CERT_ID)
    assert url.isascii()
    assert " " not in url
    got = params(url)
    assert got["name"] == name
    assert got["organizationName"] == organization
    assert got["certUrl"] == CERT_URL
    assert len(got) == 7


@pytest.mark.parametrize(("issued_on", "year", "month"), [
    (date(2024, 12, 31), "2024", "12"),
    (date(2025, 1, 1), "2025", "1"),
])
def test_the_issue_month_counts_from_1_to_12(issued_on: date, year: str, month: str) -> None:
    got = params(add_to_profile_url(name="N", organization_name="O", issued_on=issued_on,
                                    cert_url=CERT_URL, cert_id=CERT_ID))
    assert (got["issueYear"], got["issueMonth"]) == (year, month)


def test_the_instructions_give_the_linkedin_link_the_verification_url_and_the_files() -> None:
    text = cv_instructions(name="Content Design & Delivery", organization_name="CSCCE",
                           issued_on=date(2024, 12, 2), cert_url=CERT_URL, cert_id=CERT_ID,
                           downloads_at="your page in Pathwise")
    linkedin = add_to_profile_url(name="Content Design & Delivery", organization_name="CSCCE",
                                  issued_on=date(2024, 12, 2), cert_url=CERT_URL,
                                  cert_id=CERT_ID)
    lines = [line.strip() for line in text.splitlines()]
    assert linkedin in lines, "the link stands on a line of its own, ready to copy"
    assert CERT_URL in lines
    assert "Content Design & Delivery, issued by CSCCE in December 2024." in text
    assert CERT_ID in text
    assert "your page in Pathwise" in text
    for word in ("LinkedIn", "CV", "PNG", "SVG", "PDF", "QR"):
        assert word in text
    assert "<" not in text, "plain text, no markup"
