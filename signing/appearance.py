"""Signature appearances (Decree 30, Appendix I, items 7–8), rendered to a one-page PDF by the output layer
(``eoffice.output.pdf``: WeasyPrint with the shipped fonts; stylesheet ``templates/signing/stamp.css``).

The stamp PDF is used as a static stamp: pyHanko 0.38 spaces text badly with 2048-unit fonts such as
Liberation Serif, so text is laid out by WeasyPrint, never by pyHanko. Boxes are in PDF points with the
origin at the bottom left of the page, as pyHanko expects.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MM = 72 / 25.4
SEAL_DIAMETER_MM = 36  # the usual real size of an agency seal when the PNG carries no resolution
ATTACHMENT_BOX = (250.0, 16.0)  # width, height in points
ATTACHMENT_MARGIN = 10 * MM


@dataclass(frozen=True)
class StampBox:
    """Where a stamp goes: a page (0-based) and a rectangle in PDF points (x1, y1) bottom-left."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (self.x1, self.y1, self.x2, self.y2)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> StampBox:
        return cls(page=int(data["page"]), **{k: float(data[k]) for k in ("x1", "y1", "x2", "y2")})


def signing_time_text(when: dt.datetime) -> str:
    """ISO 8601 in the Vietnam time zone, seconds precision: 2026-03-02T09:15:04+07:00."""
    return when.astimezone(VIETNAM).isoformat(timespec="seconds")


def leader_time_text(when: dt.datetime) -> str:
    """The time under a leader's signature image, as a reader in Vietnam reads it: "Ký ngày 07/12/2026
    14:05:12" (Vietnam time). ISO 8601 stays where Phụ lục I asks for it: the agency's stamp on attachments
    and copies (``attachment_stamp``)."""
    local = when.astimezone(VIETNAM)
    # Printed on the document, which is Vietnamese whatever the reader's interface language: not translated.
    return f"Ký ngày {local:%d/%m/%Y %H:%M:%S}"


# ---- standard boxes -------------------------------------------------------------------------------


def leader_box(*, page: int, x1: float, y1: float, x2: float, y2: float) -> StampBox:
    """The space between the signer's title and name, as the document template left it."""
    return StampBox(page=page, x1=x1, y1=y1, x2=x2, y2=y2)


def image_size_pt(png: bytes, *, default_width_mm: float = SEAL_DIAMETER_MM) -> tuple[float, float]:
    """Real size of a PNG from its resolution (pHYs), else ``default_width_mm`` wide."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        width_px, height_px = image.size
        dpi = image.info.get("dpi")
    if dpi and dpi[0] and float(dpi[0]) > 1 and abs(float(dpi[0]) - 72) > 0.5:
        return width_px / float(dpi[0]) * 72, height_px / float(dpi[1] or dpi[0]) * 72
    width = default_width_mm * MM
    return width, width * height_px / width_px


def seal_box_over(leader: StampBox, *, width: float, height: float) -> StampBox:
    """The seal at real size, covering about the left third of the leader's image (Appendix I, 8a)."""
    right = leader.x1 + leader.width / 3
    middle = leader.y1 + leader.height / 2
    return StampBox(
        page=leader.page, x1=right - width, y1=middle - height / 2, x2=right, y2=middle + height / 2
    )


def attachment_box(pdf: bytes) -> StampBox:
    """Top right of page 1 of an attachment (Appendix I, 8b)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    media = _media_box(reader.find_page_for_modification(0)[0].get_object())
    x2 = float(media[2]) - ATTACHMENT_MARGIN
    y2 = float(media[3]) - ATTACHMENT_MARGIN / 2
    width, height = ATTACHMENT_BOX
    return StampBox(page=0, x1=x2 - width, y1=y2 - height, x2=x2, y2=y2)


def _media_box(node):
    while node is not None:
        if "/MediaBox" in node:
            return [float(v) for v in node["/MediaBox"]]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return [0.0, 0.0, 595.28, 841.89]


# ---- rendering ------------------------------------------------------------------------------------


STYLESHEET = "signing/stamp.css"


def _render(body: str, *, width: float, height: float) -> bytes:
    """The stamp as a one-page PDF of the box's size, through the output layer (the shipped fonts, the
    stamp's stylesheet parsed once per process, images inline)."""
    from eoffice.output import pdf as output_pdf

    return output_pdf.write_page(
        f"<!doctype html><html><body>{body}</body></html>",
        width=width,
        height=height,
        stylesheets=[output_pdf.stylesheet(output_pdf.template_file(STYLESHEET))],
    )


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def leader_stamp(
    *, box: StampBox, signature_png: bytes | None, signer_name: str, when: dt.datetime | None, show_time=True
) -> bytes:
    """The competent person's signature image (blue, transparent PNG) centred in ``box``; the signing time
    below it in Vietnamese (``leader_time_text``)."""
    time_line = (
        f'<div class="time">{html.escape(leader_time_text(when))}</div>' if (show_time and when) else ""
    )
    room = box.height - (9 if time_line else 0)
    if signature_png:
        inner = f'<img src="{_data_uri(signature_png)}" style="max-height: {room:.1f}pt" alt="">'
    else:  # no image on file: the name in italics keeps the stamp honest rather than blank
        pad = max(room / 2 - 10, 0)
        inner = f'<div class="name" style="padding-top: {pad:.1f}pt">{html.escape(signer_name)}</div>'
    return _render(f'<div class="box leader">{inner}{time_line}</div>', width=box.width, height=box.height)


def seal_stamp(*, box: StampBox, seal_png: bytes) -> bytes:
    """The agency's seal (red, transparent PNG) filling ``box``, which should be its real size."""
    return _render(
        f'<div class="box seal"><img src="{_data_uri(seal_png)}" alt=""></div>',
        width=box.width,
        height=box.height,
    )


def attachment_stamp(*, box: StampBox, number_symbol: str, when: dt.datetime) -> bytes:
    """No image: "number and symbol; signing time" in a Times-metric font, 10 pt, upright, black."""
    text = f"{html.escape(number_symbol)}; {html.escape(signing_time_text(when))}"
    return _render(f'<div class="box attachment">{text}</div>', width=box.width, height=box.height)
