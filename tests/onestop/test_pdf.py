"""The printed forms 01–06: which apply when, what they print (text read back with pypdf), the QR code of
form 01 (read back from the SVG, and from the rendered page when poppler is installed), one A4 page each."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import segno
from django.http import Http404
from django.urls import reverse
from pypdf import PdfReader

from onestop import pdf, services
from onestop.models import Dossier, DossierState
from tests.onestop.conftest import advance, all_papers, receive

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TUESDAY = datetime(2025, 11, 18, 9, 15, tzinfo=VN)  # a working day, before the 15:00 cut-off


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 11, day, hour, minute, tzinfo=VN)


def text_of(data: bytes) -> str:
    """The PDF's text in NFC with every run of white space made one space."""
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def numbers(dossier) -> list[int]:
    return [number for number, _title in pdf.available_forms(dossier)]


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ")


# ---- form 01 -----------------------------------------------------------------------------------------------


def test_form_01_prints_the_receipt_with_the_appointment(procedure, people):
    dossier = receive(procedure, people, now=TUESDAY)
    assert numbers(dossier) == [1, 6]
    data = pdf.render_form(dossier, 1)
    text = text_of(data)
    assert data.startswith(b"%PDF") and pages(data) == 1
    for expected in (
        *HEADER,
        "Hà Nội, ngày 18 tháng 11 năm 2025",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {dossier.code}",
        "Tiếp nhận hồ sơ của: Nguyễn Văn An",
        "001086012345",
        "Địa chỉ: Số 5 Lê Lợi",
        "0912345678",
        "an.nguyen@example.com",
        "Đăng ký thành lập doanh nghiệp tư nhân",
        "Giấy đề nghị đăng ký doanh nghiệp",
        "Bản sao giấy tờ pháp lý của chủ doanh nghiệp Bản sao 01",
        "3 ngày làm việc",
        "Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 18 tháng 11 năm 2025",
        # three working days from Tuesday morning: Friday at the close of office
        "Ngày hẹn trả kết quả: 17 giờ 00 phút, ngày 21 tháng 11 năm 2025",
        "Giấy chứng nhận đăng ký doanh nghiệp",
        "50.000 đồng",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Lý Thị Ngọc Ánh",
    ):
        assert expected in text, expected


def test_form_01_prints_only_the_papers_received(procedure, people):
    papers = all_papers(procedure)
    papers[2].received = False  # the optional power of attorney was not brought
    papers[0].quantity = 2
    dossier = receive(procedure, people, papers=papers)
    text = text_of(pdf.render_form(dossier, 1))
    assert "Giấy đề nghị đăng ký doanh nghiệp Bản chính 02" in text
    assert "Văn bản ủy quyền" not in text


def test_form_01_ends_its_sentences_once(procedure, people):
    """Texts of the catalogue that end with a full stop: no ".)." and no ".." (issue 14)."""
    procedure.fee_note = "Miễn lệ phí; phí công bố theo quy định của Bộ Tài chính."
    procedure.result_name = "Giấy chứng nhận đăng ký doanh nghiệp."
    procedure.save()
    procedure.agency.address = "Số 1 Trần Phú, Hà Nội."
    procedure.agency.save()
    text = text_of(pdf.render_form(receive(procedure, people), 1))
    assert "(Miễn lệ phí; phí công bố theo quy định của Bộ Tài chính)." in text
    assert "Kết quả giải quyết: Giấy chứng nhận đăng ký doanh nghiệp. Nhận kết quả tại:" in text
    assert ".)." not in text and ".." not in text.replace("...", "")


def test_form_01_embeds_the_shipped_serif_font(procedure, people):
    reader = PdfReader(io.BytesIO(pdf.render_form(receive(procedure, people), 1)))
    fonts = {f.get_object()["/BaseFont"] for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts and all("Liberation-Serif" in name for name in fonts)
    assert any(name.endswith("-Bold") for name in fonts) and any(name.endswith("-Italic") for name in fonts)


def test_tracking_url_is_the_public_tracking_page(procedure, people, settings):
    settings.EOFFICE_BASE_URL = "https://dichvucong.example.gov.vn"
    dossier = receive(procedure, people)
    expected = f"https://dichvucong.example.gov.vn{reverse('onestop_public:track')}?code={dossier.code}"
    assert pdf.tracking_url(dossier) == expected
    from onestop import emails

    assert emails.tracking_url is pdf.tracking_url  # one definition


def svg_matrix(svg: str) -> list[list[int]]:
    """The dark modules of segno's inline SVG ("M x y.5" then runs "h n" and moves "m dx dy")."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    grid = [[0] * size for _ in range(size)]
    path = re.search(r'class="qr-dark"[^>]* d="([^"]+)"', svg).group(1)
    x = y = 0.0
    for op, args in re.findall(r"([MmHh])([-\d. ]+)", path):
        values = [float(n) for n in args.split()]
        if op == "M":
            x, y = values
        elif op == "m":
            x, y = x + values[0], y + values[1]
        else:
            for i in range(int(values[0])):
                grid[int(y)][int(x) + i] = 1
            x += values[0]
    return grid


def expected_matrix(text: str) -> list[list[int]]:
    return [[1 if v else 0 for v in row] for row in segno.make(text, error="m").matrix_iter(border=2)]


def test_qr_svg_encodes_its_text():
    url = "https://dichvucong.example.gov.vn/mot-cua/tra-cuu/?code=000.00.31.H26-251118-0001"
    svg = pdf.qr_svg(url)
    assert svg.startswith("<svg") and "<script" not in svg
    assert svg_matrix(svg) == expected_matrix(url)
    assert svg_matrix(svg) != expected_matrix(url.replace("0001", "0002"))


def test_form_01_qr_and_link_carry_the_tracking_url(procedure, people, monkeypatch):
    dossier = receive(procedure, people)
    seen = []
    real = pdf.qr_svg
    monkeypatch.setattr(pdf, "qr_svg", lambda text: seen.append(text) or real(text))
    reader = PdfReader(io.BytesIO(pdf.render_form(dossier, 1)))
    assert seen == [pdf.tracking_url(dossier)]
    links = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    uris = {link["/A"]["/URI"] for link in links if link.get("/Subtype") == "/Link"}
    assert uris == {pdf.tracking_url(dossier)}


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_form_01_printed_qr_reads_back_as_the_tracking_url(procedure, people, tmp_path):
    """Rasterise the page and sample the middle of each module inside the QR's link rectangle."""
    from PIL import Image

    dossier = receive(procedure, people)
    data = pdf.render_form(dossier, 1)
    page = PdfReader(io.BytesIO(data)).pages[0]
    rect = next(a.get_object()["/Rect"] for a in page["/Annots"])
    x1, y1, x2, y2 = (float(v) for v in rect)
    source = tmp_path / "form.pdf"
    source.write_bytes(data)
    dpi = 300
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(source), str(tmp_path / "p")], check=True
    )
    image = Image.open(tmp_path / "p.png").convert("L")
    scale = dpi / 72
    height = float(page.mediabox.height)
    expected = expected_matrix(pdf.tracking_url(dossier))
    size = len(expected)
    left, top = min(x1, x2), max(y1, y2)
    module = abs(x2 - x1) / size

    def dark(row: int, column: int) -> int:
        x = (left + (column + 0.5) * module) * scale
        y = (height - top + (row + 0.5) * module) * scale
        return 1 if image.getpixel((x, y)) < 128 else 0

    read = [[dark(r, c) for c in range(size)] for r in range(size)]
    assert read == expected


# ---- form 02 -----------------------------------------------------------------------------------------------


def test_form_02_lists_everything_missing_at_reception(procedure, people):
    dossier = receive(
        procedure,
        people,
        papers=all_papers(procedure)[:1],
        outcome=services.OUTCOME_INCOMPLETE,
        missing="- Bản sao giấy tờ pháp lý của chủ doanh nghiệp\n2. Giấy đề nghị: bổ sung chữ ký ở trang 2",
        now=TUESDAY,
    )
    assert dossier.state == DossierState.INCOMPLETE and numbers(dossier) == [2]
    data = pdf.render_form(dossier, 2)
    text = text_of(data)
    assert pages(data) == 1
    for expected in (
        *HEADER,
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        f"Mã tham chiếu: {dossier.reference}",
        "Hồ sơ của: Nguyễn Văn An",
        "1. Bản sao giấy tờ pháp lý của chủ doanh nghiệp",
        "2. Giấy đề nghị: bổ sung chữ ký ở trang 2",
        "NGƯỜI HƯỚNG DẪN",
        "Lý Thị Ngọc Ánh",
        "Hà Nội, ngày 18 tháng 11 năm 2025",
    ):
        assert expected in text, expected
    for number in (1, 3, 4, 5, 6):
        with pytest.raises(Http404):
            pdf.render_form(dossier, number)


def test_form_02_prints_the_latest_supplement_request_during_processing(procedure, people):
    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    assert 2 not in numbers(dossier)
    services.dossier_request_supplement(
        dossier=dossier, by=people["officer"], content="Bản sao điều lệ công ty", now=at(19, 10)
    )
    services.dossier_supplement_received(
        dossier=fresh(dossier), by=people["onestop"], papers=[], note="Đã nộp điều lệ"
    )
    services.dossier_request_supplement(
        dossier=fresh(dossier),
        by=people["officer"],
        content="Danh sách thành viên góp vốn\nVăn bản xác nhận vốn điều lệ",
        now=at(20, 14, 30),
    )
    dossier = fresh(dossier)
    assert numbers(dossier) == [1, 2, 6]
    text = text_of(pdf.render_form(dossier, 2))
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "1. Danh sách thành viên góp vốn 2. Văn bản xác nhận vốn điều lệ" in text
    assert "điều lệ công ty" not in text  # the earlier, answered request
    assert "tạm dừng kể từ 14 giờ 30 phút, ngày 20 tháng 11 năm 2025" in text
    assert "Phan Minh Đức" in text and "Phòng Đăng ký kinh doanh" in text


# ---- form 03 -----------------------------------------------------------------------------------------------


def test_form_03_gives_the_reasons_of_a_refusal_at_reception(procedure, people):
    dossier = receive(
        procedure,
        people,
        outcome=services.OUTCOME_INELIGIBLE,
        reasons="Không thuộc thẩm quyền giải quyết của Sở\nHộ kinh doanh đăng ký tại Ủy ban nhân dân cấp xã",
    )
    assert numbers(dossier) == [3]
    data = pdf.render_form(dossier, 3)
    text = text_of(data)
    assert pages(data) == 1
    for expected in (
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "thông báo không tiếp nhận, giải quyết hồ sơ này",
        "- Không thuộc thẩm quyền giải quyết của Sở",
        "- Hộ kinh doanh đăng ký tại Ủy ban nhân dân cấp xã",
        "Tiếp nhận hồ sơ của: Nguyễn Văn An",
        "NGƯỜI TIẾP NHẬN",
        "Lý Thị Ngọc Ánh",
    ):
        assert expected in text, expected


def test_form_03_gives_the_reasons_of_a_refusal_during_processing(procedure, people):
    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    assert 3 not in numbers(dossier)
    dossier = services.dossier_refuse(
        dossier=dossier, by=people["officer"], reasons="Tên doanh nghiệp trùng với doanh nghiệp đã đăng ký"
    )
    assert numbers(dossier) == [1, 3, 6]
    text = text_of(pdf.render_form(dossier, 3))
    assert "thông báo không giải quyết hồ sơ này" in text
    assert "- Tên doanh nghiệp trùng với doanh nghiệp đã đăng ký" in text
    assert "Phan Minh Đức" in text
    # still printable once the refusal was handed to the applicant
    returned = advance(fresh(dossier), DossierState.RETURNED, people)
    assert numbers(returned) == [1, 3, 6]


# ---- forms 04 and 05 ---------------------------------------------------------------------------------------


def test_form_04_apologises_with_the_reason_and_the_new_date(procedure, people):
    dossier = advance(receive(procedure, people, now=TUESDAY), DossierState.PROCESSING, people)
    assert 4 not in numbers(dossier)
    services.dossier_extend(
        dossier=dossier,
        by=people["leader"],
        reason="Cần xác minh thông tin với cơ quan thuế",
        due_at=at(28, 16, 30),
        now=at(19, 9),
    )
    dossier = fresh(dossier)
    assert numbers(dossier) == [1, 4, 6]
    data = pdf.render_form(dossier, 4)
    text = text_of(data)
    assert pages(data) == 1
    for expected in (
        *HEADER,
        "V/v xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ",
        "Kính gửi: Ông/Bà Nguyễn Văn An",
        "Ngày 18 tháng 11 năm 2025, Sở Kế hoạch và Đầu tư tiếp nhận hồ sơ",
        f"mã hồ sơ: {dossier.code}",
        "17 giờ 00 phút, ngày 21 tháng 11 năm 2025",  # the first appointment
        "- Cần xác minh thông tin với cơ quan thuế",
        "xin lỗi Ông/Bà",
        "16 giờ 30 phút, ngày 28 tháng 11 năm 2025",  # the new one
        "GIÁM ĐỐC",
        "Vũ Đức Thắng",
        "Nơi nhận:",
    ):
        assert expected in text, expected
    # form 01 keeps the first appointment
    assert "Ngày hẹn trả kết quả: 17 giờ 00 phút, ngày 21 tháng 11 năm 2025" in text_of(
        pdf.render_form(dossier, 1)
    )


def test_form_05_notifies_the_stop_with_the_reason(procedure, people):
    dossier = advance(receive(procedure, people), DossierState.UNIT, people)
    assert 5 not in numbers(dossier)
    dossier = services.dossier_stop(
        dossier=dossier, by=people["leader"], reason="Người nộp hồ sơ có đơn đề nghị rút hồ sơ"
    )
    assert numbers(dossier) == [1, 5, 6]
    data = pdf.render_form(dossier, 5)
    text = text_of(data)
    assert pages(data) == 1
    for expected in (
        "THÔNG BÁO",
        "Về việc dừng giải quyết hồ sơ",
        "Kính gửi: Ông/Bà Nguyễn Văn An",
        f"mã hồ sơ: {dossier.code}",
        "thông báo dừng giải quyết hồ sơ nêu trên",
        "- Người nộp hồ sơ có đơn đề nghị rút hồ sơ",
        "Vũ Đức Thắng",
    ):
        assert expected in text, expected
    assert "Dừng giải quyết hồ sơ lúc" in text_of(pdf.render_form(dossier, 6))


# ---- form 06 -----------------------------------------------------------------------------------------------


def test_form_06_lists_every_hand_off_with_its_timing(procedure, people):
    """Each row is "Giao … / Nhận …" with its time; its result is how the giver's own step ended."""
    dossier = receive(procedure, people, now=at(17, 8))  # Monday
    services.dossier_hand_to_unit(
        dossier=dossier, by=people["onestop"], department=people["unit"], now=at(17, 9)
    )
    # the head assigns two working days later (2 hours allotted): late
    services.dossier_assign(
        dossier=fresh(dossier), by=people["head"], officer=people["officer"], now=at(19, 9)
    )
    services.dossier_refuse(
        dossier=fresh(dossier), by=people["officer"], reasons="Không đủ điều kiện", now=at(19, 10)
    )
    dossier = services.dossier_hand_over(
        dossier=fresh(dossier), by=people["onestop"], returned_to="Nguyễn Văn An", now=at(20, 9)
    )
    data = pdf.render_form(dossier, 6)
    text = text_of(data)
    assert pages(data) == 1
    for expected in (
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        f"Mã hồ sơ: {dossier.code}",
        "Tên cơ quan, đơn vị",
        "Thời gian giao, nhận hồ sơ",
        "Kết quả giải quyết hồ sơ (trước hạn/ đúng hạn/ quá hạn)",
        "Ghi chú",
        "1. Giao: Nguyễn Văn An",
        "Nhận: Lý Thị Ngọc Ánh (Bộ phận Một cửa)",
        "2. Giao: Lý Thị Ngọc Ánh (Bộ phận Một cửa) Nhận: Phòng Đăng ký kinh doanh "
        "09 giờ 00 phút, ngày 17 tháng 11 năm 2025",
        "3. Giao: Bùi Văn Hải (Phòng Đăng ký kinh doanh) Nhận: Phan Minh Đức",
        "4. Giao: Phan Minh Đức",
        "5. Giao: Lý Thị Ngọc Ánh",
        "Nhận: Nguyễn Văn An",
        "09 giờ 00 phút, ngày 20 tháng 11 năm 2025",
    ):
        assert expected in text, expected
    rows = re.findall(r"\d\. Giao: .*?(?=\d\. Giao: |$)", text)
    assert len(rows) == 5
    assert "Đúng hạn" in rows[1] or "Trước hạn" in rows[1]  # the counter handed over within its 2 hours
    assert "Quá hạn" in rows[2]  # the head took two days for a 2-hour step
    # resolved a day before the appointment (Thursday 17:00)
    assert "Hồ sơ có kết quả giải quyết lúc 10 giờ 00 phút, ngày 19 tháng 11 năm 2025 (trước hạn)." in text


def test_form_06_of_a_long_history_spreads_over_pages_with_the_header_repeated(procedure, people):
    dossier = advance(receive(procedure, people), DossierState.REVIEW, people)
    for _round in range(5):
        dossier = services.dossier_send_back(
            dossier=fresh(dossier), by=people["head"], note="Sửa lại dự thảo"
        )
        dossier = advance(fresh(dossier), DossierState.REVIEW, people)
    data = pdf.render_form(dossier, 6)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    assert all("Tên cơ quan, đơn vị" in page.extract_text() for page in reader.pages)


# ---- what applies when -------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [0, 7, 8, -1])
def test_unknown_form_numbers_are_404(procedure, people, number):
    with pytest.raises(Http404):
        pdf.render_form(receive(procedure, people), number)


def test_forms_of_a_received_dossier(procedure, people):
    dossier = receive(procedure, people)
    for number in (2, 3, 4, 5):
        with pytest.raises(Http404):
            pdf.render_form(dossier, number)
    returned = advance(dossier, DossierState.RETURNED, people)
    assert numbers(returned) == [1, 6]


def test_titles_are_the_circulars(procedure, people):
    assert list(pdf.FORMS) == [1, 2, 3, 4, 5, 6]
    assert str(pdf.FORMS[1]) == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert pdf.available_forms(receive(procedure, people))[0] == (1, pdf.FORMS[1])


def test_filename_is_ascii(procedure, people):
    dossier = receive(procedure, people)
    assert pdf.filename(dossier, 1) == f"mau-01-{dossier.code}.pdf"
    assert pdf.filename(dossier, 1).isascii()
