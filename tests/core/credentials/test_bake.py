"""Badge artwork and baking: the credential goes into the PNG and the SVG once, and comes back out.

Baked images are read back with Pillow and ElementTree as well as with
`extract`, so the tests do not only trust the code that wrote them.
"""

from __future__ import annotations

import io
import json
import struct
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from pathwise.core.credentials.bake import BakingError, bake_png, bake_svg, extract
from pathwise.core.credentials.images import badge_png, badge_svg

SVG = "{http://www.w3.org/2000/svg}"
OB = "{https://purl.imsglobal.org/ob/v3p0}"

CREDENTIAL = json.dumps({
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "Content Design — passed by Zoë & Łukasz",
    "note": "a string that ends a CDATA section: ]]> and <tags/>",
}, ensure_ascii=False)


@pytest.fixture(scope="module")
def artwork() -> str:
    return badge_svg(achievement_id="https://example.org/achievements/cscce-cm/2023/CODE",
                     code="CODE", name="Content Design",
                     issuer_name="Center for Scientific Collaboration & Community Engagement")


@pytest.fixture(scope="module")
def png(artwork: str) -> bytes:
    return badge_png(artwork)


def parse(svg: str) -> ElementTree.Element:
    """Read an SVG the tests made themselves (trusted: no entity declarations)."""
    return ElementTree.fromstring(svg)  # noqa: S314


def itxt_chunks(png: bytes) -> list[bytes]:
    """The raw bodies of the PNG's iTXt chunks, read without Pillow or our own reader."""
    pos, found = 8, []
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"iTXt":
            found.append(png[pos + 8:pos + 8 + length])
        pos += 12 + length
    return found


# --- Artwork -----------------------------------------------------------------

def test_the_artwork_is_an_svg_with_a_title_and_description_naming_the_badge(
        artwork: str) -> None:
    root = parse(artwork)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.findtext(f"{SVG}title") or ""
    desc = root.findtext(f"{SVG}desc") or ""
    assert "Content Design" in title
    assert "Center for Scientific Collaboration & Community Engagement" in title
    assert "CODE" in desc
    texts = "".join(root.itertext())
    assert "CODE" in texts


def test_each_achievement_has_its_own_colour_and_the_same_one_every_time() -> None:
    def fills(achievement_id: str) -> list[str | None]:
        svg = badge_svg(achievement_id=achievement_id, code="X", name="X", issuer_name="I")
        return [el.get("fill") for el in parse(svg).iter(f"{SVG}polygon")]

    assert fills("https://example.org/a/CODE") == fills("https://example.org/a/CODE")
    assert fills("https://example.org/a/CODE") != fills("https://example.org/a/PBK")


def test_the_png_is_rendered_from_the_svg(artwork: str, png: bytes) -> None:
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.size == (400, 400)
        rgba = image.convert("RGBA")
    assert rgba.getpixel((2, 2))[3] == 0, "outside the rosette is transparent"
    circle_fill = parse(artwork).find(f"{SVG}circle")
    assert circle_fill is not None
    fill = circle_fill.get("fill") or ""
    expected = tuple(int(fill[i:i + 2], 16) for i in (1, 3, 5))
    # Inside the central disc, left of the code text: the disc's fill colour.
    assert rgba.getpixel((110, 250))[:3] == pytest.approx(expected, abs=2)


def test_the_png_can_be_rendered_at_another_size(artwork: str) -> None:
    with Image.open(io.BytesIO(badge_png(artwork, size=120))) as image:
        assert image.size == (120, 120)


# --- PNG ---------------------------------------------------------------------

def test_a_baked_png_reads_back_the_exact_credential(png: bytes) -> None:
    assert extract(bake_png(png, CREDENTIAL)) == CREDENTIAL


def test_a_baked_png_has_one_uncompressed_openbadgecredential_itxt_chunk(png: bytes) -> None:
    chunks = itxt_chunks(bake_png(png, CREDENTIAL))
    assert len(chunks) == 1
    keyword, rest = chunks[0].split(b"\0", 1)
    assert keyword == b"openbadgecredential"
    assert rest[0] == 0, "compression flag: uncompressed"
    assert rest[2:].split(b"\0", 2)[2].decode("utf-8") == CREDENTIAL


def test_a_baked_png_still_opens_as_the_same_image(png: bytes) -> None:
    baked = bake_png(png, CREDENTIAL)
    with Image.open(io.BytesIO(png)) as before, Image.open(io.BytesIO(baked)) as after:
        assert after.size == before.size
        assert after.mode == before.mode
        assert after.tobytes() == before.tobytes()
        assert isinstance(after, PngImagePlugin.PngImageFile)
        assert after.text["openbadgecredential"] == CREDENTIAL


def test_baking_a_png_again_replaces_the_credential(png: bytes) -> None:
    rebaked = bake_png(bake_png(png, CREDENTIAL), '{"id": "second"}')
    assert len(itxt_chunks(rebaked)) == 1
    assert extract(rebaked) == '{"id": "second"}'


def test_baking_a_png_keeps_its_other_text_chunks(png: bytes) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "CSCCE design team")
    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.save(out, format="PNG", pnginfo=info)
    with Image.open(io.BytesIO(bake_png(out.getvalue(), CREDENTIAL))) as baked:
        assert isinstance(baked, PngImagePlugin.PngImageFile)
        assert baked.text["Author"] == "CSCCE design team"


def test_a_png_with_two_credentials_is_refused(png: bytes) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("openbadgecredential", '{"id": "one"}', zip=False)
    info.add_itxt("openbadgecredential", '{"id": "two"}', zip=False)
    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.save(out, format="PNG", pnginfo=info)
    with pytest.raises(BakingError, match="2 baked credentials"):
        extract(out.getvalue())
    # Baking such an image leaves one.
    assert extract(bake_png(out.getvalue(), CREDENTIAL)) == CREDENTIAL


def test_a_compressed_credential_chunk_from_another_baker_is_read(png: bytes) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("openbadgecredential", CREDENTIAL, zip=True)
    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.save(out, format="PNG", pnginfo=info)
    assert extract(out.getvalue()) == CREDENTIAL


def test_a_compressed_chunk_that_expands_too_far_is_refused(png: bytes) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("openbadgecredential", " " * 2_000_000, zip=True)
    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.save(out, format="PNG", pnginfo=info)
    assert len(out.getvalue()) < 100_000
    with pytest.raises(BakingError, match="expands past 1,000,000 bytes"):
        extract(out.getvalue())


def test_a_png_without_a_credential_is_refused(png: bytes) -> None:
    with pytest.raises(BakingError, match="PNG image has no baked credential"):
        extract(png)


def test_a_corrupted_png_is_refused(png: bytes) -> None:
    baked = bytearray(bake_png(png, CREDENTIAL))
    where = baked.find(b"openbadgecredential")
    baked[where + 40] ^= 0x01
    with pytest.raises(BakingError, match="CRC"):
        extract(bytes(baked))


def test_something_that_is_not_an_image_is_refused() -> None:
    with pytest.raises(BakingError, match="not a PNG or SVG"):
        extract(b"GIF89a\x01\x00")
    with pytest.raises(BakingError, match="not a PNG or SVG"):
        extract(b"\xff\xfe\x00garbage")
    with pytest.raises(BakingError, match="not a PNG image"):
        bake_png(b"<svg/>", CREDENTIAL)


# --- SVG ---------------------------------------------------------------------

def test_a_baked_svg_reads_back_the_exact_credential(artwork: str) -> None:
    baked = bake_svg(artwork, CREDENTIAL)
    assert extract(baked.encode("utf-8")) == CREDENTIAL


def test_a_baked_svg_has_the_namespace_and_the_credential_first_inside_svg(
        artwork: str) -> None:
    baked = bake_svg(artwork, CREDENTIAL)
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    start = baked.index("<svg")
    assert baked[baked.index(">", start) + 1:].startswith(
        "<openbadges:credential><![CDATA[")
    root = parse(baked)
    first = root[0]
    assert first.tag == f"{OB}credential"
    assert first.text == CREDENTIAL, "read by ElementTree, ']]>' survives"
    assert root.find(f"{SVG}title") is not None, "the artwork is still there"


def test_baking_an_svg_again_replaces_the_credential(artwork: str) -> None:
    rebaked = bake_svg(bake_svg(artwork, CREDENTIAL), '{"id": "second"}')
    assert rebaked.count("<openbadges:credential>") == 1
    assert rebaked.count("xmlns:openbadges=") == 1
    assert extract(rebaked.encode("utf-8")) == '{"id": "second"}'


def test_an_svg_with_two_credentials_is_refused() -> None:
    two = ('<svg xmlns="http://www.w3.org/2000/svg" '
           'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
           '<openbadges:credential><![CDATA[{"id": "one"}]]></openbadges:credential>'
           '<g><openbadges:credential><![CDATA[{"id": "two"}]]></openbadges:credential></g>'
           "</svg>")
    with pytest.raises(BakingError, match="2 baked credentials"):
        extract(two.encode("utf-8"))


def test_an_svg_under_another_prefix_is_read() -> None:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" '
           'xmlns:ob="https://purl.imsglobal.org/ob/v3p0">'
           '<ob:credential>{"id": "x"}</ob:credential></svg>')
    assert extract(svg.encode("utf-8")) == '{"id": "x"}'


def test_an_svg_without_a_credential_is_refused(artwork: str) -> None:
    with pytest.raises(BakingError, match="SVG image has no baked credential"):
        extract(artwork.encode("utf-8"))


def test_svg_documents_that_are_not_badges_are_refused() -> None:
    with pytest.raises(BakingError, match="root element"):
        extract(b"<html><svg/></html>")
    with pytest.raises(BakingError, match="not well-formed"):
        bake_svg("<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", CREDENTIAL)
    bomb = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>'
            '<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>')
    with pytest.raises(BakingError, match="entities"):
        extract(bomb.encode("utf-8"))


json_text = st.recursive(
    st.none() | st.booleans() | st.integers()
    | st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\ufffe\uffff")),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=10,
).map(lambda value: json.dumps({"v": value, "end": "]]>"}, ensure_ascii=False))


@settings(max_examples=60, deadline=None)
@given(credential=json_text)
def test_any_credential_json_survives_both_bakings(artwork: str, png: bytes,
                                                   credential: str) -> None:
    assert extract(bake_svg(artwork, credential).encode("utf-8")) == credential
    assert extract(bake_png(png, credential)) == credential
