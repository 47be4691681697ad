"""Badge artwork: an SVG drawn from the achievement's data, and a PNG rendered from that SVG.

The artwork is a rosette with the achievement's code in the middle, its name
around it, and a ribbon naming the issuer. Its colour comes from the achievement
id, so each badge keeps its look between runs and differs from its neighbours.
The SVG carries a `<title>` and a `<desc>` for screen readers; the PNG is
rendered from the same SVG by cairosvg (which needs the system's libcairo2).
"""

from __future__ import annotations

import colorsys
import hashlib
import math
import textwrap
from xml.sax.saxutils import escape, quoteattr

import cairosvg  # type: ignore[import-untyped]

#: Side of the square artwork, in SVG user units (and PNG pixels at scale 1).
SIZE = 400


def badge_svg(*, achievement_id: str, code: str, name: str, issuer_name: str) -> str:
    """The badge artwork for one achievement, as a standalone SVG document."""
    hue = int(hashlib.sha256(achievement_id.encode("utf-8")).hexdigest()[:4], 16) % 360
    main, dark, light = _hex(hue, 0.42, 0.55), _hex(hue, 0.24, 0.60), _hex(hue, 0.92, 0.50)
    centre = SIZE / 2
    points = " ".join(
        f"{centre + r * math.cos(a):.1f},{centre - 10 + r * math.sin(a):.1f}"
        for i in range(48)
        for r, a in [((150 if i % 2 == 0 else 136), math.pi * i / 24)]
    )
    code_size = _fit(code, width=190, largest=56, smallest=16)
    name_lines = textwrap.wrap(name, width=22)[:3] or [name]
    name_tspans = "".join(
        f'<tspan x="{centre:g}" dy="{0 if i == 0 else 18}">{escape(line)}</tspan>'
        for i, line in enumerate(name_lines)
    )
    issuer_lines = textwrap.wrap(issuer_name, width=44)[:2] or [issuer_name]
    issuer_size = 13 if len(issuer_lines) == 1 else 11
    issuer_tspans = "".join(
        f'<tspan x="{centre:g}" dy="{0 if i == 0 else issuer_size + 2}">{escape(line)}</tspan>'
        for i, line in enumerate(issuer_lines)
    )
    issuer_y = 338 if len(issuer_lines) == 1 else 332
    title = f"{name} — a badge from {issuer_name}"
    desc = (f"A rosette badge marked {code} for the achievement {name!s}, "
            f"with a ribbon naming the issuer, {issuer_name}.")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}" role="img" aria-labelledby="badge-title badge-desc">'
        f'<title id="badge-title">{escape(title)}</title>'
        f'<desc id="badge-desc">{escape(desc)}</desc>'
        f'<polygon points="{points}" fill={quoteattr(main)}/>'
        f'<circle cx="{centre:g}" cy="{centre - 10:g}" r="118" fill={quoteattr(light)} '
        f'stroke={quoteattr(dark)} stroke-width="6"/>'
        f'<text x="{centre:g}" y="{centre - 30:g}" text-anchor="middle" '
        f'font-family="DejaVu Sans, Verdana, sans-serif" font-weight="bold" '
        f'font-size="{code_size}" fill={quoteattr(dark)}>{escape(code)}</text>'
        f'<text x="{centre:g}" y="{centre + 8:g}" text-anchor="middle" '
        f'font-family="DejaVu Sans, Verdana, sans-serif" font-size="15" '
        f'fill={quoteattr(dark)}>{name_tspans}</text>'
        f'<path d="M40,312 L360,312 L344,336 L360,360 L40,360 L56,336 Z" '
        f'fill={quoteattr(dark)}/>'
        f'<text x="{centre:g}" y="{issuer_y}" text-anchor="middle" '
        f'font-family="DejaVu Sans, Verdana, sans-serif" font-size="{issuer_size}" '
        f'fill="#ffffff">{issuer_tspans}</text>'
        "</svg>\n"
    )


def badge_png(svg: str, *, size: int = SIZE) -> bytes:
    """Render badge artwork (an SVG document) to a square PNG `size` pixels wide."""
    png: bytes = cairosvg.svg2png(bytestring=svg.encode("utf-8"),
                                  output_width=size, output_height=size)
    return png


def _fit(text: str, *, width: int, largest: int, smallest: int) -> int:
    """A font size at which `text` fits `width` units (about 0.75 em per bold capital)."""
    return max(smallest, min(largest, int(width / (0.75 * max(len(text), 1)))))


def _hex(hue: int, lightness: float, saturation: float) -> str:
    """An sRGB colour as #rrggbb (cairosvg does not read CSS hsl())."""
    r, g, b = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
