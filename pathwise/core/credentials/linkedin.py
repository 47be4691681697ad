"""LinkedIn "add to profile" links and the plain-language instructions for LinkedIn and a CV.

The link opens LinkedIn's "Add license or certification" form with every field
filled in. Its parameters are those many public implementations use (LinkedIn's
own page could not be checked): `startTask=CERTIFICATION_NAME`, `name`,
`organizationName`, `issueYear`, `issueMonth` (1 to 12, not JavaScript's 0 to 11),
`certUrl` and `certId`, each URL-encoded.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote, urlencode

from pathwise.core.credentials.certificate import MONTHS

ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def add_to_profile_url(*, name: str, organization_name: str, issued_on: date, cert_url: str,
                       cert_id: str) -> str:
    """The link that adds a certification to the viewer's LinkedIn profile, prefilled."""
    query = urlencode(
        [
            ("startTask", "CERTIFICATION_NAME"),
            ("name", name),
            ("organizationName", organization_name),
            ("issueYear", str(issued_on.year)),
            ("issueMonth", str(issued_on.month)),
            ("certUrl", cert_url),
            ("certId", cert_id),
        ],
        quote_via=quote,
        safe="",
    )
    return f"{ADD_TO_PROFILE}?{query}"


def cv_instructions(*, name: str, organization_name: str, issued_on: date, cert_url: str,
                    cert_id: str, downloads_at: str = "your participant page") -> str:
    """Short plain-text steps for putting one badge on LinkedIn and on a digital CV.

    `downloads_at` says where the participant finds the badge images and the
    certificate, such as "your participant page in Pathwise".
    """
    linkedin = add_to_profile_url(name=name, organization_name=organization_name,
                                  issued_on=issued_on, cert_url=cert_url, cert_id=cert_id)
    issued = f"{MONTHS[issued_on.month - 1]} {issued_on.year}"
    return "\n".join([
        f"Your badge: {name}, issued by {organization_name} in {issued}.",
        "",
        "Add it to LinkedIn",
        "1. Sign in to LinkedIn, then open this link:",
        f"   {linkedin}",
        "2. LinkedIn opens \"Add license or certification\" with the name, the issuing",
        "   organization, the issue date, the credential ID and the credential URL",
        "   filled in. Check them and select Save.",
        "",
        "Add it to a digital CV or website",
        f"1. Download the badge image from {downloads_at}. Take the PNG for most",
        "   sites and documents, or the SVG where vector images are accepted. The",
        "   signed credential is baked into the image file itself.",
        "2. Put the image next to the entry, with a link to the verification page:",
        f"   {cert_url}",
        f"3. Give the credential ID if a form asks for one: {cert_id}",
        "",
        "How others can check it",
        "Anyone can open the verification page to see that the badge is genuine and",
        "still valid, or upload the badge image there to check the credential inside",
        f"it. The PDF certificate, also on {downloads_at}, carries a QR code that",
        "opens the same page.",
    ])
