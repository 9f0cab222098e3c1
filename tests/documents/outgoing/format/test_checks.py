"""Each automatic row of the format checklist, on a good and a bad PDF or document (NĐ 30 Phụ lục I)."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import pytest
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from documents.outgoing.format import checks
from documents.outgoing.models import OutgoingDocument
from documents.outgoing.services import read_bytes
from tests.documents.outgoing.helpers import _fields, _type

ON = date(2026, 12, 6)


def _serif() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from eoffice.output.pdf import FONT_DIR

    if "LiberationSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("LiberationSerif", str(FONT_DIR / "LiberationSerif-Regular.ttf")))
    return "LiberationSerif"


def _pdf(lines: list[str], *, size=A4, left=30, top=20, font="", points=14, right_text: str = "") -> bytes:
    """A one-page PDF: ``lines`` from the top-left of the given margins, one per 7 mm (Liberation Serif
    unless ``font`` names a standard PDF font)."""
    font = font or _serif()
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=size)
    pdf.setFont(font, points)
    y = size[1] - top * mm - 0.8 * points
    for text in lines:
        pdf.drawString(left * mm, y, text)
        y -= 7 * mm
    if right_text:
        pdf.drawRightString(size[0] - 5 * mm, y, right_text)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


BODY = ["Số liệu gửi về Sở.", "Nội dung văn bản đủ dài để đo lề."]


def _row(rows: list[dict], code: str) -> dict:
    return next(r for r in rows if r["code"] == code)


def test_page_size_a4_or_not():
    assert checks.check_page_size(checks.read_pages(_pdf(BODY)))["ok"] is True
    row = checks.check_page_size(checks.read_pages(_pdf(BODY, size=letter)))
    assert row["ok"] is False and "không phải khổ A4" in row["detail"]


def test_margins_measured_from_the_text():
    good = checks.check_margins(checks.read_pages(_pdf(BODY)))
    assert good["ok"] is True and "trái 30,0 mm" in good["detail"]
    narrow_left = checks.check_margins(checks.read_pages(_pdf(BODY, left=15)))
    assert narrow_left["ok"] is False and "trái" in narrow_left["detail"]
    high_top = checks.check_margins(checks.read_pages(_pdf(BODY, top=8)))
    assert high_top["ok"] is False and "trên" in high_top["detail"]
    into_right = checks.check_margins(checks.read_pages(_pdf(BODY, right_text="Tràn lề phải")))
    assert into_right["ok"] is False and "phải" in into_right["detail"]
    no_text = checks.check_margins(checks.read_pages(_pdf([])))
    assert no_text["ok"] is None


def test_fonts_times_or_equivalent_and_body_size():
    assert checks.check_fonts(checks.read_pages(_pdf(BODY)))["ok"] is True
    sans = checks.check_fonts(checks.read_pages(_pdf(BODY, font="Helvetica")))
    assert sans["ok"] is False and "Helvetica" in sans["detail"]
    small = checks.check_fonts(checks.read_pages(_pdf(BODY, points=11)))
    assert small["ok"] is False and "Cỡ chữ phần nội dung 11" in small["detail"]


def test_past_dates_in_the_body_with_their_sentence():
    pdf = _pdf(
        [
            "Hà Nội, ngày 06 tháng 12 năm 2026",
            "    Thực hiện Công văn số 12/UBND ngày 01/11/2026 của Ủy ban nhân dân tỉnh.",
            "    Đề nghị gửi số liệu trước ngày 30/11 để tổng hợp.",
            "    Hội nghị tổ chức vào ngày 15 tháng 12 năm 2026.",
            "Nơi nhận:",
        ]
    )
    row = checks.check_past_dates(checks.read_pages(pdf), on=ON)
    assert row["ok"] is False
    assert row["items"] == ["30/11/2026: Đề nghị gửi số liệu trước ngày 30/11 để tổng hợp."]
    clean = _pdf(["Hà Nội, ngày 06 tháng 12 năm 2026", "    Đề nghị gửi trước ngày 20/12/2026."])
    assert checks.check_past_dates(checks.read_pages(clean), on=ON)["ok"] is True


def test_legal_bases_are_not_past_dates():
    pdf = _pdf(
        [
            "Hà Nội, ngày      tháng      năm 2026",
            "    Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ;",
        ]
    )
    assert checks.check_past_dates(checks.read_pages(pdf), on=ON)["ok"] is True


def _document(**extra):
    values = {
        "doc_type": SimpleNamespace(abbreviation="", name="Công văn"),
        "agency": SimpleNamespace(name="Sở Kế hoạch và Đầu tư"),
        "place_name": "Hà Nội",
        "summary": "Đề nghị phối hợp rà soát danh mục dự án",
        "body": "<p>Đề nghị Quý cơ quan phối hợp rà soát.</p>",
        "source": "template",
        "signer": SimpleNamespace(full_name="Vũ Đức Thắng", position="Giám đốc"),
        "signer_title": "GIÁM ĐỐC",
    }
    values.update(extra)
    return SimpleNamespace(**values)


LETTER = [
    "SỞ KẾ HOẠCH VÀ ĐẦU TƯ      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số:    /SKHĐT-KT      Hà Nội, ngày    tháng    năm 2026",
    "V/v Đề nghị phối hợp rà soát danh mục dự án",
    "    Đề nghị Quý cơ quan phối hợp rà soát.",
    "Nơi nhận:      GIÁM ĐỐC",
    "Vũ Đức Thắng",
]


def test_required_parts_of_a_letter():
    rows = checks.check_parts(checks.read_pages(_pdf(LETTER)), _document())
    assert all(r["ok"] for r in rows), [r for r in rows if not r["ok"]]
    missing = checks.check_parts(checks.read_pages(_pdf(LETTER[2:5])), _document())
    bad = {r["code"] for r in missing if not r["ok"]}
    assert bad == {"national_motto", "agency", "distribution", "signer"}


def test_a_decision_needs_its_type_name_and_legal_bases():
    decision = _document(doc_type=SimpleNamespace(abbreviation="QĐ", name="Quyết định"))
    rows = {r["code"]: r for r in checks.check_parts(checks.read_pages(_pdf(LETTER)), decision)}
    assert rows["type_summary"]["ok"] is False and rows["legal_bases"]["ok"] is False
    text = [
        *LETTER[:3],
        "QUYẾT ĐỊNH",
        "Đề nghị phối hợp rà soát danh mục dự án",
        "    Căn cứ Luật;",
        *LETTER[4:],
    ]
    rows = {r["code"]: r for r in checks.check_parts(checks.read_pages(_pdf(text)), decision)}
    assert rows["type_summary"]["ok"] and rows["legal_bases"]["ok"]


@pytest.mark.django_db
def test_signer_prefix_checked_by_the_signing_rules(office, agency_b):
    from documents.outgoing import services

    doc = services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    assert checks.check_signer(doc)["ok"] is True
    doc.signer_authority = "TUQ."  # the head of the agency does not sign "thừa ủy quyền"
    row = checks.check_signer(doc)
    assert row["ok"] is False and "TUQ." in row["detail"]


@pytest.mark.django_db
def test_recipients_not_printed_in_noi_nhan(office, agency_b):
    from documents.outgoing import services

    good = services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    assert checks.check_recipients(good)["ok"] is True
    bad = services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    # the printed lines edited apart from the sending list (an uploaded file, a hand edit)
    OutgoingDocument.objects.filter(pk=bad.pk).update(addressees="", distribution="Lãnh đạo Sở")
    bad.refresh_from_db()
    row = checks.check_recipients(bad)
    assert row["ok"] is False and any(agency_b.name in item for item in row["items"])


@pytest.mark.django_db
def test_the_whole_checklist_of_a_rendered_decision(office, agency_b):
    from documents.outgoing import services

    doc = services.draft_create(
        by=office["officer"],
        fields=_fields(office, agency_b, doc_type=_type("Quyết định", "QĐ"), legal_bases="Căn cứ Luật;"),
    )
    rows = checks.build_checklist(doc, read_bytes(doc.current_version.file), on=ON)
    auto = {r["code"]: r["ok"] for r in rows if r["auto"]}
    assert auto["legal_bases"] is True and auto["type_summary"] is True and auto["margins"] is True
    assert [r["code"] for r in rows if not r["auto"]] == [code for code, _label in checks.MANUAL_ROWS]
    broken = checks.build_checklist(doc, b"not a pdf", on=ON)
    assert broken[0]["code"] == "pdf" and broken[0]["ok"] is False
