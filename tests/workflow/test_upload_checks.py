"""A work item's progress file posted through the real form: a truncated PDF and a zip bomb named .docx
are refused with a Vietnamese message, and nothing is recorded or stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from tests.bombs import png_bomb, truncated_pdf, zip_bomb
from workflow.models import HistoryEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "bad,message",
    [
        (lambda: truncated_pdf("bao-cao.pdf"), "Tệp PDF bị hỏng, không đọc được"),
        (lambda: zip_bomb("bao-cao.docx"), "khi giải nén lớn hơn 100 MB"),
        (lambda: png_bomb("anh-chup.png"), "tối đa 40 triệu điểm ảnh"),
    ],
)
def test_progress_file_is_checked_by_content(make_item, login, officer_a, settings, bad, message):
    item = make_item()
    url = reverse("workflow:workitem_progress", args=[item.pk])
    response = login(officer_a).post(
        url, {"percent": 40, "note": "Đang làm", "attachment": bad()}, follow=True
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HistoryEntry.objects.filter(event="progress").exists()
    item.refresh_from_db()
    assert item.progress != 40
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
