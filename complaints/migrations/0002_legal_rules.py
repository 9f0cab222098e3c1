"""The deadline rules as in force before and from 01/07/2026 (domain-complaints.md, "Deadlines"). A later
change of the law adds rows with its own effective date; these rows are never edited in place."""

from django.db import migrations

KN = "Luật Khiếu nại 02/2011/QH13"
TC = "Luật Tố cáo 25/2018/QH14"
TCD = "Luật Tiếp công dân 42/2013/QH13"
NEW = "2026-07-01"

# code, effective_from, days, unit, start_event, source, extra fields
RULES = [
    ("complaint_lodge", "2012-07-01", 90, "days", "act_known", f"{KN} Đ9", {}),
    ("complaint_accept", "2012-07-01", 10, "days", "received", f"{KN} Đ27", {}),
    (
        "complaint_accept",
        NEW,
        7,
        "working_days",
        "received",
        "NĐ 124/2020/NĐ-CP Đ16, sửa đổi bởi NĐ 155/2026/NĐ-CP",
        {},
    ),
    (
        "complaint_resolve_1",
        "2012-07-01",
        30,
        "days",
        "accepted",
        f"{KN} Đ28",
        {"complex_days": 45, "remote_days": 45, "remote_complex_days": 60},
    ),
    ("complaint_send_1", "2012-07-01", 3, "working_days", "decided", f"{KN} Đ32", {}),
    ("complaint_lodge_2", "2012-07-01", 30, "days", "decision_received", f"{KN} Đ33", {"remote_days": 45}),
    (
        "complaint_resolve_2",
        "2012-07-01",
        45,
        "days",
        "accepted",
        f"{KN} Đ37",
        {"complex_days": 60, "remote_days": 60, "remote_complex_days": 70},
    ),
    ("dialogue_notice", NEW, 5, "days", "before_event", "NĐ 124/2020/NĐ-CP Đ28, sửa đổi bởi NĐ 155/2026/NĐ-CP", {}),
    ("suspension_send", NEW, 3, "working_days", "signed", "NĐ 124/2020/NĐ-CP Đ28b, bổ sung bởi NĐ 155/2026/NĐ-CP", {}),
    ("denunciation_intake", "2019-01-01", 7, "working_days", "received", f"{TC} Đ24", {"max_days": 10}),
    ("denunciation_forward", "2019-01-01", 5, "working_days", "received", f"{TC} Đ24", {}),
    ("denunciation_notify", "2019-01-01", 5, "working_days", "accepted", f"{TC} Đ29", {}),
    (
        "denunciation_resolve",
        "2019-01-01",
        30,
        "days",
        "accepted",
        f"{TC} Đ30",
        {"extension_days": 30, "max_extensions_complex": 1, "max_extensions_very_complex": 2},
    ),
    ("denunciation_send", "2019-01-01", 5, "working_days", "decided", f"{TC} Đ35", {}),
    ("visit_answer", "2014-07-01", 10, "working_days", "received", f"{TCD} Đ28", {}),
    (
        "reception_publish",
        "2014-07-01",
        5,
        "working_days",
        "before_event",
        f"{TCD} Đ24",
        {},
    ),
    (
        "reception_publish",
        NEW,
        5,
        "working_days",
        "before_event",
        f"{TCD} Đ24, sửa đổi bởi Luật 136/2025/QH15; NĐ 154/2026/NĐ-CP",
        {},
    ),
    (
        "petition_answer",
        "2000-01-01",
        15,
        "working_days",
        "received",
        "Quy chế tiếp nhận, xử lý phản ánh, kiến nghị của cơ quan",
        {"note": "Mặc định; cấu hình của từng cơ quan (số ngày trả lời kiến nghị) được ưu tiên."},
    ),
]


def seed(apps, schema_editor):
    LegalRule = apps.get_model("complaints", "LegalRule")
    for code, effective_from, days, unit, start_event, source, extra in RULES:
        LegalRule.objects.update_or_create(
            code=code,
            effective_from=effective_from,
            defaults={"days": days, "unit": unit, "start_event": start_event, "source": source, **extra},
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
