"""Demo work items (giao việc) for `make run`: a few per Sở, in several states, one of them overdue."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

# (title, description, working days until the deadline; negative = already overdue, progress %)
ITEMS = [
    (
        "Xây dựng kế hoạch chuyển đổi số năm 2027",
        "Dự thảo kế hoạch, lấy ý kiến các phòng và trình Giám đốc trước ngày 15/12.",
        12,
        30,
    ),
    (
        "Tổng hợp báo cáo kinh tế - xã hội quý IV",
        "Tổng hợp số liệu của các phòng chuyên môn, đối chiếu với kế hoạch năm.",
        3,
        60,
    ),
    (
        "Rà soát thủ tục hành chính thuộc thẩm quyền giải quyết",
        "Rà soát, đề xuất đơn giản hóa thủ tục; gửi Văn phòng UBND tỉnh.",
        -2,
        10,
    ),
    ("Chuẩn bị hội nghị tổng kết năm 2026", "Dự thảo chương trình, giấy mời, báo cáo tổng kết.", 20, 0),
]


def seed_work_items(stdout) -> None:
    from eoffice.models import Agency, User
    from workflow import calendar, services
    from workflow.models import Assignment, WorkItem

    for agency in Agency.objects.filter(parent__isnull=False).order_by("code"):
        if WorkItem.objects.filter(agency=agency).exists():
            continue
        suffix = agency.abbreviation.lower().replace("đ", "d")
        people = {u.username.split(".")[0]: u for u in User.objects.filter(username__endswith=f".{suffix}")}
        leader, head, officer = people.get("giamdoc"), people.get("truongphong"), people.get("chuyenvien")
        if not (leader and head and officer):
            continue
        now = timezone.now()
        for title, description, days, progress in ITEMS:
            due = calendar.add_working_days(now, max(days, 1))
            item = services.work_item_create(
                by=leader,
                title=title,
                description=description,
                due_at=due,
                lead=officer,
                coordinators=[head],
                instruction="Đề nghị triển khai đúng hạn, báo cáo kết quả.",
                priority=WorkItem.Priority.HIGH if days < 5 else WorkItem.Priority.NORMAL,
            )
            if progress:
                services.work_item_transition(item=item, action="start", by=officer)
                services.work_item_report_progress(
                    item=item, by=officer, percent=progress, note="Đã triển khai, đang tổng hợp ý kiến."
                )
            if days < 0:
                # Demo only: move the deadline into the past so the overdue views have something to show.
                past = now - timedelta(days=-days, hours=3)
                WorkItem.objects.filter(pk=item.pk).update(due_at=past, due_soon_at=past - timedelta(hours=8))
                Assignment.objects.for_record(item).update(
                    due_at=past, due_soon_at=past - timedelta(hours=8), escalate_at=past
                )
        stdout.write(f"  giao việc mẫu: {len(ITEMS)} việc cho {agency.abbreviation}\n")
