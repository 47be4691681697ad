"""Files served for download: the one place a Content-Disposition header is written.

A file name is made of the characters an identifier may hold, so no name taken
from data (an achievement, a participant id, a request) can break the header,
add another one or reach outside the folder it is saved to.
"""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str) -> str:
    """`name` with every run of other characters turned into one `_`, and no leading dot."""
    return _UNSAFE.sub("_", name).lstrip(".")[:120] or "download"


def download(content: bytes | str, *, content_type: str, filename: str,
             inline: bool = False) -> HttpResponse:
    """A response that saves as `filename` (made safe), or opens in the browser when `inline`."""
    response = HttpResponse(content, content_type=content_type)
    header = content_disposition_header(as_attachment=not inline,
                                        filename=safe_filename(filename))
    if header is not None:  # None only for an inline file without a name
        response["Content-Disposition"] = header
    return response
