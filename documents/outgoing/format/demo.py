"""Demo data of the format check: each demo agency's Văn phòng person gets the "Kiểm tra thể thức" role
(Chánh Văn phòng of the province's committee, the office's officer of each department), and one draft of
Sở Kế hoạch và Đầu tư waits for the check with a deadline already past. Registered to run after every
other seeder (``register_seeder(last=True)``), so the demo documents made before it keep the direct flow."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

REVIEWERS = ("chanhvanphong.ubnd", "quantri.skhdt", "quantri.stttt", "quantri.stp")
SUMMARY = "Đề nghị báo cáo kết quả giải ngân vốn đầu tư công 11 tháng"


def seed_format_check(stdout) -> None:
    from documents.models import DocumentType
    from documents.outgoing import services
    from documents.outgoing.models import OutgoingDocument
    from documents.outgoing.services import DraftFields
    from eoffice.models import Agency, AgencyRole, Role, User

    with transaction.atomic():
        for user in User.objects.filter(username__in=REVIEWERS).select_related("agency"):
            if not user.has_role(Role.FORMAT_REVIEWER):
                user.groups.add(AgencyRole.objects.group_for(user.agency, Role.FORMAT_REVIEWER))
    people = {u.username: u for u in User.objects.filter(username__endswith=".skhdt")}
    needed = ("chuyenvien.skhdt", "truongphong.skhdt", "giamdoc.skhdt", "quantri.skhdt")
    if any(name not in people for name in needed):
        return
    officer, head = people["chuyenvien.skhdt"], people["truongphong.skhdt"]
    if OutgoingDocument.objects.filter(agency_id=officer.agency_id, summary=SUMMARY).exists():
        return
    receiver = Agency.objects.exclude(pk=officer.agency_id).filter(is_active=True).order_by("name").first()
    past = (timezone.localdate() - timedelta(days=6)).strftime("%d/%m")
    fields = DraftFields(
        doc_type=DocumentType.objects.get(name="Công văn"),
        summary=SUMMARY,
        body=(
            "<p>Để kịp tổng hợp báo cáo Ủy ban nhân dân tỉnh, Sở Kế hoạch và Đầu tư đề nghị Quý cơ quan "
            "báo cáo kết quả giải ngân vốn đầu tư công 11 tháng, "
            f"gửi về Sở trước ngày {past} để tổng hợp.</p>"
        ),
        addressees=receiver.name if receiver else "",
        distribution="Như trên",
        signer=people["giamdoc.skhdt"],
        signer_title=people["giamdoc.skhdt"].position,
        recipient_agencies=[receiver] if receiver else [],
    )
    doc = services.draft_create(by=officer, fields=fields)
    doc = services.draft_submit(document=doc, by=officer, reviewer=head, comment="Kính trình xem xét.")
    services.draft_approve(document=doc, by=head, format_reviewer=people["quantri.skhdt"])
    stdout.write("  format check: reviewers named, one draft waiting for the check\n")
