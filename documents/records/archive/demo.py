"""Demo data of the agency archive at Sở Kế hoạch và Đầu tư: case files in every state of the archive —
closed and due for transfer soon, handed over and waiting for the archivist, archived (one whose retention
has ended), disposed of by a recorded decision, one proposal waiting for the director — and borrow requests.
The archivist ``luutru.skhdt`` is an account of ``eoffice.demo.STAFF``. Idempotent: nothing is done once the
demo's files exist.

Registered by ``documents.apps.DocumentsConfig.ready`` (``demo.register_seeder(archive_demo.seed_archive)``).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

ARCHIVIST = "luutru.skhdt"
MARK = "LT-DEMO"  # the demo files' codes end with it: "01.ĐKKD/LT-DEMO"

FILES = [
    # code, title, year, retention, state, closed (years ago, days)
    ("01.ĐKKD", "Hồ sơ cấp giấy chứng nhận đăng ký doanh nghiệp tháng 12", 2025, "10", "closed", (0, 340)),
    ("02.ĐKKD", "Hồ sơ rà soát doanh nghiệp ngừng hoạt động năm 2025", 2025, "20", "closed", (0, 300)),
    ("03.ĐKKD", "Hồ sơ hội nghị đối thoại doanh nghiệp năm 2025", 2025, "permanent", "submitted", (0, 200)),
    (
        "04.ĐKKD",
        "Hồ sơ kiểm tra doanh nghiệp sau đăng ký quý III năm 2025",
        2025,
        "10",
        "submitted",
        (0, 180),
    ),
    (
        "05.ĐKKD",
        "Hồ sơ xây dựng kế hoạch đăng ký kinh doanh năm 2024",
        2024,
        "permanent",
        "archived",
        (1, 20),
    ),
    ("06.ĐKKD", "Hồ sơ báo cáo thống kê doanh nghiệp năm 2024", 2024, "20", "archived", (1, 40)),
    ("07.ĐKKD", "Hồ sơ giấy mời, tài liệu tập huấn nghiệp vụ năm 2021", 2021, "10", "archived", (4, 30)),
    ("08.ĐKKD", "Hồ sơ công văn trao đổi thông tin doanh nghiệp năm 2020", 2020, "2", "expired", (5, 30)),
    ("09.ĐKKD", "Hồ sơ thông báo lịch công tác năm 2019", 2019, "2", "disposed", (6, 30)),
]


def _pdf() -> bytes:
    from eoffice.output import pdf as output_pdf

    return output_pdf.write(
        "<html><body><h2>Sở Kế hoạch và Đầu tư</h2><p>Tài liệu trong hồ sơ (dữ liệu mẫu).</p></body></html>"
    )


def seed_archive(stdout) -> None:
    from django.db import transaction

    from documents.records.archive import rules, services
    from documents.records.models import AppraisalItem, CaseFile, CaseFileItem
    from eoffice import demo
    from eoffice.models import AccessEvent, Agency, Department, User

    agency = Agency.objects.filter(code=demo.SKHDT).first()
    if agency is None:
        return
    archivist = User.objects.filter(username=ARCHIVIST, agency=agency).first()  # eoffice.demo.STAFF
    if archivist is None or CaseFile.objects.filter(agency=agency, code__endswith=MARK).exists():
        return
    people = {u.username: u for u in User.objects.filter(agency=agency)}
    owner = people.get("chuyenvien.skhdt")
    head = people.get("truongphong.skhdt")
    director = people.get("giamdoc.skhdt")
    reader = people.get("chuyenvien2.skhdt")
    unit = Department.objects.filter(agency=agency, abbreviation="ĐKKD").first()
    if not (owner and head and director and reader):
        return
    now = timezone.now()
    paper = _pdf()
    files: dict[str, CaseFile] = {}
    with transaction.atomic():
        for code, title, year, retention, _state, (years_ago, days) in FILES:
            closed = now - timedelta(days=365 * years_ago + days)
            f = CaseFile.objects.create(
                agency=agency,
                department=unit,
                year=year,
                code=f"{code}/{MARK}",
                title=title,
                retention=retention,
                owner=owner,
                status=CaseFile.Status.CLOSED,
                opened_at=closed - timedelta(days=200),
                closed_at=closed,
                transfer_due=rules.transfer_due_for(closed),
            )
            for n in (1, 2):
                item = CaseFileItem(
                    case_file=f,
                    kind="paper",
                    ordinal=n,
                    sort_date=closed - timedelta(days=100 - n * 30),
                    type_name="Công văn",
                    code_number=str(100 + n),
                    code_notation="SKHĐT-ĐKKD",
                    issued_date=(closed - timedelta(days=100 - n * 30)).date(),
                    organ_name="Sở Kế hoạch và Đầu tư",
                    subject=f"{title} — văn bản số {n}",
                    page_amount=1,
                    added_by=owner,
                    file_name=f"van-ban-{n}.pdf",
                )
                item.file.save(f"van-ban-{n}.pdf", ContentFile(paper), save=False)
                item.save()
            CaseFile.objects.filter(pk=f.pk).update(doc_total=2, page_total=2)
            files[code] = f
        # handed over, waiting for the archivist
        services.transfer_create(
            by=owner,
            file_ids=[files["03.ĐKKD"].pk, files["04.ĐKKD"].pk],
            note="Đầy đủ văn bản, đã sắp xếp theo thời gian, có mục lục văn bản.",
        )
        # accepted earlier (the three archived and the two past their retention)
        old = services.transfer_create(
            by=head,
            file_ids=[files[c].pk for c in ("05.ĐKKD", "06.ĐKKD", "07.ĐKKD", "08.ĐKKD", "09.ĐKKD")],
            note="Hồ sơ các năm trước, tài liệu giấy và điện tử đầy đủ.",
        )
        services.transfer_accept(transfer=old, by=archivist, note="Đã kiểm tra, đủ điều kiện tiếp nhận.")
        # 08 and 09 are past their retention (work ended five and six years ago, kept two years)
        disposal = services.appraisal_propose(
            by=archivist,
            file_ids=[files["09.ĐKKD"].pk],
            reason="Hết thời hạn bảo quản 02 năm, không còn giá trị.",
        )
        services.appraisal_decide(
            appraisal=disposal,
            by=director,
            decision_number="12/QĐ-SKHĐT",
            verdicts={files["09.ĐKKD"].pk: (AppraisalItem.Verdict.DESTROY, None)},
            note="Hủy tài liệu hết giá trị theo đề nghị của Hội đồng xác định giá trị tài liệu.",
        )
        services.appraisal_propose(
            by=archivist,
            file_ids=[files["08.ĐKKD"].pk],
            reason="Hết thời hạn bảo quản 02 năm; đề nghị Hội đồng xác định giá trị tài liệu xem xét hủy.",
        )
        services.borrow_request(
            case_file=files["06.ĐKKD"],
            by=reader,
            purpose="Tra cứu số liệu doanh nghiệp năm 2024 để lập báo cáo tổng hợp.",
            until=now.date() + timedelta(days=14),
        )
        approved = services.borrow_request(
            case_file=files["05.ĐKKD"],
            by=head,
            purpose="Tham khảo kế hoạch năm trước để xây dựng kế hoạch năm 2027.",
            until=now.date() + timedelta(days=7),
        )
        services.borrow_decide(borrow=approved, by=archivist, approve=True, note="Đồng ý, đọc trên hệ thống.")
        AccessEvent.objects.bulk_create(
            AccessEvent(
                at=now - timedelta(hours=h),
                user=u,
                agency=agency,
                kind="casefile",
                object_id=files["05.ĐKKD"].pk,
            )
            for h, u in ((30, director), (5, head), (2, archivist))
        )
    stdout.write(f"archive demo: {len(files)} case files, archivist {ARCHIVIST}\n")
