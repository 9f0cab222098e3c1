"""Sample images for the demo data, drawn with Pillow: handwritten signatures and agency seals.

Both are transparent PNGs as the clerical rules ask (NĐ 30/2020, Phụ lục I): the signature in blue ink,
the seal in red at its real size (40 mm at 300 dpi). Each carries the word "MẪU" so that nobody takes it
for a real one. Everything is deterministic: the same name always gives the same picture.

Shapes are drawn four times larger on a greyscale mask and scaled down, which gives smooth edges; the
colour is then applied through the mask so that the edges carry no dark fringe.
"""

from __future__ import annotations

import hashlib
import io
import math
import random
import unicodedata
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_PATH = Path(__file__).resolve().parent.parent / "static/fonts/liberation-serif/LiberationSerif-Bold.ttf"

SIGNATURE_INK = (26, 58, 156)  # #1a3a9c
SIGNATURE_LABEL = (112, 132, 170)  # grey-blue "MẪU"
SEAL_INK = (208, 32, 42)  # #d0202a

SIGNATURE_SIZE = (600, 240)  # ≈ 50 × 20 mm at 300 dpi
SEAL_DPI = 300
SEAL_DIAMETER_MM = 40
SUPERSAMPLE = 4
SAMPLE_WORD = "MẪU"


@lru_cache(maxsize=32)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size)


def _rng(text: str) -> random.Random:
    digest = hashlib.sha256(unicodedata.normalize("NFC", text).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _png(image: Image.Image, *, dpi: int = SEAL_DPI) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()


def _colourise(mask: Image.Image, colour: tuple[int, int, int]) -> Image.Image:
    """A solid-colour RGBA image whose alpha is ``mask`` (mode L)."""
    image = Image.new("RGBA", mask.size, (*colour, 0))
    image.putalpha(mask)
    return image


# --- signature -------------------------------------------------------------------------------------


class _Pen:
    """Stamps round dabs along a path on a mask: a pen whose width follows the pressure."""

    def __init__(self, mask: Image.Image) -> None:
        self.draw = ImageDraw.Draw(mask)

    def stroke(self, points: list[tuple[float, float]], widths: list[float]) -> None:
        for i in range(1, len(points)):
            (x0, y0), (x1, y1) = points[i - 1], points[i]
            w0, w1 = widths[i - 1], widths[i]
            steps = max(1, int(math.hypot(x1 - x0, y1 - y0) / max(1.0, min(w0, w1) / 3)))
            for s in range(steps + 1):
                f = s / steps
                x, y, r = x0 + (x1 - x0) * f, y0 + (y1 - y0) * f, (w0 + (w1 - w0) * f) / 2
                self.draw.ellipse((x - r, y - r, x + r, y + r), fill=255)


def _smooth_noise(rng: random.Random, terms: int = 3):
    """A smooth deterministic function of t in [0, 1] with values about in [-1, 1]."""
    waves = [(rng.uniform(0.6, 3.2) * (k + 1), rng.uniform(0, 2 * math.pi)) for k in range(terms)]

    def noise(t: float) -> float:
        return sum(math.sin(freq * 2 * math.pi * t + phase) for freq, phase in waves) / terms

    return noise


def _bezier(p0, p1, p2, p3, n: int) -> list[tuple[float, float]]:
    out = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        out.append(
            (
                u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
            )
        )
    return out


def _taper(n: int, base: float, pressure, start: float = 0.12, end: float = 0.25) -> list[float]:
    widths = []
    for i in range(n):
        t = i / max(1, n - 1)
        env = min(1.0, t / start if start else 1.0, (1 - t) / end if end else 1.0)
        env = 0.25 + 0.75 * math.sin(env * math.pi / 2)
        widths.append(base * env * (0.8 + 0.3 * pressure(t)))
    return widths


@lru_cache(maxsize=128)
def signature_png(full_name: str) -> bytes:
    """A flowing blue scribble derived from ``full_name``, with a small grey-blue "MẪU"."""
    rng = _rng(full_name)
    k = SUPERSAMPLE
    width, height = SIGNATURE_SIZE
    mask = Image.new("L", (width * k, height * k), 0)
    pen = _Pen(mask)

    words = full_name.split() or ["?"]
    given = words[-1]
    loops = max(4, min(8, len(given) + rng.randint(1, 3)))
    slant = rng.uniform(0.2, 0.4)
    baseline = height * k * rng.uniform(0.56, 0.62)
    x_start = width * k * rng.uniform(0.08, 0.14)
    x_end = width * k * rng.uniform(0.74, 0.82)
    height_noise = _smooth_noise(rng)
    radius_noise = _smooth_noise(rng)
    pressure = _smooth_noise(rng, 2)

    # The main stroke: a prolate trochoid, a chain of loops like joined-up letters, with the loops at
    # the top as in "l" and "h". Each letter gets its own height (the first one tall, like a capital)
    # and the widths wander smoothly; the hand slants to the right.
    heights = [rng.uniform(2.0, 2.5)] + [rng.choice((0.4, 0.55, 0.75, 1.0, 1.4, 1.8)) for _ in range(loops)]
    cycles = loops + 0.5
    samples = 90 * loops
    advance = (x_end - x_start) / (cycles * 2 * math.pi)
    main: list[tuple[float, float]] = []
    for i in range(samples + 1):
        t = i / samples
        theta = t * cycles * 2 * math.pi - math.pi
        cycle = max(0.0, theta / (2 * math.pi))  # the tops of the loops are at whole numbers
        j = min(int(cycle), len(heights) - 2)
        f = (1 - math.cos(math.pi * min(1.0, cycle - j))) / 2
        h = height * k * 0.2 * (heights[j] * (1 - f) + heights[j + 1] * f) * (1 + 0.15 * height_noise(t))
        r = advance * (1.7 + 0.6 * radius_noise(t))
        x = x_start + advance * (theta + math.pi) - r * math.sin(theta)
        y = baseline - h * (1 + math.cos(theta)) / 2
        x += slant * (baseline - y)
        main.append((x, y))
    pen.stroke(main, _taper(len(main), 8.5 * k, pressure, start=0.04, end=0.06))

    # The flourish: from the last loop, down under the name and back to the left, ending in a flick.
    ex, ey = main[-1]
    drop = height * k * rng.uniform(0.12, 0.2)
    back = x_start + (x_end - x_start) * rng.uniform(0.0, 0.25)
    flourish = _bezier(
        (ex, ey),
        (ex + width * k * 0.1, ey + drop * 1.6),
        (back + width * k * 0.25, baseline + drop * 1.4),
        (back, baseline + drop * rng.uniform(0.5, 0.9)),
        140,
    )
    pen.stroke(flourish, _taper(len(flourish), 7.0 * k, pressure, start=0.05, end=0.4))

    # A quick stroke through the top of the name, as many Vietnamese signatures have.
    if rng.random() < 0.7:
        y0 = baseline - height * k * rng.uniform(0.3, 0.42)
        x0 = x_start + (x_end - x_start) * rng.uniform(0.25, 0.45)
        x1 = x0 + width * k * rng.uniform(0.25, 0.4)
        dash = _bezier(
            (x0, y0 + 10 * k),
            (x0 + (x1 - x0) * 0.3, y0 - 12 * k),
            (x0 + (x1 - x0) * 0.7, y0 - 6 * k),
            (x1, y0 - 18 * k),
            60,
        )
        pen.stroke(dash, _taper(len(dash), 5.5 * k, pressure, start=0.1, end=0.5))

    small = mask.resize((width, height), Image.Resampling.LANCZOS)
    image = _colourise(small.point(lambda v: int(v * 0.96)), SIGNATURE_INK)

    label = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(label)
    draw.text(
        (width - 12, height - 10), SAMPLE_WORD, font=_font(22), fill=(*SIGNATURE_LABEL, 235), anchor="rs"
    )
    return _png(Image.alpha_composite(image, label))


# --- seal ------------------------------------------------------------------------------------------


def _star(cx: float, cy: float, outer: float, rotation: float = 0.0) -> list[tuple[float, float]]:
    inner = outer * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = rotation + i * math.pi / 5
        points.append((cx + radius * math.sin(angle), cy - radius * math.cos(angle)))
    return points


def _text_on_circle(
    mask: Image.Image, text: str, *, centre: float, radius: float, size: int, start: float, span: float
) -> None:
    """Write ``text`` clockwise along a circle, tops outward, its baseline on ``radius``.

    The text fills the arc from ``start`` over ``span`` (radians, clockwise from the top).
    """
    font = _font(size)
    chars = list(unicodedata.normalize("NFC", text))
    widths = [font.getlength(ch) for ch in chars]
    natural = sum(widths)
    spacing = (span * radius - natural) / max(1, len(chars) - 1)
    box = round(size * 2.6)  # the baseline in the middle; room for stacked Vietnamese marks above
    position = 0.0
    for ch, w in zip(chars, widths, strict=True):
        angle = start + (position + w / 2) / radius
        position += w + spacing
        if ch.isspace():
            continue
        glyph = Image.new("L", (box, box), 0)
        ImageDraw.Draw(glyph).text((box / 2, box / 2), ch, font=font, fill=255, anchor="ms")
        glyph = glyph.rotate(-math.degrees(angle), resample=Image.Resampling.BILINEAR)
        x = centre + radius * math.sin(angle) - box / 2
        y = centre - radius * math.cos(angle) - box / 2
        mask.paste(255, (round(x), round(y)), glyph)


def _fit_ring_size(text: str, radius: float, span: float, largest: int) -> int:
    size = largest
    while size > 8 and _font(size).getlength(text) * 1.12 > span * radius:
        size -= 1
    return size


@lru_cache(maxsize=32)
def seal_png(ring_text: str, centre_text: str = "") -> bytes:
    """A round red seal about 40 mm across: two rings, ``ring_text`` around, a star and "MẪU" inside.

    ``ring_text`` is written in upper case clockwise around the ring with a star closing it at the
    bottom; ``centre_text`` (for example the place name) goes under the star.
    """
    k = SUPERSAMPLE
    diameter = round(SEAL_DIAMETER_MM / 25.4 * SEAL_DPI)  # 472 px
    size = diameter * k
    c = size / 2
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)

    outer_w = 0.032 * size
    r_outer = c - outer_w / 2 - 2 * k
    draw.ellipse((c - r_outer, c - r_outer, c + r_outer, c + r_outer), outline=255, width=round(outer_w))
    r_inner = r_outer * 0.66
    inner_w = 0.011 * size
    draw.ellipse((c - r_inner, c - r_inner, c + r_inner, c + r_inner), outline=255, width=round(inner_w))

    # The ring text: baseline a little inside the middle of the band, tops towards the outer circle.
    band_in, band_out = r_inner + inner_w / 2, r_outer - outer_w / 2
    gap = math.radians(40)  # room for the closing star at the bottom
    span = 2 * math.pi - gap
    text = unicodedata.normalize("NFC", ring_text).upper()
    text_size = _fit_ring_size(text, band_in + (band_out - band_in) * 0.3, span, round(0.1 * size))
    baseline = band_in + (band_out - band_in - text_size * 0.72) / 2
    _text_on_circle(mask, text, centre=c, radius=baseline, size=text_size, start=math.pi + gap / 2, span=span)
    star_r = (band_out - band_in) * 0.3
    draw.polygon(_star(c, c + (band_in + band_out) / 2, star_r, rotation=math.pi), fill=255)

    # The middle: a star, the sample word across, and the place name.
    draw.polygon(_star(c, c - r_inner * 0.45, r_inner * 0.3), fill=255)
    word_size = round(r_inner * 0.5)
    draw.text((c, c + r_inner * 0.22), SAMPLE_WORD, font=_font(word_size), fill=255, anchor="ms")
    rule = r_inner * 0.72
    rule_w = max(1, round(inner_w * 0.8))
    draw.line((c - rule, c + r_inner * 0.32, c + rule, c + r_inner * 0.32), fill=255, width=rule_w)
    if centre_text:
        label = unicodedata.normalize("NFC", centre_text).upper()
        label_size = round(r_inner * 0.2)
        while label_size > 8 and _font(label_size).getlength(label) > r_inner * 1.3:
            label_size -= 1
        draw.text((c, c + r_inner * 0.6), label, font=_font(label_size), fill=255, anchor="ms")

    small = mask.resize((diameter, diameter), Image.Resampling.LANCZOS)
    return _png(_colourise(small.point(lambda v: int(v * 0.94)), SEAL_INK))
