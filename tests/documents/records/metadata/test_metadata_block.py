"""The incoming detail page shows every field of Phụ lục VI Phần II Mục II, the case files holding the
document, its custom fields; another agency gets a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import Urgency
from documents.records.metadata.selectors import metadata_rows
from documents.records.models import CaseFileItem
from tests.documents.conftest import receive
from tests.documents.records.metadata.conftest import make_case_file

pytestmark = pytest.mark.django_db

MUC_II = [
    "identifier", "case_files", "ordinals", "type", "number", "notation", "date", "issuer", "summary",
    "language", "pages", "note", "arrival_date", "arrival_number", "position", "signer", "priority",
    "recipients", "trace", "due",
]  # fmt: skip


def test_incoming_detail_shows_every_field(people, people_b, login):
    doc = receive(
        people["clerk"], number_symbol="15/QĐ-UBND", urgency=Urgency.URGENT, signer_name="Nguyễn Văn Bình"
    )
    case_file = make_case_file(people["clerk"], code="02.TH", title="Hồ sơ quy hoạch tỉnh")
    CaseFileItem.objects.create(
        case_file=case_file, kind="incoming", object_id=doc.pk, ordinal=3, sort_date=doc.received_at,
        subject=doc.summary, added_by=people["clerk"],
    )  # fmt: skip
    rows = {r.key: r for r in metadata_rows(kind="incoming", record=doc, user=people["clerk"])}
    assert list(rows) == MUC_II
    assert (rows["number"].value, rows["notation"].value) == ("15", "QĐ-UBND")
    assert rows["signer"].value == "Nguyễn Văn Bình" and rows["ordinals"].value == "003 (02.TH)"
    assert "Khẩn" in rows["priority"].value and rows["arrival_number"].value
    html = login(people["clerk"]).get(reverse("documents:incoming_detail", args=[doc.pk])).content.decode()
    for key in MUC_II:
        assert f'data-field="{key}"' in html, key
    assert "Hồ sơ quy hoạch tỉnh" in html and "Phụ lục VI, Phần II, Mục II" in html
    assert (
        login(people_b["clerk"]).get(reverse("documents:incoming_detail", args=[doc.pk])).status_code == 404
    )
