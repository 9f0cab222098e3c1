"""Demo data: a realistic week of incoming documents at Sở Kế hoạch và Đầu tư of the fictional tỉnh An Hòa.

About 60 documents in every state and urgency, directed, handed on and processed by the demo staff, some
overdue, a few secret ones. Idempotent: nothing is done when the agency already has incoming documents.
The PDFs are short công văn rendered by WeasyPrint with the project's font.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone

ISSUERS = [
    # name, parent, short, unit, symbol suffix, in directory (agency code) or None
    ("Ủy ban nhân dân tỉnh An Hòa", "", "UBND tỉnh", "KT", "UBND-KT", "000.00.00.H99"),
    ("Bộ Kế hoạch và Đầu tư", "", "Bộ", "TH", "BKHĐT-TH", None),
    ("Sở Tài chính", "Ủy ban nhân dân tỉnh An Hòa", "Sở", "QLNS", "STC-QLNS", None),
    ("Sở Tư pháp", "Ủy ban nhân dân tỉnh An Hòa", "Sở", "XDKTVB", "STP-XDKTVB", "000.00.07.H99"),
    (
        "Sở Thông tin và Truyền thông",
        "Ủy ban nhân dân tỉnh An Hòa",
        "Sở",
        "CNTT",
        "STTTT-CNTT",
        "000.00.11.H99",
    ),
    ("Cục Thống kê tỉnh An Hòa", "Tổng cục Thống kê", "Cục", "TKTH", "CTK-TKTH", None),
    ("Ủy ban nhân dân huyện Tân Phú", "", "UBND huyện", "VP", "UBND-VP", None),
    ("Ngân hàng Nhà nước chi nhánh tỉnh An Hòa", "", "Chi nhánh", "TH", "AHO-TH", None),
    ("Công ty Cổ phần Đầu tư Minh Phát", "", "Công ty", "HC", "MP-HC", None),
]

TOPICS = [
    ("Công văn", "báo cáo tình hình thực hiện kế hoạch đầu tư công 6 tháng đầu năm"),
    ("Công văn", "đề nghị thẩm định chủ trương đầu tư dự án nhà máy chế biến nông sản"),
    ("Công văn", "góp ý dự thảo Nghị quyết về phát triển kinh tế tư nhân"),
    ("Công văn", "cung cấp số liệu doanh nghiệp đăng ký thành lập mới quý III"),
    ("Công văn", "đôn đốc giải ngân vốn đầu tư công năm 2026"),
    ("Công văn", "rà soát thủ tục hành chính lĩnh vực đăng ký kinh doanh"),
    ("Công văn", "đề nghị điều chỉnh giấy chứng nhận đăng ký đầu tư"),
    ("Quyết định", "Về việc giao chỉ tiêu kế hoạch phát triển kinh tế - xã hội năm 2027"),
    ("Kế hoạch", "Triển khai chuyển đổi số trong công tác văn thư, lưu trữ năm 2026"),
    ("Thông báo", "Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với các sở, ngành"),
    ("Giấy mời", "Dự hội nghị xúc tiến đầu tư tỉnh An Hòa năm 2026"),
    ("Báo cáo", "Tình hình kinh tế - xã hội tháng 10 năm 2026"),
    ("Chỉ thị", "Về tăng cường kỷ luật, kỷ cương hành chính trong thực thi công vụ"),
    ("Công văn", "hướng dẫn lập kế hoạch đầu tư công trung hạn giai đoạn 2026-2030"),
    ("Công văn", "phối hợp kiểm tra tình hình hoạt động của doanh nghiệp sau đăng ký"),
    ("Tờ trình", "Đề nghị phê duyệt danh mục dự án kêu gọi đầu tư"),
    ("Công văn", "xin ý kiến về hồ sơ đề xuất dự án khu dân cư Tân Phú"),
    ("Hướng dẫn", "Thực hiện chế độ báo cáo thống kê ngành kế hoạch và đầu tư"),
]

PARAGRAPHS = [
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh tại văn bản số 1520/UBND-KT, để kịp thời tổng hợp, báo cáo "
    "cấp có thẩm quyền, {issuer} đề nghị Sở Kế hoạch và Đầu tư phối hợp thực hiện nội dung nêu trên.",
    "Đề nghị Quý cơ quan rà soát, tổng hợp và gửi kết quả bằng văn bản, đồng thời gửi bản điện tử "
    "qua Hệ thống quản lý văn bản và điều hành trước ngày {deadline} để tổng hợp chung.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh kịp thời "
    "để được hướng dẫn, giải quyết.",
]

SIGNERS = [
    ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "Trần Văn Bình"),
    ("CHỦ TỊCH", "Nguyễn Văn Thành"),
    ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Lê Thị Minh Hằng"),
    ("TL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG", "Đỗ Thị Thu"),
]

PLAN = (
    ["new"] * 5
    + ["received"] * 10
    + ["delegated"] * 2
    + ["assigned_unit"] * 5
    + ["forwarded"] * 6
    + ["processing"] * 12
    + ["done"] * 12
    + ["returned"] * 3
    + ["secret"] * 3
    + ["person"] * 2
)  # 60


def letter_pdf(context: dict) -> bytes:
    from eoffice.output import pdf

    fonts = settings.BASE_DIR / "static" / "fonts" / "liberation-serif"
    html = render_to_string(
        "documents/demo_letter.html",
        {
            **context,
            "font_regular": (fonts / "LiberationSerif-Regular.ttf").as_uri(),
            "font_bold": (fonts / "LiberationSerif-Bold.ttf").as_uri(),
            "font_italic": (fonts / "LiberationSerif-Italic.ttf").as_uri(),
        },
    )
    return pdf.write(html, base_url=settings.BASE_DIR)


def _when(rng: random.Random, days_ago: int) -> datetime:
    from workflow import calendar

    day = timezone.localdate() - timedelta(days=days_ago)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    moment = datetime.combine(day, time(7, 30), tzinfo=calendar.local_tz()) + timedelta(
        minutes=rng.randrange(0, 8 * 60)
    )
    return min(moment, timezone.now() - timedelta(minutes=5))


def seed_documents(stdout) -> None:
    from documents.incoming import services
    from documents.models import DocumentType, IncomingDocument, Urgency
    from eoffice.demo import SKHDT
    from eoffice.models import Agency, Department, User
    from workflow.models import Assignment

    agency = Agency.objects.filter(code=SKHDT).first()
    if agency is None or IncomingDocument.objects.filter(agency=agency).exists():
        return
    people = {u.username: u for u in User.objects.filter(agency=agency)}
    try:
        clerk, leader, deputy = people["vanthu.skhdt"], people["giamdoc.skhdt"], people["phogiamdoc.skhdt"]
        head, officer, officer2 = (
            people["truongphong.skhdt"],
            people["chuyenvien.skhdt"],
            people["chuyenvien2.skhdt"],
        )
    except KeyError:
        return
    unit = Department.objects.get(agency=agency, abbreviation="ĐKKD")
    types = {t.name: t for t in DocumentType.objects.all()}
    directory = {a.code: a for a in Agency.objects.all()}
    rng = random.Random(2026)  # noqa: S311 - demo data
    now = timezone.now()
    created = 0
    for i, kind in enumerate(PLAN):
        issuer, parent, short, unit_code, suffix, code = ISSUERS[i % len(ISSUERS)]
        type_name, topic = TOPICS[i % len(TOPICS)]
        doc_type = types.get(type_name) or types["Công văn"]
        days_ago = 6 - (i * 7 // len(PLAN))
        received_at = _when(rng, days_ago)
        issued = (received_at - timedelta(days=rng.randrange(1, 4))).date()
        number = 100 + i * 7 + rng.randrange(0, 6)
        abbreviation = doc_type.abbreviation
        symbol = f"{number}/{abbreviation}-{suffix.split('-')[0]}" if abbreviation else f"{number}/{suffix}"
        urgency = [
            Urgency.NORMAL,
            Urgency.NORMAL,
            Urgency.URGENT,
            Urgency.NORMAL,
            Urgency.VERY_URGENT,
            Urgency.NORMAL,
            Urgency.FLASH,
        ][i % 7]
        secret = 1 if kind == "secret" else 0
        summary = topic if type_name != "Công văn" else f"V/v {topic}"
        pdf = letter_pdf(
            {
                "issuer": issuer,
                "parent": parent,
                "issuer_short": short,
                "unit": unit_code,
                "number_symbol": symbol,
                "is_letter": type_name == "Công văn",
                "summary": summary,
                "summary_short": topic,
                "type_name": type_name,
                "issued": issued,
                "urgency": Urgency(urgency).label if urgency else "",
                "secret": "Mật" if secret else "",
                "paragraphs": [
                    p.format(issuer=issuer, deadline=(issued + timedelta(days=10)).strftime("%d/%m/%Y"))
                    for p in PARAGRAPHS
                ],
                "signer_title": SIGNERS[i % len(SIGNERS)][0].replace("\n", " "),
                "signer": SIGNERS[i % len(SIGNERS)][1],
            }
        )
        doc = services.incoming_receive(
            by=clerk,
            main_files=[
                SimpleUploadedFile(f"{symbol.replace('/', '-')}.pdf", pdf, content_type="application/pdf")
            ],
            issuer_agency=directory.get(code) if code else None,
            issuer_name=issuer,
            number_symbol=symbol,
            issued_date=issued,
            doc_type=doc_type,
            summary=summary,
            signer_name=SIGNERS[i % len(SIGNERS)][1],
            urgency=urgency,
            confidentiality=secret,
            received_at=received_at,
            channel=["electronic", "paper", "email"][i % 3],
            directing_leader=leader if secret else None,
            register_now=kind != "new",
            allow_duplicate=True,
        )
        created += 1
        if kind in ("new", "received"):
            continue
        if kind == "delegated":
            services.incoming_delegate(
                document=doc, by=leader, to_leader=deputy, note="Đồng chí Phó Giám đốc chỉ đạo."
            )
            continue
        if kind == "returned":
            services.incoming_return(
                document=doc, by=clerk, reason="Văn bản gửi nhầm cơ quan, đề nghị gửi Sở Tài chính."
            )
            continue
        due = now + timedelta(days=rng.randrange(2, 12))
        if kind == "person":
            services.incoming_direct(
                document=doc,
                by=leader,
                instruction="Giao đồng chí Mai nghiên cứu, tham mưu.",
                lead_user=officer2,
                informed=[deputy],
                due_at=due,
            )
            continue
        services.incoming_direct(
            document=doc,
            by=deputy if i % 3 == 0 and not secret else leader,
            instruction=(
                "Giao Phòng Đăng ký kinh doanh chủ trì, phối hợp Phòng Tổng hợp tham mưu, báo cáo kết quả."
            ),
            lead_department=unit,
            coordinators=[officer2] if i % 2 else [],
            informed=[deputy] if i % 4 == 0 else [],
            due_at=due,
        )
        if kind in ("assigned_unit", "secret"):
            continue
        part = Assignment.objects.for_record(doc).get(role=Assignment.Kind.LEAD, parent__isnull=True)
        services.incoming_forward(
            document=doc,
            assignment=part,
            by=head,
            to_user=officer,
            instruction="Đồng chí Đức xử lý, báo cáo trước hạn.",
        )
        if kind == "forwarded":
            continue
        services.incoming_progress(
            document=doc,
            by=officer,
            note="Đã nghiên cứu, đang tổng hợp số liệu.",
            percent=rng.choice([20, 40, 60, 80]),
        )
        if kind == "done":
            services.incoming_propose(document=doc, by=officer, proposal="Đề xuất ban hành công văn trả lời.")
            services.incoming_link_reply(
                document=doc, by=officer, reply_number_symbol=f"{200 + i}/SKHĐT-ĐKKD"
            )
            services.incoming_finish(document=doc, by=officer, note="Đã tham mưu văn bản trả lời.")
        elif i % 3 == 0:
            # overdue: the deadline has passed (demo only: set directly)
            past = now - timedelta(days=rng.randrange(1, 4))
            IncomingDocument.objects.filter(pk=doc.pk).update(due_at=past, due_soon_at=past)
            Assignment.objects.for_record(doc).filter(status="open").exclude(role="inform").update(
                due_at=past, due_soon_at=past, escalate_at=past + timedelta(days=3)
            )
    stdout.write(f"documents: {created} văn bản đến mẫu\n")
