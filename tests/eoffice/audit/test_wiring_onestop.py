"""The pages and files of one-stop dossiers, complaint cases and letters, and meetings each write one access
row per request (kinds "dossier", "complaint", "letter", "meeting"); downloads get the print mark."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from eoffice.models import AccessEvent
from tests.onestop.conftest import people, procedure  # noqa: F401

pytestmark = pytest.mark.django_db

MARK = "Bản in từ hệ thống eOffice"


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows():
    return list(AccessEvent.objects.order_by("pk").values_list("kind", "object_id", "action", "user_id"))


def test_dossier_detail_paper_and_result_files(client, people, procedure):  # noqa: F811
    from tests.documents.conftest import pdf_bytes
    from tests.onestop.conftest import receive

    dossier = receive(procedure, people)
    paper = dossier.papers.first()
    paper.file.save("giay-de-nghi.pdf", ContentFile(pdf_bytes("Giấy đề nghị")), save=True)
    dossier.result_file.save("ket-qua.pdf", ContentFile(pdf_bytes("Kết quả")), save=True)
    user = people["onestop"]
    client.force_login(user)
    AccessEvent.objects.all().delete()
    assert client.get(reverse("onestop:detail", args=[dossier.pk])).status_code == 200
    assert client.get(reverse("onestop:paper_file", args=[dossier.pk, paper.pk])).status_code == 200
    download = client.get(reverse("onestop:result_file", args=[dossier.pk]), {"download": "1"})
    assert MARK in text_of(body(download))
    assert rows() == [
        ("dossier", dossier.pk, "view", user.pk),
        ("dossier", dossier.pk, "view", user.pk),
        ("dossier", dossier.pk, "download", user.pk),
    ]
