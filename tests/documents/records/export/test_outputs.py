"""The outputs themselves: each PDF holds what its Decree-30 form requires, the table of contents points at
the pages each document occupies in the exported file, the package holds the files in order with their
SHA-256 and metadata that the schema accepts."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import date

import pytest
from lxml import etree
from pypdf import PdfReader

from documents.records.export import package as export_package
from documents.records.export.package import file_package
from documents.records.export.printing import (
    file_pdf,
    files_list_pdf,
    toc_pdf,
    transfer_list_pdf,
    transfer_record_pdf,
)
from documents.records.models import CaseFile

from .conftest import add_paper, pdf_of

pytestmark = pytest.mark.django_db
NS = {"p": export_package.NAMESPACE}


def text_of(data: bytes) -> str:
    """The PDF's text with whitespace collapsed (cells wrap across lines)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def page_texts(data: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_toc_has_the_form_and_the_rows(case_file):
    text = text_of(toc_pdf(case_file=case_file))
    for required in (
        "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
        "MỤC LỤC VĂN BẢN, TÀI LIỆU",
        "Số, ký hiệu hồ sơ: 05.ĐKKD",
        "Năm 2026",
        "STT",
        "Số, ký hiệu văn bản",
        "Ngày tháng năm văn bản",
        "Tên loại và trích yếu nội dung văn bản",
        "Tác giả văn bản",
        "Tờ số/ Trang số",
        "Ghi chú",
        "07/UBND-KT",
        "02/01/2026",
        "12/TTr-ĐKKD",
        "10/02/2026",
        "Ủy ban nhân dân",
        "Tệp không chuyển được sang PDF:",
        "Mục lục này gồm: 4 văn bản, tài liệu",
    ):
        assert required in text, required


def test_page_ranges_match_the_merged_file(case_file):
    merged = file_pdf(case_file=case_file)
    pages = page_texts(merged)
    # cover (1) + contents (2), then: the incoming letter's 3 pages and its PNG attachment, the two-page
    # paper, the scanned JPEG; the text note has no page
    assert len(pages) == 9
    toc = text_of(toc_pdf(case_file=case_file))
    for ordinal, pages_range in ((1, "3–6"), (2, "7–8"), (3, "9")):
        assert re.search(rf"\b{ordinal} .*? {pages_range}\b", toc), (ordinal, pages_range)
    assert "HỒ SƠ" in pages[0] and "MỤC LỤC VĂN BẢN, TÀI LIỆU" in pages[1]
    assert "Công văn 07 1" in pages[2] and "Công văn 07 3" in pages[4]
    assert "Tờ trình 1" in pages[6] and "Tờ trình 2" in pages[7]
    reader = PdfReader(io.BytesIO(merged))
    for index in (5, 8):  # the images, each on an A4 page
        box = reader.pages[index].mediabox
        assert round(float(box.width)) == 595 and round(float(box.height)) == 842
        assert reader.pages[index].images, index
    # the merged file's own table of contents is the one toc_pdf prints
    assert "3–6" in pages[1] and "7–8" in pages[1]


def test_a_long_table_of_contents_still_points_at_the_right_pages(case_file, people):
    """Forty more documents: the table runs over several pages, which moves every document."""
    for n in range(5, 45):
        add_paper(
            case_file,
            ordinal=n,
            name=f"phu-luc-{n}.pdf",
            data=pdf_of(1 + n % 2, f"Phụ lục {n}"),
            subject=f"Phụ lục số {n} kèm theo hồ sơ đăng ký doanh nghiệp của công ty trách nhiệm hữu hạn",
            by=people["officer"],
            day=date(2026, 4, 1),
            type_name="Phụ lục",
            organ_name="Công ty TNHH An Phát",
        )
    merged = page_texts(file_pdf(case_file=case_file))
    toc_pages = page_texts(toc_pdf(case_file=case_file))
    assert len(toc_pages) >= 2
    toc = " ".join(toc_pages)
    for n in (5, 6, 25, 44):
        found = re.search(rf"Phụ lục: Phụ lục số {n} kèm .*? (\d+)(?:–(\d+))? ", toc)
        assert found, n
        first = int(found.group(1))
        assert merged[first - 1].startswith(f"Phụ lục {n} 1") or f"Phụ lục {n} 1" in merged[first - 1]
        if n % 2:  # two pages
            assert int(found.group(2)) == first + 1 and f"Phụ lục {n} 2" in merged[first]
    last = re.findall(r"Phụ lục: Phụ lục số 44 kèm .*? (\d+)(?:–(\d+))? ", toc)[0]
    assert int(last[1] or last[0]) == len(merged)


def test_cover_holds_the_file(case_file):
    cover = page_texts(file_pdf(case_file=case_file))[0]
    for required in (
        "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
        "Phòng Đăng ký kinh doanh",
        "HỒ SƠ",
        "Mã hồ sơ: 000.00.31.H26.2026.05.ĐKKD",
        "Hồ sơ về việc cấp giấy chứng nhận đăng ký doanh nghiệp năm 2026",
        "Thời gian bắt đầu: 02/01/2026",
        "Thời gian kết thúc: 05/03/2026",
        "Gồm: 4 văn bản, tài liệu;",
        "Thời hạn bảo quản: 20 năm",
    ):
        assert required in cover, required


def test_package_holds_the_files_in_order_with_valid_metadata(case_file):
    data = file_package(case_file=case_file)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names == [
        "metadata.xml",
        "metadata.xsd",
        "files/001-1-cv7.pdf",
        "files/001-2-so-do.png",
        "files/002-1-to-trinh-so-12.pdf",
        "files/003-1-anh-chup-bien-nhan.jpg",
        "files/004-1-ghi-chu.txt",
    ]
    schema = etree.XMLSchema(etree.fromstring(archive.read("metadata.xsd")))
    document = etree.fromstring(archive.read("metadata.xml"))
    schema.assertValid(document)
    assert archive.read("metadata.xsd") == export_package.SCHEMA_PATH.read_bytes()

    def one(path, node=document):
        return node.findtext(path, namespaces=NS)

    assert one("p:File/p:FileCode/p:OrganId") == "000.00.31.H26"
    assert one("p:File/p:FileCode/p:FileCatalog") == "2026"
    assert one("p:File/p:FileCode/p:FileNotation") == "05.ĐKKD"
    assert one("p:File/p:Title") == case_file.title
    assert one("p:File/p:Maintenance") == "20 năm"
    assert one("p:File/p:Creator") == "Phan Minh Đức"
    assert (one("p:File/p:StartDate"), one("p:File/p:EndDate")) == ("2026-01-02", "2026-03-05")
    assert one("p:File/p:DocTotal") == "4"
    docs = document.findall("p:Documents/p:Document", NS)
    assert [one("p:DocOrdinal", d) for d in docs] == ["1", "2", "3", "4"]
    assert [d.get("kind") for d in docs] == ["incoming", "paper", "paper", "paper"]
    first = docs[0]
    assert (one("p:CodeNumber", first), one("p:CodeNotation", first)) == ("07", "UBND-KT")
    assert one("p:ArrivalNumber", first) and one("p:ArrivalDate", first)
    assert one("p:SignerInfo/p:FullName", first) == "Lê Văn Tỉnh"
    assert one("p:SignerInfo/p:Position", docs[1]) == "Trưởng phòng"
    # every listed file is in the zip at its path, with its size and SHA-256
    listed = document.findall("p:Documents/p:Document/p:Files/p:ComputerFile", NS)
    assert [one("p:Path", f) for f in listed] == names[2:]
    for computer_file in listed:
        content = archive.read(one("p:Path", computer_file))
        assert one("p:Sha256", computer_file) == hashlib.sha256(content).hexdigest()
        assert int(one("p:Size", computer_file)) == len(content)
    doc = case_file.incoming_doc
    assert archive.read("files/001-1-cv7.pdf") == doc.file.open("rb").read()
    assert one("p:Sha256", listed[0]) == doc.file_sha256


def test_schema_refuses_a_broken_package(case_file):
    archive = zipfile.ZipFile(io.BytesIO(file_package(case_file=case_file)))
    schema = etree.XMLSchema(etree.fromstring(archive.read("metadata.xsd")))
    document = etree.fromstring(archive.read("metadata.xml"))
    document.find("p:Documents/p:Document/p:DocOrdinal", NS).text = "2"  # two documents numbered 2
    assert not schema.validate(document)
    document = etree.fromstring(archive.read("metadata.xml"))
    document.find("p:File/p:FileCode", NS).remove(document.find("p:File/p:FileCode/p:OrganId", NS))
    assert not schema.validate(document)


def test_files_list_has_the_form(case_file, people, agency_a):
    text = text_of(
        files_list_pdf(
            agency=agency_a,
            files=CaseFile.objects.filter(agency=agency_a),
            year=2026,
            compiler=people["clerk"],
        )
    )
    for required in (
        "MỤC LỤC HỒ SƠ",
        "Năm 2026",
        "Số TT",
        "Số, ký hiệu hồ sơ",
        "Tiêu đề hồ sơ",
        "Thời gian tài liệu",
        "Thời hạn bảo quản",
        "Số tờ/ Số trang",
        "Ghi chú",
        "05.ĐKKD",
        "02/01/2026 – 05/03/2026",
        "20 năm",
        "Mục lục này gồm: 1 hồ sơ (đơn vị bảo quản)",
        "Viết bằng chữ: một hồ sơ (đơn vị bảo quản)",
        "Hà Nội, ngày",
        "Người lập",
        "Đặng Thị Hương",
    ):
        assert required in text, required
    assert "NỘP LƯU" not in text


def test_transfer_list_and_handover_record(transfer, people, archivist):
    listing = text_of(transfer_list_pdf(transfer=transfer))
    for required in (
        "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU",
        "Phòng Đăng ký kinh doanh",
        "05.ĐKKD",
        "06.ĐKKD",
        "Vĩnh viễn",
        "Mục lục này gồm: 2 hồ sơ",
        "Viết bằng chữ: hai hồ sơ",
        "Phan Minh Đức",
    ):
        assert required in listing, required
    record = text_of(transfer_record_pdf(transfer=transfer))
    for required in (
        "BIÊN BẢN",
        "Giao nhận hồ sơ, tài liệu",
        "Căn cứ Nghị định số 30/2020/NĐ-CP",
        "Căn cứ Danh mục hồ sơ năm 2026",
        "BÊN GIAO: Phòng Đăng ký kinh doanh",
        "Ông (bà): Phan Minh Đức",
        "Chức vụ công tác: Chuyên viên",
        "BÊN NHẬN: Lưu trữ cơ quan",
        "Ông (bà): Trịnh Thu Trang",
        "Chức vụ công tác: Lưu trữ viên",
        "Tên khối tài liệu giao nộp: Hồ sơ, tài liệu của Phòng Đăng ký kinh doanh năm 2026",
        "Thời gian của hồ sơ, tài liệu: Từ 02/01/2026",
        "Tổng số hồ sơ: 2 (hai)",
        "Tổng số tệp tin trong hồ sơ: 5",
        "Tình trạng tài liệu giao nộp: Tài liệu đầy đủ, tệp tin đọc được",
        "Mục lục hồ sơ, tài liệu nộp lưu kèm theo",
        "ĐẠI DIỆN BÊN GIAO",
        "ĐẠI DIỆN BÊN NHẬN",
    ):
        assert required in record, required


def test_handover_before_the_archive_decides_leaves_the_receiver_blank(transfer):
    transfer.decided_by, transfer.decided_at = None, None
    transfer.save(update_fields=["decided_by", "decided_at"])
    record = text_of(transfer_record_pdf(transfer=transfer))
    assert "Trịnh Thu Trang" not in record
    assert "Ông (bà): ……" in record


def test_empty_file_exports_its_cover_and_an_empty_table(people):
    empty = CaseFile.objects.create(
        agency=people["officer"].agency,
        year=2026,
        code="09.VP",
        title="Hồ sơ chưa có tài liệu",
        retention="5",
        owner=people["officer"],
    )
    merged = page_texts(file_pdf(case_file=empty))
    assert len(merged) == 2
    assert "Hồ sơ chưa có văn bản, tài liệu." in merged[1]
    archive = zipfile.ZipFile(io.BytesIO(file_package(case_file=empty)))
    assert archive.namelist() == ["metadata.xml", "metadata.xsd"]
    schema = etree.XMLSchema(etree.fromstring(archive.read("metadata.xsd")))
    schema.assertValid(etree.fromstring(archive.read("metadata.xml")))


def test_a_damaged_pdf_is_named_in_the_table_and_kept_in_the_package(case_file, people):
    add_paper(
        case_file,
        ordinal=5,
        name="hong.pdf",
        data=b"%PDF-1.7\nnot really a pdf",
        subject="Bản scan lỗi",
        by=people["officer"],
        day=date(2026, 3, 6),
    )
    merged = page_texts(file_pdf(case_file=case_file))
    assert len(merged) == 9  # nothing added for it
    toc = text_of(toc_pdf(case_file=case_file))
    assert "Tệp PDF không ghép được (hỏng hoặc có mật khẩu): hong.pdf" in toc
    archive = zipfile.ZipFile(io.BytesIO(file_package(case_file=case_file)))
    assert archive.read("files/005-1-hong.pdf") == b"%PDF-1.7\nnot really a pdf"


def test_a_record_gone_from_the_system_is_noted(case_file):
    case_file.items.filter(kind="incoming").update(object_id=10**9)
    toc = text_of(toc_pdf(case_file=case_file))
    assert "Văn bản gốc không còn trong hệ thống" in toc
    assert len(page_texts(file_pdf(case_file=case_file))) == 5  # cover, contents, 2 + 1 pages


def test_cover_table_and_stored_totals_follow_one_rule(case_file, people):
    """ "Gồm: … văn bản, tài liệu; … trang" of the cover and of the table are the stored totals: every item,
    its recorded pages (an unknown count adds none), the cover and the table not counted."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.records.services import files as services

    for ordinal, pages in ((1, 4), (2, 2), (3, 1), (4, None)):  # the text note: no page count
        case_file.items.filter(ordinal=ordinal).update(page_amount=pages)
    services.case_file_add_paper(
        case_file=case_file,
        upload=SimpleUploadedFile("bo-sung.pdf", pdf_of(2, "Bổ sung"), content_type="application/pdf"),
        subject="Văn bản bổ sung",
        by=people["officer"],
    )
    case_file.refresh_from_db()
    assert (case_file.doc_total, case_file.page_total) == (5, 9)
    assert services.file_totals(case_file) == (5, 9)
    merged = page_texts(file_pdf(case_file=case_file))
    assert "Gồm: 5 văn bản, tài liệu; 9 trang" in merged[0]
    assert "Mục lục này gồm: 5 văn bản, tài liệu; 9 trang." in merged[1]
    assert len(merged) == 1 + 1 + 9  # the cover and the table are not pages of the file
    assert "Mục lục này gồm: 5 văn bản, tài liệu; 9 trang." in text_of(toc_pdf(case_file=case_file))
