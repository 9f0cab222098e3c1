"""What the meetings module adds to the shell: menu entries (with the approval queue's counter) and
notification kinds."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu
from eoffice.notifications import register_kind


def _is_manager(user) -> bool:
    from meetings import rules

    return bool(user.agency_id) and rules.is_manager(user)


def _can_register(user) -> bool:
    from meetings import rules

    return rules.can_register(user)


def _pending_count(user) -> int:
    from meetings import rules
    from meetings.models import Meeting

    if not rules.is_manager(user):
        return 0
    return Meeting.objects.filter(agency_id=user.agency_id, state="submitted", end_at__gt=_now()).count()


def _now():
    from django.utils import timezone

    return timezone.now()


def _may_see_stats(user) -> bool:
    from meetings import stats

    return stats.may_see(user)


def _has_agency(user) -> bool:
    return bool(user.agency_id)


# The timeline's titles of the meeting's events that are not transitions (history rows with an action).
ACTION_LABELS = {
    "displace": _("Nhường phòng, trả về chờ duyệt"),
    "invitation_draft": _("Tạo giấy mời"),
    "invitation_issued": _("Giấy mời đã phát hành"),
    "week_publish": _("Ban hành lịch tuần"),
    "unit_unlock": _("Mở khóa đăng ký cho đơn vị"),
    "minutes_start": _("Lập biên bản"),
    "minutes_update": _("Sửa biên bản"),
    "minutes_submit": _("Trình ký biên bản"),
    "minutes_withdraw": _("Rút lại biên bản để sửa"),
    "minutes_secretary_signed": _("Thư ký đã ký biên bản"),
    "minutes_signed": _("Chủ tọa đã ký biên bản"),
    "conclusion_save": _("Ghi kết luận cuộc họp"),
    "conclusion_notice": _("Tạo thông báo kết luận"),
    "conclusion_tasks": _("Giao nhiệm vụ sau cuộc họp"),
    "meeting_file": _("Tài liệu cuộc họp"),
    "meeting_roll_call": _("Điểm danh"),
    "meeting_substitute": _("Người dự thay"),
    "meeting_vote": _("Biểu quyết"),
}


def register_all() -> None:
    from workflow.models import ACTIONS, ActionInfo

    for name, label in ACTION_LABELS.items():
        ACTIONS.setdefault(name, ActionInfo(label))
    register_kind("meetings.approval", _("Lịch họp chờ duyệt, đã duyệt, bị từ chối"), email_default=False)
    register_kind("meetings.week", _("Lịch công tác tuần đã ban hành"), email_default=False)
    register_kind("meetings.invitation", _("Giấy mời, thay đổi lịch họp"), email_default=True)
    register_kind("meetings.reminder", _("Nhắc lịch họp"), email_default=True)
    register_kind("meetings.paperless", _("Tài liệu, biểu quyết, biên bản cuộc họp"), email_default=False)


def register_menus() -> None:
    items = [
        MenuItem(
            "meetings.week",
            _("Lịch công tác tuần"),
            "meetings:week",
            "calendar",
            "meetings",
            60,
            can_open=_has_agency,
        ),
        MenuItem(
            "meetings.mine",
            _("Lịch của tôi"),
            "meetings:my_week",
            "user",
            "meetings",
            61,
            can_open=_has_agency,
        ),
        MenuItem(
            "meetings.new", _("Đăng ký lịch"), "meetings:new", "plus", "meetings", 62, can_open=_can_register
        ),
        MenuItem(
            "meetings.approvals",
            _("Lịch chờ duyệt"),
            "meetings:approvals",
            "check",
            "meetings",
            63,
            can_open=_is_manager,
            counter=_pending_count,
            todo=_("Lịch họp chờ bạn duyệt"),
            todo_rank=40,
        ),
        MenuItem(
            "meetings.rooms", _("Phòng họp"), "meetings:rooms", "home", "meetings", 64, can_open=_has_agency
        ),
        MenuItem(
            "meetings.stats",
            _("Thống kê lịch họp"),
            "meetings:stats",
            "chart",
            "meetings",
            65,
            can_open=_may_see_stats,
        ),
        MenuItem(
            "meetings.feeds",
            _("Đồng bộ lịch"),
            "meetings:feeds",
            "link",
            "meetings",
            66,
            can_open=_has_agency,
        ),
    ]
    for item in items:
        register_menu(item)
