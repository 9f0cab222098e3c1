"""Demo data: the decision setting up a working group gets its appendix (the members) and a document
attached (the group's work plan), so the page and the render show them in ``make run``."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

MEMBERS = (
    "<table><thead><tr><th>STT</th><th>Họ và tên</th><th>Chức vụ, đơn vị</th><th>Nhiệm vụ</th></tr></thead>"
    "<tbody><tr><td>1</td><td>Ông Nguyễn Văn Bình</td><td>Phó Giám đốc Sở</td><td>Tổ trưởng</td></tr>"
    "<tr><td>2</td><td>Bà Trần Thị Lan</td><td>Trưởng phòng Đăng ký kinh doanh</td><td>Tổ phó</td></tr>"
    "<tr><td>3</td><td>Ông Lê Minh Quân</td><td>Chuyên viên Văn phòng Sở</td><td>Thành viên</td></tr>"
    "</tbody></table>"
)


def _plan_pdf() -> bytes:
    from eoffice.output import pdf as output_pdf

    page = (
        '<!doctype html><html><body style="padding: 35mm 20mm 20mm 30mm"><h1>KẾ HOẠCH CÔNG TÁC</h1>'
        "<p>Kế hoạch rà soát thủ tục hành chính lĩnh vực đăng ký kinh doanh năm 2027 của Tổ công tác.</p>"
        "</body></html>"
    )
    return output_pdf.write_page(page, width=595.28, height=841.89)


def seed_attachments(document, drafter) -> None:
    """The working group's decision only (its body refers to "Phụ lục kèm theo")."""
    from documents.outgoing.attachments import services
    from documents.outgoing.models import OutgoingAttachment

    if document.doc_type.abbreviation != "QĐ" or "Tổ công tác" not in document.summary:
        return
    services.appendix_save(
        document=document,
        by=drafter,
        fields=services.AppendixFields(title="Danh sách thành viên Tổ công tác", body=MEMBERS),
    )
    services.attachment_add(
        document=document,
        by=drafter,
        upload=SimpleUploadedFile("ke-hoach-to-cong-tac.pdf", _plan_pdf(), content_type="application/pdf"),
        title="Kế hoạch công tác của Tổ công tác năm 2027",
        kind=OutgoingAttachment.Kind.DOCUMENT,
    )
