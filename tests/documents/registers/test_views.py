"""The printed registers' page: PDF and Excel, the period checked, the rights."""

import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.incoming import services
from documents.registers import numbering
from tests.documents.conftest import receive

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _directed(people, n):
    doc = receive(people["clerk"], n=n)
    return services.incoming_direct(
        document=doc,
        by=people["leader"],
        instruction="Xử lý",
        lead_department=people["unit"],
        coordinators=[people["officer2"]],
        due_at=timezone.now() + timedelta(days=3),
    )


def _register_pdf(client, people, kind):
    today = timezone.localdate()
    return client.get(
        reverse("documents:registers"),
        {
            "register": numbering.default_register(agency=people["clerk"].agency).pk,
            "kind": kind,
            "date_from": (today - timedelta(days=1)).isoformat(),
            "date_to": today.isoformat(),
            "format": "pdf",
        },
    )


def test_register_pdf_has_the_appendix_iv_columns_and_rows(people, client, tmp_path):
    _directed(people, 1)
    receive(people["clerk"], n=2)
    _login(client, people["clerk"])
    response = _register_pdf(client, people, "incoming")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "so.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in flat
    for header in ("Ngày đến", "Số đến", "Tác giả", "Ngày chuyển", "Ký nhận", "Ghi chú"):
        assert header in flat, header
    assert "01/UBND-KT" in flat and "02/UBND-KT" in flat
    assert "Phòng Đăng ký kinh" in flat
    response = _register_pdf(client, people, "tracking")
    path.write_bytes(response.content)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    for header in (
        "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN",
        "Thời hạn giải quyết",
        "Tiến độ giải quyết",
        "văn bản trả lời",
    ):
        assert header in text, header


def test_register_excel(people, client):
    from io import BytesIO

    from openpyxl import load_workbook

    _directed(people, 1)
    _login(client, people["clerk"])
    today = timezone.localdate()
    response = client.get(
        reverse("documents:registers"),
        {
            "register": numbering.default_register(agency=people["clerk"].agency).pk,
            "kind": "incoming",
            "date_from": today.isoformat(),
            "date_to": today.isoformat(),
            "format": "xlsx",
        },
    )
    ws = load_workbook(BytesIO(response.content)).active
    values = [c.value for c in ws[5]]
    assert values[:3] == ["Ngày đến", "Số đến", "Tác giả"]
    assert ws.cell(row=7, column=4).value == "01/UBND-KT"


def test_register_page_and_bad_period(people, client):
    _login(client, people["clerk"])
    assert client.get(reverse("documents:registers")).status_code == 200
    response = client.get(
        reverse("documents:registers"),
        {"register": "1", "kind": "incoming", "date_from": "2026-05-01", "date_to": "2026-01-01"},
    )
    assert response.status_code == 200
    _login(client, people["officer"])
    assert client.get(reverse("documents:registers")).status_code == 403
