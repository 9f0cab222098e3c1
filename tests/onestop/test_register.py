"""Form 07, the register of dossiers (``onestop.register``): a long register prints fast, and its columns fill
the page between the margins."""

from __future__ import annotations

import io
import time

import pytest

from onestop import register as printed

pytestmark = pytest.mark.django_db


def test_register_pdf_of_three_hundred_rows_is_fast(agency_a):
    row = [
        "",
        "000.00.31.H26-261121-0007",
        "Đăng ký thành lập doanh nghiệp tư nhân theo quy định của Luật Doanh nghiệp",
        "1",
        "Công ty Trách nhiệm hữu hạn Thương mại và Dịch vụ Hòa Bình",
        "Số 125 đường Nguyễn Thị Minh Khai, phường Bến Thành; 0912345678",
        "Phòng Đăng ký kinh doanh",
        "03/11/2026 08:35",
        "06/11/2026 17:00",
        "03/11/2026",
        "05/11/2026",
        "06/11/2026",
        "",
        "Quá hạn; Đã hẹn lại",
    ]
    values = [[str(i), *row[1:]] for i in range(1, 301)]
    printed.pdf(values[:2], agency=agency_a, subs=["warm-up"])  # fonts are registered once per process
    started, cpu = time.perf_counter(), time.process_time()
    data = printed.pdf(values, agency=agency_a, subs=["Bộ phận Tiếp nhận và Trả kết quả", "Kỳ"])
    # CPU time: the wall clock of a shared test machine measures its other jobs too
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 10
    last = "".join(reader.pages[-1].extract_text().split())
    assert "300hồsơ" in last
    pages = len(reader.pages)
    print(f"register PDF, 300 rows, {pages} pages: {elapsed * 1000:.0f} ms ({cpu * 1000:.0f} ms CPU)")
    assert cpu < 1.0


def test_register_columns_fill_the_width_between_the_margins():
    assert len(printed.WIDTHS) == len(printed.columns()) == len(printed.XLSX_WIDTHS) == 14
    assert sum(printed.WIDTHS) == 265
