"""Demo data: outgoing documents of Sở Kế hoạch và Đầu tư (tỉnh An Hòa) at every step, made through the
real services (drafted, reviewed, signed with the demo credentials and PIN, sealed and issued), so that each
demo account finds work waiting: the officer's drafts, the head's review queue, the director's "chờ ký",
the clerk's "chờ phát hành", and issued documents already in the other agencies' incoming queues.
Idempotent: nothing is done when the agency already has outgoing documents."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command

LETTERS = [
    # state, type abbreviation ("" công văn), summary, recipients (agency codes), body
    (
        "issued",
        "",
        "V/v cung cấp số liệu doanh nghiệp đăng ký thành lập mới quý III năm 2026",
        ("STTTT", "STP"),
        "<p>Để tổng hợp báo cáo tình hình phát triển doanh nghiệp quý III năm 2026 trình Ủy ban nhân dân "
        "tỉnh, "
        "Sở Kế hoạch và Đầu tư đề nghị Quý Sở cung cấp số liệu doanh nghiệp thuộc lĩnh vực quản lý.</p>"
        "<p>Văn bản cung cấp số liệu gửi về Sở Kế hoạch và Đầu tư trước ngày 30/11/2026.</p>"
        "<p>Trân trọng./.</p>",
    ),
    (
        "issued",
        "TB",
        "Kết quả thẩm định chủ trương đầu tư dự án Nhà máy chế biến nông sản Tân Phú",
        ("UBND",),
        "<p>Ngày 10/11/2026, Sở Kế hoạch và Đầu tư đã chủ trì thẩm định hồ sơ đề nghị chấp thuận chủ trương "
        "đầu tư dự án Nhà máy chế biến nông sản Tân Phú.</p><p>Sở Kế hoạch và Đầu tư thông báo để các cơ "
        "quan, đơn vị có liên quan biết, thực hiện./.</p>",
    ),
    (
        "signed",
        "KH",
        "Triển khai chuyển đổi số trong công tác văn thư, lưu trữ năm 2027",
        ("STTTT",),
        "<p><strong>I. MỤC ĐÍCH, YÊU CẦU</strong></p><p>Bảo đảm 100% văn bản đi được ký số và gửi nhận trên "
        "hệ thống.</p><p><strong>II. NỘI DUNG, NHIỆM VỤ</strong></p><p>1. Rà soát danh mục hồ sơ năm "
        "2027.</p><p>2. Số hóa tài liệu lưu trữ giai đoạn 2020–2025.</p><p><strong>III. TỔ CHỨC THỰC "
        "HIỆN</strong></p><p>Văn phòng Sở chủ trì, phối hợp các phòng triển khai./.</p>",
    ),
    (
        "signing",
        "QĐ",
        "Về việc thành lập Tổ công tác rà soát thủ tục hành chính lĩnh vực đăng ký kinh doanh",
        (),
        "<p><strong>Điều 1.</strong> Thành lập Tổ công tác rà soát thủ tục hành chính lĩnh vực đăng ký kinh "
        "doanh gồm các ông, bà có tên tại Phụ lục kèm theo.</p><p><strong>Điều 2.</strong> Quyết định này có "
        "hiệu lực kể từ ngày ký.</p><p><strong>Điều 3.</strong> Chánh Văn phòng Sở, Trưởng phòng Đăng ký "
        "kinh doanh và các ông, bà có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.</p>",
    ),
    (
        "signing",
        "",
        "V/v đôn đốc giải ngân vốn đầu tư công năm 2026",
        ("UBND", "STTTT", "STP"),
        "<p>Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về đẩy nhanh tiến độ giải ngân vốn đầu tư công, Sở "
        "Kế hoạch và Đầu tư đề nghị các chủ đầu tư khẩn trương hoàn thiện thủ tục thanh toán khối lượng "
        "hoàn thành.</p><p>Trân trọng./.</p>",
    ),
    (
        "signing",
        "GM",
        "Dự hội nghị xúc tiến đầu tư tỉnh An Hòa năm 2026",
        ("STTTT",),
        "<p>Sở Kế hoạch và Đầu tư trân trọng kính mời đại diện lãnh đạo Quý Sở tham dự hội nghị xúc tiến "
        "đầu tư tỉnh An Hòa năm 2026.</p><p>Thời gian: 08 giờ 00 phút, ngày 05 tháng 12 năm 2026.</p>"
        "<p>Địa điểm: Hội trường Trung tâm Hội nghị tỉnh.</p>"
        "<p>Rất mong Quý Sở tham dự đúng thời gian./.</p>",
    ),
    (
        "submitted",
        "TTr",
        "Đề nghị phê duyệt danh mục dự án kêu gọi đầu tư năm 2027",
        ("UBND",),
        "<p><strong>I. SỰ CẦN THIẾT</strong></p><p>…</p><p><strong>II. NỘI DUNG ĐỀ XUẤT</strong></p><p>Danh "
        "mục gồm 24 dự án thuộc các lĩnh vực nông nghiệp công nghệ cao, du lịch và hạ tầng.</p>"
        "<p><strong>III. KIẾN NGHỊ</strong></p><p>Kính trình Ủy ban nhân dân tỉnh xem xét, phê duyệt./.</p>",
    ),
    (
        "returned",
        "BC",
        "Tình hình thực hiện kế hoạch đầu tư công 10 tháng năm 2026",
        ("UBND",),
        "<p><strong>I. KẾT QUẢ THỰC HIỆN</strong></p><p>Tổng kế hoạch vốn năm 2026 là 4.850 tỷ đồng; đến "
        "ngày 31/10/2026 đã giải ngân 2.910 tỷ đồng.</p>",
    ),
    (
        "new",
        "",
        "V/v góp ý dự thảo Nghị quyết về phát triển kinh tế tư nhân",
        ("UBND",),
        "<p>Sở Kế hoạch và Đầu tư nhận được văn bản xin ý kiến; sau khi nghiên cứu, Sở có ý kiến như sau:</p>"
        "<p>1. …</p><p>Trân trọng./.</p>",
    ),
]


def seed_outgoing(stdout) -> None:
    from django.test.utils import override_settings

    from documents.outgoing.authorizations.demo import seed_authorizations

    seed_authorizations(stdout)  # the signing authorisations (TUQ., Q.) of the agency
    if not settings.SIGNING_LOCAL_TSA:
        return  # demo signatures use the installation's own test TSA; never seed them against a real one
    # The web server (and its /signing/tsa/ URL) is not up yet while seeding: the same test TSA, in process.
    with override_settings(SIGNING_TSA_IN_PROCESS=True):
        _seed(stdout)
        from documents.copies.demo import seed_copies

        seed_copies(stdout)  # a sao y of the first issued document


def _seed(stdout) -> None:
    from documents.models import DocumentType
    from documents.outgoing import services
    from documents.outgoing.attachments.demo import seed_attachments
    from documents.outgoing.models import OutgoingDocument
    from documents.outgoing.services import DraftFields
    from eoffice.demo import SKHDT
    from eoffice.models import Agency, User

    agency = Agency.objects.filter(code=SKHDT).first()
    if agency is None or OutgoingDocument.objects.filter(agency=agency).exists():
        return
    people = {u.username: u for u in User.objects.filter(agency=agency)}
    try:
        officer, officer2, head = (
            people["chuyenvien.skhdt"],
            people["chuyenvien2.skhdt"],
            people["truongphong.skhdt"],
        )
        leader, deputy, clerk = people["giamdoc.skhdt"], people["phogiamdoc.skhdt"], people["vanthu.skhdt"]
    except KeyError:
        return
    # The signatures need the demo credentials (made idempotently; the launcher runs the command too).
    call_command("signing_demo_credentials", verbosity=0)
    pin = settings.SIGNING_DEMO_PIN
    types = {t.abbreviation: t for t in DocumentType.objects.exclude(abbreviation="")}
    types[""] = DocumentType.objects.get(name="Công văn")
    agencies = {a.abbreviation: a for a in Agency.objects.all()}
    made = 0
    for i, (state, abbr, summary, recipient_codes, body) in enumerate(LETTERS):
        signer = leader if i % 3 else deputy
        deputy_signs = signer == deputy
        fields = DraftFields(
            doc_type=types[abbr],
            summary=summary.removeprefix("V/v "),
            body=body,
            addressees="\n".join(agencies[c].name for c in recipient_codes if c in agencies)
            if abbr in ("", "GM", "TTr")
            else "",
            legal_bases=(
                "Căn cứ Quyết định số 25/2024/QĐ-UBND ngày 12/6/2024 của Ủy ban nhân dân tỉnh An Hòa "
                "quy định "
                "chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Kế hoạch và Đầu tư;\n"
                "Theo đề nghị của Trưởng phòng Đăng ký kinh doanh."
            )
            if abbr == "QĐ"
            else "",
            distribution="Như trên\nGiám đốc, các Phó Giám đốc Sở"
            if abbr in ("", "GM", "TTr")
            else "Giám đốc, các Phó Giám đốc Sở",
            signer=signer,
            signer_authority="KT." if deputy_signs else "",
            authority_title="GIÁM ĐỐC" if deputy_signs else "",
            signer_title=signer.position,
            urgency=1 if i == 4 else 0,
            recipient_agencies=[agencies[c] for c in recipient_codes if c in agencies],
            external_recipients="Công ty Cổ phần Đầu tư Minh Phát <vanthu@minhphat.example>"
            if i == 0
            else "",
        )
        drafter = officer if i % 2 == 0 else officer2
        doc = services.draft_create(by=drafter, fields=fields)
        seed_attachments(doc, drafter)  # the working group's appendix and attached plan
        if state == "new":
            made += 1
            continue
        reviewer = head if drafter.department_id == head.department_id else deputy
        doc = services.draft_submit(
            document=doc, by=drafter, reviewer=reviewer, comment="Kính trình xem xét."
        )
        if state == "submitted":
            made += 1
            continue
        if state == "returned":
            services.draft_return(
                document=doc,
                by=reviewer,
                comment="Bổ sung số liệu giải ngân theo từng chủ đầu tư, so sánh cùng kỳ.",
            )
            made += 1
            continue
        doc = services.draft_approve(document=doc, by=reviewer, comment="Đồng ý, trình Giám đốc ký.")
        if state == "signing":
            made += 1
            continue
        doc = services.document_sign(document=doc, by=signer, pin=pin)
        if state == "issued":
            services.document_issue(document=doc, by=clerk, pin=pin)
        made += 1
    stdout.write(f"  outgoing documents: {made} (drafts, reviews, waiting signature, issued)\n")
