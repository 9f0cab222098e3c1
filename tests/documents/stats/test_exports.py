"""The exports of the statistics table: Excel and PDF."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest

from tests.documents.stats.conftest import (
    STATS,
    query_params,
    recent_period,
    scenario,
)

pytestmark = pytest.mark.django_db


def test_excel_export_has_the_table(people, login):
    scenario(people)
    from openpyxl import load_workbook

    response = login(people["leader"]).get(
        STATS, query_params(recent_period(1), scope="agency", kind="all", format="xlsx")
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == people["unit"].agency.name.upper()
    assert ws["A2"].value == "BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN"
    rows = {row[0].strip(): row for row in ws.iter_rows(min_row=7, values_only=True) if row and row[0]}
    agency_row = rows[people["unit"].agency.name]
    assert agency_row[1:9] == (5, 1, 0, 0, 1, 4, 0, 4)
    assert agency_row[9] == 1.0  # on-time rate, formatted as a percentage
    assert rows[people["unit"].name][1] == 2
    assert rows["Cộng"][1] == 4
    assert any(
        "không có hạn xử lý được tính là đúng hạn" in (r[0] or "") for r in ws.iter_rows(values_only=True)
    )


def test_pdf_export(people, login, tmp_path):
    scenario(people)
    response = login(people["officer"]).get(STATS, query_params(recent_period(1), format="pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "stats.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN" in text
        assert people["officer"].full_name in text
        assert "Danh sách phần việc" in text
