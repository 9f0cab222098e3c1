"""Demo data of the file plan (``manage.py seed_demo``): Sở Kế hoạch và Đầu tư's plan of this year, drafted by
its clerk and approved by a decision taken through the real outgoing flow (signed and sealed with the demo
credentials), two case files opened from it, and next year's draft copied forward from it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

# (large heading, abbreviation, [(small heading or "", [(title, retention)])])
SPEC = [
    ("Tổng hợp", "TH", [
        ("Những vấn đề chung", [
            ("Hồ sơ xây dựng quy chế làm việc của Sở", "permanent"),
            ("Chương trình, kế hoạch công tác năm của Sở", "permanent"),
        ]),
        ("Thi đua, khen thưởng", [("Hồ sơ tổng kết công tác thi đua, khen thưởng năm", "permanent")]),
    ]),
    ("Kế hoạch, đầu tư", "KHĐT", [
        ("", [
            ("Kế hoạch đầu tư công trung hạn giai đoạn 2026-2030", "permanent"),
            ("Hồ sơ thẩm định dự án nhóm B", "20"),
            ("Báo cáo tình hình thực hiện kế hoạch đầu tư công hằng quý", "10"),
        ]),
    ]),
    ("Văn phòng", "VP", [
        ("Hành chính, văn thư, lưu trữ", [
            ("Tập lưu văn bản đi của Sở", "permanent"),
            ("Sổ đăng ký văn bản đến", "20"),
            ("Hồ sơ hội nghị tổng kết công tác năm", "permanent"),
        ]),
        ("Tài chính, kế toán", [
            ("Hồ sơ dự toán ngân sách năm", "10"),
            ("Hồ sơ mua sắm tài sản, trang thiết bị", "10"),
        ]),
    ]),
]  # fmt: skip


def seed_file_plans(stdout) -> None:
    from django.test.utils import override_settings

    from documents.records.models import FilePlan
    from eoffice.demo import SKHDT
    from eoffice.models import Agency, User

    agency = Agency.objects.filter(code=SKHDT).first()
    if agency is None or FilePlan.objects.filter(agency=agency).exists():
        return
    people = {u.username: u for u in User.objects.filter(agency=agency, is_active=True)}
    clerk, head = people.get("vanthu.skhdt"), people.get("giamdoc.skhdt")
    if clerk is None or head is None:
        return
    plan = _draft(clerk, agency, timezone.localdate().year, people)
    if settings.SIGNING_LOCAL_TSA:
        with override_settings(SIGNING_TSA_IN_PROCESS=True):
            plan = _approve(plan, clerk, head)
    _open_files(plan, people)
    from documents.records.plan import services

    services.plan_copy_forward(by=clerk, year=plan.year + 1)
    stdout.write(
        f"records: file plan {plan.year} ({plan.get_status_display()}) and the draft of {plan.year + 1}"
    )


def _draft(clerk, agency, year, people):
    from documents.records.plan import services

    staff = sorted((u for u in people.values() if u.department_id), key=lambda u: u.pk)
    plan = services.plan_create(by=clerk, year=year)
    n = 0
    for title, abbreviation, smalls in SPEC:
        large = services.heading_save(by=clerk, plan=plan, title=title, abbreviation=abbreviation)
        for small_title, entries in smalls:
            heading = (
                services.heading_save(by=clerk, plan=plan, title=small_title, parent=large)
                if small_title
                else large
            )
            for entry_title, retention in entries:
                person = staff[n % len(staff)] if staff else None
                n += 1
                services.entry_save(
                    by=clerk,
                    plan=plan,
                    heading=heading,
                    title=entry_title,
                    retention=retention,
                    responsible=person,
                    department=person.department if person else None,
                )
    return plan


def _approve(plan, clerk, head):
    """The decision through the outgoing flow: the clerk submits it to the head, who approves and signs it;
    the clerk seals and issues it, and the plan is approved (``receivers``)."""
    from documents.outgoing import services as outgoing
    from documents.records.plan import approval

    pin = settings.SIGNING_DEMO_PIN
    plan = approval.plan_submit(by=clerk, plan=plan, signer=head)
    try:
        doc = outgoing.draft_submit(document=plan.decision, by=clerk, reviewer=head)
        doc = outgoing.draft_approve(document=doc, by=head)
        doc = outgoing.document_sign(document=doc, by=head, pin=pin)
        outgoing.document_issue(document=doc, by=clerk, pin=pin)
    except (ValidationError, PermissionDenied):  # no demo credential: the decision waits on its page
        pass
    plan.refresh_from_db()
    return plan


def _open_files(plan, people) -> None:
    from documents.records.models import FilePlan
    from documents.records.plan import approval, selectors

    if plan.status != FilePlan.Status.APPROVED:
        return
    for entry in selectors.layout(plan).entries[:2]:
        by = entry.responsible or people["vanthu.skhdt"]
        try:
            approval.entry_open_file(by=by, entry=entry)
        except (ValidationError, PermissionDenied):
            continue
