"""What the complaints module adds to the shell: menu entries, notification kinds, the timeline's labels of
events that are not transitions, the reception days fed to the weekly schedule, the URLs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eoffice.notifications import register_kind

# The timeline's titles of the case's events that are not transitions (history rows with an action).
ACTION_LABELS: dict[str, object] = {
    "classify": _("Phân loại đơn"),
    "split": _("Tách nội dung đơn"),
    "duplicate": _("Đánh dấu đơn trùng"),
    "handler": _("Giao cán bộ xử lý"),
    "verification": _("Giao xác minh"),
    "case_step": _("Cập nhật hồ sơ giải quyết"),
    "complexity": _("Xác định vụ việc phức tạp"),
    "extension": _("Gia hạn giải quyết"),
    "partial_withdrawal": _("Rút một phần đơn"),
    "document_draft": _("Tạo dự thảo văn bản"),
    "document_issued": _("Văn bản đã phát hành"),
    "publication": _("Công khai kết quả"),
    "identity_read": _("Xem thông tin người tố cáo"),
    "redaction": _("Tạo bản che thông tin"),
    "letter_file": _("Thêm tệp vào đơn"),
    "withdrawal_continued": _("Rút tố cáo, tiếp tục giải quyết"),
    "session_create": _("Thêm lịch tiếp công dân"),
    "session_edit": _("Sửa lịch tiếp công dân"),
    "session_publish": _("Công bố lịch tiếp công dân"),
    "session_cancel": _("Hủy lịch tiếp công dân"),
    "visit_record": _("Vào sổ tiếp công dân"),
    "visit_answer": _("Trả lời người được tiếp"),
}


def register_all() -> None:
    from eoffice import routes
    from workflow.models import ACTIONS, ActionInfo

    for name, label in ACTION_LABELS.items():
        ACTIONS.setdefault(name, ActionInfo(label))
    register_kind("complaints.case", _("Đơn thư được giao, thay đổi trạng thái"), email_default=False)
    register_kind("complaints.deadline", _("Đơn thư sắp đến hạn, quá hạn"), email_default=True)
    routes.register("complaints/", "complaints.urls")
    routes.register("don-thu/", "complaints.public_urls")
