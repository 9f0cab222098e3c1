"""What a new draft starts with, per document type (NĐ 30 Phụ lục III): the usual skeleton of the body,
legal bases and "Nơi nhận" so that the drafter fills in rather than types the form from memory."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Starter:
    body: str = ""
    legal_bases: str = ""
    addressees: str = ""
    distribution: str = ""
    authority: str = ""  # "", "TM.", "KT." …


# Types offered first on the "new draft" page, in this order (abbreviation; "" = công văn).
MAIN_TYPES = ("", "QĐ", "TTr", "BC", "KH", "TB", "GM")

STARTERS: dict[str, Starter] = {
    "": Starter(
        body=(
            "<p>Thực hiện …, [tên cơ quan] đề nghị [cơ quan, đơn vị nhận] quan tâm phối hợp thực hiện một số "
            "nội dung sau:</p><p>1. …</p><p>2. …</p><p>Trân trọng./.</p>"
        ),
        addressees="[Tên cơ quan, tổ chức nhận văn bản]",
        distribution="Như trên\nLãnh đạo cơ quan",
    ),
    "QĐ": Starter(
        body=(
            "<p><strong>Điều 1.</strong> …</p><p><strong>Điều 2.</strong> Quyết định này có hiệu lực kể từ "
            "ngày ký.</p><p><strong>Điều 3.</strong> Chánh Văn phòng, Trưởng các phòng, đơn vị có liên quan "
            "chịu trách nhiệm thi hành Quyết định này./.</p>"
        ),
        legal_bases=(
            "Căn cứ …;\nCăn cứ Quyết định số …/QĐ-UBND ngày … của Ủy ban nhân dân tỉnh quy định chức năng, "
            "nhiệm vụ, quyền hạn và cơ cấu tổ chức của …;\nTheo đề nghị của …."
        ),
        distribution="Như Điều 3\nLãnh đạo cơ quan",
    ),
    "TTr": Starter(
        body=(
            "<p><strong>I. SỰ CẦN THIẾT</strong></p><p>…</p><p><strong>II. NỘI DUNG ĐỀ XUẤT</strong></p>"
            "<p>…</p><p><strong>III. KIẾN NGHỊ</strong></p><p>Kính trình … xem xét, quyết định./.</p>"
        ),
        addressees="[Cơ quan, người có thẩm quyền xem xét]",
        distribution="Như trên\nLãnh đạo cơ quan",
    ),
    "BC": Starter(
        body=(
            "<p><strong>I. KẾT QUẢ THỰC HIỆN</strong></p><p>…</p><p><strong>II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN "
            "NHÂN</strong></p><p>…</p><p><strong>III. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI</strong></p><p>…</p>"
            "<p><strong>IV. KIẾN NGHỊ, ĐỀ XUẤT</strong></p><p>…/.</p>"
        ),
        distribution="[Cơ quan nhận báo cáo]\nLãnh đạo cơ quan",
    ),
    "KH": Starter(
        body=(
            "<p><strong>I. MỤC ĐÍCH, YÊU CẦU</strong></p><p>…</p>"
            "<p><strong>II. NỘI DUNG, NHIỆM VỤ</strong></p>"
            "<p>…</p><p><strong>III. TỔ CHỨC THỰC HIỆN</strong></p><p>…/.</p>"
        ),
        legal_bases="Căn cứ …",
        distribution="Các phòng, đơn vị thuộc cơ quan\nLãnh đạo cơ quan",
    ),
    "TB": Starter(
        body=(
            "<p>…</p><p>[Tên cơ quan] thông báo để các cơ quan, đơn vị, cá nhân có liên quan biết, "
            "thực hiện./.</p>"
        ),
        distribution="[Các cơ quan, đơn vị cần biết]\nLãnh đạo cơ quan",
    ),
    "GM": Starter(
        body=(
            "<p>[Tên cơ quan] trân trọng kính mời: …</p><p>Tham dự …</p><p>Thời gian: … giờ … phút, ngày … "
            "tháng … năm …</p><p>Địa điểm: …</p><p>Rất mong … tham dự đúng thời gian./.</p>"
        ),
        addressees="[Người, cơ quan được mời]",
        distribution="Như trên",
    ),
}


def starter_for(abbreviation: str) -> Starter:
    return STARTERS.get(abbreviation, Starter(body="<p>…</p>", distribution="Lãnh đạo cơ quan"))
