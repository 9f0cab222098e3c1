"""Sample PDFs and images for the signing tests (also used by bench/signing.py)."""

from __future__ import annotations

import io
import re
import subprocess

from django.conf import settings
from PIL import Image, ImageDraw

from signing.appearance import StampBox

# Where the sample's signer block leaves room for the signature image (A4, points, origin bottom left).
SIGNER_BOX = StampBox(page=0, x1=340.0, y1=462.0, x2=520.0, y2=532.0)


def sample_pdf(*, title: str = "QUYẾT ĐỊNH", pages: int = 1) -> bytes:
    """A small Decree-30-like document with a signer block: title at the top, name below the box."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fc = FontConfiguration()
    fonts = settings.BASE_DIR / "static" / "fonts" / "liberation-serif"
    css = CSS(
        string=f"""
        @font-face {{ font-family: T; src: url("{(fonts / "LiberationSerif-Regular.ttf").as_uri()}"); }}
        @font-face {{ font-family: T; font-weight: bold;
                      src: url("{(fonts / "LiberationSerif-Bold.ttf").as_uri()}"); }}
        @page {{ size: A4; margin: 0; }}
        body {{ font-family: T; font-size: 13pt; margin: 0; }}
        .p {{ position: absolute; left: 85pt; right: 57pt; }}
        .signer {{ position: absolute; left: 310pt; width: 240pt; text-align: center; font-weight: bold; }}
        .page {{ page-break-after: always; position: relative; height: 841pt; }}
        """,
        font_config=fc,
    )
    body = (
        '<div class="page"><div class="p" style="top:60pt;text-align:center;font-weight:bold">'
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI<br>SỞ KẾ HOẠCH VÀ ĐẦU TƯ</div>"
        f'<div class="p" style="top:150pt;text-align:center;font-weight:bold">{title}</div>'
        '<div class="p" style="top:190pt">Về việc thử nghiệm ký số văn bản điện tử theo Nghị định '
        "30/2020/NĐ-CP. Nội dung văn bản được trình bày bằng phông chữ Times New Roman.</div>"
        '<div class="signer" style="top:285pt">GIÁM ĐỐC</div>'
        '<div class="signer" style="top:385pt">Nguyễn Văn An</div></div>'
    )
    body += "".join(
        f'<div class="page"><div class="p" style="top:80pt">Trang {i + 2}</div></div>'
        for i in range(pages - 1)
    )
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf(stylesheets=[css], font_config=fc)


def signature_png() -> bytes:
    image = Image.new("RGBA", (360, 140), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    blue = (20, 50, 190, 255)
    points = [(20, 100), (60, 30), (90, 110), (130, 40), (170, 105), (210, 35), (250, 95), (330, 60)]
    draw.line(points, fill=blue, width=6, joint="curve")
    draw.line([(40, 120), (320, 115)], fill=blue, width=3)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def seal_png() -> bytes:
    size = 400
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (220, 20, 30, 235)
    draw.ellipse((6, 6, size - 6, size - 6), outline=red, width=14)
    draw.ellipse((60, 60, size - 60, size - 60), outline=red, width=6)
    draw.regular_polygon((size // 2, size // 2, 70), 5, fill=red)
    buf = io.BytesIO()
    image.save(buf, format="PNG", dpi=(282, 282))  # 400 px at 282 dpi = 36 mm
    return buf.getvalue()


def pdfsig(data: bytes, tmp_path) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


def pdfsig_signatures(output: str) -> list[dict]:
    """Parse pdfsig's text output into one dict per signature."""
    blocks = re.split(r"\nSignature #\d+:", "\n" + output)[1:]
    rows = []
    for block in blocks:
        rows.append(
            {
                "valid": "Signature Validation: Signature is Valid." in block,
                "total": "Total document signed" in block,
                "text": block,
            }
        )
    return rows
