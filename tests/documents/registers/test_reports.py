"""The printed registers (NĐ 30 Phụ lục IV) as PDF: a month of a busy agency (hundreds of rows over many
pages, the column headings on every page), rows longer than a page, long tokens, the empty period."""

from __future__ import annotations

import subprocess
import unicodedata
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import IncomingDocument
from documents.registers import numbering, reports
from eoffice.output import register as output_register
from tests.documents.conftest import receive


def _pdf(client, clerk, *, kind="incoming", days=0):
    today = timezone.localdate()
    response = client.get(
        reverse("documents:registers"),
        {
            "register": numbering.default_register(agency=clerk.agency).pk,
            "kind": kind,
            "date_from": (today - timedelta(days=days)).isoformat(),
            "date_to": today.isoformat(),
            "format": "pdf",
        },
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response.content


def _text(content: bytes, tmp_path, *, page: int | None = None) -> str:
    path = tmp_path / "so.pdf"
    path.write_bytes(content)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(out.stdout.split())


def _copies(doc: IncomingDocument, numbers: range, **fields: str) -> None:
    """The same registered document under more numbers, ``fields`` formatted with each (bulk: the services
    are tested elsewhere)."""
    names = [
        f.attname for f in IncomingDocument._meta.concrete_fields if not f.primary_key and not f.generated
    ]
    values = IncomingDocument.objects.filter(pk=doc.pk).values(*names).get()
    values.pop("number")
    for name in fields:
        values.pop(name)
    IncomingDocument.objects.bulk_create(
        IncomingDocument(**values, number=n, **{k: v.format(n=n) for k, v in fields.items()}) for n in numbers
    )


def test_five_hundred_rows_on_many_pages_with_the_headings_on_each(people, client, tmp_path):
    from pypdf import PdfReader

    first = receive(people["clerk"], n=1, number_symbol="1/KH-ĐẦU", summary="V/v kế hoạch số 1")
    assert first.number == 1
    _copies(
        first, range(2, 501), number_symbol="{n}/KH-UBND", summary="V/v kế hoạch thực hiện nhiệm vụ số {n}"
    )
    IncomingDocument.objects.filter(number=500).update(number_symbol="500/KH-CUỐI")
    client.force_login(people["clerk"])

    content = _pdf(client, people["clerk"])
    reader = PdfReader(BytesIO(content))
    pages = len(reader.pages)
    assert pages > 20
    assert all(page.mediabox.width > page.mediabox.height for page in reader.pages)  # A4 landscape
    text = _text(content, tmp_path)
    assert "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" in text and "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text
    assert "Từ số 01 đến số 500" in text and "500 văn bản" in text
    assert text.index("1/KH-ĐẦU") < text.index("250/KH-UBND")
    assert text.index("250/KH-UBND") < text.index("500/KH-CUỐI")
    for page in (1, 2, pages // 2, pages):
        on_page = _text(content, tmp_path, page=page)
        assert "Ngày đến" in on_page and "Tác giả" in on_page and "(1)" in on_page and "(10)" in on_page
        assert f"{page}/{pages}" in on_page
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" not in _text(content, tmp_path, page=2)  # the title only opens it
    # Every row once: the 500 register numbers in the "Số đến" column, in order, none cut between pages.
    column = [
        line.split()[1]
        for line in subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "so.pdf"), "-"], capture_output=True, text=True
        ).stdout.splitlines()
        if line.split()[:1] and line.split()[0].count("/") == 2 and len(line.split()) > 1
    ]
    assert column == [f"{n:02d}" for n in range(1, 501)]


def test_a_row_longer_than_a_page_goes_on_over_the_next(people, client, tmp_path):
    words = [f"đoạn{i}" for i in range(1, 1201)]
    receive(people["clerk"], n=1, summary="Mở đầu " + " ".join(words) + " kếtthúc")
    receive(people["clerk"], n=2, number_symbol="02/UBND-SAU")
    client.force_login(people["clerk"])
    content = _pdf(client, people["clerk"])
    text = _text(content, tmp_path)
    assert "Mở đầu" in text and "kếtthúc" in text and "02/UBND-SAU" in text
    assert all(word in text.split() for word in words[::97])
    assert text.index("Mở đầu") < text.index("kếtthúc") < text.index("02/UBND-SAU")
    assert "kếtthúc" not in _text(content, tmp_path, page=1)


def test_long_tokens_break_inside_the_column_and_decomposed_vietnamese_is_composed(people, client, tmp_path):
    symbol = "123/QĐ-" + "BNNPTNT" * 6
    decomposed = unicodedata.normalize("NFD", "Ủy ban nhân dân huyện Đông Sơn")
    receive(people["clerk"], n=1, number_symbol=symbol, issuer_name=decomposed)
    client.force_login(people["clerk"])
    text = _text(_pdf(client, people["clerk"]), tmp_path)
    assert "Ủy ban nhân dân" in text  # precomposed, as typed on a Vietnamese keyboard
    assert "123/QĐ-" in text and symbol not in text  # too long for its 29 mm: cut after the hyphen

    measure = output_register.Measure()
    width = 60.0
    lines = output_register.wrap(
        f"xem {symbol} và văn bản liên quan", width, measure, output_register.FONT, 10.5
    )
    assert all(measure(line, output_register.FONT, 10.5) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == f"xem{symbol}vàvănbảnliênquan"
    assert lines[0] == "xem" and lines[1] == "123/QĐ-"


def test_an_empty_period_prints_the_message(people, client, tmp_path):
    client.force_login(people["clerk"])
    for kind, title in (("incoming", "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"), ("tracking", "SỔ THEO DÕI GIẢI QUYẾT")):
        text = _text(_pdf(client, people["clerk"], kind=kind), tmp_path)
        assert title in text and "Không có văn bản đến trong kỳ này." in text
        assert "· 0 văn bản" in text and "1/1" in text and "Từ số" not in text


@pytest.mark.parametrize("kind", ["incoming", "outgoing", "tracking"])
def test_columns_fill_the_width_between_the_margins(kind):
    assert len(reports.WIDTHS[kind]) == len(reports.columns(kind))
    assert sum(reports.WIDTHS[kind]) * output_register.MM == pytest.approx(output_register.CONTENT_W)
