"""Phiếu giải quyết văn bản đến: a PDF for any incoming document, for whoever may see it, with the
document, the leader's direction, the units and people with their deadlines, and the handling so far."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.common import Confidentiality
from documents.incoming import services
from tests.documents.conftest import receive

pytestmark = pytest.mark.django_db


def _text(content: bytes, tmp_path) -> str:
    path = tmp_path / "phieu.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def _directed(people):
    doc = receive(people["clerk"], n=5)
    due = timezone.now() + timedelta(days=7)
    doc = services.incoming_direct(
        document=doc,
        by=people["leader"],
        instruction="Giao Phòng Đăng ký kinh doanh chủ trì, báo cáo trước 15/3.",
        lead_department=people["unit"],
        coordinators=[people["officer2"]],
        due_at=due,
    )
    return doc, due


def test_slip_of_a_directed_document(people, client, tmp_path):
    doc, due = _directed(people)
    client.force_login(people["clerk"])
    page = client.get(doc.get_absolute_url()).content.decode()
    url = reverse("documents:incoming_slip", args=[doc.pk])
    assert f'href="{url}"' in page and "In phiếu giải quyết" in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "phieu-giai-quyet-so-den-01" in response["Content-Disposition"]
    text = _text(response.content, tmp_path)
    assert "PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN" in text
    assert "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" in text
    assert "Số đến: 01" in text and "05/UBND-KT" in text and "Ủy ban nhân dân tỉnh An Hòa" in text
    assert "V/v triển khai kế hoạch số 5" in text
    assert "Giao Phòng Đăng ký kinh doanh chủ trì, báo cáo trước 15/3." in text
    assert "Vũ Đức Thắng" in text
    assert "Chủ trì" in text and "Phòng Đăng ký kinh doanh" in text
    assert "Phối hợp" in text and "Lê Văn Nam" in text
    assert timezone.localtime(due).strftime("%d/%m/%Y") in text
    assert "Tiếp nhận" in text


def test_slip_of_a_document_not_yet_directed(people, client, tmp_path):
    doc = receive(people["clerk"], n=1)
    client.force_login(people["clerk"])
    text = _text(client.get(reverse("documents:incoming_slip", args=[doc.pk])).content, tmp_path)
    assert "Chưa có ý kiến chỉ đạo." in text and "Chưa giao đơn vị, cá nhân giải quyết." in text


def test_slip_follows_the_document_visibility(people, people_b, client):
    secret = receive(
        people["clerk"], n=1, confidentiality=Confidentiality.SECRET, directing_leader=people["leader"]
    )
    url = reverse("documents:incoming_slip", args=[secret.pk])
    client.force_login(people["leader"])
    assert client.get(url).status_code == 200
    client.force_login(people["deputy"])  # not granted the secret document
    assert client.get(url).status_code == 404
    client.force_login(people_b["clerk"])  # another agency
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_slip_of_a_metadata_only_document_shows_the_paper_location(people, client, tmp_path):
    doc = receive(
        people["clerk"],
        n=1,
        main_files=[],
        confidentiality=Confidentiality.TOP_SECRET,
        directing_leader=people["leader"],
        paper_location="Tủ mật số 2",
    )
    client.force_login(people["clerk"])
    text = _text(client.get(reverse("documents:incoming_slip", args=[doc.pk])).content, tmp_path)
    assert "Nơi lưu bản giấy: Tủ mật số 2" in text and "Tối mật" in text
