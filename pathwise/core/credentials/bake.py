"""Baking: a signed credential embedded in its badge image, as Open Badges 3.0 specifies.

- PNG: one `iTXt` chunk with keyword `openbadgecredential`, uncompressed, whose
  text is the credential JSON.
- SVG: `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"` on the `<svg>`
  element and `<openbadges:credential><![CDATA[…]]></openbadges:credential>`
  right after its start tag.

Baking replaces a credential that is already there: an image never carries two.
`extract` reads the credential back from either kind of image and refuses one
that carries none or more than one.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from xml.etree import ElementTree

from PIL import Image, PngImagePlugin

from pathwise.core.errors import PathwiseError

PNG_KEYWORD = "openbadgecredential"
OB_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: A compressed credential chunk may not expand past this (a credential is a few KB;
#: an uploaded image must not be able to make us inflate gigabytes).
MAX_CREDENTIAL_BYTES = 1_000_000


class BakingError(PathwiseError):
    """An image cannot be baked, or holds no single credential to read back."""


# --- PNG ---------------------------------------------------------------------

def bake_png(png: bytes, credential_json: str) -> bytes:
    """The PNG with `credential_json` in its one `openbadgecredential` iTXt chunk.

    The image is re-encoded by Pillow with the same pixels; its other text
    chunks, transparency, resolution and colour profile are kept, and any
    `openbadgecredential` chunk it had is dropped.
    """
    _png_chunks(png)  # a clear error for something that is not a PNG
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        if not isinstance(image, PngImagePlugin.PngImageFile):
            raise BakingError("not a PNG image: Pillow does not read it as one")
        info = PngImagePlugin.PngInfo()
        for key, value in image.text.items():
            if key == PNG_KEYWORD:
                continue
            if isinstance(value, PngImagePlugin.iTXt):
                info.add_itxt(key, value, value.lang or "", value.tkey or "")
            else:
                info.add_text(key, value)
        info.add_itxt(PNG_KEYWORD, credential_json, zip=False)
        options: dict[str, object] = {"pnginfo": info}
        for key in ("transparency", "dpi", "icc_profile"):
            if key in image.info:
                options[key] = image.info[key]
        out = io.BytesIO()
        image.save(out, format="PNG", **options)
    return out.getvalue()


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, data) chunks of a PNG, each checked against its CRC."""
    if not data.startswith(PNG_SIGNATURE):
        raise BakingError("not a PNG image: it does not start with the PNG signature")
    chunks: list[tuple[bytes, bytes]] = []
    pos = len(PNG_SIGNATURE)
    while pos < len(data):
        if pos + 12 > len(data):
            raise BakingError("not a valid PNG image: it ends inside a chunk header")
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 8 + length
        if end + 4 > len(data):
            raise BakingError(f"not a valid PNG image: chunk {kind!r} runs past the end")
        body = data[pos + 8:end]
        (crc,) = struct.unpack(">I", data[end:end + 4])
        if zlib.crc32(kind + body) != crc:
            raise BakingError(f"not a valid PNG image: chunk {kind!r} fails its CRC check")
        chunks.append((kind, body))
        pos = end + 4
        if kind == b"IEND":
            break
    return chunks


def _png_credentials(data: bytes) -> list[str]:
    found: list[str] = []
    for kind, body in _png_chunks(data):
        if kind != b"iTXt":
            continue
        keyword, _, rest = body.partition(b"\0")
        if keyword != PNG_KEYWORD.encode("latin-1"):
            continue
        if len(rest) < 2:
            raise BakingError("the openbadgecredential iTXt chunk is truncated")
        compressed, method = rest[0], rest[1]
        parts = rest[2:].split(b"\0", 2)
        if len(parts) != 3:
            raise BakingError("the openbadgecredential iTXt chunk is truncated")
        text = parts[2]
        if compressed:
            if method != 0:
                raise BakingError(f"the openbadgecredential chunk uses unknown "
                                  f"compression method {method}")
            inflate = zlib.decompressobj()
            try:
                text = inflate.decompress(text, MAX_CREDENTIAL_BYTES)
            except zlib.error as exc:
                raise BakingError(f"the openbadgecredential chunk does not "
                                  f"decompress: {exc}") from exc
            if inflate.unconsumed_tail:
                raise BakingError(f"the openbadgecredential chunk expands past "
                                  f"{MAX_CREDENTIAL_BYTES:,} bytes")
        try:
            found.append(text.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise BakingError("the openbadgecredential chunk is not UTF-8 text") from exc
    return found


# --- SVG ---------------------------------------------------------------------

# The root element's start tag: attribute values may hold ">" inside quotes.
_SVG_START = re.compile(r"""<svg(?=[\s>/])(?:[^>"']|"[^"]*"|'[^']*')*>""")
_OB_XMLNS = re.compile(r"""\sxmlns:openbadges\s*=\s*(?:"[^"]*"|'[^']*')""")
_OB_ELEMENT = re.compile(
    r"<openbadges:credential\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?"
    r"(?:/>|>.*?</openbadges:credential\s*>)",
    re.DOTALL,
)


def bake_svg(svg: str, credential_json: str) -> str:
    """The SVG with `credential_json` in one `openbadges:credential` element after `<svg>`.

    A credential element already there is removed first. "]]>" inside the JSON
    is split across two CDATA sections, so the element's text is exactly the JSON.
    """
    _parse_svg(svg)  # a clear error for something that is not an SVG document
    svg = _OB_ELEMENT.sub("", svg)
    match = _SVG_START.search(svg)
    if match is None:
        raise BakingError("not an SVG image: no <svg> start tag")
    tag = match.group(0)
    if tag.endswith("/>"):
        raise BakingError("the SVG image is empty (<svg/>): nothing to bake into")
    tag = _OB_XMLNS.sub("", tag)
    tag = f'{tag[:-1]} xmlns:openbadges="{OB_NAMESPACE}">'
    cdata = credential_json.replace("]]>", "]]]]><![CDATA[>")
    element = f"<openbadges:credential><![CDATA[{cdata}]]></openbadges:credential>"
    return svg[:match.start()] + tag + element + svg[match.end():]


def _parse_svg(text: str) -> ElementTree.Element:
    if "<!ENTITY" in text:
        # No entity declarations: they are how XML bombs and external reads work.
        raise BakingError("the SVG declares XML entities, which are not accepted")
    try:
        # Safe here: without entity declarations there is nothing to expand or fetch.
        root = ElementTree.fromstring(text)  # noqa: S314
    except ElementTree.ParseError as exc:
        raise BakingError(f"not an SVG image: not well-formed XML ({exc})") from exc
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise BakingError(f"not an SVG image: its root element is {root.tag!r}, not svg")
    return root


def _svg_credentials(text: str) -> list[str]:
    root = _parse_svg(text)
    return ["".join(el.itertext()) for el in root.iter(f"{{{OB_NAMESPACE}}}credential")]


# --- Reading back ------------------------------------------------------------

def extract(data: bytes) -> str:
    """The credential baked into a PNG or SVG image, exactly as it was embedded."""
    if data.startswith(PNG_SIGNATURE):
        found = _png_credentials(data)
        kind = "PNG"
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BakingError("not a PNG or SVG image") from exc
        if "<svg" not in text:
            raise BakingError("not a PNG or SVG image")
        found = _svg_credentials(text)
        kind = "SVG"
    if not found:
        raise BakingError(f"the {kind} image has no baked credential")
    if len(found) > 1:
        raise BakingError(f"the {kind} image has {len(found)} baked credentials; "
                          f"a badge image carries exactly one")
    return found[0]
