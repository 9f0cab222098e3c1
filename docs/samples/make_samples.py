"""Regenerate the Decree-30 sample pages: page 1 of a Công văn and of a Quyết định, as 70 dpi PNGs.

    .venv/bin/python docs/samples/make_samples.py [--all]

Needs no database (documents.outgoing.render only renders) and pdftoppm (poppler-utils) on PATH.
With --all it also writes the PDFs and every page of a long Kế hoạch next to the PNGs, for a closer look.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
# Settings start private servers when these are unset; rendering never connects, so placeholders will do.
os.environ.setdefault("DATABASE_URL", "postgres://unused@127.0.0.1:1/unused")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:1/0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eoffice.settings")

import django  # noqa: E402

django.setup()

from documents.outgoing.render import Layout, render  # noqa: E402

AGENCY = {"parent_agency": "UBND tỉnh An Hòa", "agency": "Sở Kế hoạch và Đầu tư", "place": "An Hòa"}

CONG_VAN = Layout(
    type_name="Công văn",
    type_abbr="",
    symbol="SKHĐT-ĐKKD",
    number=7,
    date=dt.date(2026, 2, 5),
    summary="hướng dẫn đăng ký doanh nghiệp qua mạng điện tử năm 2026",
    addressees=("Ủy ban nhân dân các huyện, thị xã, thành phố", "Hiệp hội Doanh nghiệp tỉnh An Hòa"),
    body_html=(
        "<p>Thực hiện Nghị định số 168/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ về đăng ký doanh "
        "nghiệp, Sở Kế hoạch và Đầu tư đề nghị Ủy ban nhân dân các huyện, thị xã, thành phố và Hiệp hội "
        "Doanh nghiệp tỉnh phối hợp thực hiện một số nội dung sau:</p>"
        "<p>1. Tuyên truyền, hướng dẫn tổ chức, cá nhân nộp hồ sơ đăng ký doanh nghiệp qua Cổng thông tin "
        "quốc gia về đăng ký doanh nghiệp; khuyến khích sử dụng tài khoản định danh điện tử mức độ 2 để "
        "xác thực hồ sơ.</p>"
        "<p>2. Rà soát các hộ kinh doanh có quy mô lớn trên địa bàn, vận động chuyển đổi thành doanh nghiệp "
        "và tổng hợp kết quả gửi về Sở Kế hoạch và Đầu tư (qua Phòng Đăng ký kinh doanh) trước ngày "
        "31 tháng 3 năm 2026.</p>"
        "<p>Trong quá trình thực hiện, nếu có vướng mắc, đề nghị liên hệ Phòng Đăng ký kinh doanh, số điện "
        "thoại 0297 3812 345 để được hướng dẫn.</p>"
    ),
    signer_authority="KT.",
    authority_title="Giám đốc",
    signer_title="Phó Giám đốc",
    signer_name="Trần Minh Quân",
    distribution=("Như trên", "UBND tỉnh (để b/c)", "Giám đốc Sở (để b/c)", "Cục Thuế tỉnh"),
    archive="VT, ĐKKD",
    urgency="KHẨN",
    **AGENCY,
)

QUYET_DINH = Layout(
    type_name="Quyết định",
    type_abbr="QĐ",
    symbol="QĐ-SKHĐT",
    number=15,
    date=dt.date(2026, 3, 9),
    summary="Về việc thành lập Tổ công tác rà soát danh mục dự án đầu tư công năm 2026",
    issuing_authority="Giám đốc Sở Kế hoạch và Đầu tư",
    legal_bases=(
        "Căn cứ Luật Đầu tư công ngày 29 tháng 11 năm 2024",
        "Căn cứ Quyết định số 12/2025/QĐ-UBND ngày 20 tháng 3 năm 2025 của Ủy ban nhân dân tỉnh An Hòa "
        "quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Kế hoạch và Đầu tư",
        "Theo đề nghị của Trưởng phòng Tổng hợp, Quy hoạch",
    ),
    body_html=(
        "<p>Điều 1. Thành lập Tổ công tác rà soát danh mục dự án đầu tư công năm 2026 (sau đây gọi là Tổ "
        "công tác), gồm các ông (bà) có tên tại Phụ lục kèm theo Quyết định này.</p>"
        "<p>Điều 2. Tổ công tác có nhiệm vụ rà soát, tổng hợp danh mục dự án khởi công mới, dự án chuyển "
        "tiếp; đề xuất điều chỉnh kế hoạch vốn và báo cáo Giám đốc Sở trước ngày 15 tháng 4 năm 2026. "
        "Tổ công tác tự giải thể sau khi hoàn thành nhiệm vụ.</p>"
        "<p>Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Trưởng phòng Tổng hợp, "
        "Quy hoạch, Thủ trưởng các đơn vị có liên quan và các ông (bà) có tên tại Điều 1 chịu trách nhiệm "
        "thi hành Quyết định này.</p>"
    ),
    signer_title="Giám đốc",
    signer_name="Nguyễn Văn An",
    distribution=("Như Điều 3", "UBND tỉnh (để b/c)", "Lãnh đạo Sở"),
    archive="VT, TH",
    **AGENCY,
)

LONG_PARAGRAPH = (
    "<p>Tiếp tục cải thiện môi trường đầu tư kinh doanh, nâng cao năng lực cạnh tranh cấp tỉnh; đẩy mạnh "
    "chuyển đổi số trong giải quyết thủ tục hành chính, bảo đảm tỷ lệ hồ sơ trực tuyến toàn trình đạt trên "
    "80%; theo dõi, đôn đốc các dự án trọng điểm, kịp thời tháo gỡ khó khăn cho nhà đầu tư.</p>"
)
KE_HOACH = Layout(
    type_name="Kế hoạch",
    type_abbr="KH",
    symbol="KH-SKHĐT",
    number=None,
    date=None,
    summary="Cải thiện môi trường đầu tư kinh doanh năm 2026",
    body_html="<h4>I. MỤC ĐÍCH, YÊU CẦU</h4>"
    + LONG_PARAGRAPH * 6
    + "<h4>II. NHIỆM VỤ</h4>"
    + LONG_PARAGRAPH * 6,
    signer_authority="KT.",
    authority_title="Giám đốc",
    signer_title="Phó Giám đốc",
    signer_name="Trần Minh Quân",
    distribution=("UBND tỉnh (để b/c)", "Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố"),
    archive="VT, TH",
    draft=True,
    **AGENCY,
)


def png(pdf: bytes, target: Path, *, first_only: bool = True) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        stem = Path(tmp) / "page"
        pages = ["-f", "1", "-l", "1", "-singlefile"] if first_only else []
        subprocess.run(["pdftoppm", "-r", "70", "-png", *pages, str(source), str(stem)], check=True)
        for produced in sorted(Path(tmp).glob("page*.png")):
            suffix = "" if first_only else "-" + produced.stem.split("-")[-1]
            produced.replace(target.with_name(target.stem + suffix + ".png"))


def main() -> None:
    everything = "--all" in sys.argv
    print("(the first render in a process also imports WeasyPrint and loads the fonts)")
    for name, layout in (("cong-van", CONG_VAN), ("quyet-dinh", QUYET_DINH)):
        started = time.perf_counter()
        result = render(layout)
        elapsed = time.perf_counter() - started
        png(result.pdf, HERE / f"{name}.png")
        print(
            f"{name}: {result.pages} page(s), {elapsed * 1000:.0f} ms, signature box {result.signature_box}"
        )
        if everything:
            (HERE / f"{name}.pdf").write_bytes(result.pdf)
    if everything:
        result = render(KE_HOACH)
        (HERE / "ke-hoach.pdf").write_bytes(result.pdf)
        png(result.pdf, HERE / "ke-hoach.png", first_only=False)
        print(f"ke-hoach: {result.pages} page(s), signature box {result.signature_box}")


if __name__ == "__main__":
    main()
